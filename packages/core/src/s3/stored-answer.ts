import { TransientError } from '../transient.js';

/**
 * S3 answers every PutObject, UploadPart and CompleteMultipartUpload it carried out with an ETag. An answer
 * without one (a 200 from something in between, an `<Error>` document the SDK took for a result) did not store
 * anything anyone can count on: it is refused as transient, so the invocation fails and WorkMail retries.
 *
 * @example
 * ```ts
 * requireETag(await s3.send(new PutObjectCommand(params)), `PutObject s3://${params.Bucket}/${params.Key}`);
 * ```
 */
export function requireETag<T extends { ETag?: string }>(output: T, what: string): T {
  if (output.ETag) return output;
  throw new TransientError(`${what} answered 200 without an ETag: the object is not known to be stored`);
}

/**
 * The status of an error answer that names no S3 error code (S3 gives every GetObject error an `<Error><Code>`):
 * a redirect, a 304, a bodiless 404, a proxy's page, from something in between (fault round 47). Nothing about the
 * object, so callers treat it as transient: a protection must not settle its blocking verdict (and send a bounce)
 * on it, nor take it for an answer about a staged update (fault round 54).
 *
 * @example
 * ```ts
 * if (notS3sAnswer(error) !== undefined) throw new TransientError('not S3’s answer', { cause: error });
 * ```
 */
export function notS3sAnswer(error: unknown): number | undefined {
  const e = error as { Code?: unknown; $response?: { statusCode?: number } };
  const status = e?.$response?.statusCode;
  if (status === undefined || status < 300 || typeof e.Code === 'string') return undefined;
  return status;
}
