import { createHmac } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';
import { sha256 } from './sha256.js';

/** One GET to sign: a path of plain segments (see {@link isPlainSignedPath}), no query, no body. */
export interface SignedGet {
  host: string;
  path: string;
  region: string;
  service: string;
  credentials: AwsCredentialIdentity;
  date: Date;
}

// SHA-256 of the empty payload: a GET has no body.
const EMPTY_PAYLOAD_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// A path whose canonical form is itself: segments of unreserved characters, none empty, "." or "..".
const PLAIN_SEGMENTS = /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._~-]+)+$/;

/** True when `path` is signed as written (the SDK signer would neither normalise nor escape it). */
export function isPlainSignedPath(path: string): boolean {
  return PLAIN_SEGMENTS.test(path);
}

// The signing key changes with the day, the region and the credentials: derived once for each. Kept by its
// parts, not by the scope they spell ("a/b" + "c" and "a" + "b/c" spell one scope, and derive two keys).
let signingKey: { secret: string; day: string; region: string; service: string; key: Buffer } | undefined;

/**
 * The SigV4 headers of one GET (host, x-amz-date, x-amz-content-sha256, the session token when there is
 * one, authorization): the request the WorkMail message flow read sends, signed without the SDK signer's
 * general request handling.
 * The caller uses it only once it gave the SDK signer's very headers for the same request (direct-get.ts).
 */
export function signGet(get: SignedGet): Record<string, string> {
  const longDate = get.date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${get.region}/${get.service}/aws4_request`;
  const { accessKeyId, secretAccessKey, sessionToken } = get.credentials;
  const headers: Record<string, string> = {
    host: get.host,
    'x-amz-date': longDate,
    'x-amz-content-sha256': EMPTY_PAYLOAD_HASH,
  };
  let canonicalHeaders = `host:${get.host.trim()}\nx-amz-content-sha256:${EMPTY_PAYLOAD_HASH}\nx-amz-date:${longDate}\n`;
  let signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  if (sessionToken) {
    headers['x-amz-security-token'] = sessionToken;
    canonicalHeaders += `x-amz-security-token:${sessionToken.trim()}\n`;
    signedHeaders += ';x-amz-security-token';
  }
  const canonicalRequest = `GET\n${get.path}\n\n${canonicalHeaders}\n${signedHeaders}\n${EMPTY_PAYLOAD_HASH}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${sha256(canonicalRequest).toString('hex')}`;
  const signature = createHmac('sha256', keyFor(secretAccessKey, shortDate, get))
    .update(stringToSign)
    .digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

function keyFor(secret: string, day: string, { region, service }: SignedGet): Buffer {
  const k = signingKey;
  if (k?.secret === secret && k.day === day && k.region === region && k.service === service) return k.key;
  let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  signingKey = { secret, day, region, service, key };
  return key;
}
