import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';

/**
 * Whether S3 itself verifies the bytes of an upload sent through `s3` with `params`: the SDK sends a checksum of them
 * (the upload names an algorithm, or the client calculates one for every operation that supports it:
 * `WHEN_SUPPORTED`, the SDK's default and `template.yaml`'s), and S3 refuses bytes that do not match it
 * (`BadDigest`). An upload S3 verifies needs no digest of its own compared with the answer's ETag (fault round 88:
 * one MD5 per upload, 42 ms per 25 MB on the development machine); one it does not (`WHEN_REQUIRED`, the local
 * stack's) does.
 *
 * @example
 * ```ts
 * if (!(await storeVerifiesUpload(s3, params))) md5 = createHash('md5');
 * ```
 */
export async function storeVerifiesUpload(
  s3: S3Client,
  params: Pick<PutObjectCommandInput, 'Bucket' | 'Key' | 'ChecksumAlgorithm' | 'ContentMD5'>,
): Promise<boolean> {
  if (params.ChecksumAlgorithm || params.ContentMD5) return true;
  const calculation = (s3.config as { requestChecksumCalculation?: () => Promise<string> })
    .requestChecksumCalculation;
  return (await calculation?.()) === 'WHEN_SUPPORTED';
}
