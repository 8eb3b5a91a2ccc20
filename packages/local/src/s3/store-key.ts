/**
 * The bucket and key of a path-style object path, decoded as s3rver's router decodes them; undefined for
 * a path that names no object or cannot be decoded.
 *
 * @example
 * ```ts
 * storeKey('/journal/a%20b/c'); // { bucket: 'journal', key: 'a b/c' }
 * ```
 */
export function storeKey(path: string): { bucket: string; key: string } | undefined {
  const match = /^\/([^/]+)\/(.+)$/.exec(path);
  if (!match) return undefined;
  try {
    return { bucket: decodeURIComponent(match[1] as string), key: decodeURIComponent(match[2] as string) };
  } catch {
    return undefined;
  }
}

/**
 * One name per object whatever the request's percent-encoding (`%41` and `A`, `%2F` and `/`): locks and
 * in-progress marks keyed by it cover every spelling of the same key.
 *
 * @example
 * ```ts
 * objectName('/b/%41') === objectName('/b/A'); // true
 * ```
 */
export function objectName(path: string): string {
  const parts = storeKey(path);
  return parts ? objectNameOf(parts.bucket, parts.key) : path;
}

/**
 * {@link objectName} of a bucket and a decoded key, for reads that do not come through HTTP.
 *
 * @example
 * ```ts
 * objectNameOf('b', 'A') === objectName('/b/%41'); // true
 * ```
 */
export function objectNameOf(bucket: string, key: string): string {
  return `${bucket}\u0000${key}`;
}
