import { createHash, type Hash } from 'node:crypto';
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { uploadInParts } from '@wmflow/core';
import { uploadStreamed } from './stream-upload.js';

/** What one streamed upload wrote, described by the bytes it actually sent. */
export interface HashedUpload {
  /** `written`: this upload created the key; `exists`: S3 answered 412, the key was already there. */
  outcome: 'written' | 'exists';
  sha256: string;
  size: number;
}

/** How {@link uploadHashed} uploads. */
export interface UploadSettings {
  /**
   * The body's length when the source announced it. A body of known length up to `streamMaxBytes` goes
   * in one streamed PutObject (no part buffers, download and upload overlap); otherwise in parts.
   */
  length?: number;
  /** Largest known length sent as one streamed PutObject. */
  streamMaxBytes: number;
  /** Bytes per part (≥ 5 MiB); a body smaller than one part is one PutObject. */
  partSize: number;
  /** Parts in flight at once; memory held is about `(parallel + 1) × partSize`. */
  parallel: number;
  /** Aborts every request in flight; a multipart upload is then aborted (AbortMultipartUpload). */
  signal: AbortSignal;
  /**
   * Called when the whole body has been read and hashed, before S3 has answered (once per attempt): the
   * digest the upload will report if S3 then stores it.
   */
  onRead?: (read: { sha256: string; size: number }) => void;
}

/** PutObject parameters without the body. */
export type UploadParams = Omit<PutObjectCommandInput, 'Body'> & { Bucket: string; Key: string };

/**
 * Streams `body` into S3 once while hashing it, first writer wins: `If-None-Match: *` on the PutObject
 * or on the CompleteMultipartUpload, so S3 itself refuses to overwrite (412). The digest and size are of
 * the bytes sent, so whatever describes the object (metadata written after) describes what was written.
 */
export async function uploadHashed(
  s3: S3Client,
  params: UploadParams,
  open: () => AsyncIterable<Buffer>,
  settings: UploadSettings,
): Promise<HashedUpload> {
  const { length } = settings;
  if (length !== undefined && length <= settings.streamMaxBytes) {
    return uploadStreamed(s3, params, open, length, settings.signal, settings.onRead);
  }
  const hash = createHash('sha256');
  let size = 0;
  let sha256: string | undefined;
  const digest = () => {
    sha256 ??= hash.digest('hex');
    return sha256;
  };
  const { outcome } = await uploadInParts(
    s3,
    params,
    hashing(
      open(),
      hash,
      (n) => (size += n),
      () => settings.onRead?.({ sha256: digest(), size }),
    ),
    {
      partSize: settings.partSize,
      parallel: settings.parallel,
      signal: settings.signal,
      ifNoneMatch: true,
    },
  );
  return { outcome, sha256: digest(), size };
}

async function* hashing(
  body: AsyncIterable<Buffer>,
  hash: Hash,
  counted: (bytes: number) => void,
  ended: () => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of body) {
    hash.update(chunk);
    counted(chunk.length);
    yield chunk;
  }
  ended();
}
