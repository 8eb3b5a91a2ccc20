import { TransientError } from '../transient.js';

// Engine-neutral: S3's answers about an object it stores, read by the uploads (fault round 88) and SES's stored-message
// reads (fault round 87).
/** What S3 says of a stored object that tells whether its ETag is the MD5 of its bytes. */
export interface StoredObjectFacts {
  // `| undefined`: the SDK's outputs type their fields so, and a project under exactOptionalPropertyTypes passes them
  // as they are (newcomer round 10).
  ETag?: string | undefined;
  ServerSideEncryption?: string | undefined;
  SSECustomerAlgorithm?: string | undefined;
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
 * `answer`, when its ETag states no MD5 (see {@link statedMd5}) or the MD5 of the bytes sent, which `sent` gives
 * (lowercase hex, asked only when the ETag states one); else a {@link TransientError}: S3 answered 200 having stored
 * other bytes, a body cut on its way with its Content-Length (unsigned, as SigV4 leaves a body over 64 KiB), which a
 * later GetObject would read as the object (fault round 88). For uploads S3 does not verify against a checksum of the
 * SDK's (`storeVerifiesUpload`).
 *
 * @example
 * ```ts
 * requireStoredAsSent(await s3.send(put), 'journal', () => md5.digest('hex'), body.length, 'PutObject s3://journal/k');
 * ```
 */
export function requireStoredAsSent<T extends StoredObjectFacts>(
  answer: T,
  bucket: string,
  sent: () => string,
  size: number,
  what: string,
): T {
  const stated = statedMd5(bucket, answer);
  if (stated === undefined) return answer;
  const digest = sent();
  if (digest === stated) return answer;
  throw new TransientError(
    `${what} answered ETag ${answer.ETag}, not the MD5 of the ${size} bytes sent (${digest}): S3 stored other bytes`,
  );
}
