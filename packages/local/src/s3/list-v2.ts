/**
 * Turns a ListObjectsV2 query into the ListObjects (v1) query s3rver answers
 * without DES: the continuation token is the base64url of the v1 marker.
 * Returns undefined for any other request.
 *
 * @example
 * ```ts
 * listV2ToV1('/b?list-type=2&max-keys=2'); // '/b?max-keys=2'
 * ```
 */
export function listV2ToV1(url: string): string | undefined {
  const parsed = new URL(url, 'http://s3.local');
  const query = parsed.searchParams;
  if (query.get('list-type') !== '2') return undefined;
  const token = query.get('continuation-token');
  const marker = token ? Buffer.from(token, 'base64url').toString('utf8') : query.get('start-after');
  for (const name of ['list-type', 'continuation-token', 'start-after', 'fetch-owner']) query.delete(name);
  if (marker) query.set('marker', marker);
  return `${parsed.pathname}${query.size > 0 ? `?${query.toString()}` : ''}`;
}

/**
 * Rewrites s3rver's ListObjects (v1) answer into a ListObjectsV2 answer for
 * the original query: KeyCount, ContinuationToken, StartAfter and, when
 * truncated, NextContinuationToken after the last key or common prefix.
 *
 * @example
 * ```ts
 * const v2 = listV1ToV2Xml(v1Xml, '/b?list-type=2&max-keys=2');
 * ```
 */
export function listV1ToV2Xml(xml: string, originalUrl: string): string {
  const query = new URL(originalUrl, 'http://s3.local').searchParams;
  const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1] as string);
  const prefixes = [...xml.matchAll(/<CommonPrefixes><Prefix>([^<]*)<\/Prefix><\/CommonPrefixes>/g)].map(
    (m) => m[1] as string,
  );
  const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
  const extra: string[] = [`<KeyCount>${keys.length + prefixes.length}</KeyCount>`];
  const token = query.get('continuation-token');
  if (token) extra.push(`<ContinuationToken>${escapeXml(token)}</ContinuationToken>`);
  const startAfter = query.get('start-after');
  if (startAfter && !token) extra.push(`<StartAfter>${escapeXml(startAfter)}</StartAfter>`);
  if (truncated) {
    const lastKey = unescapeXml(keys.at(-1) ?? '');
    // A marker right after a rolled-up prefix skips every key under it.
    const lastPrefix = prefixes.length > 0 ? `${unescapeXml(prefixes.at(-1) as string)}\uffff` : '';
    // biome-ignore lint/complexity/useMathMinMax: strings, compared in code-unit order
    const next = lastPrefix > lastKey ? lastPrefix : lastKey;
    extra.push(
      `<NextContinuationToken>${Buffer.from(next, 'utf8').toString('base64url')}</NextContinuationToken>`,
    );
  }
  return xml
    .replace(/<Marker>[^<]*<\/Marker>|<Marker\/>|<NextMarker>[^<]*<\/NextMarker>/g, '')
    .replace(/(<\/Prefix>|<Prefix\/>)/, `$1${extra.join('')}`);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] as string;
  });
}
