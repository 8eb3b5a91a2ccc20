import { createHash } from 'node:crypto';
import type { PutObjectCommandInput, PutObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { confirmPut, requireETag } from '@wmflow/core';

/**
 * Checks that a small PutObject with a body in memory (the journal's metadata object, `<key>.json`) answered `200` is
 * stored as sent: an ETag, then the MD5 of the body against the ETag when it states one (a few hundred bytes: no
 * cost), else a HEAD for its length and ETag (SSE-KMS). Fault round 92: a `200` from something in between for a
 * metadata object S3 never took, or took cut with its length, was taken for it written, and the message reported
 * journaled with a copy whose metadata is missing or cut. A mismatch is a `TransientError`: the invocation fails and
 * its retry finds the copy and writes (or repairs) the metadata.
 *
 * @example
 * ```ts
 * const params = { Bucket: 'journal', Key: 'k.json', Body: '{"size":12}' };
 * await requireSmallPutStored(s3, params, await s3.send(new PutObjectCommand(params)), signal);
 * ```
 */
export async function requireSmallPutStored(
  s3: S3Client,
  params: PutObjectCommandInput & { Bucket: string; Key: string },
  answer: PutObjectCommandOutput,
  signal: AbortSignal,
): Promise<void> {
  requireETag(answer, `PutObject s3://${params.Bucket}/${params.Key}`);
  const body =
    typeof params.Body === 'string'
      ? Buffer.from(params.Body)
      : params.Body instanceof Uint8Array
        ? params.Body
        : undefined;
  if (body === undefined) throw new TypeError(`a small PutObject's body is a string or bytes: ${params.Key}`);
  const md5 = () => createHash('md5').update(body).digest('hex');
  await confirmPut(s3, params, answer, { size: body.length, md5 }, signal);
}
