import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';

// S3 shows an object only once it is whole. s3rver writes the file in place, so the front makes readers of a
// key wait while s3rver stores a body that has fully arrived.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal'] });
});
afterAll(async () => {
  await stack.stop();
});

/** The object's length, or -1 when there is none. */
async function lengthOf(key: string): Promise<number> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
    return (await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())
      .length;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return -1;
    throw error;
  }
}

describe('S3 harness: reads during a write', () => {
  it('never reads a prefix of an object being stored: none, or all of it', async () => {
    const size = 24 * 1024 * 1024;
    const body = Buffer.alloc(size, 0x61);
    for (const [index, conditional] of [false, true].entries()) {
      const key = `atomic/${index}`;
      let done = false;
      const write = stack.s3
        .send(
          new PutObjectCommand({
            Bucket: 'journal',
            Key: key,
            Body: body,
            ...(conditional ? { IfNoneMatch: '*' } : {}),
          }),
        )
        .finally(() => {
          done = true;
        });
      const seen: number[] = [];
      while (!done) seen.push(await lengthOf(key));
      await write;
      seen.push(await lengthOf(key));
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.filter((length) => length !== -1 && length !== size)).toEqual([]);
      expect(seen.at(-1)).toBe(size);
    }
  });
});
