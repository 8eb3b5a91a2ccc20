import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchRunner } from '../../packages/local/src/backtest/batch.js';
import { batchClient, guardBatchInit } from '../../packages/local/test/backtest-helpers.js';
import { bigMessage, JOURNAL, UPDATES } from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 52 (F52-1): the Step Functions batch Lambda turned a transient S3 failure reading a message (SlowDown
// past the SDK's retries, a 500, a body cut on its way) into a failed line of a batch that succeeded. The Map's retry
// (States.TaskFailed, twice more) never ran, `--remote` has no `--resume`: the message was reported as "could not be
// backtested" for good, for a throttle that a retry seconds later would have passed. A transient failure now fails
// the batch (the Map retries it, and after its retries reports every message of it as failed); one that a retry
// cannot cure (the message gone, a changed copy) still gets its failed line.
const t = proxiedStack([JOURNAL, UPDATES]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const KEY = 'journal/inbound/2026/12/06/f52-1-0000';
const OTHER = 'journal/inbound/2026/12/06/f52-1-0001';
const whole = bigMessage(20_000, 'f52-1');
const XML = { 'content-type': 'application/xml' };
const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R</RequestId><HostId>H</HostId></Error>`;

const metadataOf = (key: string, body: Buffer) =>
  JSON.stringify({
    key,
    messageId: key.split('/').at(-1),
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    sha256: sha(body),
    size: body.length,
  });

beforeAll(async () => {
  for (const key of [KEY, OTHER]) {
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: whole }));
    await t.stack.s3.send(
      new PutObjectCommand({ Bucket: JOURNAL, Key: `${key}.json`, Body: metadataOf(key, whole) }),
    );
  }
});

/** Runs one batch of both messages with `fault` applied to GETs of `path`; what the batch gave or why it failed. */
async function batchWith(path: string, fault: Act): Promise<string[][] | string> {
  t.s3p.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
  try {
    const run = batchRunner(batchClient(t.s3p.endpoint));
    const { lines } = await run({
      Items: [KEY, `${KEY}.json`, OTHER, `${OTHER}.json`].map((Key) => ({ Key })),
      BatchInput: { bucket: JOURNAL, init: await guardBatchInit() },
    });
    return lines.map((l) => [l.key, l.candidate.error?.name ?? 'judged']);
  } catch (error) {
    return `batch failed: ${(error as Error).name}`;
  } finally {
    t.s3p.decide = () => ({ do: 'forward' });
  }
}

describe('F52-1: a transient S3 failure reading a journal object fails the batch, so the Map retries it', () => {
  it('the message read is throttled (SlowDown) past the retries', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}`, {
      do: 'answer',
      status: 503,
      headers: XML,
      body: s3Error('SlowDown', 'Please reduce your request rate.'),
    });
    expect(got).toBe('batch failed: SlowDown');
  }, 120_000);

  it('the message read is answered 500 InternalError', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}`, {
      do: 'answer',
      status: 500,
      headers: XML,
      body: s3Error('InternalError', 'We encountered an internal error. Please try again.'),
    });
    expect(got).toBe('batch failed: InternalError');
  }, 120_000);

  it('the message body is cut on its way (no length, closed early)', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}`, { do: 'forward-close-delimited', keep: 7_000 });
    expect(got).toBe('batch failed: TransientError');
  }, 120_000);

  it('the metadata read is throttled past the retries', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}.json`, {
      do: 'answer',
      status: 503,
      headers: XML,
      body: s3Error('SlowDown', 'Please reduce your request rate.'),
    });
    expect(got).toBe('batch failed: SlowDown');
  }, 120_000);

  it('the metadata body is cut on its way (no length, closed early): not "not journal metadata"', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}.json`, { do: 'forward-close-delimited', keep: 40 });
    expect(got).toBe('batch failed: TransientError');
  }, 120_000);

  it('control: a message gone since the listing still gets its failed line, the batch goes on', async () => {
    const got = await batchWith(`/${JOURNAL}/${KEY}`, {
      do: 'answer',
      status: 404,
      headers: XML,
      body: s3Error('NoSuchKey', 'The specified key does not exist.'),
    });
    expect(got).toEqual([
      [KEY, 'NoSuchKey'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);

  it('control: nothing injected, both judged', async () => {
    expect(await batchWith('/none', { do: 'forward' })).toEqual([
      [KEY, 'judged'],
      [OTHER, 'judged'],
    ]);
  }, 120_000);
});
