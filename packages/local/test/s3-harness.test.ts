import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { decodeAwsChunked } from '../src/s3/aws-chunked.js';
import { defaultS3Client, failure } from './helpers.js';

let stack: LocalStack;
let folder: string;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['journal'] });
  folder = await mkdtemp(join(tmpdir(), 'wmflow-s3-test-'));
});
afterAll(async () => {
  await stack.stop();
  await rm(folder, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readBack(client: S3Client, key: string): Promise<Buffer> {
  const object = await client.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
  return Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

describe('S3 harness (s3rver behind the wmflow front)', () => {
  it('stores a streamed PutObject byte for byte with the SDK defaults (aws-chunked + CRC32 trailer)', async () => {
    const bytes = randomBytes(300_000);
    const client = defaultS3Client(stack);
    await client.send(
      new PutObjectCommand({
        Bucket: 'journal',
        Key: 'streamed',
        Body: Readable.from([bytes]),
        ContentLength: bytes.length,
      }),
    );
    expect(sha256(await readBack(client, 'streamed'))).toBe(sha256(bytes));
  });

  it('stores the same bytes with WHEN_REQUIRED checksums (the env the harness hands out)', async () => {
    const bytes = randomBytes(70_000);
    await stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key: 'when-required', Body: bytes }));
    expect(sha256(await readBack(stack.s3, 'when-required'))).toBe(sha256(bytes));
  });

  it('round-trips a 25 MB multipart upload streamed from a file with lib-storage, default client', async () => {
    const path = join(folder, 'big.bin');
    const bytes = randomBytes(25 * 1024 * 1024);
    await writeFile(path, bytes);
    const upload = new Upload({
      client: defaultS3Client(stack),
      params: { Bucket: 'journal', Key: 'multipart/big', Body: createReadStream(path) },
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
    expect(sha256(await readBack(stack.s3, 'multipart/big'))).toBe(sha256(bytes));
  });

  it('lists a bucket across ListObjectsV2 pages without NODE_OPTIONS', async () => {
    const keys = ['page/a', 'page/b', 'page/c', 'page/d', 'page/e'];
    for (const key of keys)
      await stack.s3.send(new PutObjectCommand({ Bucket: 'journal', Key: key, Body: key }));
    expect((await stack.listObjects('journal', 'page/')).map((o) => o.key)).toEqual(keys);
    expect(await stack.listObjects('journal', 'page/a')).toEqual([{ key: 'page/a', size: 6 }]);
  });

  it('rejects aws-chunked framing it cannot decode instead of storing it', async () => {
    const decoded = await decodeAwsChunked([
      Buffer.from('3\r\nab'),
      Buffer.from('c\r'),
      Buffer.from('\n0\r\n\r\n'),
    ]);
    expect({ ...decoded, body: Buffer.concat(decoded.body).toString() }).toEqual({
      body: 'abc',
      length: 3,
      trailers: {},
    });
    // Two data chunks under one CRC32 trailer, cut at every byte: the checksum runs across the pieces.
    const data = Buffer.from('hello, aws-chunked world');
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc32(data));
    const framed = Buffer.from(
      `5\r\n${data.subarray(0, 5)}\r\n13\r\n${data.subarray(5)}\r\n0\r\nx-amz-checksum-crc32:${sum.toString('base64')}\r\n\r\n`,
    );
    for (let cut = 1; cut < framed.length; cut++) {
      const pieces = [framed.subarray(0, cut), framed.subarray(cut)];
      const { body, length } = await decodeAwsChunked(pieces);
      expect([Buffer.concat(body).toString(), length]).toEqual([data.toString(), data.length]);
    }
    const tampered = Buffer.from(framed);
    tampered[3] = 'H'.charCodeAt(0);
    await expect(decodeAwsChunked([tampered])).rejects.toThrow(/does not match/);
    await expect(decodeAwsChunked([Buffer.from('zz\r\nabc')])).rejects.toThrow(/bad aws-chunked size line/);
    await expect(
      decodeAwsChunked([Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')]),
    ).rejects.toThrow(/does not match/);
    const response = await fetch(`${stack.env.AWS_ENDPOINT_URL_S3}/journal/bad`, {
      method: 'PUT',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      },
      body: '5\r\nab',
    });
    expect(response.status).toBe(400);
    expect((await failure(readBack(stack.s3, 'bad'))).name).toBe('NoSuchKey');
  });
});
