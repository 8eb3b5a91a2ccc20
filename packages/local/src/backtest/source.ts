import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { digestOf, isPreconditionFailed, requireDelimited, TransientError } from '@wmflow/core';
import { checkedListing, notListingResult } from '../checked-listing.js';
import { LocalStackError } from '../errors.js';
import { noteListedMetadata } from './listed-metadata.js';
import { MAX_METADATA_BYTES, parseMetadata } from './metadata.js';
import type { BacktestItem, JournalMetadata } from './types.js';

/**
 * Where journaled messages are read from: a folder laid out as the archiver
 * writes (`<key>` and `<key>.json`), or an S3 prefix.
 *
 * @example
 * ```ts
 * const source = await openSource('s3://acme-journal/journal/INBOUND/2026/10/');
 * for await (const key of source.list()) console.log(key);
 * ```
 */
export interface JournalSource {
  readonly name: string;
  /**
   * Message keys in lexicographic order (metadata objects `*.json` left out), streamed; a metadata object whose
   * message is missing gives that message's key, whose fetch then fails: no message is skipped unseen.
   */
  list(): AsyncIterable<string>;
  /**
   * The message's bytes on this machine and its metadata; throws when the bytes are not what the journal wrote
   * (their size or SHA-256 differ from the metadata's): a cut copy is not judged as the message. Throws too when
   * the metadata was listed (by `list()`, or as `metadataListed` says) and reading it finds nothing, and when the
   * key holds another object than the one listed (its ETag, as `list()` or `etag` gives it): that one is not judged.
   */
  fetch(
    key: string,
    options?: {
      metadataListed?: boolean;
      /** Asked when reading the metadata finds nothing and `metadataListed` does not say it was listed. */
      metadataListedNow?: () => Promise<boolean>;
      /** The ETags the message and its `<key>.json` were listed with, when another listing than `list()` named them. */
      etag?: string;
      metadataEtag?: string;
    },
  ): Promise<BacktestItem>;
  /** Frees what `fetch` made (a spooled copy). */
  release(item: BacktestItem): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `s3://bucket/prefix` through the real S3 API with the standard AWS
 * configuration (environment, profile, `AWS_ENDPOINT_URL_S3`), or a local folder.
 *
 * @example
 * ```ts
 * const source = await openSource('out/s3/wmflow-journal/journal');
 * ```
 */
export async function openSource(spec: string, options: { s3?: S3Client } = {}): Promise<JournalSource> {
  if (spec.startsWith('s3://')) {
    const [bucket = '', ...rest] = spec.slice(5).split('/');
    if (bucket === '') throw new LocalStackError(`${spec}: give s3://bucket/prefix`);
    return s3Source(options.s3 ?? new S3Client({}), bucket, rest.join('/'));
  }
  const info = await stat(spec).catch(() => undefined);
  if (info?.isFile())
    throw new LocalStackError(`${spec}: a file; give the folder of a journal (or s3://bucket/prefix)`);
  if (!info?.isDirectory()) throw new LocalStackError(`${spec}: no such folder (or give s3://bucket/prefix)`);
  return folderSource(spec);
}

function folderSource(root: string): JournalSource {
  let spool: string | undefined;
  let count = 0;
  let siblings: { dir: string; names: string[] } | undefined;
  async function* walk(dir: string): AsyncGenerator<string> {
    // One folder's names at a time, sorted: the order S3 would list them in.
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* walk(path);
      else if (entry.isFile()) yield relative(root, path).split(sep).join('/');
    }
  }
  return {
    name: root,
    list: () => withOrphans(walk(root)),
    fetch: async (key) => {
      const path = join(root, key);
      // No metadata is a message journaled without it; metadata that cannot be read is an error.
      const text = await readFile(`${path}.json`, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new LocalStackError(`${key}.json: cannot be read (${error.code ?? error.message})`);
      });
      const metadata = text === undefined ? null : parseMetadata(text, key);
      if (metadata === null) {
        // One folder's names at a time (keys come in listing order): not a read of the folder per message.
        if (siblings?.dir !== dirname(path))
          siblings = { dir: dirname(path), names: await readdir(dirname(path)).catch(() => []) };
        refuseRepaired(
          key,
          siblings.names.map((n) => join(dirname(key), n).split(sep).join('/')),
        );
      }
      if (!(await stat(path).catch(() => undefined))?.isFile())
        throw new LocalStackError(`${key}: the message is missing (its metadata ${key}.json is there)`);
      // The bytes checked are the bytes judged, by every policy: a copy of the file, not the file, which may be
      // rewritten in place after its check (a sync, a `cp`) and read cut or other (fault round 53).
      spool ??= await mkdtemp(join(tmpdir(), 'wmflow-backtest-'));
      const copy = join(spool, String(count++));
      await copyFile(path, copy, constants.COPYFILE_FICLONE).catch((error: NodeJS.ErrnoException) => {
        throw new LocalStackError(`${key}: cannot be read (${error.code ?? error.message})`);
      });
      try {
        await checkBytes(copy, key, metadata);
      } catch (error) {
        await rm(copy, { force: true });
        throw error;
      }
      return { key, path: copy, metadata };
    },
    release: (item) => rm(item.path, { force: true }),
    close: async () => {
      if (spool) await rm(spool, { recursive: true, force: true });
    },
  };
}

