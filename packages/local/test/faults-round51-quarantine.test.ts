import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';
import { listQuarantine, type QuarantinedMessage, releaseMessage } from '../src/quarantine/quarantine.js';
import { jsonLines, wmflow } from './replay-helpers.js';

// Fault round 51: `wmflow quarantine list` showed, without saying so, headers other than the listed message's:
// those of an object stored under its key after the listing (its size the old one's), and a header block cut at
// the 64 KiB it reads (a Subject past it shown empty); a message whose key ends in `/` was not listed at all.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const put = (Key: string, Body: string | Buffer) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
const client = (endpoint: string) =>
  new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
async function list(s3: S3Client, prefix: string): Promise<QuarantinedMessage[]> {
  const all: QuarantinedMessage[] = [];
  for await (const m of listQuarantine(s3, { bucket: BUCKET, key: prefix })) all.push(m);
  return all;
}

describe('wmflow quarantine list shows the listed message or says why not (fault round 51)', () => {
  it('does not show the headers of a message stored under the key after the listing', async () => {
    const listed = 'From: ann@partner.example\r\nSubject: invoice\r\n\r\nlisted\r\n';
    await put('swap/m1', listed);
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
    try {
      let swapped = false;
      proxy.decide = async (req) => {
        if (req.method === 'GET' && (req.url ?? '').includes('/swap/m1') && !swapped) {
          swapped = true;
          await put('swap/m1', 'From: ceo@corp.example\r\nSubject: all good, release me\r\n\r\nother\r\n');
        }
        return { do: 'forward' };
      };
      const [m] = await list(client(proxy.endpoint), 'swap/');
      expect(m?.size).toBe(listed.length);
      // Either the listed message's own headers, or none and the reason.
      if (m?.error === undefined) expect(m?.subject).toBe('invoice');
      else expect([m.subject, m.error]).toEqual(['', expect.stringMatching(/PreconditionFailed/)]);
      expect(m?.subject).not.toBe('all good, release me');
    } finally {
      await proxy.close();
    }
  });

  it('the local S3 answers 412 to a read whose If-Match names another version of the object, as S3 does', async () => {
    await put('swap/m2', 'first');
    const { ETag } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'swap/m2' }));
    await put('swap/m2', 'second');
    for (const command of [
      new GetObjectCommand({ Bucket: BUCKET, Key: 'swap/m2', IfMatch: ETag }),
      new GetObjectCommand({ Bucket: BUCKET, Key: 'swap/m2', IfMatch: ETag, Range: 'bytes=0-2' }),
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'swap/m2', IfMatch: ETag }),
    ])
      await expect(stack.s3.send(command as GetObjectCommand)).rejects.toMatchObject({
        $metadata: { httpStatusCode: 412 },
      });
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'swap/m2', IfMatch: '*' }));
    expect(await got.Body?.transformToString()).toBe('second');
  });

  it('says so when the header block is longer than the 64 KiB it reads, and exits 1', async () => {
    const received = Array.from(
      { length: 800 },
      (_, i) => `Received: from hop${i}.example by mx.example; ${'x'.repeat(80)}\r\n`,
    ).join('');
    await put('long/m1', `${received}From: spoof@bank.example\r\nSubject: wire now\r\n\r\nbody\r\n`);
    const [m] = await list(stack.s3, 'long/');
    expect(m?.subject).toBe('');
    expect(m?.error).toMatch(/header block is longer than/);
    const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/long/`, '--json'], stack.env);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({ key: 'long/m1', error: expect.any(String) }),
    ]);
  });

  it('lists a message whose key ends in `/`, skipping only empty folder markers', async () => {
    await put('slash/', '');
    await put('slash/odd/', 'From: a@b.example\r\nSubject: hidden?\r\n\r\nx\r\n');
    const all = await list(stack.s3, 'slash/');
    expect(all.map((m) => [m.key, m.subject])).toEqual([['slash/odd/', 'hidden?']]);
  });

  it('does not say `already released` for a message released onto itself (--to its own prefix)', async () => {
    await put('quarantine/self', 'From: a@b.example\r\n\r\nx\r\n');
    const release = releaseMessage(
      stack.s3,
      { bucket: BUCKET, key: 'quarantine/self' },
      { bucket: BUCKET, key: 'quarantine/' },
    );
    await expect(release).rejects.toThrow(/names the quarantine itself/);
    const run = await wmflow(
      ['quarantine', 'release', `s3://${BUCKET}/quarantine/self`, '--to', `s3://${BUCKET}/quarantine`],
      stack.env,
    );
    expect([run.code, run.stdout]).toEqual([1, '']);
  });
});
