import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';

// Fault round 51: S3 keeps every key as it is; the local S3's file store joined a key's segments as a file path,
// so `q/x/../y` and `q//y` were stored over `q/y`, a read of them answered `q/y`'s bytes, and `../other/k`
// wrote into another bucket. Such a key is now refused (400), never stored or read as another.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['inbound', 'other'] });
});
afterAll(async () => {
  await stack.stop();
});
const put = (Bucket: string, Key: string, Body: string) =>
  stack.s3.send(new PutObjectCommand({ Bucket, Key, Body }));
async function read(Bucket: string, Key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket, Key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}
const keys = async (Bucket: string) =>
  ((await stack.s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((c) => c.Key);

describe('keys with ".", ".." or empty segments (fault round 51)', () => {
  it.each(['q/x/../y', 'q/./y', 'q//y', 'q/z/..'])(
    'never stores %s over q/y, nor reads q/y for it',
    async (key) => {
      await put('inbound', 'q/y', 'the delivered message');
      const write = await put('inbound', key, 'another message').then(
        () => 'stored',
        (error: Error) => error.name,
      );
      expect(await read('inbound', 'q/y')).toBe('the delivered message');
      if (write === 'stored') expect(await read('inbound', key)).toBe('another message');
      else expect(await read('inbound', key)).not.toBe('the delivered message');
    },
  );

  it('never writes into another bucket for a key that begins with ../', async () => {
    const write = await put('inbound', '../other/stolen', 'x').then(
      () => 'stored',
      (error: Error) => error.name,
    );
    expect(await keys('other')).toEqual([]);
    if (write === 'stored') expect(await read('inbound', '../other/stolen')).toBe('x');
  });
});
