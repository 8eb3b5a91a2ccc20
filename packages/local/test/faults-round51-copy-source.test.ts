import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';
import { releaseMessage } from '../src/quarantine/quarantine.js';

// Fault round 51: CopyObject's source as S3 reads it. s3rver read x-amz-copy-source with decodeURI, which leaves
// %2B, %3F, %23, %26 encoded: a key with `+`, `?`, `#` or `&` could not be copied (NoSuchKey), and the copy of
// `a+b` took the object literally named `a%2Bb`. It ignored x-amz-copy-source-if-match, so `quarantine release`
// copied a source replaced since it was read and said `released`.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});
const put = (Key: string, Body: string) => stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
async function read(key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}
const copySource = (key: string) => `${BUCKET}/${encodeURIComponent(key).replaceAll('%2F', '/')}`;

describe('CopyObject source keys and conditions (fault round 51)', () => {
  it.each(['q/a+b', 'q/a?b#c', 'q/a&b<c', 'q/x=1;y@z,$'])('copies %s, byte for byte', async (key) => {
    await put(key, `the message ${key}`);
    await stack.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: `copied/${key}`, CopySource: copySource(key) }),
    );
    expect(await read(`copied/${key}`)).toBe(`the message ${key}`);
  });

  it('copies `a+b`, not the object literally named `a%2Bb`', async () => {
    await put('p/a+b', 'plus');
    await put('p/a%2Bb', 'percent');
    await stack.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copied/plus', CopySource: copySource('p/a+b') }),
    );
    expect(await read('copied/plus')).toBe('plus');
    await stack.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copied/percent', CopySource: copySource('p/a%2Bb') }),
    );
    expect(await read('copied/percent')).toBe('percent');
  });

  it('refuses a copy whose source ETag no longer matches (412), storing nothing', async () => {
    await put('c/src', 'reviewed');
    const { ETag } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'c/src' }));
    await put('c/src', 'replaced');
    const copy = stack.s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'c/dst',
        CopySource: copySource('c/src'),
        CopySourceIfMatch: ETag,
      }),
    );
    await expect(copy).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    expect(await read('c/dst')).toBe('NoSuchKey');
    const { ETag: now } = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'c/src' }));
    await stack.s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'c/dst',
        CopySource: copySource('c/src'),
        CopySourceIfMatch: now,
        CopySourceIfNoneMatch: ETag,
      }),
    );
    expect(await read('c/dst')).toBe('replaced');
  });

  it('releases a quarantined message whose key has a `+`, byte for byte', async () => {
    await put('quarantine/abc+def', 'From: a@b.example\r\n\r\nplus\r\n');
    const done = await releaseMessage(
      stack.s3,
      { bucket: BUCKET, key: 'quarantine/abc+def' },
      { bucket: BUCKET, key: 'delivered/' },
    );
    expect(done.outcome).toBe('released');
    expect(await read('delivered/abc+def')).toBe('From: a@b.example\r\n\r\nplus\r\n');
  });

  it('does not release a message replaced between its read and its copy', async () => {
    await put('quarantine/swap', 'From: a@b.example\r\n\r\nreviewed\r\n');
    const proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3);
    try {
      proxy.decide = async (req) => {
        if (req.method === 'PUT' && req.headers['x-amz-copy-source'])
          await put('quarantine/swap', 'From: evil@x.example\r\n\r\nswapped\r\n');
        return { do: 'forward' };
      };
      const client = new S3Client({
        endpoint: proxy.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
      });
      const release = releaseMessage(
        client,
        { bucket: BUCKET, key: 'quarantine/swap' },
        { bucket: BUCKET, key: 'delivered/' },
      );
      // S3's 412, said as what happened (fault round 59 words it: the source changed while it was released).
      await expect(release).rejects.toMatchObject({
        name: 'LocalStackError',
        message: expect.stringMatching(/changed while it was being released .*not released/),
        cause: { name: 'PreconditionFailed' },
      });
      expect(await read('delivered/swap')).toBe('NoSuchKey');
    } finally {
      await proxy.close();
    }
  });
});
