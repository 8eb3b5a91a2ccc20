import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, S3_ACCESS_KEY_ID, startLocalStack } from '../src/index.js';

// Fault round 51: the checksums S3 checks that the local S3 did not. A PUT whose Content-MD5 does not match its
// body was stored; a signed streaming (aws-chunked) body's x-amz-checksum-* header was not checked; and
// CompleteMultipartUpload's x-amz-checksum-* (the object's checksum) was checked against its XML body, so a valid
// full-object or composite checksum was refused (BadDigest) and a wrong one never checked against the parts.
const BUCKET = 'journal';
let stack: LocalStack;
let sdk: S3Client; // the SDK's defaults: checksums whenever supported
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
async function read(key: string): Promise<string> {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await (got.Body as { transformToString(): Promise<string> }).transformToString();
  } catch (error) {
    return (error as Error).name;
  }
}
const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('base64');
const crc = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum;
};

async function multipart(key: string, parts: Buffer[]) {
  const { UploadId } = await sdk.send(
    new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32' }),
  );
  const uploaded = [];
  for (const [i, Body] of parts.entries()) {
    const p = await sdk.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        PartNumber: i + 1,
        Body,
        ChecksumAlgorithm: 'CRC32',
      }),
    );
    uploaded.push({
      PartNumber: i + 1,
      ETag: p.ETag,
      ChecksumCRC32: p.ChecksumCRC32 ?? crc(Body).toString('base64'),
    });
  }
  return { UploadId, Parts: uploaded };
}

describe('checksums S3 checks (fault round 51)', () => {
  it('refuses a PUT whose Content-MD5 does not match its body, and stores one that does', async () => {
    const bad = stack.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'md5/bad', Body: 'hello', ContentMD5: md5('hellO') }),
    );
    await expect(bad).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await read('md5/bad')).toBe('NoSuchKey');
    await sdk.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'md5/good', Body: 'hello', ContentMD5: md5('hello') }),
    );
    expect(await read('md5/good')).toBe('hello');
  });

  it('checks the x-amz-checksum-* header and Content-MD5 of a signed streaming (aws-chunked) body', async () => {
    const put = (key: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const signature = `;chunk-signature=${'0'.repeat(64)}`;
        const body = `5${signature}\r\nhello\r\n0${signature}\r\n\r\n`;
        const req = request(`${stack.env.AWS_ENDPOINT_URL_S3}/${BUCKET}/${key}`, {
          method: 'PUT',
          headers: {
            'content-encoding': 'aws-chunked',
            'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
            'x-amz-decoded-content-length': '5',
            'content-length': String(body.length),
            ...headers,
          },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    const wrongSha = createHash('sha256').update('hellO').digest('base64');
    expect(await put('chunked/sha', { 'x-amz-checksum-sha256': wrongSha })).toBe(400);
    expect(await read('chunked/sha')).toBe('NoSuchKey');
    expect(await put('chunked/md5', { 'content-md5': md5('hellO') })).toBe(400);
    expect(await read('chunked/md5')).toBe('NoSuchKey');
    const rightSha = createHash('sha256').update('hello').digest('base64');
    expect(await put('chunked/ok', { 'x-amz-checksum-sha256': rightSha, 'content-md5': md5('hello') })).toBe(
      200,
    );
    expect(await read('chunked/ok')).toBe('hello');
  });

  it('completes a multipart upload with its full-object CRC32, and refuses a wrong one', async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('tail')];
    const whole = crc(Buffer.concat(parts)).toString('base64');
    const good = await multipart('mp/full', parts);
    await sdk.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'mp/full',
        UploadId: good.UploadId,
        ChecksumCRC32: whole,
        ChecksumType: 'FULL_OBJECT',
        MultipartUpload: { Parts: good.Parts },
      }),
    );
    expect((await read('mp/full')).length).toBe(5 * 1024 * 1024 + 4);
    const bad = await multipart('mp/full-bad', parts);
    const complete = sdk.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'mp/full-bad',
        UploadId: bad.UploadId,
        ChecksumCRC32: crc(Buffer.from('other')).toString('base64'),
        ChecksumType: 'FULL_OBJECT',
        MultipartUpload: { Parts: bad.Parts },
      }),
    );
    await expect(complete).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await read('mp/full-bad')).toBe('NoSuchKey');
  });

  it("completes a multipart upload with its composite CRC32 (checksum of the parts' checksums)", async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'b'), Buffer.from('end')];
    const composite = `${crc(Buffer.concat(parts.map(crc))).toString('base64')}-2`;
    const { UploadId, Parts } = await multipart('mp/composite', parts);
    await sdk.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'mp/composite',
        UploadId,
        ChecksumCRC32: composite,
        MultipartUpload: { Parts },
      }),
    );
    expect((await read('mp/composite')).length).toBe(5 * 1024 * 1024 + 3);
  });
});
