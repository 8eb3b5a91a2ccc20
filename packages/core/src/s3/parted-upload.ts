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
  type UploadPartCommandInput,
} from '@aws-sdk/client-s3';
import { TransientError } from '../transient.js';
import { confirmCompleted } from './confirm-complete.js';
import { confirmPut } from './confirm-put.js';
import { isPreconditionFailed, retryTransient } from './request-retry.js';
import { requireStoredAsSent, type StoredObjectFacts } from './stated-md5.js';
import { storeVerifiesUpload } from './store-verifies.js';
import { requireETag } from './stored-answer.js';

/** How {@link uploadInParts} cuts and sends a body. */
export interface PartedUploadSettings {
  /** Bytes per part (S3: at least 5 MiB but for the last). */
  partSize: number;
  /** Parts in flight at once; memory held is about `(parallel + 1) × partSize`. */
  parallel: number;
  /**
   * Aborts every request; a multipart upload is then aborted. An upload stopped by it rejects with the signal's
   * reason (as `fetch` does), whichever request or read was under way.
   */
  signal: AbortSignal;
  /**
   * First writer wins: `If-None-Match: *` on the PutObject or the CompleteMultipartUpload, so S3 refuses to
   * overwrite; the outcome is then `exists` (and the multipart upload is aborted).
   */
  ifNoneMatch?: boolean;
}

/** What {@link uploadInParts} did: `written`, or `exists` when `ifNoneMatch` found the key taken. */
export interface PartedUploadResult {
  outcome: 'written' | 'exists';
  /** Bytes of the body. */
  size: number;
}

const PART_ATTEMPTS = 3;

/**
 * Uploads a stream of unknown length: one PutObject when it ends before the first part is full, otherwise a multipart
 * upload whose parts are sent as the chunks that arrived, never copied into one buffer (a part is a list of
 * slices of the stream's own chunks). A part is retried from its chunks on a transient failure (the SDK cannot
 * retry a streamed body); any failure aborts the multipart upload, so S3 keeps no object. Parts carry the
 * params' checksum algorithm and SSE-C settings, as S3 requires. A CompleteMultipartUpload answered `200` is checked
 * by a HEAD of the key (its length and ETag; `s3:GetObject` needed): a `200` alone proves nothing made (fault round 91).
 *
 * @example
 * ```ts
 * const { size } = await uploadInParts(s3, { Bucket: 'b', Key: 'k' }, body, { partSize: 5 << 20, parallel: 2, signal });
 * ```
 */
