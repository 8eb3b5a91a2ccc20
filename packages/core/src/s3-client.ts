import { S3Client } from '@aws-sdk/client-s3';

let shared: S3Client | undefined;

/**
 * The S3 client for this Lambda container, created on first use and shared by every engine adapter and
 * rule (journaling). Region, credentials and endpoint come from the environment (`AWS_ENDPOINT_URL_S3`);
 * `AWS_S3_FORCE_PATH_STYLE=true` selects path-style addresses, which local S3 servers on 127.0.0.1 need.
 *
 * @example
 * ```ts
 * await sharedS3Client().send(new HeadObjectCommand({ Bucket: 'journal', Key: 'x' }));
 * ```
 */
export function sharedS3Client(): S3Client {
  shared ??= new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
  return shared;
}

/** Forgets the shared S3 client (tests that change the environment between cases). */
export function resetSharedS3Client(): void {
  shared = undefined;
}
