import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LocalStack } from '../stack.js';

/** An object a message left in S3. */
export interface WrittenObject {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Tells which S3 objects appeared since the last look: each bucket is listed
 * after every message and compared with the keys seen so far (one set of keys
 * per bucket; nothing else is kept).
 *
 * @example
 * ```ts
 * const tracker = new S3Tracker(stack);
 * // … run a handler …
 * const created = await tracker.created();
 * ```
 */
export class S3Tracker {
  private readonly seen = new Map<string, Set<string>>();

  constructor(private readonly stack: LocalStack) {}

  /** Objects created since the previous call (or since the start). */
  async created(): Promise<WrittenObject[]> {
    const found: WrittenObject[] = [];
    for (const bucket of this.stack.buckets) {
      const keys = this.seen.get(bucket) ?? new Set<string>();
      this.seen.set(bucket, keys);
      for (const { key } of await this.stack.listObjects(bucket)) {
        if (keys.has(key)) continue;
        keys.add(key);
        found.push({ bucket, key });
      }
    }
    return found;
  }

  /**
   * Copies an object to `dir/s3/<bucket>/<key>` (streamed). Key segments `.`
   * and `..` are replaced so nothing lands outside `dir`.
   */
  async copyTo(dir: string, object: WrittenObject): Promise<string> {
    const safe = object.key
      .split('/')
      .map((s) => (s === '' || s === '.' || s === '..' ? '_' : s))
      .join('/');
    const path = join(dir, 's3', object.bucket, safe);
    await mkdir(dirname(path), { recursive: true });
    const got = await this.stack.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
    await pipeline(got.Body as NodeJS.ReadableStream, createWriteStream(path));
    return path;
  }
}
