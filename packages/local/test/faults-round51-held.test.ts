import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLine, wasBacktested } from '../src/backtest/pool.js';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';
import { releaseMessage } from '../src/quarantine/quarantine.js';

// Fault round 51, what held: release of keys with spaces, unicode, `%` and sub-delimiters, byte for byte and once;
// the AWS SDK's default checksums (PutObject SHA1/SHA256/CRC32, DeleteObjects, CopyObject, lib-storage multipart
// with CRC32) accepted; a wrong header checksum and one the local S3 cannot compute refused, nothing stored;
// --resume retries exactly the lines of messages that were not backtested.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
let sdk: S3Client;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  sdk = new S3Client({
    endpoint: stack.env.AWS_ENDPOINT_URL_S3,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_ACCESS_KEY_ID },
  });
});
afterAll(async () => {
  await stack.stop();
});
async function read(key: string): Promise<Buffer | string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch (error) {
    return (error as Error).name;
  }
}

describe('held in fault round 51', () => {
  it.each(['a b', 'ünï Ω', '100%', "q'(*)!", 'a%2Fb', '😀'])(
    'releases quarantine/%s byte for byte, says already released the second time, and never overwrites',
    async (name) => {
      const body = Buffer.from(`From: x@y.example\r\nSubject: ${name}\r\n\r\n\xe9 8-bit\r\n`, 'latin1');
      await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${name}`, Body: body }));
      const message = { bucket: BUCKET, key: `quarantine/${name}` };
      const to = { bucket: BUCKET, key: 'delivered/' };
      expect(await releaseMessage(stack.s3, message, to)).toEqual({
        from: `s3://${BUCKET}/quarantine/${name}`,
        to: `s3://${BUCKET}/delivered/${name}`,
        outcome: 'released',
      });
      expect(body.equals((await read(`delivered/${name}`)) as Buffer)).toBe(true);
      expect((await releaseMessage(stack.s3, message, to)).outcome).toBe('already released');
      await stack.s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: `quarantine/${name}`, Body: 'changed' }),
      );
      await expect(releaseMessage(stack.s3, message, to)).rejects.toThrow(/already holds another message/);
      expect(body.equals((await read(`delivered/${name}`)) as Buffer)).toBe(true);
    },
  );

  it('accepts the SDK default checksums: PutObject SHA1/SHA256/CRC32, CopyObject, DeleteObjects', async () => {
    for (const algorithm of ['SHA1', 'SHA256', 'CRC32'] as const)
      await sdk.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `sum/${algorithm}`,
          Body: algorithm,
          ChecksumAlgorithm: algorithm,
        }),
      );
    await sdk.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'sum/copy',
        CopySource: `${BUCKET}/sum/SHA1`,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    expect(String(await read('sum/copy'))).toBe('SHA1');
    await sdk.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'sum/SHA1' }, { Key: 'sum/copy' }] },
      }),
    );
    const left = await sdk.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'sum/' }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['sum/CRC32', 'sum/SHA256']);
  });

  it('refuses a wrong header checksum, and one it cannot compute (CRC32C), storing nothing', async () => {
    const wrong = sdk.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'sum/wrong',
        Body: 'hello',
        ChecksumSHA256: Buffer.alloc(32).toString('base64'),
      }),
    );
    await expect(wrong).rejects.toMatchObject({ name: 'BadDigest' });
    const c = sdk.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'sum/crc32c', Body: 'hello', ChecksumAlgorithm: 'CRC32C' }),
    );
    await expect(c).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect([await read('sum/wrong'), await read('sum/crc32c')]).toEqual(['NoSuchKey', 'NoSuchKey']);
  });

  it('stores a lib-storage multipart upload with CRC32 checksums byte for byte', async () => {
    const body = Buffer.alloc(11 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    await new Upload({
      client: sdk,
      params: { Bucket: BUCKET, Key: 'mp/lib', Body: body, ChecksumAlgorithm: 'CRC32' },
    }).done();
    expect(body.equals((await read('mp/lib')) as Buffer)).toBe(true);
  });

  it('--resume retries a line that was not backtested, and only that', () => {
    const failed = failedLine('journal/x', { name: 'NoSuchKey', message: 'gone' });
    expect(wasBacktested(failed)).toBe(false);
    expect(wasBacktested({ ...failed, candidate: { ...failed.candidate, label: 'guard-ses' } })).toBe(true);
  });
});
