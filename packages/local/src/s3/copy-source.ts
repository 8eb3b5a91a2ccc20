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
  const etag = String(head.headers.etag ?? '');
  const modified = Date.parse(String(head.headers['last-modified'] ?? ''));
  const tags = (list: string) => list.split(',').map((t) => t.trim().replace(/^W\//, ''));
  const matches = (list: string) => tags(list).some((t) => t === '*' || t === etag || `"${t}"` === etag);
  const since = (date: string) => Date.parse(date);
  if (
    ifMatch !== undefined
      ? !matches(ifMatch)
      : unmodifiedSince !== undefined && !(modified <= since(unmodifiedSince))
  )
    return false;
  if (
    ifNoneMatch !== undefined
      ? matches(ifNoneMatch)
      : modifiedSince !== undefined && !(modified > since(modifiedSince))
  )
    return false;
  return true;
}

/** Whether a GET or HEAD's `If-Match` (else `If-Unmodified-Since`) holds for the object s3rver answered with. */
export function readConditionsHold(req: IncomingMessage, answer: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return true;
  if (answer.statusCode !== 200 && answer.statusCode !== 206) return true;
  const ifMatch = req.headers['if-match'];
  const etag = String(answer.headers.etag ?? '');
  if (typeof ifMatch === 'string')
    return ifMatch
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === etag || `"${t}"` === etag);
  const since = req.headers['if-unmodified-since'];
  if (typeof since !== 'string') return true;
  // A date S3 cannot read is ignored, as S3 ignores it.
  if (Number.isNaN(Date.parse(since))) return true;
  return Date.parse(String(answer.headers['last-modified'] ?? '')) <= Date.parse(since);
}
