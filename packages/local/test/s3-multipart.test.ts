import { createHash, randomBytes } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { MiB, multipart, sha } from './multipart-helpers.js';

let stack: LocalStack;
let steps: ReturnType<typeof multipart>;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['parts'] });
  steps = multipart(stack, 'parts');
});
afterAll(async () => {
  await stack.stop();
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();
const upload = (key: string, parts: Buffer[]) => steps.upload(key, parts);
const complete = (key: string, uploadId: string, parts: { PartNumber: number; ETag: string }[]) =>
  steps.complete(key, uploadId, parts);
const read = (key: string) => steps.read(key);

describe('S3 harness: CompleteMultipartUpload', () => {
  it('joins the parts byte for byte and answers S3’s multipart ETag (MD5 of the part MD5s, dash, count)', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB + 17), randomBytes(1234)];
    const { uploadId, etags } = await upload('joined', parts);
    const done = await complete(
      'joined',
      uploadId,
      etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
    );
    const expected = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    expect(done.ETag).toBe(expected);
    expect(await read('joined')).toBe(sha(Buffer.concat(parts)));
    const head = await stack.s3.send(new HeadObjectCommand({ Bucket: 'parts', Key: 'joined' }));
    expect([head.ETag, head.ContentLength]).toEqual([expected, 10 * MiB + 17 + 1234]);
  });

  it('refuses a part whose ETag does not match, or parts out of order, and stores nothing', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(100)];
    const { uploadId, etags } = await upload('refused', parts);
    const wrong = await complete('refused', uploadId, [
      { PartNumber: 1, ETag: etags[0] as string },
      { PartNumber: 2, ETag: '"00000000000000000000000000000000"' },
    ]).catch((e: unknown) => e);
    expect((wrong as Error).name).toBe('InvalidPart');
    const unordered = await complete('refused', uploadId, [
      { PartNumber: 2, ETag: etags[1] as string },
      { PartNumber: 1, ETag: etags[0] as string },
    ]).catch((e: unknown) => e);
    expect((unordered as Error).name).toBe('InvalidPartOrder');
    expect(await read('refused')).toBe('NoSuchKey');
    // The upload is still open after a refusal: the right list completes it.
    await complete(
      'refused',
      uploadId,
      etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })),
    );
    expect(await read('refused')).toBe(sha(Buffer.concat(parts)));
  });
});
