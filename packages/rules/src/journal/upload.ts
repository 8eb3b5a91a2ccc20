import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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
    return uploadStreamed(s3, params, open, length, settings.signal);
  }
  const body = open();
  const hash = createHash('sha256');
  let size = 0;
  const parts = partsOf(body, settings.partSize, (chunk) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    return await uploadParted(s3, params, parts, settings, () => ({ sha256: hash.digest('hex'), size }));
  } finally {
    // A failure before the body's end leaves its reader suspended: end it, or the message's spill file stays.
    await parts.return(undefined);
  }
}

async function uploadParted(
  s3: S3Client,
  params: UploadParams,
  parts: AsyncGenerator<Buffer>,
  settings: UploadSettings,
  done: () => { sha256: string; size: number },
): Promise<HashedUpload> {
  const first = await parts.next();
  const firstPart = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await parts.next();
  const abortSignal = settings.signal;
  if (second.done) {
    try {
      await s3.send(
        new PutObjectCommand({
          ...params,
          Body: firstPart,
          ContentLength: firstPart.length,
          IfNoneMatch: '*',
        }),
        { abortSignal },
      );
      return { outcome: 'written', ...done() };
    } catch (error) {
      if (isPreconditionFailed(error)) return { outcome: 'exists', ...done() };
      throw error;
    }
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand(params), { abortSignal });
  const upload = { Bucket: params.Bucket, Key: params.Key, UploadId };
  try {
    const completed = await uploadParts(s3, upload, params, [firstPart, second.value], parts, settings);
    try {
      await s3.send(
        new CompleteMultipartUploadCommand({
          ...upload,
          MultipartUpload: { Parts: completed },
          IfNoneMatch: '*',
        }),
        { abortSignal },
      );
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      await abortUpload(s3, upload);
      return { outcome: 'exists', ...done() };
    }
    return { outcome: 'written', ...done() };
  } catch (error) {
    // Whatever failed (a part, the source, the deadline): leave no upload behind, and no object.
    await abortUpload(s3, upload);
    throw error;
  }
}

async function uploadParts(
  s3: S3Client,
  upload: { Bucket: string; Key: string; UploadId: string | undefined },
  params: UploadParams,
  held: Buffer[],
  rest: AsyncGenerator<Buffer>,
  settings: UploadSettings,
): Promise<CompletedPart[]> {
  const completed: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let number = 0;
  const start = (data: Buffer) => {
    const PartNumber = ++number;
    const task = s3
      .send(
        new UploadPartCommand({
          ...upload,
          PartNumber,
          Body: data,
          ContentLength: data.length,
          ChecksumAlgorithm: params.ChecksumAlgorithm,
          SSECustomerAlgorithm: params.SSECustomerAlgorithm,
        }),
        { abortSignal: settings.signal },
      )
      .then(
        (out) => void completed.push({ PartNumber, ETag: out.ETag, ChecksumSHA256: out.ChecksumSHA256 }),
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  for (const data of held) start(data);
  for (;;) {
    // Backpressure: read the next part only when a slot is free, so memory stays bounded.
    while (inFlight.size >= settings.parallel && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined) break;
    let next: IteratorResult<Buffer>;
    try {
      next = await rest.next();
    } catch (error) {
      failure ??= error;
      break;
    }
    if (next.done) break;
    start(next.value);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
}

async function* partsOf(
  body: AsyncIterable<Buffer>,
  partSize: number,
  seen: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    seen(chunk);
    pending.push(chunk);
    length += chunk.length;
    while (length >= partSize) {
      const all = Buffer.concat(pending, length);
      yield all.subarray(0, partSize);
      pending = [all.subarray(partSize)];
      length -= partSize;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

async function abortUpload(
  s3: S3Client,
  upload: { Bucket: string; Key: string; UploadId: string | undefined },
): Promise<void> {
  // Not under the invocation's signal, which may be the reason for aborting; bounded by its own timeout.
  await s3
    .send(new AbortMultipartUploadCommand(upload), { abortSignal: AbortSignal.timeout(2000) })
    .catch(() => {});
}

/**
 * True for S3's 412 PreconditionFailed (the key exists, `If-None-Match: *`).
 *
 * @example
 * ```ts
 * if (isPreconditionFailed(error)) return 'exists';
 * ```
 */
export function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}
