import { createHash } from 'node:crypto';
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { MessageReadError } from '../message/read-error.js';

/** What S3 says of a stored object that tells whether its ETag is the MD5 of its bytes. */
export interface StoredObjectFacts {
  ETag?: string;
  ServerSideEncryption?: string;
  SSECustomerAlgorithm?: string;
}

/**
 * The MD5 (lowercase hex) an object's ETag states, or undefined when the ETag is no MD5 of the bytes: S3's ETag of an
 * object stored in one piece (PutObject, as SES's S3 action stores mail), unencrypted or under SSE-S3, is the MD5 of
 * its bytes; a multipart object's has a dash, and one under SSE-KMS, DSSE-KMS or SSE-C, or in a directory bucket
 * (`--x-s3`), is no digest of them.
 *
 * @example
 * ```ts
 * statedMd5('mail', { ETag: '"9e107d9d372bb6826bd81d3542a419d6"', ServerSideEncryption: 'AES256' }); // '9e107d9d…'
 * statedMd5('mail', { ETag: '"9e107d9d372bb6826bd81d3542a419d6-3"' }); // undefined: a multipart object
 * ```
 */
export function statedMd5(bucket: string, facts: StoredObjectFacts): string | undefined {
  const md5 = /^"?([0-9a-fA-F]{32})"?$/.exec(facts.ETag ?? '')?.[1];
  if (md5 === undefined || bucket.endsWith('--x-s3')) return undefined;
  if (facts.SSECustomerAlgorithm) return undefined;
  const sse = (facts.ServerSideEncryption ?? '').toLowerCase();
  if (sse !== '' && sse !== 'aes256') return undefined;
  return md5.toLowerCase();
}

/**
 * `body` as read, checked at its end against the MD5 its ETag states (see {@link statedMd5}): bytes that are not the
 * object (an answer cut short with its Content-Length cut to match, fault round 87) fail the stream, a
 * {@link MessageReadError} `short`, at its end, its last chunk held back until then, so the reader never has them whole. A reader that stops early
 * (a header read) checks nothing. The body's `contentLength` is kept.
 *
 * @example
 * ```ts
 * const checked = checkStoredDigest(body, '9e107d9d372bb6826bd81d3542a419d6', 's3://mail/inbound/abc');
 * ```
 */
export function checkStoredDigest<T extends Readable & { contentLength?: number }>(
  body: T,
  md5: string,
  what: string,
): Readable & { contentLength?: number } {
  const hash = createHash('md5');
  let read = 0;
  // The last chunk is passed on only once the digest is checked: a reader (the journal's upload, its length the
  // answer's) never gets every byte it was promised of bytes that are not the object, so nothing stores them.
  let last: Buffer | undefined;
  const checker = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      hash.update(chunk);
      read += chunk.length;
      const previous = last;
      last = chunk;
      done(null, previous);
    },
    flush(done: TransformCallback) {
      const got = hash.digest('hex');
      if (got === md5) return done(null, last);
      done(
        new MessageReadError(
          'short',
          `${what} answered ${read} bytes whose MD5 is not the one its ETag states (${md5}): not the object as stored` +
            ' (or an object under SSE-KMS, DSSE-KMS or SSE-C whose answer lost its x-amz-server-side-encryption header)',
        ),
      );
    },
  });
  pipeline(body, checker, () => {});
  return Object.assign(checker, { contentLength: body.contentLength });
}
