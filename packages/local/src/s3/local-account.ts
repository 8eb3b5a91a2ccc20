/**
 * A request's `Authorization` as s3rver's one account (`S3RVER`, s3-server.ts's S3_ACCESS_KEY_ID): any access key
 * signs in locally, since s3rver does not verify signatures and a handler in SAM's container signs with the host's
 * or SAM's default credentials.
 *
 * @example
 * ```ts
 * asLocalAccount('AWS4-HMAC-SHA256 Credential=AKIA…/20261206/us-east-1/s3/aws4_request, …');
 * ```
 */
export function asLocalAccount(authorization: string): string {
  return authorization
    .replace(/Credential=[^/,\s]+\//, 'Credential=S3RVER/')
    .replace(/^AWS [^:\s]+:/, 'AWS S3RVER:');
}
