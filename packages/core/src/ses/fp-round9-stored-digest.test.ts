import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { statedMd5 } from '../s3/stated-md5.js';
import { checkStoredDigest } from './stored-digest.js';

// False-positive round 9 (fault round 87 checks the stored message against the MD5 its ETag states): the answers S3
// gives for ordinary objects are taken whole, and only a one-piece, unencrypted or SSE-S3 object's ETag is taken for
// its MD5.
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const read = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('FP9-4: stored answers taken whole', () => {
  it('an empty object (its ETag the MD5 of nothing) reads as empty', async () => {
    const body = Object.assign(Readable.from([]), { contentLength: 0 });
    expect((await read(checkStoredDigest(body, md5(Buffer.alloc(0)), 's3://b/k'))).length).toBe(0);
  });

  it('a message in hundreds of chunks of many sizes reads whole, its length kept', async () => {
    const bytes = Buffer.from('Subject: hi\r\n\r\n'.padEnd(300_000, 'x'));
    const chunks: Buffer[] = [];
    for (let at = 0, n = 1; at < bytes.length; at += n, n = (n * 7) % 997 || 1)
      chunks.push(bytes.subarray(at, at + n));
    const body = Object.assign(Readable.from(chunks), { contentLength: bytes.length });
    const checked = checkStoredDigest(body, md5(bytes), 's3://b/k');
    expect(checked.contentLength).toBe(bytes.length);
    expect((await read(checked)).equals(bytes)).toBe(true);
  });

  it.each([
    ['SSE-KMS', { ETag: `"${'a'.repeat(32)}"`, ServerSideEncryption: 'aws:kms' }],
    ['DSSE-KMS', { ETag: `"${'a'.repeat(32)}"`, ServerSideEncryption: 'aws:kms:dsse' }],
    ['SSE-C', { ETag: `"${'a'.repeat(32)}"`, SSECustomerAlgorithm: 'AES256' }],
    ['stored in parts', { ETag: `"${'a'.repeat(32)}-2"` }],
    ['no ETag', {}],
  ])('%s: no MD5 stated, nothing checked', (_kind, facts) => {
    expect(statedMd5('mail', facts)).toBeUndefined();
  });

  it('a directory bucket: nothing checked', () => {
    expect(statedMd5('mail--use1-az4--x-s3', { ETag: `"${'a'.repeat(32)}"` })).toBeUndefined();
  });

  it('SSE-S3 or none, quoted or not, upper case: the MD5 in lower case', () => {
    const upper = 'ABCDEF0123456789ABCDEF0123456789';
    expect(statedMd5('mail', { ETag: `"${upper}"`, ServerSideEncryption: 'AES256' })).toBe(
      upper.toLowerCase(),
    );
    expect(statedMd5('mail', { ETag: upper })).toBe(upper.toLowerCase());
  });
});
