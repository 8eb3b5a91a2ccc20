import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ENV, run } from './backtest-helpers.js';

// Fault round 67 (F67-3): `wmflow backtest s3://…` whose listing failed on a later page (SlowDown past the SDK's
// retries, a reset) ended the run with one line, exit 1, and threw away the messages of the pages before it that its
// workers had judged or were judging: their lines never written, so the output said nothing of messages the run had
// read. The messages handed out before the failure are now finished and written, in order, before the run fails.
// The last message of the page is not handed out (its `<key>.json` would be listed next, and the listing stopped
// before it could be seen): it has no line, and `--resume` judges it with the rest.
const BUCKET = 'acme-journal';
const KEYS = ['journal/m1', 'journal/m2', 'journal/m3'];
let stack: LocalStack;
let proxy: ScriptedProxy;
const isList = (url: string | undefined) => /[?&]list-type=2/.test(url ?? '');
const XML = { 'content-type': 'application/xml' };

beforeAll(async () => {
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
});

/** A first page naming the three messages, truncated; the next page refused with SlowDown. */
const firstPage = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>journal/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>page-2</NextContinuationToken>${KEYS.map(
  (k) => `<Contents><Key>${k}</Key><Size>60</Size><StorageClass>STANDARD</StorageClass></Contents>`,
).join('')}</ListBucketResult>`;

describe('F67-3: a backtest whose listing fails on a later page', () => {
  it.each(['1', '2'])(
    'writes the line of every message listed before the failure, then fails (-j %s)',
    async (jobs) => {
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
      const out = await run(
        ['backtest', `s3://${BUCKET}/journal/`, '--function', 'guard', ...ENV, '-j', jobs],
        {
          ...stack.env,
          AWS_ENDPOINT_URL_S3: proxy.endpoint,
          AWS_MAX_ATTEMPTS: '1',
        },
      );
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(
        `wmflow backtest: s3://${BUCKET}/journal/: SlowDown: Please reduce your request rate.; the listing stopped after 2 message(s) written: the summary is of those only (partial); rerun with --resume <this output> for the rest\n`,
      );
      const lines = out.stdout
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { type: string; key: string; candidate: { label: string } });
      // Each message handed out before the failure, once, in listing order, judged; then a summary of those only,
      // marked partial (fault round 68).
      const judged = lines.filter((l) => l.type === 'message');
      expect(judged.map((l) => l.key)).toEqual(KEYS.slice(0, 2));
      expect(judged.every((l) => l.candidate.label !== '')).toBe(true);
      expect(lines.at(-1)).toMatchObject({ type: 'summary', messages: 2, partial: expect.any(String) });
      // Resumed from that output once S3 lists again: the rest, and a summary of all three, none twice.
      const dir = await mkdtemp(join(tmpdir(), 'wmflow-f67-'));
      try {
        const earlier = join(dir, 'out.jsonl');
        await writeFile(earlier, out.stdout);
        proxy.decide = () => ({ do: 'forward' });
        const rest = await run(
          [
            'backtest',
            `s3://${BUCKET}/journal/`,
            '--function',
            'guard',
            ...ENV,
            '-j',
            jobs,
            '--resume',
            earlier,
          ],
          { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: '1' },
        );
        expect(rest.code).toBe(0);
        const next = rest.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string; key?: string; messages?: number; resumed?: number });
        expect(next.filter((l) => l.type === 'message').map((l) => l.key)).toEqual(KEYS.slice(2));
        expect(next.at(-1)).toMatchObject({ type: 'summary', messages: 3, resumed: 2 });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
