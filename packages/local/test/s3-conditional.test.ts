import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal'] });
});
afterAll(async () => {
  await stack.stop();
});

const status = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
async function read(key: string): Promise<string> {
  const got = await stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
  return (got.Body as { transformToString(): Promise<string> }).transformToString();
}
const put = (key: string, body: string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key: key, Body: body, IfNoneMatch: '*' }));

describe('S3 harness: conditional writes', () => {
  it('answers If-None-Match: * on PutObject with 412 when the key exists, and keeps the first copy', async () => {
    await put('c/one', 'first');
    const error = await put('c/one', 'second').catch((e: unknown) => e);
    expect(status(error)).toBe(412);
    expect((error as Error).name).toBe('PreconditionFailed');
    expect(await read('c/one')).toBe('first');
  });

  it('finds an existing key whatever characters it holds (the check reads the store, decoded as s3rver does)', async () => {
    for (const key of ['c/a b+c%20/ü €.eml', 'c/x=y&z?w#v', "c/'quoted' (1)~*.json"]) {
      await put(key, 'first');
      expect(status(await put(key, 'second').catch((e: unknown) => e))).toBe(412);
      expect(await read(key)).toBe('first');
    }
    await put('c/a b+c%20/other', 'a sibling is another key');
    expect(await read('c/a b+c%20/other')).toBe('a sibling is another key');
  });

  it('lets exactly one of concurrent conditional writers win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => put('c/race', `writer ${i}`)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => status(r.reason))).toEqual(
      Array(9).fill(412),
    );
  });

  it('answers If-None-Match: * on CompleteMultipartUpload with 412, and AbortMultipartUpload with 204', async () => {
    await put('c/multi', 'already here');
    const { UploadId } = await stack.s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'journal', Key: 'c/multi' }),
    );
    const part = await stack.s3.send(
      new UploadPartCommand({
        Bucket: 'journal',
        Key: 'c/multi',
        UploadId,
        PartNumber: 1,
        Body: 'late copy',
      }),
    );
    const complete = new CompleteMultipartUploadCommand({
      Bucket: 'journal',
      Key: 'c/multi',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      IfNoneMatch: '*',
    });
    expect(status(await stack.s3.send(complete).catch((e: unknown) => e))).toBe(412);
    expect(await read('c/multi')).toBe('already here');
    const aborted = await stack.s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'journal', Key: 'c/multi', UploadId }),
    );
    expect(aborted.$metadata.httpStatusCode).toBe(204);
  });

  it('stores nothing for a PutObject whose body is cut short, as S3 does', async () => {
    for (const IfNoneMatch of [undefined, '*']) {
      const key = `c/cut-${IfNoneMatch ? 'conditional' : 'plain'}`;
      const controller = new AbortController();
      const body = new Readable({ read() {} });
      body.push(Buffer.alloc(64 * 1024, 'a'));
      setTimeout(() => controller.abort(), 200); // half of the announced bytes sent, then the client goes
      const put = new PutObjectCommand({
        Bucket: 'journal',
        Key: key,
        Body: body,
        ContentLength: 128 * 1024,
        IfNoneMatch,
      });
      const error = await stack.s3.send(put, { abortSignal: controller.signal }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('AbortError');
      await new Promise((resolve) => setTimeout(resolve, 200)); // the server's side of the cut
      const got = await stack.s3
        .send(new GetObjectCommand({ Bucket: 'journal', Key: key }))
        .catch((e: unknown) => e);
      expect((got as Error).name, key).toBe('NoSuchKey');
    }
  });
});
