import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
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

type Params = Omit<PutObjectCommandInput, 'Body'> & { Bucket: string; Key: string };

/**
 * Streams `body` into S3 once while hashing it, first writer wins: `If-None-Match: *` on the PutObject
 * or on the CompleteMultipartUpload, so S3 itself refuses to overwrite (412). The digest and size are of
 * the bytes sent, so whatever describes the object (metadata written after) describes what was written.
 */
export async function uploadHashed(
  s3: S3Client,
  params: Params,
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

const STREAM_ATTEMPTS = 3;
const PIECE_BYTES = 256 * 1024;

/**
 * One PutObject whose body is the source itself, of the announced length: S3 stores nothing unless every
 * byte arrives, and a source failure aborts the request. The SDK never retries a streamed body, so a
 * transient S3 failure is retried here from the start of the (spooled) message.
 */
async function uploadStreamed(
  s3: S3Client,
  params: Params,
  open: () => AsyncIterable<Buffer>,
  length: number,
  signal: AbortSignal,
): Promise<HashedUpload> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await putStreamed(s3, params, open, length, signal);
    } catch (error) {
      if (attempt >= STREAM_ATTEMPTS || signal.aborted || !isRetryableS3(error)) throw error;
      await delay(50 * 2 ** attempt * (0.5 + Math.random()), signal);
    }
  }
}

async function putStreamed(
  s3: S3Client,
  params: Params,
  open: () => AsyncIterable<Buffer>,
  length: number,
  signal: AbortSignal,
): Promise<HashedUpload> {
  const hash = createHash('sha256');
  let size = 0;
  const request = new AbortController();
  const stop = () => request.abort(signal.reason);
  // A deadline that fired before this attempt (during a back-off) stops it too: no listener would see it.
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const source = { failure: undefined as unknown };
  async function* hashed(): AsyncGenerator<Buffer> {
    try {
      // Socket-sized chunks gathered into larger pieces: fewer aws-chunked frames and socket writes.
      let held: Buffer[] = [];
      let heldBytes = 0;
      for await (const chunk of open()) {
        hash.update(chunk);
        size += chunk.length;
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= PIECE_BYTES) {
          yield held.length === 1 ? chunk : Buffer.concat(held, heldBytes);
          held = [];
          heldBytes = 0;
        }
      }
      if (heldBytes > 0) yield Buffer.concat(held, heldBytes);
    } catch (error) {
      // The request must not end as if the body were whole: abort it, S3 keeps nothing.
      source.failure = error;
      request.abort(error);
      throw error;
    }
  }
  const body = Readable.from(hashed(), { objectMode: false });
  // The failure is kept in `source` and rethrown below; the request may already have let go of the stream.
  body.on('error', () => {});
  try {
    await s3.send(new PutObjectCommand({ ...params, Body: body, ContentLength: length, IfNoneMatch: '*' }), {
      abortSignal: request.signal,
    });
    if (size !== length) throw new Error(`streamed ${size} of the ${length} bytes announced`);
    return { outcome: 'written', sha256: hash.digest('hex'), size };
  } catch (error) {
    if (source.failure !== undefined) throw source.failure;
    if (!isPreconditionFailed(error)) throw error;
    // S3 may refuse before the body is read: the digest compared with the stored copy is of the whole message.
    return { outcome: 'exists', ...(await digestOf(open())) };
  } finally {
    signal.removeEventListener('abort', stop);
    body.destroy();
  }
}

async function digestOf(body: AsyncIterable<Buffer>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** A transient S3 answer (throttling, 5xx, a reset) — not the source's failure nor the deadline. */
function isRetryableS3(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'MessageReadError' || e?.name === 'AbortError') return false;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  return e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || e?.name === 'TimeoutError';
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function uploadParted(
  s3: S3Client,
  params: Params,
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
  params: Params,
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
