import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { openSource } from '../src/backtest/source.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ROOT } from './backtest-helpers.js';

// Fault round 85 (F85-1): a copy without metadata is judged as a message journaled without it unless journalToS3 wrote a
// `<key>.repaired-…` copy beside it (fault round 75: the object under the key is then not the message). The S3 source
// asks S3 for those with one ListObjectsV2 of `<key>.repaired-`, and took whatever 200 came back as that listing: an
// empty or garbled body from something in between (no IsTruncated, no KeyCount: not S3's listing, fault rounds 44
// and 45) read as "no repaired copy", and the object the journal had refused as the message was judged as it. Now
// that answer fails the fetch (the message's line says why); a real listing with no repair still judges the copy.
const BUCKET = 'acme-journal';
const DAY = 'journal/inbound/2026/12/07';
const KEY = `${DAY}/r85-repaired-0001`;
const PLAIN = `${DAY}/r85-plain-0002`;
const XML = { 'content-type': 'application/xml' };
let stack: LocalStack;
let proxy: ScriptedProxy;
let s3: S3Client;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const isRepairListing = (url: string | undefined) =>
  /[?&]list-type=2/.test(url ?? '') && decodeURIComponent(url ?? '').includes('.repaired-');

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  const message = await readFile(join(ROOT, 'samples/eml/02-html-newsletter.eml'));
  const found = await readFile(join(ROOT, 'samples/eml/05-ceo-impersonation.eml'));
  const repaired = `${KEY}.repaired-${sha(message).slice(0, 16)}`;
  const put = (Key: string, Body: Buffer | string) =>
    stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put(KEY, found);
  await put(repaired, message);
  await put(
    `${repaired}.json`,
    JSON.stringify({
      key: repaired,
      messageId: 'r85-repaired-0001',
      invocationId: 'inv-r85',
      direction: 'INBOUND',
      synchronous: true,
      envelope: { mailFrom: 'news@partner.example', recipients: ['alice@corp.example'] },
      verdictsSoFar: {},
      rulesFiredSoFar: [],
      sha256: sha(message),
      size: message.length,
      journaledAt: '2026-12-07T09:00:00.000Z',
      repairs: { key: KEY, storedSha256: sha(found), storedSize: found.length },
    }),
  );
  await put(PLAIN, message);
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
  s3 = new S3Client({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await proxy?.close();
  await stack?.stop();
});

/** Fetches `key` from the S3 source (through the proxy); the error's message, or 'judged'. */
async function fetched(key: string): Promise<string> {
  const source = await openSource(`s3://${BUCKET}/journal/`, { s3 });
  try {
    const item = await source.fetch(key);
    await source.release(item);
    return 'judged';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await source.close();
  }
}

describe('F85-1: the listing of a copy’s repairs answered by something that is no listing', () => {
  it.each([
    ['an empty 200', ''],
    [
      'a 200 with no IsTruncated nor KeyCount',
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>acme-journal</Name></ListBucketResult>',
    ],
  ])(
    '%s: the object the journal refused is not judged as the message',
    async (_what, body) => {
      proxy.decide = (req) =>
        req.method === 'GET' && isRepairListing(req.url)
          ? { do: 'answer', status: 200, headers: XML, body }
          : { do: 'forward' };
      expect(await fetched(KEY)).toMatch(/not a ListObjectsV2 result/);
    },
    60_000,
  );

  it('held: S3’s own listing: the key with a repair beside it is refused, a plain one judged', async () => {
    proxy.decide = () => ({ do: 'forward' });
    expect(await fetched(KEY)).toMatch(/not judged/);
    expect(await fetched(PLAIN)).toBe('judged');
  }, 60_000);
});
