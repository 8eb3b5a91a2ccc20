import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

// Fault round 40 (second injector; F40-9, a copy read cut with no metadata, left open in docs/threat-model.md): `wmflow backtest s3://…` reading last month's journal through answers that
// look whole and are not. The journal's source lists the prefix page by page and downloads each copy; the
// local run and the Step Functions batch Lambda (batch.ts) share it.
let stack: LocalStack;
let proxy: ScriptedProxy;
let s3: S3Client;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal'] });
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
  s3 = new S3Client({
    endpoint: proxy.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID as string,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY as string,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});
beforeEach(() => {
  proxy.decide = () => ({ do: 'forward' });
});

const MESSAGE = Buffer.from(
  `From: a@x.example\r\nTo: b@corp.example\r\nSubject: invoice\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n${'see the attached file\r\n'.repeat(200)}`,
);

async function put(prefix: string, names: string[]) {
  for (const name of names)
    await stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key: `${prefix}${name}`, Body: MESSAGE }));
}

// A ListObjectsV2 page that says more follows (IsTruncated) but gives no NextContinuationToken: S3 never answers so
// (a truncated page always carries its token), so the listing cannot go on, and must not end as if it had. Today the
// loop takes the missing token for the end: two of five messages are backtested, the summary counts them as the
// whole journal, and the exit code is 0.
describe('F40-8: a listing page that is truncated but names no continuation', () => {
  it('the source fails the listing rather than ending it after the first page', async () => {
    await put('f40-8/', ['m0', 'm1', 'm2', 'm3', 'm4']);
    const page = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>journal</Name><Prefix>f40-8/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><Contents><Key>f40-8/m0</Key><Size>${MESSAGE.length}</Size></Contents><Contents><Key>f40-8/m1</Key><Size>${MESSAGE.length}</Size></Contents></ListBucketResult>`;
    proxy.decide = (req) =>
      req.method === 'GET' && /[?&]list-type=2/.test(req.url ?? '')
        ? { do: 'answer', status: 200, headers: { 'content-type': 'application/xml' }, body: page }
        : { do: 'forward' };
    const source = await openSource('s3://journal/f40-8/', { s3 });
    const listed: string[] = [];
    let failure: string | undefined;
    try {
      for await (const key of source.list()) listed.push(key);
    } catch (error) {
      failure = (error as Error).message;
    } finally {
      await source.close();
    }
    // Expected: the listing fails (the run is not complete), or it lists every message.
    expect({ listed: listed.length, failed: failure !== undefined }).not.toEqual({
      listed: 2,
      failed: false,
    });
  });
});
