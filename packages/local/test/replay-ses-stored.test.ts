import { describe, expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

const HANDLER = 'packages/local/test/fixtures/ses-named-bucket.ts';
const MAIL = 'samples/eml/01-plain-text.eml';

describe('wmflow replay --engine ses: a handler that reads the message from elsewhere than replay stored it', () => {
  it('says where replay stored the message and which settings make the two agree', async () => {
    const run = await wmflow(['replay', '--engine', 'ses', '--handler', HANDLER, MAIL]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('bucket corp-inbound-mail does not exist');
    expect(run.stderr).toContain('replay stored each message at s3://wmflow-inbound/inbound/<message id>');
    expect(run.stderr).toContain('--env STORED_BUCKET=<bucket> --env STORED_KEY_PREFIX=<prefix>');
  });

  it('names the same settings when the bucket matches but the prefix does not', async () => {
    const run = await wmflow([
      'replay',
      '--engine',
      'ses',
      '--handler',
      HANDLER,
      MAIL,
      '--env',
      'STORED_BUCKET=corp-inbound-mail',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('does not exist: the receipt rule needs an S3 action');
    expect(run.stderr).toContain('replay stored each message at s3://corp-inbound-mail/inbound/<message id>');
  });

  it('is silent when the handler finds the message', async () => {
    const run = await wmflow([
      'replay',
      '--engine',
      'ses',
      '--handler',
      HANDLER,
      MAIL,
      '--env',
      'STORED_BUCKET=corp-inbound-mail',
      '--env',
      'STORED_KEY_PREFIX=mail/',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});
