import { type IncomingMessage, request } from 'node:http';
import { asLocalAccount } from './local-account.js';
import { objectNameOf } from './store-key.js';
import type { WriteVisibility } from './write-visibility.js';

// What s3rver gets wrong about keys and conditions, answered in front of it as S3 does (fault round 51).

/**
 * Whether s3rver's file store keeps `key` under its own name: it joins the segments as a file path, so `.`, `..`
 * and empty segments (`a//b`, `/a`) would name another key, or a file outside the bucket. A trailing `/` is kept.
 */
export function storableKey(key: string): boolean {
  const segments = key.split('/');
  segments.pop();
  return (
    segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') &&
    !/(^|\/)\.\.?$/.test(key)
  );
}

export interface CopySource {
  bucket: string;
  key: string;
  /** The header as s3rver reads it (`decodeURI`, which leaves `%2B`, `%3F`, `%26`… encoded): the same key. */
  header: string;
}

/** A copy's source as S3 reads `x-amz-copy-source` (`[/]bucket/key`, percent-decoded once); else undefined. */
export function copySourceOf(req: IncomingMessage): CopySource | undefined {
  const value = req.headers['x-amz-copy-source'];
  if (req.method !== 'PUT' || typeof value !== 'string' || value.includes('?')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.startsWith('/') ? value.slice(1) : value);
  } catch {
    return undefined;
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0) return undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), header: encodeURI(decoded) };
}

/** Whether the copy's `x-amz-copy-source-if-*` conditions hold for its source as it is now. */
export async function copyConditionsHold(
  req: IncomingMessage,
  upstream: string,
  source: CopySource,
  visibility?: WriteVisibility,
): Promise<boolean> {
  const condition = (name: string) => {
    const value = req.headers[`x-amz-copy-source-if-${name}`];
    return typeof value === 'string' ? value : undefined;
  };
  const [ifMatch, ifNoneMatch] = [condition('match'), condition('none-match')];
  const [unmodifiedSince, modifiedSince] = [condition('unmodified-since'), condition('modified-since')];
  if ([ifMatch, ifNoneMatch, unmodifiedSince, modifiedSince].every((c) => c === undefined)) return true;
  if (visibility) await visibility.settled(objectNameOf(source.bucket, source.key));
  const headers: Record<string, string> = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  for (const name of ['authorization', 'x-amz-date', 'x-amz-security-token']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = asLocalAccount(value);
  }
  const [host, port] = upstream.split(':');
  const path = `/${[source.bucket, ...source.key.split('/')].map(encodeURIComponent).join('/')}`;
  const head = await new Promise<IncomingMessage>((resolve, reject) => {
    request({ host, port, method: 'HEAD', path, headers }).on('response', resolve).on('error', reject).end();
  });
  head.resume();
  // A source that is not there: s3rver's copy answers NoSuchKey.
  if (head.statusCode !== 200) return true;
  return conditionsHold(
    { ifMatch, ifNoneMatch, unmodifiedSince, modifiedSince },
    { etag: head.headers.etag, lastModified: head.headers['last-modified'] },
  );
}

/** Whether a GET or HEAD's `If-Match` (else `If-Unmodified-Since`) holds for the object s3rver answered with. */
export function readConditionsHold(req: IncomingMessage, answer: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return true;
  if (answer.statusCode !== 200 && answer.statusCode !== 206) return true;
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  return conditionsHold(
    { ifMatch: header('if-match'), unmodifiedSince: header('if-unmodified-since') },
    { etag: answer.headers.etag, lastModified: answer.headers['last-modified'] },
  );
}

/** A request's preconditions (RFC 9110 §13.2.2 order: If-Match, else If-Unmodified-Since; then the negatives). */
interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  unmodifiedSince?: string;
  modifiedSince?: string;
}

/** Whether `conditions` hold for an object of this ETag and Last-Modified; a date that does not parse is ignored, as S3 ignores it. */
function conditionsHold(
  conditions: Preconditions,
  object: { etag?: string | undefined; lastModified?: string | undefined },
): boolean {
  const etag = String(object.etag ?? '');
  const modified = Date.parse(String(object.lastModified ?? ''));
  const matches = (list: string) =>
    list
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === etag || `"${t}"` === etag);
  const date = (value: string | undefined) => (value === undefined ? Number.NaN : Date.parse(value));
  const { ifMatch, ifNoneMatch } = conditions;
  const [unmodifiedSince, modifiedSince] = [date(conditions.unmodifiedSince), date(conditions.modifiedSince)];
  if (
    ifMatch !== undefined
      ? !matches(ifMatch)
      : !Number.isNaN(unmodifiedSince) && !(modified <= unmodifiedSince)
  )
    return false;
  if (
    ifNoneMatch !== undefined
      ? matches(ifNoneMatch)
      : !Number.isNaN(modifiedSince) && !(modified > modifiedSince)
  )
    return false;
  return true;
}
