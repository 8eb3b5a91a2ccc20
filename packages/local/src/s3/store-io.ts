import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Transform } from 'node:stream';

type S3ErrorClass = new (code: string, message: string, detail?: Record<string, unknown>) => Error;

/** s3rver's own error model: thrown inside its store, it is answered as that S3 error code. */
export const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error') as S3ErrorClass;

/**
 * The folder s3rver's store keeps a multipart upload's key, metadata and parts in.
 *
 * @example
 * ```ts
 * uploadFolder(store, 'journal', uploadId); // <root>/journal/._S3rver_uploads/<uploadId>
 * ```
 */
export function uploadFolder(
  store: { getResourcePath(bucket: string, key?: string, resource?: string): string },
  bucket: string,
  uploadId: string,
): string {
  return join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
}

/**
 * Counts bytes and takes their MD5 as they are written: `add` for a buffer, `through()` for a stream,
 * `result()` once at the end.
 *
 * @example
 * ```ts
 * const count = md5Count();
 * await pipeline(body, count.through(), file);
 * const { size, md5 } = count.result();
 * ```
 */
export function md5Count() {
  const hash = createHash('md5');
  let size = 0;
  const add = (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  };
  return {
    add,
    through: () =>
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          add(chunk);
          done(null, chunk);
        },
      }),
    result: () => ({ size, md5: hash.digest('hex') }),
  };
}
