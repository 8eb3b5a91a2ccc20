import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { WmflowError } from '@wmflow/core';

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

/** SHA-256 (hex) and size of a stream, read once. */
export async function digest(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** What is at a key: nothing, or an object with its recorded sha256 (metadata). */
export async function existing(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256?: string } | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { sha256: head.Metadata?.sha256 };
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404)
      return undefined;
    throw error;
  }
}

/** Uploads a stream (multipart when large) under `If-None-Match: *` where S3 applies it (single part). */
export async function uploadOnce(
  s3: S3Client,
  params: PutObjectCommandInput & { Body: Readable },
  partSize: number,
): Promise<'written' | 'exists'> {
  try {
    await new Upload({ client: s3, params: { ...params, IfNoneMatch: '*' }, partSize, queueSize: 1 }).done();
    return 'written';
  } catch (error) {
    if (isPreconditionFailed(error)) return 'exists';
    throw error;
  }
}

/** Writes a small object unless the key exists (first writer wins). */
export async function putOnce(s3: S3Client, params: PutObjectCommandInput): Promise<void> {
  try {
    await s3.send(new PutObjectCommand({ ...params, IfNoneMatch: '*' }));
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
  }
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}
