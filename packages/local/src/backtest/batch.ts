import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { isTransient, keepAnswerOnBody, TransientError } from '@wmflow/core';
import { notListingResult } from '../checked-listing.js';
import { LocalStackError } from '../errors.js';
import { describeError } from '../replay/invoke.js';
import { failedLine } from './pool.js';
import { type BacktestInit, openBacktestSession } from './session.js';
import { isNotFound, openSource } from './source.js';
import type { BacktestLine } from './types.js';

/**
 * What the Step Functions Distributed Map hands the batch Lambda: a batch of
 * the S3 listing (ItemBatcher) and the execution's settings (BatchInput).
 *
 * @example
 * ```ts
 * const event: BatchEvent = { Items: [{ Key: 'journal/inbound/2026/11/29/abc' }], BatchInput: { bucket: 'acme-journal', init } };
 * ```
 */
export interface BatchEvent {
  /**
   * As the Map's ItemReader lists them (`Etag`, as Step Functions spells it; `ETag` as S3 does): the ETag ties the
   * read to the object listed (fault round 53).
   */
  Items: { Key: string; Size?: number; Etag?: string; ETag?: string }[];
  BatchInput: { bucket: string; init: BacktestInit };
  /** How many times the Map has retried this batch (`$$.State.RetryCount`). */
  RetryCount?: number;
  /** The retries the Map allows a failed batch: the try whose `RetryCount` reaches it is the last. */
  RetriesAllowed?: number;
}

/**
 * An S3 client for the journal whose region, credentials, endpoint and checksum settings are all
 * fixed now, from `env`: the SDK would otherwise read them from the environment
 * at its first request, after the session has pointed it at the emulators. What S3 answers is
 * checked against its `x-amz-checksum-*` (`WHEN_SUPPORTED`), and a part of the object is refused
 * whether it carries one or not (fault rounds 72 and 73).
 *
 * @example
 * ```ts
 * const journal = journalClient(process.env); // in the Lambda, before the first batch
 * ```
 */
