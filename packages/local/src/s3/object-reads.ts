import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { createRequire } from 'node:module';

type ObjectModel = new (
  bucket: string,
  key: string,
  content: NodeJS.ReadableStream | null,
  metadata: Record<string, unknown>,
) => { content: NodeJS.ReadableStream | null; range?: { start: number; end: number } };

const S3Object = createRequire(import.meta.url)('s3rver/lib/models/object') as ObjectModel;

/** The part of s3rver's file store that reads an object (GetObject, HeadObject, the emulators' store reads). */
export interface ObjectReadStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<InstanceType<ObjectModel> | null>;
}

/**
 * GetObject from the file the object is when the read starts. s3rver took the object's size from a stat of
 * its path and then opened the path again through the thread pool: an object replaced in between (a store
 * renames a new file over it) was read as the new file cut or stretched to the old one's length under the
 * old ETag (a GET answered 1,000 bytes of a new 50,000-byte object). Here the file is opened first and its
 * size, ETag and metadata are read in the same synchronous step: a store renames an object and writes its side
 * files in one such step, so they all describe the bytes this handle reads.
 *
 * @example
 * ```ts
 * readObjectsByHandle((s3rver as unknown as { store: ObjectReadStore }).store);
 * ```
 */
export function readObjectsByHandle(store: ObjectReadStore): void {
  store.getObject = async (bucket, key, options) => {
    let fd: number;
    try {
      fd = openSync(store.getResourcePath(bucket, key, 'object'), 'r');
    } catch (error) {
      if (noSuchObject(error)) return null;
      throw error;
    }
    let streaming = false;
    try {
      const stat = fstatSync(fd);
      // Synchronous while the MD5 file exists (the path s3rver's own store would take without one is rare).
      const metadata = {
        ...(await store.getMetadata(bucket, key)),
        'content-length': stat.size,
        'last-modified': stat.mtime.toUTCString(),
      };
      const lastByte = Math.max(0, stat.size - 1);
      const range = { start: options?.start || 0, end: Math.min(options?.end || Infinity, lastByte) };
      const ranged = options !== undefined && (options.start !== undefined || Boolean(options.end));
      // As s3rver: a range past the end is an object without content, which it answers InvalidRange.
      const object = new S3Object(bucket, key, null, metadata);
      if (ranged) object.range = range;
      if (range.start >= 0 && range.end >= range.start) {
        object.content = createReadStream('', { fd, ...range });
        streaming = true;
      }
      return object;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    } finally {
      if (!streaming) closeSync(fd);
    }
  };
}

/**
 * An object's bytes in one read from the file it is when the read starts, undefined when there is none, or
 * 'too-large' when it holds more than `maxBytes` (nothing read): how PutRawMessageContent takes an update
 * within its size limit, without a stream of chunks to join.
 *
 * @example
 * ```ts
 * const whole = await readObjectWhole(store, 'updates', 'msg-1/u', 40 * 1024 * 1024);
 * ```
 */
export async function readObjectWhole(
  store: Pick<ObjectReadStore, 'getResourcePath'>,
  bucket: string,
  key: string,
  maxBytes: number,
): Promise<Buffer | 'too-large' | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(store.getResourcePath(bucket, key, 'object'), 'r');
  } catch (error) {
    if (noSuchObject(error)) return undefined;
    throw error;
  }
  try {
    if ((await handle.stat()).size > maxBytes) return 'too-large';
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** An open of a key's file that fails because no such object exists (a missing file, or a file in its path). */
function noSuchObject(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
