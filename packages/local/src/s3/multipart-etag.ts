import { createHash } from 'node:crypto';

/**
 * S3's ETag (without its quotes) of an object stored by a multipart upload: the MD5 of its parts' MD5 digests, a dash,
 * the number of parts. Used where the local S3 completes an upload and where `quarantine release` ties a copy back to
 * a message stored in parts.
 */
export function multipartEtag(partMd5s: readonly Buffer[]): string {
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
}
