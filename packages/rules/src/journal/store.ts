import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  digestOf,
  isPreconditionFailed,
  requireDelimited,
  requireETag,
  TransientError,
  WmflowError,
} from '@wmflow/core';

/**
 * Journaling failed: S3 refused or was unreachable (`reason: 's3'`), or the key already holds different
 * content (`reason: 'conflict'`: a journal copy is never overwritten).
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
 * concurrent invocation, found the key taken). Undefined when there is no object.
 */
export async function storedDigest(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<{ sha256: string; size: number } | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    // Without a length the end of the copy is where the connection closed: a cut read is not the copy.
    const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`, {
      lengthRequired: true,
    });
    const { sha256, size } = await digestOf(body);
    if (got.ContentLength !== undefined && got.ContentLength !== size) {
      throw new JournalError(
        's3',
        key,
        `reading s3://${bucket}/${key} back ended at ${size} of ${got.ContentLength} bytes`,
      );
    }
    return { sha256, size };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The `sha256` and `size` a metadata object records, or undefined when there is none (or it is unreadable). */
export async function storedMetadata(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): Promise<{ sha256?: unknown; size?: unknown } | undefined> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`, {
      lengthRequired: true,
    });
    const bytes = Buffer.concat(await body.toArray());
    // A read cut short is not what the metadata says: the invocation fails (transient) rather than rewrite it.
    if (got.ContentLength !== undefined && bytes.length !== got.ContentLength)
      throw new TransientError(
        `reading s3://${bucket}/${key} back ended at ${bytes.length} of ${got.ContentLength} bytes`,
      );
    const text = bytes.toString('utf8');
    try {
      return JSON.parse(text) as { sha256?: unknown; size?: unknown };
    } catch {
      return {};
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Writes a small object unless the key exists (first writer wins); tells which happened. */
export async function putOnce(
  s3: S3Client,
  params: PutObjectCommandInput,
  signal: AbortSignal,
): Promise<'written' | 'exists'> {
  try {
    const answer = await s3.send(new PutObjectCommand({ ...params, IfNoneMatch: '*' }), {
      abortSignal: signal,
    });
    requireETag(answer, `PutObject s3://${params.Bucket}/${params.Key}`);
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
