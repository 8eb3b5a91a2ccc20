import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { wmflow } from './replay-helpers.js';

// What an administrator reads when `wmflow quarantine` names a message or a bucket that is not there: one line
// that says so, not a stack trace of the SDK, nor "UnknownError" (a HEAD's 404 has no body to name it).
const BUCKET = 'acme-inbound';
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});

describe('wmflow quarantine, when S3 has no such message or bucket', () => {
  it('show: says the message is not there, in one line', async () => {
    const run = await wmflow(['quarantine', 'show', `s3://${BUCKET}/quarantine/gone`], stack.env);
    expect([run.code, run.stdout, run.stderr]).toEqual([
      1,
      '',
      `wmflow quarantine: s3://${BUCKET}/quarantine/gone: no such message (NoSuchKey)\n`,
    ]);
  });

  it('list: says the bucket is not there, in one line', async () => {
    const run = await wmflow(['quarantine', 'list', 's3://no-such-inbound/quarantine/'], stack.env);
    expect([run.code, run.stderr]).toEqual([
      1,
      'wmflow quarantine: s3://no-such-inbound/quarantine/: no such bucket (NoSuchBucket)\n',
    ]);
  });

  it('release: says why a message was not released, rather than "UnknownError"', async () => {
    const run = await wmflow(
      ['quarantine', 'release', `s3://${BUCKET}/quarantine/gone`, '--to', `s3://${BUCKET}/delivered/`],
      stack.env,
    );
    expect([run.code, run.stderr]).toEqual([
      1,
      `wmflow quarantine: s3://${BUCKET}/quarantine/gone not released: not found (no such message, or no such bucket)\n`,
    ]);
  });

  it('names the actions when none or an unknown one is given', async () => {
    const none = await wmflow(['quarantine'], stack.env);
    expect([none.code, none.stderr]).toEqual([
      1,
      'wmflow quarantine: give list, show or release (wmflow quarantine --help)\n',
    ]);
    const typo = await wmflow(['quarantine', 'lsit', `s3://${BUCKET}/quarantine/`], stack.env);
    expect(typo.stderr).toBe(
      'wmflow quarantine: unknown action "lsit": give list, show or release (wmflow quarantine --help)\n',
    );
  });
});