export function journalClient(env: NodeJS.ProcessEnv): S3Client {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN } = env;
  if (!accessKeyId || !secretAccessKey)
    throw new LocalStackError(
      'the backtest Lambda needs its credentials in the environment (AWS_ACCESS_KEY_ID)',
    );
  // The checksum check of what S3 answers is fixed now too: read at the first request, it was the local stack's
  // `WHEN_REQUIRED`, and a byte changed on its way was judged, or reported as "a changed copy" for good (fault round
  // 73). A part of the object with its own checksum is then refused as one without (`keepAnswerOnBody`, round 72).
  return keepAnswerOnBody(
    new S3Client({
      region,
      credentials: {
        accessKeyId,
        secretAccessKey,
        ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
      },
      endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${region}.amazonaws.com`,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_SUPPORTED',
    }),
  );
}

/** The batch's result (kept small: the Map's ResultWriter stores it). */
export interface BatchResult {
  lines: BacktestLine[];
}

/**
 * Backtests one batch of journal objects: reads them from the journal bucket
 * with `journal` (the function's real S3 access), and replays them on an
 * emulator started in this process, the same code path as `wmflow backtest`'s
 * workers. Metadata objects (`*.json`) in the batch are skipped, but for one whose message is gone (a failed
 * line), and a message that cannot be read whole (a changed copy) gets a failed line. A transient failure
 * (throttled, a 5xx, a body cut on its way) fails the batch instead, so the Map's retry reads it again; on the
 * batch's last try (`RetryCount` has reached `RetriesAllowed`) it is that message's failed line and the rest of the
 * batch is judged (fault round 53). A key the list names twice is judged once; given two ETags, it is a failed line
 * (fault round 60). A process serves one backtest configuration: the policies read theirs at import.
 *
 * @example
 * ```ts
 * const run = batchRunner(new S3Client({}));
 * const { lines } = await run(event);
 * ```
 */
export function batchRunner(journal: S3Client): (event: BatchEvent) => Promise<BatchResult> {
  let session: ReturnType<typeof openBacktestSession> | undefined;
  let configured: string | undefined;
  return async (event) => {
    const { bucket, init } = event.BatchInput;
    const config = JSON.stringify(init);
    configured ??= config;
    if (config !== configured)
      throw new LocalStackError(
        'this backtest process was set up for another configuration; retry elsewhere',
      );
    session ??= openBacktestSession(init);
    const { backtest } = await session;
    const source = await openSource(`s3://${bucket}/`, { s3: journal });
    const lines: BacktestLine[] = [];
    // No retry left: a message still failing transiently is failed alone, not the messages read with it.
    const lastTry =
      event.RetryCount !== undefined &&
      event.RetriesAllowed !== undefined &&
      event.RetryCount >= event.RetriesAllowed;
    try {
      const listed = new Set(event.Items.map((i) => i.Key));
      const etagOf = (i: BatchEvent['Items'][number]) => i.Etag ?? i.ETag;
      const etags = new Map(
        event.Items.flatMap((i) => (etagOf(i) ? [[i.Key, etagOf(i) as string] as const] : [])),
      );
      // The greatest key of the batch (S3 order, UTF-8 bytes): what sorts after it is in another batch or none.
      const last = event.Items.map((i) => Buffer.from(i.Key, 'utf8')).reduce(
        (a, b) => (Buffer.compare(a, b) < 0 ? b : a),
        Buffer.alloc(0),
      );
      // A key the list names twice is one object: judged once, else its line is counted twice (fault round 60).
      // Given two ETags, the read cannot be tied to one listing: a failed line says so.
      const twoEtags = new Set(
        event.Items.filter((i) => etagOf(i) && etagOf(i) !== etags.get(i.Key)).map((i) => i.Key),
      );
      const seen = new Set<string>();
      for (const { Key } of event.Items) {
        if (seen.has(Key)) continue;
        seen.add(Key);
        if (Key.endsWith('/')) continue;
        const twice = [Key, `${Key}.json`].find((k) => twoEtags.has(k));
        if (twice !== undefined && !Key.endsWith('.json')) {
          lines.push(
            failedLine(Key, {
              name: 'LocalStackError',
              message: `${twice}: listed twice in the batch with different ETags; not judged against either`,
            }),
          );
          continue;
        }
        if (Key.endsWith('.json')) {
          // Metadata whose message is in no batch (gone): a failed line, not a message never seen.
          const message = Key.slice(0, -'.json'.length);
          if (listed.has(message)) continue;
          const there = await exists(journal, bucket, message).catch((error: unknown) => error as Error);
          // As a read: transient fails the batch for the Map to retry, but on its last try (fault round 53).
          if (there instanceof Error && (!isTransient(there) || !lastTry)) throw there;
          if (there instanceof Error) lines.push(failedLine(message, describeError(there)));
          else if (!there)
            lines.push(
              failedLine(message, {
                name: 'LocalStackError',
                message: `${message}: the message is missing (its metadata ${Key} is there)`,
              }),
            );
          continue;
        }
        // The Map cuts the listing into batches anywhere: `<key>.json` may open the next batch. A read of one this
        // batch ends before that finds nothing asks the listing, and is refused as here when it is listed (fault
        // round 49); a listing that cannot be asked fails the line.
        const described = `${Key}.json`;
        const beyond = Buffer.compare(last, Buffer.from(described, 'utf8')) >= 0;
        const item = await source
          .fetch(Key, {
            metadataListed: listed.has(described),
            ...(etags.has(Key) ? { etag: etags.get(Key) as string } : {}),
            ...(etags.has(described) ? { metadataEtag: etags.get(described) as string } : {}),
            ...(beyond ? {} : { metadataListedNow: () => listedNow(journal, bucket, described) }),
          })
          .catch((error: unknown) => error as Error);
        // A retry may cure a transient failure (throttled, a 5xx, a body cut on its way): the batch fails so the Map
        // retries it, rather than report the message as not backtested for good (fault round 52); after the Map's
        // last retry the message's own line says so, and the others are judged (fault round 53).
        if (item instanceof Error && isTransient(item) && !lastTry) throw item;
        if (item instanceof Error) {
          lines.push(failedLine(Key, describeError(item)));
          continue;
        }
        try {
          lines.push(await backtest(item));
        } finally {
          await source.release(item);
        }
      }
    } finally {
      await source.close();
    }
    return { lines };
  };
}

/** Whether the listing names `key` now (the batch Lambda lists the journal prefix, as the state machine does). */
async function listedNow(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  // An answer that is no listing says nothing about the key, and "not listed" would judge the copy unchecked
  // (fault round 53). A retry may get S3's answer.
  const notListing = notListingResult(page);
  if (notListing)
    throw new TransientError(`s3://${bucket}/${key}: the listing asked whether it is there is ${notListing}`);
  return page.Contents?.some((o) => o.Key === key) === true;
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    // S3 answers a HEAD of an object with its ETag: a 200 without one (something in between) says nothing, and
    // "there" would leave the message unseen, never judged nor reported (fault round 53).
    if (!head.ETag)
      throw new TransientError(
        `HeadObject s3://${bucket}/${key} answered 200 without an ETag: not S3's answer`,
      );
    return true;
  } catch (error) {
    if (error instanceof TransientError) throw error;
    if (isNotFound(error)) return false;
    throw error;
  }
}
