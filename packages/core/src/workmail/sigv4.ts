import { createHash, createHmac } from 'node:crypto';

/** AWS credentials as the SDK's providers give them. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A body-less request to sign: path already URI-encoded, no query string. */
export interface SignedGet {
  host: string;
  path: string;
  region: string;
  service: string;
  credentials: SigningCredentials;
  date: Date;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// Signing keys change once a day per secret, region and service: derived once, not per request.
let cachedKey: { id: string; key: Buffer } | undefined;

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${secret}\n${day}\n${region}\n${service}`;
  if (cachedKey?.id === id) return cachedKey.key;
  let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  cachedKey = { id, key };
  return key;
}

/**
 * The headers of a Signature Version 4 signed GET without body or query (`host`, `x-amz-date`,
 * `x-amz-content-sha256`, the session token when there is one, `authorization`), as the SDK's signer
 * makes them for such a request.
 *
 * @example
 * ```ts
 * const headers = signGet({ host: 'workmailmessageflow.eu-west-1.amazonaws.com', path: '/messages/x',
 *   region: 'eu-west-1', service: 'workmailmessageflow', credentials, date: new Date() });
 * ```
 */
export function signGet(request: SignedGet): Record<string, string> {
  const { credentials } = request;
  const amzDate = request.date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    host: request.host,
    'x-amz-content-sha256': EMPTY_SHA256,
    'x-amz-date': amzDate,
  };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = [
    'GET',
    request.path,
    '',
    ...names.map((n) => `${n}:${(headers[n] as string).trim()}`),
    '',
    names.join(';'),
    EMPTY_SHA256,
  ].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  const key = signingKey(credentials.secretAccessKey, day, request.region, request.service);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}
