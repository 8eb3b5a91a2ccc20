/**
 * Whether two ETags name the same object version as S3-compatible stores write them (false-positive round 12): quoted
 * or not, with a weak `W/` prefix, its quotes left as `&quot;` or `&#34;`, upper- or lower-case hex, white space
 * around (S3 itself drops every `"` of an ETag it is given). Anything else, another hash or part count, is another
 * ETag. Linear in their lengths.
 *
 * @example
 * ```ts
 * sameETag('"9b2cf535f27731c974343645a3985328-2"', 'W/"9B2CF535F27731C974343645A3985328-2"'); // true
 * sameETag('"9b2cf535f27731c974343645a3985328-2"', '"9b2cf535f27731c974343645a3985328-3"'); // false
 * ```
 */
export function sameETag(a: string, b: string): boolean {
  return bare(a) === bare(b);
}

const bare = (etag: string) =>
  etag
    .trim()
    .replace(/^W\//i, '')
    .replace(/&quot;|&#34;|&#x22;|"/gi, '')
    .trim()
    .toLowerCase();
