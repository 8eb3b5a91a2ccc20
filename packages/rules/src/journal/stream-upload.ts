import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  confirmPut,
  digestOf,
  isPreconditionFailed,
  requireETag,
  retryTransient,
  storeVerifiesUpload,
} from '@wmflow/core';
import type { HashedUpload, UploadParams, UploadSettings } from './upload.js';

const STREAM_ATTEMPTS = 3;

/**
 * One PutObject whose body is the source itself, of the announced length: S3 stores nothing unless every
 * byte arrives, and a source failure aborts the request. The SDK never retries a streamed body, so a
 * transient S3 failure is retried here from the start of the (spooled) message.
 */
export async function uploadStreamed(
  s3: S3Client,
  params: UploadParams,
  open: () => AsyncIterable<Buffer>,
  length: number,
  signal: AbortSignal,
  onRead?: UploadSettings['onRead'],
): Promise<HashedUpload> {
  return retryTransient(() => putStreamed(s3, params, open, length, signal, onRead), {
    attempts: STREAM_ATTEMPTS,
    signal,
  });
}

async function putStreamed(
  s3: S3Client,
  params: UploadParams,
  open: () => AsyncIterable<Buffer>,
  length: number,
  signal: AbortSignal,
  onRead: UploadSettings['onRead'],
): Promise<HashedUpload> {
  const hash = createHash('sha256');
  // The MD5 too, unless S3 verifies the SDK's checksum of the bytes: S3's ETag of a one-piece object is its MD5, so an
  // answer for other bytes is told (fault round 88).
  const md5 = (await storeVerifiesUpload(s3, params)) ? undefined : createHash('md5');
  let size = 0;
  let sha256: string | undefined;
  const request = new AbortController();
  const stop = () => request.abort(signal.reason);
  // A deadline that fired before this attempt (during a back-off) stops it too: no listener would see it.
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  const source = { failure: undefined as unknown };
  // The message stream piped through one Transform that hashes and counts: no per-chunk promise, no copy.
  const opened = open();
  const input = opened instanceof Readable ? opened : Readable.from(opened, { objectMode: false });
  const body = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      md5?.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      sha256 = hash.digest('hex');
      if (size === length) onRead?.({ sha256, size });
      done();
    },
  });
  input.on('error', (error) => {
    if (source.failure !== undefined) return;
    // The request must not end as if the body were whole: abort it, S3 keeps nothing. The body stops without
    // an error: the SDK's aws-chunked stream would re-emit one with no listener (an uncaught exception).
    source.failure = error;
    request.abort(error);
    body.destroy();
  });
  input.pipe(body);
  // The failure is kept in `source` and rethrown below; the request may already have let go of the stream.
  body.on('error', () => {});
  try {
    const answer = await s3.send(
      new PutObjectCommand({ ...params, Body: body, ContentLength: length, IfNoneMatch: '*' }),
      { abortSignal: request.signal },
    );
    requireETag(answer, `PutObject s3://${params.Bucket}/${params.Key}`);
    if (size !== length || sha256 === undefined)
      throw new Error(`streamed ${size} of the ${length} bytes announced`);
    // A 200 for bytes S3 stored short (the body cut on its way with its length): transient, so the attempt after it
    // finds the key taken, compares the stored copy's digest and journals the whole message beside it. An ETag with
    // no MD5 to compare (SSE-KMS, or S3 verified a checksum) vouches for nothing: the copy is looked at (round 92).
    const digest = md5 ? () => md5.digest('hex') : undefined;
    await confirmPut(s3, params, answer, { size, md5: digest }, signal);
    return { outcome: 'written', sha256, size };
  } catch (error) {
    if (source.failure !== undefined) throw source.failure;
    if (!isPreconditionFailed(error)) throw error;
    // S3 may refuse before the body is read: the digest compared with the stored copy is of the whole message.
    return { outcome: 'exists', ...(await digestOf(open())) };
  } finally {
    signal.removeEventListener('abort', stop);
    body.destroy();
    input.destroy();
  }
}
