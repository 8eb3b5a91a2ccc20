import { join } from 'node:path';
import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { LocalStack } from '../stack.js';
import { writeOutFile } from './out-dir.js';

/** An object a message left in S3. */
export interface WrittenObject {
  readonly bucket: string;
  readonly key: string;
}

/**
 * What the run wrote to S3: the local S3's store reports each object it stores or deletes
 * ({@link LocalStack.watchObjects}), so each message's new objects are known without listing buckets
 * (which grows with every object), including one whose answer a `--faults` proxy dropped after S3 stored it.
 *
 * @example
 * ```ts
 * const tracker = S3Tracker.start(stack);
 * const created = tracker.created();
 * tracker.close();
 * ```
 */
export class S3Tracker {
  private written = new Map<string, WrittenObject>();
  /** Paths {@link copyTo} gave out, case-folded, and the object each holds (fault round 75). */
  private readonly paths = new Map<string, string>();
  private readonly stop: () => void;

  private constructor(private readonly stack: LocalStack) {
    this.stop = stack.watchObjects(({ kind, bucket, key }) => {
      const name = `${bucket}/${key}`;
      // An object deleted again (a staged update discarded) was not left in S3.
      if (kind === 'removed') this.written.delete(name);
      else this.written.set(name, { bucket, key });
    });
  }

  static start(stack: LocalStack): S3Tracker {
    return new S3Tracker(stack);
  }

  /** Objects created since the previous call (or since the start), and not deleted since. */
  created(): WrittenObject[] {
    const objects = [...this.written.values()];
    this.written = new Map();
    return objects;
  }

  close(): void {
    this.stop();
  }

  /**
   * Copies an object to `dir/s3/<bucket>/<key>` (streamed); undefined when it no longer exists. Key segments
   * `.` and `..` are replaced so nothing lands outside `dir`. A path another object took in this run, ignoring case
   * (keys that differ only in case are one file on macOS and Windows), gets `~2`, `~3`… after it (fault round 75).
   */
  async copyTo(dir: string, object: WrittenObject): Promise<string | undefined> {
    const safe = object.key
      .split('/')
      .map((s) => (s === '' || s === '.' || s === '..' ? '_' : s))
      .join('/');
    const path = this.pathFor(join(dir, 's3', object.bucket, safe), `${object.bucket}/${object.key}`);
    let got: GetObjectCommandOutput;
    try {
      got = await this.stack.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
    } catch (error) {
      // Deleted after it was taken (a late request of the handler's): nothing to copy.
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
    // Whole or not at all (fault round 65): a killed run or a full disk never leaves a cut copy under its name.
    await writeOutFile(path, got.Body as NodeJS.ReadableStream);
    return path;
  }

  /**
   * `wanted`, or `wanted~N`, whichever no other object took, ignoring case; one object keeps its path. The `~N` goes
   * before a `.json` ending, so a journal copy and its metadata stay `<path>` and `<path>.json` for `wmflow backtest`.
   */
  private pathFor(wanted: string, object: string): string {
    const [stem, ending] = wanted.endsWith('.json') ? [wanted.slice(0, -5), '.json'] : [wanted, ''];
    for (let i = 1; ; i++) {
      const path = i === 1 ? wanted : `${stem}~${i}${ending}`;
      const holder = this.paths.get(path.toLowerCase());
      if (holder === undefined) this.paths.set(path.toLowerCase(), object);
      if (holder === undefined || holder === object) return path;
    }
  }
}
