import {
  type _Object,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LocalStackError } from './errors.js';

/** A listed object: its key always, the rest as S3 listed it. */
export type ListedObject = _Object & { Key: string };

/**
 * Every object under `prefix`, page after page, each page checked whole before any of its objects is given: a 200
 * that is no ListObjectsV2 result (no `IsTruncated`, a `KeyCount` that is not its keys: an empty or garbled body from
 * something in between), a truncated page without a continuation token, a token already used, an entry without a
 * key, a key outside the prefix or not after the last one listed (S3 lists in ascending UTF-8 byte order: a page
 * replayed or out of order) each throw a {@link LocalStackError}, rather than end the listing early, loop, or give
 * an object twice (fault rounds 44 and 45; `wmflow quarantine list` since fault round 53).
 *
 * @example
 * ```ts
 * for await (const object of checkedListing(s3, 'acme-inbound', 'quarantine/')) console.log(object.Key, object.ETag);
 * ```
 */
export async function* checkedListing(
  s3: S3Client,
  bucket: string,
  prefix: string,
): AsyncGenerator<ListedObject> {
  const where = `s3://${bucket}/${prefix}`;
  let token: string | undefined;
  // Every continuation token used, and the last key listed (UTF-8 bytes): the listing must move forward.
  const asked = new Set<string>();
  let last: Buffer | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    // Taking a page that is no listing for the last page would end the listing early.
    const notListing = notListingResult(page);
    if (notListing) throw new LocalStackError(`${where}: a listing page is ${notListing}`);
    // The whole page is checked before any of its keys is given: a key not after the last one is a page replayed
    // or garbled (given twice, or a listing that never ends), and an entry without a key is one never seen.
    const listed: ListedObject[] = [];
    for (const item of page.Contents ?? []) {
      if (typeof item.Key !== 'string' || item.Key === '')
        throw new LocalStackError(
          `${where}: a listing page has an entry without a key (after ${keyText(last)})`,
        );
      // A key outside the prefix asked for is another listing's page (a cache, something in between).
      if (!item.Key.startsWith(prefix))
        throw new LocalStackError(`${where}: a listing page holds ${item.Key}, outside the prefix ${prefix}`);
      const bytes = Buffer.from(item.Key, 'utf8');
      if (last !== undefined && Buffer.compare(bytes, last) <= 0)
        throw new LocalStackError(
          `${where}: a listing page goes back: ${item.Key} after ${keyText(last)} (S3 lists keys in ascending order; a page replayed or out of order)`,
        );
      last = bytes;
      listed.push(item as ListedObject);
    }
    const next = page.IsTruncated ? page.NextContinuationToken : undefined;
    // A truncated page that names no continuation would end the listing early, the rest never seen.
    if (page.IsTruncated && !next)
      throw new LocalStackError(`${where}: a listing page is truncated but names no continuation token`);
    if (token !== undefined) asked.add(token);
    // A token already asked with would list the same pages again, and again: the listing would never end.
    if (next !== undefined && asked.has(next))
      throw new LocalStackError(
        `${where}: a listing page names a continuation token already used (${next}): the listing does not move forward`,
      );
    yield* listed;
    token = next;
  } while (token);
}

/**
 * Why a ListObjectsV2 answer is not S3's listing, or undefined when it is one: S3 answers every page with
 * IsTruncated and a KeyCount of its keys, and a 200 without them is an empty or garbled body from something in between.
 *
 * @example
 * ```ts
 * const why = notListingResult(await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'k' })));
 * ```
 */
export function notListingResult(page: ListObjectsV2CommandOutput): string | undefined {
  const count = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
  if (typeof page.IsTruncated === 'boolean' && page.KeyCount === count) return undefined;
  return `not a ListObjectsV2 result (IsTruncated ${page.IsTruncated}, KeyCount ${page.KeyCount} for ${count} key(s))`;
}

/** A listed key, or "the start of the listing". */
function keyText(key: Buffer | undefined): string {
  return key === undefined ? 'the start of the listing' : key.toString('utf8');
}
