import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { LocalStack } from '../stack.js';
import { type S3Recorder, startS3Recorder } from './s3-recorder.js';

/** An object a message left in S3. */
export interface WrittenObject {
  readonly bucket: string;
  readonly key: string;
}

/**
 * What the run wrote to S3: handlers reach the local S3 through a recording
 * proxy ({@link startS3Recorder}), so each message's new objects are known
 * without listing buckets (which grows with every object).
 *
 * @example
 * ```ts
 * const tracker = await S3Tracker.start(stack);
 * process.env.AWS_ENDPOINT_URL_S3 = tracker.endpoint;
 * const created = tracker.created();
 * ```
 */
export class S3Tracker {
  private constructor(
    private readonly stack: LocalStack,
    private readonly recorder: S3Recorder,
  ) {}

  static async start(stack: LocalStack): Promise<S3Tracker> {
    return new S3Tracker(stack, await startS3Recorder(stack.env.AWS_ENDPOINT_URL_S3));
  }

  /** The endpoint handlers must use (`AWS_ENDPOINT_URL_S3`). */
  get endpoint(): string {
    return this.recorder.endpoint;
  }

  /** Objects created since the previous call (or since the start). */
  created(): WrittenObject[] {
    return this.recorder.take();
  }

  close(): Promise<void> {
    return this.recorder.close();
  }

  /**
   * Copies an object to `dir/s3/<bucket>/<key>` (streamed); undefined when it no longer exists. Key segments
   * `.` and `..` are replaced so nothing lands outside `dir`.
   */
  async copyTo(dir: string, object: WrittenObject): Promise<string | undefined> {
    const safe = object.key
      .split('/')
      .map((s) => (s === '' || s === '.' || s === '..' ? '_' : s))
      .join('/');
    const path = join(dir, 's3', object.bucket, safe);
    let got: GetObjectCommandOutput;
    try {
      got = await this.stack.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
    } catch (error) {
      // Deleted by a request the recorder did not see answered (a fault dropped the answer): nothing to copy.
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
    await mkdir(dirname(path), { recursive: true });
    await pipeline(got.Body as NodeJS.ReadableStream, createWriteStream(path));
    return path;
  }
}