function s3Source(s3: S3Client, bucket: string, prefix: string): JournalSource {
  let spool: string | undefined;
  let count = 0;
  // Message keys whose `<key>.json` the listing named, until fetched.
  const described = new Set<string>();
  // The ETag each key was listed with, until fetched: the read is of that object (IfMatch), not one put since.
  const etags = new Map<string, string>();
  return {
    name: `s3://${bucket}/${prefix}`,
    list() {
      async function* keys() {
        // Each page checked whole before its keys are given (fault rounds 44 and 45).
        for await (const item of checkedListing(s3, bucket, prefix)) {
          if (item.ETag) etags.set(item.Key, item.ETag);
          if (!item.Key.endsWith('/')) yield item.Key;
        }
      }
      return withOrphans(noteListedMetadata(keys(), described));
    },
    async fetch(key, options) {
      const listed = described.delete(key) || options?.metadataListed === true;
      const etag = options?.etag ?? etags.get(key);
      const metadataEtag = options?.metadataEtag ?? etags.get(`${key}.json`);
      etags.delete(key);
      etags.delete(`${key}.json`);
      spool ??= await mkdtemp(join(tmpdir(), 'wmflow-backtest-'));
      const path = join(spool, String(count++));
      try {
        return await fetchInto(path, key, listed, etag, metadataEtag, options);
      } catch (error) {
        // A copy whose fetch failed (cut on its way, not what its metadata says, a disk that filled) goes at once, as
        // a folder source's: left until the run ends, one message too large for the disk failed every later one
        // ENOSPC (fault round 98).
        await rm(path, { force: true });
        throw error;
      }
    },
    release: (item) => rm(item.path, { force: true }),
    close: async () => {
      if (spool) await rm(spool, { recursive: true, force: true });
    },
  };

  async function fetchInto(
    path: string,
    key: string,
    listed: boolean,
    etag: string | undefined,
    metadataEtag: string | undefined,
    options: Parameters<JournalSource['fetch']>[1],
  ): Promise<BacktestItem> {
    // The object listed, not another put under its key since: without metadata nothing else would tell (F53-3).
    // S3's full checksum of the object too, checked by the SDK whatever its response checksum setting: for a copy
    // journaled without metadata (its ETag no MD5 under SSE-KMS) nothing else tells an answer cut with its length.
    const got = await s3
      .send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(etag ? { IfMatch: etag } : {}),
          ChecksumMode: 'ENABLED',
        }),
      )
      .catch((error: unknown) => Promise.reject(replacedSince(error, key, etag)));
    // A part of the copy (206), or one without its length, is refused before it is judged, metadata or not.
    const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`, {
      lengthRequired: true,
    });
    await pipeline(body, createWriteStream(path));
    const { size } = await stat(path);
    if (size !== got.ContentLength)
      throw new TransientError(`${key}: read ${size} of the ${got.ContentLength} bytes S3 announced`);
    const metadata = await s3Metadata(s3, bucket, key, metadataEtag);
    if (metadata === null) {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}${REPAIRED}`, MaxKeys: 10 }),
      );
      // A 200 that is no listing is not "no repair there": the copy would be judged unchecked (fault round 85).
      const notListing = notListingResult(listed);
      if (notListing) throw new TransientError(`${key}: the listing of its repaired copies is ${notListing}`);
      refuseRepaired(
        key,
        (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])),
      );
    }
    // Listed, then not found: not a copy journaled without metadata, whose check may be skipped (F47-2).
    if (metadata === null && (listed || (await options?.metadataListedNow?.())))
      throw new LocalStackError(
        `${key}: its metadata ${key}.json was listed, but reading it found nothing: not judged unchecked`,
      );
    await checkBytes(path, key, metadata);
    return { key, path, metadata };
  }
}

