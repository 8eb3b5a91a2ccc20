import { expect, it } from 'vitest';
import { wmflow } from './replay-helpers.js';

// Newcomer round 5: a handler with journalToS3({ bucket: 'corp-journal' }) replayed as docs/own-lambda.md says. The
// local S3 makes only the buckets replay is given, so the journal fails with S3's "The specified bucket does not
// exist", and the run said nothing more: the hint that names `--bucket` was given for a failed edit only, and only
// when the reason held "NoSuchBucket".
const FIXTURE = 'packages/local/test/fixtures/newcomer-round5-journal.ts';

it('names the bucket to pass with --bucket when a rule fails for a bucket the local S3 lacks', async () => {
  const run = await wmflow(['replay', 'samples/eml/01-plain-text.eml', '--handler', FIXTURE]);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('The specified bucket does not exist');
  expect(run.stdout).toContain('--bucket corp-journal');
});

it('names it below a failed expectation too, and the same run with --bucket journals the message', async () => {
  const dir = 'samples/eml/01-plain-text.eml';
  const checked = await wmflow([
    'replay',
    dir,
    '--handler',
    FIXTURE,
    '--expect',
    'samples/expect/guard.expect.json',
    '--check',
  ]);
  expect(checked.code).toBe(1);
  expect(checked.stdout).toContain('--bucket corp-journal');
  const fixed = await wmflow(['replay', dir, '--handler', FIXTURE, '--bucket', 'corp-journal', '--json']);
  expect(fixed.code).toBe(0);
  expect(JSON.parse(fixed.stdout).journaled.length).toBe(2);
});
