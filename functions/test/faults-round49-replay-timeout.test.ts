import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, ROOT, wmflow } from '../../packages/local/test/replay-helpers.js';

// F49-3: `wmflow replay` gives up a handler at --timeout and goes on, but the handler goes on too (replay cannot end it,
// as Lambda does): what it wrote after its timeout was reported as written by the next message (`journaled` of
// another message: a copy that message never made), and the timed-out message's line showed nothing written. A handler
// that did not answer in time is now given a while (its timeout, at most 5 s) to end before anything else runs, so its
// writes are reported with its own message; one still running then is said to be, in its error.
let dir: string;
beforeAll(async () => {
  // Inside the repository: the handler imports the AWS SDK from its node_modules.
  dir = await mkdtemp(join(ROOT, 'functions/test/.faults-round49-'));
  await writeFile(
    join(dir, 'late.mjs'),
    `import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({ forcePathStyle: true });
const bucket = process.env.LATE_BUCKET;
let n = 0;
export const handler = async (event) => {
  const ses = event.Records?.[0]?.ses;
  const id = ses ? ses.mail.messageId : event.messageId;
  if (n++ === 0) {
    // The first message answers after --timeout (1 s), and writes its copy then.
    await new Promise((r) => setTimeout(r, 1500));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'late/' + id, Body: 'x' }));
  } else {
    // The next message takes long enough for that write to land while it runs.
    await new Promise((r) => setTimeout(r, 900));
  }
  return ses ? { disposition: 'CONTINUE' } : { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};
`,
  );
  await writeFile(
    join(dir, 'never.mjs'),
    `export const handler = () => new Promise(() => {});
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = ['samples/eml/01-plain-text.eml', 'samples/eml/02-html-newsletter.eml'];

describe('F49-3: a handler that goes on after its timeout', () => {
  for (const engine of ['workmail', 'ses'])
    it(`${engine}: what it writes late is reported with its own message, not the next one`, async () => {
      const run = await wmflow([
        'replay',
        ...files,
        '--handler',
        join(dir, 'late.mjs'),
        '--json',
        '--timeout',
        '1000',
        '--env',
        'LATE_BUCKET=late-bucket',
        ...(engine === 'ses' ? ['--engine', 'ses'] : []),
      ]);
      const lines = jsonLines(run.stdout);
      const facts = JSON.stringify({
        lines: lines.map((l) => [l.file, l.error, l.journaled]),
        err: run.stderr,
      });
      expect(lines, facts).toHaveLength(2);
      const [first, second] = lines;
      expect(first?.error, facts).toMatchObject({ name: 'HandlerTimeout' });
      expect(first?.journaled, facts).toEqual([`s3://late-bucket/late/${first?.messageId}`]);
      expect(second?.journaled, facts).toEqual([]);
      expect(run.code).toBe(1);
    }, 120_000);

  it('a handler that never ends: the error says it was still running, and the run goes on', async () => {
    const run = await wmflow([
      'replay',
      ...files,
      '--handler',
      join(dir, 'never.mjs'),
      '--json',
      '--timeout',
      '500',
    ]);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line.error).toMatchObject({
        name: 'HandlerTimeout',
        message: expect.stringMatching(/still running/),
      });
    expect(run.code).toBe(1);
  }, 120_000);
});
