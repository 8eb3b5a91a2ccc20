import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { digestOf, isPreconditionFailed, requireDelimited, TransientError, WmflowError } from '@wmflow/core';
import { requireSmallPutStored } from './small-put-stored.js';

/**
 * Journaling failed: S3 refused or was unreachable (`reason: 's3'`), or the key and its repair key
 * (`<key>.repaired-<sha256 prefix>`, where a copy goes when the key holds other bytes) both already hold
 * different content (`reason: 'conflict'`: a journal copy is never overwritten; `key` is the repair key).
 *
 * @example
 * ```ts
 * if (error.cause instanceof JournalError && error.cause.reason === 'conflict') alertSecurity(error.cause.key);
 * ```
 */
export class JournalError extends WmflowError {
  override name = 'JournalError';
  constructor(
    readonly reason: 's3' | 'conflict',
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * SHA-256 and size of the object stored at a key, read back in full (the rare path: a retry, or a
 * concurrent invocation, found the key taken).
 */
export function storedDigest(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<{ sha256: string; size: number }> {
  return readBack(s3, bucket, key, signal, async (body) => {
    const digest = await digestOf(body);
    return { value: digest, size: digest.size };
  });
}

/** The `sha256` and `size` a metadata object records (none when it is unreadable). */
export function storedMetadata(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<{ sha256?: unknown; size?: unknown }> {
  return readBack(s3, bucket, key, signal, async (body) => {
    const bytes = Buffer.concat(await body.toArray());
    return { value: parseRecord(bytes.toString('utf8')), size: bytes.length };
  });
}

/**
 * Reads an object back whole; undefined when there is none. Without an announced length, or when the read
 * ends short of it, the bytes read are not the stored object: the invocation fails (transient, so WorkMail
 * retries) rather than trust or overwrite what a cut read saw. So does an empty answer: a journal copy (a
 * message is never empty) and its metadata never are, so 0 bytes is not what is stored at the key.
 */
async function readBack<T>(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
  consume: (body: Readable) => Promise<{ value: T; size: number }>,
): Promise<T> {
  const where = `s3://${bucket}/${key}`;
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    const body = requireDelimited(got.Body as Readable, `GetObject ${where}`, { lengthRequired: true });
    const { value, size } = await consume(body);
    if (got.ContentLength !== undefined && size !== got.ContentLength) {
      throw new TransientError(`reading ${where} back ended at ${size} of ${got.ContentLength} bytes`);
    }
    // Only wmflow writes these keys, never empty: trusting 0 bytes would raise a false mismatch (a `.repaired-`
    // copy, a metadata rewrite) from an answer that is not S3's (fault round 44).
    if (size === 0) throw new TransientError(`reading ${where} back answered 0 bytes: not the stored object`);
    return value;
  } catch (error) {
    // Read back only after S3 said the key was taken (412): a 404 now is an answer that contradicts it (something
    // in between, or the object deleted meanwhile), so the invocation fails and its retry writes or verifies
    // again, rather than take "nothing there" for a mismatch to repair (fault round 45).
    if (isNotFound(error))
      throw new TransientError(
        `reading ${where} back found nothing, though S3 answered that the key is taken`,
        {
          cause: error,
        },
      );
    throw error;
  }
}

function parseRecord(text: string): { sha256?: unknown; size?: unknown } {
  try {
    return JSON.parse(text) as { sha256?: unknown; size?: unknown };
  } catch {
    return {};
  }
}

/** Writes a small object unless the key exists (first writer wins); tells which happened. */
export async function putOnce(
  s3: S3Client,
  params: PutObjectCommandInput & { Bucket: string; Key: string },
  signal: AbortSignal,
): Promise<'written' | 'exists'> {
  try {
    const answer = await s3.send(new PutObjectCommand({ ...params, IfNoneMatch: '*' }), {
      abortSignal: signal,
    });
    await requireSmallPutStored(s3, params, answer, signal);
    return 'written';
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    return 'exists';
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
