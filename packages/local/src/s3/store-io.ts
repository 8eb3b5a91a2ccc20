import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

/**
 * A fresh name beside `path` for a file written whole before it is renamed over `path`. Short, whatever the
 * key: a name built from the object's own (already up to 233 bytes for s3rver's side files) could pass the
 * file system's 255-byte limit and fail a PUT s3rver stored. s3rver lists only files named as objects.
 *
 * @example
 * ```ts
 * writingPath('/root/b/k._S3rver_object'); // '/root/b/.writing-1f2e3d4c5b6a7980'
 * ```
 */
export function writingPath(path: string): string {
  return join(dirname(path), `.writing-${randomBytes(8).toString('hex')}`);
}