export async function uploadInParts(
  s3: S3Client,
  params: Omit<PutObjectCommandInput, 'Body'> & { Bucket: string; Key: string },
  body: AsyncIterable<Buffer>,
  settings: PartedUploadSettings,
): Promise<PartedUploadResult> {
  const parts = new PendingAware(cutParts(body, settings.partSize));
  const abortSignal = settings.signal;
  const condition = settings.ifNoneMatch ? { IfNoneMatch: '*' } : {};
  // Bytes S3 verifies against the SDK's checksum need no MD5 of ours compared with the answer's ETag.
  const verified = await storeVerifiesUpload(s3, params);
  try {
    const first = await untilAborted(parts.next(), abortSignal);
    const firstPart = first.done ? [] : first.value;
    // A part cut short means the body ended: one PutObject. A full one starts the multipart upload at once.
    if (lengthOf(firstPart) < settings.partSize) {
      const data = Buffer.concat(firstPart);
      const put = new PutObjectCommand({ ...params, ...condition, Body: data, ContentLength: data.length });
      const what = `PutObject s3://${params.Bucket}/${params.Key}`;
      const outcome = await refusedIfTaken(
        s3.send(put, { abortSignal }).then(async (out) => {
          requireETag(out, what);
          // An ETag stating no MD5 compared (S3 verifies the checksum, or the object is encrypted) vouches for
          // nothing: the object is looked at (fault round 92).
          const md5 = verified ? undefined : () => createHash('md5').update(data).digest('hex');
          await confirmPut(s3, params, out, { size: data.length, md5 }, abortSignal);
        }),
        settings.ifNoneMatch === true,
        what,
      );
      return { outcome, size: data.length };
    }
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand(params), { abortSignal });
    // Without an upload id the SDK drops the query parameter: parts become plain writes to the key and the
    // abort a DeleteObject of it (a journal copy already there would go). An answer without one is not an upload.
    if (!UploadId) {
      throw new TransientError(
        `CreateMultipartUpload s3://${params.Bucket}/${params.Key} answered without an upload id`,
      );
    }
    const upload = { Bucket: params.Bucket, Key: params.Key, UploadId };
    try {
      const partParams = {
        ChecksumAlgorithm: params.ChecksumAlgorithm,
        SSECustomerAlgorithm: params.SSECustomerAlgorithm,
        SSECustomerKey: params.SSECustomerKey,
        SSECustomerKeyMD5: params.SSECustomerKeyMD5,
      };
      const sent = await sendParts(s3, { ...upload, ...partParams }, [firstPart], parts, settings, verified);
      const complete = new CompleteMultipartUploadCommand({
        ...upload,
        ...condition,
        MultipartUpload: { Parts: sent.completed },
      });
      let completedETag: string | undefined;
      const outcome = await refusedIfTaken(
        s3.send(complete, { abortSignal }).then(
          (out) => {
            completedETag = requireETag(
              out,
              `CompleteMultipartUpload s3://${params.Bucket}/${params.Key}`,
            ).ETag;
          },
          (error: unknown) => uploadFailureIsTransient(error, 'CompleteMultipartUpload'),
        ),
        settings.ifNoneMatch === true,
        `CompleteMultipartUpload s3://${params.Bucket}/${params.Key}`,
      );
      if (outcome === 'exists') await abortUpload(s3, upload);
      // A 200 proves nothing made: the object is looked at (fault round 91).
      else await confirmCompleted(s3, params, sent.size, completedETag, abortSignal);
      return { outcome, size: sent.size };
    } catch (error) {
      await abortUpload(s3, upload);
      throw error;
    }
  } catch (error) {
    // A part in flight fails with the SDK's own abort error, a stalled read with the reason: one answer.
    throw abortSignal.aborted ? abortSignal.reason : error;
  } finally {
    await parts.close();
  }
}

/**
 * `written`, or `exists` for S3's 412 PreconditionFailed (`If-None-Match: *` found the key taken). A 412 to a
 * request that carried no condition is no answer of S3's (something in between): nothing is known stored, and
 * taking it for `exists` would commit an update from a key S3 never wrote (fault round 47), so it is transient.
 */
