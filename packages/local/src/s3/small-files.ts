import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of s3rver's file store that finds buckets' folders and reads objects' small side files. */
interface SideFileStore {
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getBucket(bucket: string): Promise<unknown>;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
}

type BucketModel = new (name: string, creationDate: Date) => unknown;

const load = createRequire(import.meta.url);
const S3Bucket = load('s3rver/lib/models/bucket') as BucketModel;

/**
 * Reads what s3rver keeps beside each object (its metadata and MD5 files, a few hundred bytes) and checks
 * bucket folders with synchronous calls, with the same results and errors as s3rver's own code. s3rver does
 * each through libuv's thread pool: about 11 hand-offs for one small PUT and the GET that reads it back,
 * each waking a pool thread, which with `wmflow replay -j N` takes CPU from the other workers. Objects are
 * still streamed, and writes stay as they are: s3rver answers a PUT once its side files are written, which
 * is also what leaves time for the object's own write to finish.
 *
 * @example
 * ```ts
 * readSideFilesInline((s3rver as unknown as { store: Parameters<typeof readSideFilesInline>[0] }).store);
 * ```
 */
export function readSideFilesInline(store: SideFileStore): void {
  const getMetadata = store.getMetadata.bind(store);
  store.getBucket = async (bucket) => {
    try {
      const stat = statSync(store.getBucketPath(bucket));
      return stat.isDirectory() ? new S3Bucket(bucket, stat.birthtime) : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  store.getMetadata = async (bucket, key) => {
    const objectPath = store.getResourcePath(bucket, key, 'object');
    // Throws (ENOENT) when the object does not exist, as s3rver's does.
    const stat = statSync(objectPath);
    const md5 = ifPresent(() => readFileSync(`${objectPath}.md5`).toString());
    // No MD5 file yet: s3rver computes and stores it.
    if (md5 === undefined) return getMetadata(bucket, key);
    const stored = ifPresent(
      () =>
        JSON.parse(readFileSync(store.getResourcePath(bucket, key, 'metadata.json'), 'utf8')) as Record<
          string,
          unknown
        >,
    );
    return {
      ...stored,
      etag: JSON.stringify(md5),
      'last-modified': stat.mtime.toUTCString(),
      'content-length': stat.size,
    };
  };
}

function ifPresent<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
