import type { S3Client } from '@aws-sdk/client-s3';
import { type CompletedObject, confirmCompleted } from './confirm-complete.js';
import { requireStoredAsSent, type StoredObjectFacts, statedMd5 } from './stated-md5.js';

/** The bytes a one-piece PutObject sent: their length, and their MD5 (lowercase hex) when it was computed. */
export interface PutSent {
  size: number;
  /** Asked only when the answer's ETag states an MD5; absent when none was computed (S3 verifies a checksum). */
  md5?: () => string;
}

/**
 * Checks that a one-piece PutObject answered `200` stored the bytes sent. When the answer's ETag states an MD5 (one
 * piece, unencrypted or SSE-S3: {@link statedMd5}) and `sent.md5` is given, the two are compared (no round trip; a
 * mismatch is a `TransientError`). Otherwise nothing in the answer vouches for the object: an ETag under SSE-KMS,
 * DSSE-KMS or SSE-C is no digest of the bytes, and an upload whose checksum S3 verifies (`storeVerifiesUpload`) had
 * no MD5 computed, so a `200` from something in between for a PutObject S3 never took was taken for the object
 * stored (fault round 92: a journal copy, or its metadata, reported journaled with nothing at the key). The object is
 * then looked at as a completed multipart upload is ({@link confirmCompleted}: a HEAD finding `sent.size` bytes at the
 * key), one round trip.
 *
 * @example
 * ```ts
 * const answer = await s3.send(new PutObjectCommand({ Bucket: 'journal', Key: 'k.json', Body: body }));
 * await confirmPut(s3, { Bucket: 'journal', Key: 'k.json' }, answer, { size: body.length, md5: () => md5Of(body) }, signal);
 * ```
 */
export async function confirmPut(
  s3: S3Client,
  object: CompletedObject,
  answer: StoredObjectFacts,
  sent: PutSent,
  signal: AbortSignal,
): Promise<void> {
  const what = `PutObject s3://${object.Bucket}/${object.Key}`;
  if (sent.md5 && statedMd5(object.Bucket, answer) !== undefined) {
    requireStoredAsSent(answer, object.Bucket, sent.md5, sent.size, what);
    return;
  }
  // The ETags are not compared: an ETag that is no MD5 may differ between a store's answers (false-positive round 10's
  // store), and the keys checked are taken only by this write (`If-None-Match: *`) or are the attempt's own.
  await confirmCompleted(s3, object, sent.size, undefined, signal, 'PutObject');
}
