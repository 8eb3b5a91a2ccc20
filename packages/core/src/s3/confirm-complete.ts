import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TransientError } from '../transient.js';
import { sameETag } from './same-etag.js';

/** Where an upload was completed (or a PutObject stored), with the SSE-C key a HEAD of its object needs; other fields are left out of the HEAD. */
export interface CompletedObject {
  Bucket: string;
  Key: string;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

/**
 * Checks that the object a CompleteMultipartUpload answered `200` for is stored: a HEAD of its key must find an object
 * of `size` bytes, with the ETag the answer named (when both name one). Nothing in the answer proves S3 made it: a
 * well-formed result from something in between (a proxy, a store answering for an upload it never completed) was
 * taken for a copy journaled and for an update staged (fault round 91: the journal's metadata then described a copy
 * not stored, and the guard's strip called PutRawMessageContent on a key that held nothing and bounced the message).
 * A mismatch or a missing object is a {@link TransientError}: the invocation fails and WorkMail's retry uploads again.
 * Other failures of the HEAD are thrown as they are. One round trip per multipart upload (bodies over one part).
 * `request` names the request answered in the errors (a one-piece PutObject whose ETag vouches for nothing is
 * checked the same way, fault round 92: `confirmPut`).
 *
 * @example
 * ```ts
 * await confirmCompleted(s3, { Bucket: 'journal', Key: 'k' }, size, complete.ETag, signal);
 * ```
 */
export async function confirmCompleted(
  s3: S3Client,
  object: CompletedObject,
  size: number,
  answeredETag: string | undefined,
  signal: AbortSignal,
  request = 'CompleteMultipartUpload',
): Promise<void> {
  const where = `s3://${object.Bucket}/${object.Key}`;
  const what = `${request} ${where} answered 200`;
  // Only what a HEAD takes: a PutObject's own parameters (metadata, Object Lock, content type) are not for it.
  const { Bucket, Key, SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 } = object;
  const input = { Bucket, Key, SSECustomerAlgorithm, SSECustomerKey, SSECustomerKeyMD5 };
  let head: { ContentLength?: number; ETag?: string };
  try {
    head = await s3.send(new HeadObjectCommand(input), { abortSignal: signal });
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (
      signal.aborted ||
      !(e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404)
    )
      throw error;
    throw new TransientError(`${what}, but no object is stored at the key: the upload was not stored`, {
      cause: error,
    });
  }
  if (head.ContentLength !== size)
    throw new TransientError(
      `${what}, but the object stored there is ${head.ContentLength ?? 'of no stated length'}, not the ${size} bytes sent`,
    );
  if (answeredETag && head.ETag && !sameETag(answeredETag, head.ETag))
    throw new TransientError(
      `${what} with ETag ${answeredETag}, but the object stored there has ETag ${head.ETag}: not the upload answered for`,
    );
}
