import {
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { md5Count, writingPath } from './store-io.js';

/** An object as s3rver's store gets it to write. */
interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | NodeJS.ReadableStream;
  metadata: Record<string, unknown>;
}

/** The part of s3rver's file store that finds buckets' folders, writes objects and their small side files. */
interface SideFileStore {
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getBucket(bucket: string): Promise<unknown>;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}

type BucketModel = new (name: string, creationDate: Date) => unknown;

const load = createRequire(import.meta.url);
const S3Bucket = load('s3rver/lib/models/bucket') as BucketModel;
const { ALLOWED_METADATA } = load('s3rver/lib/models/object') as { ALLOWED_METADATA: string[] };

/**
 * Reads and writes what s3rver keeps beside each object (its metadata and MD5 files, a few hundred bytes),
 * creates key folders and checks bucket folders with synchronous calls, with the same results and errors as
 * s3rver's own code. s3rver does each through libuv's thread pool: about 18 hand-offs for one small PUT and
 * the GET that reads it back, each waking a pool thread, which with `wmflow replay -j N` takes CPU from the
 * other workers. Objects are still streamed, and a PUT now ends once the object's bytes are written (s3rver
 * answered once they had passed its hash, its own side-file writes leaving time for the rest), to a file of
 * its own that then replaces the object (s3rver wrote in place: a reader could get part of a write).
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
  store.putMetadata = async (bucket, key, metadata, md5) => {
    const json: Record<string, unknown> = {};
    for (const name of ALLOWED_METADATA) if (name in metadata) json[name] = metadata[name];
    for (const name in metadata) if (name.startsWith('x-amz-meta-')) json[name] = metadata[name];
    if (md5) writeFileSync(store.getResourcePath(bucket, key, 'object.md5'), md5);
    writeFileSync(store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(json, null, 2));
  };
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    mkdirSync(dirname(path), { recursive: true });
    const count = md5Count();
    // Written beside the object, then renamed over it in one step: a reader that opened the object (a GET,
    // PutRawMessageContent's store read) reads the old bytes or the new ones, whole, never a part of them.
    const temporary = writingPath(path);
    try {
      const small = await smallBody(object);
      if (small) {
        // A small object (a journal's metadata, a short message) is one synchronous write, as its side files.
        count.add(small);
        writeFileSync(temporary, small, { flag: 'wx' });
      } else {
        const file = createWriteStream(temporary, { flags: 'wx' });
        if (Buffer.isBuffer(object.content)) {
          count.add(object.content);
          file.end(object.content);
          await finished(file);
        } else {
          await pipeline(object.content, count.through(), file);
        }
      }
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    const { size, md5 } = count.result();
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  };
}

/** Objects up to this size are written with one synchronous call, like the side files. */
const SMALL_OBJECT = 64 * 1024;

/**
 * The body of a small object, read whole (its request's Content-Length, which Node's parser holds the body
 * to, is at most {@link SMALL_OBJECT}); undefined for a larger one, which is streamed to its file.
 */
async function smallBody(object: StoredObject): Promise<Buffer | undefined> {
  if (Buffer.isBuffer(object.content))
    return object.content.length <= SMALL_OBJECT ? object.content : undefined;
  const declared = Number(object.metadata['content-length']);
  if (!Number.isSafeInteger(declared) || declared > SMALL_OBJECT) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.content) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  // A body that ended short (its sender went away) is not an object: nothing is stored.
  if (body.length !== declared) throw new Error(`body of ${body.length} bytes, ${declared} announced`);
  return body;
}

/**
 * Whether an object exists, by a synchronous stat of its file, as s3rver's `existsObject` does through the
 * thread pool: the check of every `If-None-Match: *` write, which there could wait behind the pool's file writes.
 *
 * @example
 * ```ts
 * new ConditionalWrites(upstream, (bucket, key) => Promise.resolve(objectExists(store, bucket, key)));
 * ```
 */
export function objectExists(
  store: Pick<SideFileStore, 'getResourcePath'>,
  bucket: string,
  key: string,
): boolean {
  return ifPresent(() => statSync(store.getResourcePath(bucket, key, 'object'))) !== undefined;
}

function ifPresent<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
