import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RuleContext } from '@wmflow/core';
import type { KeyValues } from './key.js';

/**
 * How long after a first attempt the same WorkMail event may come again: a synchronous rule is retried until its
 * timeout (at most 240 minutes), an asynchronous one's event by Lambda for up to six hours (its maximum event age).
 */
export const RETRY_WINDOW_MS = 6 * 3_600_000;
const HOUR_MS = 3_600_000;

/**
 * The keys an earlier attempt of this invocation may have filed its copy under, most recent first: a key built from the
 * clock (WorkMail states no receipt time) changes at each UTC midnight (or hour, with `{hh}`), so a retry after it
 * would otherwise file a second copy under the new date (fault round 84). Empty for most of the day with the default
 * template: only within {@link RETRY_WINDOW_MS} after a date change does the key differ from the one before.
 */
export function earlierKeys(
  key: (values: KeyValues) => string,
  values: Omit<KeyValues, 'date'>,
  now: number,
): string[] {
  const current = key({ ...values, date: new Date(now) });
  const keys: string[] = [];
  for (let back = HOUR_MS; back <= RETRY_WINDOW_MS; back += HOUR_MS) {
    const k = key({ ...values, date: new Date(now - back) });
    if (k !== current && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

/**
 * The first of `keys` that holds an object (a copy an earlier attempt filed), or undefined. A HEAD refused (not a
 * 404: 403, 405, 501, a 503 past the retries) or answered 200 without an ETag asks the listing of that key instead (fault round 85: it counted as
 * nothing there, and a copy filed before midnight got a second one under the new day). Both refused is logged and
 * counts as nothing there: the copy then goes under the current key, a second copy at worst, never a message left
 * unjournaled. The probes run at once (one round trip; two for a refused HEAD).
 */
export async function earlierCopy(
  ctx: RuleContext,
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
): Promise<string | undefined> {
  // The listing of a key whose HEAD gave no answer: both refused is logged and counts as nothing there.
  const askListing = (Key: string, headError: unknown) =>
    listed(ctx, s3, bucket, Key).catch((listError: unknown) => {
      if (ctx.signal.aborted) throw listError;
      ctx.logger.warn('journal: could not look for a copy filed before the date changed', {
        key: Key,
        error: (headError as Error).message,
        listError: (listError as Error).message,
      });
      return false;
    });
  const found = await Promise.all(
    keys.map((Key) =>
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key }), { abortSignal: ctx.signal }).then(
        // S3 gives every object an ETag: a bare 200 is something in between, not S3's answer (fault round 53); the
        // listing is asked, as for a refused HEAD (fault round 86: it counted as nothing there, and a second copy
        // was filed under the new day).
        (head) =>
          typeof head.ETag === 'string' && head.ETag !== ''
            ? true
            : askListing(Key, new Error('the answer to HeadObject has no ETag')),
        (error: unknown) => {
          if (ctx.signal.aborted) throw error;
          const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
          if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404)
            return false;
          return askListing(Key, error);
        },
      ),
    ),
  );
  return keys[found.indexOf(true)];
}

/** Whether the listing of `key` (as a prefix, first key only) names `key` itself with an ETag: the copy is there. */
async function listed(ctx: RuleContext, s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }), {
    abortSignal: ctx.signal,
  });
  // S3 answers every page with IsTruncated and a KeyCount: a 200 without them is no listing (fault round 44).
  if (typeof page.IsTruncated !== 'boolean' || page.KeyCount !== (page.Contents?.length ?? 0))
    throw new Error('the answer to ListObjectsV2 is no listing');
  const first = page.Contents?.[0];
  return first?.Key === key && typeof first.ETag === 'string' && first.ETag !== '';
}