async function refusedIfTaken(
  request: Promise<unknown>,
  conditional: boolean,
  what: string,
): Promise<'written' | 'exists'> {
  try {
    await request;
    return 'written';
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    if (conditional) return 'exists';
    throw new TransientError(
      `${what} answered 412 though it set no condition: the object is not known to be stored`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Failures of Complete and of a part that say nothing about the message, and that a retry may cure, are transient,
 * so the invocation fails and its retry uploads again: NoSuchUpload for the upload just created (the SDK sent
 * Complete again after an answer that was lost, and S3 had already made the object, or the upload was ended
 * meanwhile); InvalidPart (a part S3 answered for is not there); and an answer that could not be read (a 200
 * cut short or garbled, whether S3 made the object or not; an error without its body, which the SDK names by its
 * status alone).
 */
function uploadFailureIsTransient(error: unknown, what: 'CompleteMultipartUpload' | 'UploadPart'): never {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name === 'Error' || e?.name === undefined ? e?.Code : e.name;
  const unreadable = e?.$metadata?.httpStatusCode === 200 || name === 'NotFound' || name === 'UnknownError';
  if (name !== 'NoSuchUpload' && name !== 'InvalidPart' && !unreadable) throw error;
  const why = unreadable
    ? 'its answer could not be read (S3 may or may not have made the object)'
    : name === 'NoSuchUpload'
      ? 'the upload is gone (an earlier Complete whose answer was lost may have made the object, or the upload was ended)'
      : 'a part S3 answered for is not there';
  throw new TransientError(`${what} did not make the object: ${why}: ${(error as Error).message}`, {
    cause: error,
  });
}

async function abortUpload(
  s3: S3Client,
  upload: { Bucket: string; Key: string; UploadId: string },
): Promise<void> {
  // Not under the caller's signal, which may be why we stop; bounded by its own timeout.
  await s3
    .send(new AbortMultipartUploadCommand(upload), { abortSignal: AbortSignal.timeout(2000) })
    .catch(() => {});
}

/**
 * The parts' generator, knowing whether a read is pending: closing it ends the body's reader (a spool
 * reader, whose spill file goes with it), except while a read of a stalled body is pending, which
 * return() would wait behind.
 */
class PendingAware<T> {
  private pending = false;
  constructor(private readonly inner: AsyncGenerator<T>) {}

  async next(): Promise<IteratorResult<T>> {
    this.pending = true;
    try {
      return await this.inner.next();
    } finally {
      this.pending = false;
    }
  }

  async close(): Promise<void> {
    const closing = this.inner.return(undefined).catch(() => undefined);
    if (!this.pending) await closing;
  }
}

type PartTarget = Omit<UploadPartCommandInput, 'PartNumber' | 'Body'> & { Bucket: string; Key: string };

async function sendParts(
  s3: S3Client,
  upload: PartTarget,
  held: Buffer[][],
  rest: PendingAware<Buffer[]>,
  settings: PartedUploadSettings,
  verified: boolean,
): Promise<{ completed: CompletedPart[]; size: number }> {
  const completed: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let number = 0;
  let size = 0;
  const start = (chunks: Buffer[]) => {
    const PartNumber = ++number;
    const length = lengthOf(chunks);
    size += length;
    const task = sendPart(s3, { ...upload, PartNumber }, chunks, length, settings.signal, verified)
      .then(
        (answer) => void completed.push({ PartNumber, ...answer }),
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  for (const chunks of held) start(chunks);
  for (;;) {
    // Backpressure: the next part is read only when a slot is free, so memory stays bounded.
    while (inFlight.size >= settings.parallel && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined) break;
    let next: IteratorResult<Buffer[]>;
    try {
      next = await untilAborted(rest.next(), settings.signal);
    } catch (error) {
      failure ??= error;
      break;
    }
    if (next.done) break;
    start(next.value);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { completed: completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0)), size };
}

async function sendPart(
  s3: S3Client,
  part: PartTarget & { PartNumber: number },
  chunks: Buffer[],
  length: number,
  signal: AbortSignal,
  verified: boolean,
): Promise<Omit<CompletedPart, 'PartNumber'>> {
  const what = `UploadPart ${part.PartNumber} of s3://${part.Bucket}/${part.Key}`;
  const out = await retryTransient(
    () =>
      s3
        .send(
          new UploadPartCommand({
            ...part,
            Body: Readable.from(chunks, { objectMode: false }),
            ContentLength: length,
          }),
          { abortSignal: signal },
        )
        .then((answer) =>
          answer.ETag && !verified ? storedAsSent(answer, part.Bucket, chunks, what) : answer,
        ),
    { attempts: PART_ATTEMPTS, signal },
  ).catch((error: unknown) => uploadFailureIsTransient(error, 'UploadPart'));
  requireETag(out, what);
  // Complete needs each part's checksum when the upload has an algorithm (Object Lock: SHA256).
  const { ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256 } = out;
  return { ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256 };
}

// The answer's ETag against the MD5 of `chunks`, hashed only when the ETag states one.
function storedAsSent<T extends StoredObjectFacts>(
  answer: T,
  bucket: string,
  chunks: readonly Buffer[],
  what: string,
): T {
  const md5 = () => {
    const hash = createHash('md5');
    for (const chunk of chunks) hash.update(chunk);
    return hash.digest('hex');
  };
  return requireStoredAsSent(answer, bucket, md5, lengthOf(chunks), what);
}

function lengthOf(chunks: readonly Buffer[]): number {
  return chunks.reduce((sum, chunk) => sum + chunk.length, 0);
}

/** `promise`, or a rejection as soon as `signal` aborts: a body that stalls must not hold the upload. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The body cut into parts of exactly `partSize` bytes (the last shorter), as lists of slices: no copy. */
async function* cutParts(body: AsyncIterable<Buffer>, partSize: number): AsyncGenerator<Buffer[]> {
  let part: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    let rest = chunk;
    while (length + rest.length >= partSize) {
      const room = partSize - length;
      part.push(rest.subarray(0, room));
      yield part;
      part = [];
      length = 0;
      rest = rest.subarray(room);
    }
    if (rest.length > 0) {
      part.push(rest);
      length += rest.length;
    }
  }
  if (length > 0) yield part;
}
