import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ENV, run } from './backtest-helpers.js';

// Fault round 68 (F68-2): a backtest whose listing failed on a later page wrote the lines of the messages it had
// judged (fault round 67) but no summary, and `--report` was not written: a user who asked for a report of last
// month's journal got nothing for the part that was judged. A summary of that part is better than none, so long as it
// never passes for the whole journal's: it is now written, marked `partial` with the reason, and so is the report
// (its title says so); the exit code stays 1 and `--resume` goes on. An interrupted run (SIGINT) wrote a summary and
// a report that did not say they were of a part either: both are now marked too.
const BUCKET = 'acme-journal';
const KEYS = ['journal/m1', 'journal/m2', 'journal/m3'];
let stack: LocalStack;
let proxy: ScriptedProxy;
let dir: string;
const isList = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');
const XML = { 'content-type': 'application/xml' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-f68-2-'));
  stack = await startLocalStack({ buckets: [BUCKET] });
  for (const key of KEYS)
    await stack.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: `From: a@partner.example\r\nTo: b@corp.example\r\nSubject: ${key}\r\n\r\nhi\r\n`,
      }),
    );
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

const firstPage = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>journal/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>page-2</NextContinuationToken>${KEYS.map(
  (k) => `<Contents><Key>${k}</Key><Size>60</Size><StorageClass>STANDARD</StorageClass></Contents>`,
).join('')}</ListBucketResult>`;

describe('F68-2: a backtest whose listing fails on a later page', () => {
  it('writes a summary of the part judged, marked partial, and the report says so; exit 1', async () => {
    proxy.decide = (req) => {
      if (req.method !== 'GET' || !isList(req.url)) return { do: 'forward' };
      if (!/continuation-token=/.test(req.url ?? ''))
        return { do: 'answer', status: 200, headers: XML, body: firstPage };
      return {
        do: 'answer',
        status: 503,
        headers: XML,
        body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      };
    };
    const report = join(dir, 'report.html');
    const out = await run(
      ['backtest', `s3://${BUCKET}/journal/`, '--function', 'guard', ...ENV, '-j', '1', '--report', report],
      { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: '1' },
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `wmflow backtest: s3://${BUCKET}/journal/: SlowDown: Please reduce your request rate.; the listing stopped after 2 message(s) written: the summary is of those only (partial); rerun with --resume <this output> for the rest\n`,
    );
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; key?: string; messages?: number; partial?: string });
    expect(lines.filter((l) => l.type === 'message').map((l) => l.key)).toEqual(KEYS.slice(0, 2));
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      messages: 2,
      partial: 'the listing stopped: SlowDown: Please reduce your request rate.',
    });
    const html = await readFile(report, 'utf8');
    expect(html).toContain('Partial: the listing stopped: SlowDown: Please reduce your request rate.');
  }, 120_000);

  it('held: a run that lists the whole journal writes a summary with no partial mark', async () => {
    proxy.decide = () => ({ do: 'forward' });
    const report = join(dir, 'whole.html');
    const out = await run(
      ['backtest', `s3://${BUCKET}/journal/`, '--function', 'guard', ...ENV, '-j', '1', '--report', report],
      { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint },
    );
    expect(out.code).toBe(0);
    const last = JSON.parse(out.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(last).toMatchObject({ type: 'summary', messages: 3 });
    expect(last).not.toHaveProperty('partial');
    expect(await readFile(report, 'utf8')).not.toContain('Partial:');
  }, 120_000);
});