async function s3Metadata(
  s3: S3Client,
  bucket: string,
  key: string,
  etag: string | undefined,
): Promise<JournalMetadata | null> {
  try {
    const got = await s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.json`, ...(etag ? { IfMatch: etag } : {}) }))
      .catch((error: unknown) => Promise.reject(replacedSince(error, `${key}.json`, etag)));
    if ((got.ContentLength ?? 0) > MAX_METADATA_BYTES) throw new LocalStackError(`${key}.json: too large`);
    // As the message: a part, or a body cut on its way, is a transfer to retry, not metadata to refuse (fault round 52).
    const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}.json`, {
      lengthRequired: true,
    });
    const bytes = Buffer.from(await (body as unknown as SdkBody).transformToByteArray());
    if (bytes.length !== got.ContentLength)
      throw new TransientError(
        `${key}.json: read ${bytes.length} of the ${got.ContentLength} bytes S3 announced`,
      );
    return parseMetadata(bytes.toString('utf8'), key);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** What journalToS3 puts after a key it found holding other bytes, before the verified copy's SHA-256 prefix. */
const REPAIRED = '.repaired-';

/**
 * Refuses to judge a copy without metadata when journalToS3 wrote a `<key>.repaired-…` copy beside it (fault round 75):
 * the journal found the object under `<key>` not to be the message it journaled there (another message given the same
 * key, a damaged copy), so it is not judged as that message; the verified copy, among `siblings`, is judged itself.
 */
function refuseRepaired(key: string, siblings: string[]): void {
  const name = basename(key);
  const copy = siblings.find(
    (k) => basename(k).startsWith(`${name}${REPAIRED}`) && !k.endsWith('.json') && k.startsWith(key),
  );
  if (copy)
    throw new LocalStackError(
      `${key}: the journal found this object not to be the message it journaled under the key (its verified copy is ${copy}, judged on its own): not judged`,
    );
}

/** A read of the listed ETag answered 412: another object is under the key now, which is not judged for it. */
function replacedSince(error: unknown, key: string, etag: string | undefined): unknown {
  if (etag === undefined || !isPreconditionFailed(error)) return error;
  return new LocalStackError(
    `${key}: replaced since it was listed (listed with ETag ${etag}, another object is there now): not judged`,
  );
}

/** The SDK's body: a stream with helpers to read it whole. */
interface SdkBody {
  transformToByteArray(): Promise<Uint8Array>;
}

/** Whether an S3 error says the object is not there (GetObject's NoSuchKey, HeadObject's bare 404). */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/**
 * Message keys from a listing of messages and their metadata objects, in the listing's order: every key not
 * ending `.json`, and the message key of each `<key>.json` whose `<key>` was not listed (a listing gives `<key>`
 * before `<key>.json`), so that its fetch fails instead of the message going unseen.
 */
async function* withOrphans(listed: AsyncIterable<string>): AsyncGenerator<string> {
  const seen = new Set<string>();
  // Each listed `.eml` (in any case: a `Lunch.EML` saved on Windows) without its extension: whose expectations to pass over.
  const emlStems = new Set<string>();
  for await (const key of listed) {
    if (!key.endsWith('.json')) {
      seen.add(key);
      if (/\.eml$/i.test(key)) emlStems.add(key.slice(0, -'.eml'.length));
      yield key;
      continue;
    }
    const message = key.slice(0, -'.json'.length);
    if (message !== '' && !seen.has(message) && !isExpectation(key, emlStems)) yield message;
  }
}

/**
 * Whether `key` is an expectation file of `wmflow replay` (newcomer round 7): a `wmflow.expect.json` manifest, or
 * the `<name>.expect.json` beside a listed `<name>.eml` (any case; listed before it), as in the `mail/` of `wmflow init`.
 * Neither is journal metadata; backtesting such a folder judges its messages, with envelopes derived.
 */
function isExpectation(key: string, emlStems: ReadonlySet<string>): boolean {
  if (basename(key) === 'wmflow.expect.json') return true;
  // `.eml` in any case: replay reads `Lunch.expect.json` for a `Lunch.EML` (false-positive round 10).
  return key.endsWith('.expect.json') && emlStems.has(key.slice(0, -'.expect.json'.length));
}

/** Throws when the bytes at `path` are not the size or SHA-256 the journal's metadata recorded for `key`. */
async function checkBytes(path: string, key: string, metadata: JournalMetadata | null): Promise<void> {
  if (!metadata) return;
  // The metadata names the key in its bucket; the listed key may be shorter (a folder's keys are below the folder
  // given) or longer (a folder above the bucket's, a copy of the journal under another prefix): the `.json` beside
  // a copy describes it either way (fault round 41). One naming another object is not judged by.
  const written = metadata.key;
  if (
    written !== undefined &&
    written !== key &&
    !written.endsWith(`/${key}`) &&
    !key.endsWith(`/${written}`)
  )
    throw new LocalStackError(`${key}: its metadata describes another object (${written})`);
  if (metadata.size === undefined && metadata.sha256 === undefined) return;
  // One read for both: the size of what was read, and its SHA-256.
  const { size, sha256 } = await digestOf(createReadStream(path));
  if (metadata.size !== undefined && size !== metadata.size)
    throw new LocalStackError(
      `${key}: ${size} bytes, but the journal wrote ${metadata.size} (a cut or changed copy)`,
    );
  if (metadata.sha256 !== undefined && sha256 !== metadata.sha256)
    throw new LocalStackError(
      `${key}: SHA-256 ${sha256.slice(0, 12)}…, but the journal wrote ${metadata.sha256.slice(0, 12)}… (a changed copy)`,
    );
}
