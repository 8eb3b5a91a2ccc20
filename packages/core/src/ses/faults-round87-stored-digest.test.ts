import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { statedMd5 } from '../s3/stated-md5.js';
import { checkStoredDigest } from './stored-digest.js';

// Fault round 87 (F87-2): which ETags state the MD5 of the stored bytes, and the check at the end of a read.
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const bytes = Buffer.from('From: a@b.example\r\n\r\n'.repeat(5000));
const chunks = (b: Buffer) =>
  Readable.from([b.subarray(0, 40_000), b.subarray(40_000)], { objectMode: false });
const drain = async (s: Readable): Promise<Buffer | Error> => {
  const out: Buffer[] = [];
  try {
    for await (const c of s) out.push(c as Buffer);
  } catch (error) {
    return error as Error;
  }
  return Buffer.concat(out);
};

describe('statedMd5 (fault round 87)', () => {
  const etag = `"${md5(bytes)}"`;
  it('an object stored in one piece, plain or SSE-S3: its ETag is the MD5', () => {
    expect(statedMd5('mail', { ETag: etag })).toBe(md5(bytes));
    expect(statedMd5('mail', { ETag: etag.toUpperCase(), ServerSideEncryption: 'AES256' })).toBe(md5(bytes));
  });
  it('multipart, SSE-KMS, DSSE, SSE-C, a directory bucket, no ETag: nothing stated', () => {
    expect(statedMd5('mail', { ETag: `"${md5(bytes)}-2"` })).toBeUndefined();
    expect(statedMd5('mail', { ETag: etag, ServerSideEncryption: 'aws:kms' })).toBeUndefined();
    expect(statedMd5('mail', { ETag: etag, ServerSideEncryption: 'aws:kms:dsse' })).toBeUndefined();
    expect(statedMd5('mail', { ETag: etag, SSECustomerAlgorithm: 'AES256' })).toBeUndefined();
    expect(statedMd5('mail--use1-az4--x-s3', { ETag: etag })).toBeUndefined();
    expect(statedMd5('mail', {})).toBeUndefined();
  });
});

describe('checkStoredDigest (fault round 87)', () => {
  it('the whole object passes on byte for byte', async () => {
    const read = await drain(checkStoredDigest(chunks(bytes), md5(bytes), 's3://m/k'));
    expect(Buffer.isBuffer(read) && read.equals(bytes)).toBe(true);
  });
  it('a cut read fails at its end, its last chunk never passed on', async () => {
    const cut = bytes.subarray(0, 90_000);
    const seen: Buffer[] = [];
    const checked = checkStoredDigest(chunks(cut), md5(bytes), 's3://m/k');
    checked.on('data', (c: Buffer) => seen.push(c));
    const error = await new Promise<Error>((resolve) => checked.on('error', resolve));
    expect(error.message).toMatch(/not the object as stored/);
    expect(Buffer.concat(seen).length).toBeLessThan(cut.length);
  });
  it('a reader that stops early (a header read) is not failed', async () => {
    const checked = checkStoredDigest(chunks(bytes), md5(bytes), 's3://m/k');
    for await (const _ of checked) break;
    expect(checked.destroyed).toBe(true);
  });
});
