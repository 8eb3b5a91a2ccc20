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
