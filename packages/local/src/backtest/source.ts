import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { digestOf, requireDelimited, TransientError } from '@wmflow/core';
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
   * the metadata was listed (by `list()`, or as `metadataListed` says) and reading it finds nothing.
   */
  fetch(
    key: string,
    options?: {
      metadataListed?: boolean;
      /** Asked when reading the metadata finds nothing and `metadataListed` does not say it was listed. */
      metadataListedNow?: () => Promise<boolean>;
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
      if (!(await stat(path).catch(() => undefined))?.isFile())
        throw new LocalStackError(`${key}: the message is missing (its metadata ${key}.json is there)`);
      await checkBytes(path, key, metadata);
      return { key, path, metadata };
    },
    release: async () => {},
    close: async () => {},
  };
}

function s3Source(s3: S3Client, bucket: string, prefix: string): JournalSource {
  let spool: string | undefined;
  let count = 0;
  // Message keys whose `<key>.json` the listing named, until fetched.
  const described = new Set<string>();
  return {
    name: `s3://${bucket}/${prefix}`,
    list() {
      async function* keys() {
        const where = `s3://${bucket}/${prefix}`;
        let token: string | undefined;
        // Every continuation token used, and the last key listed (UTF-8 bytes): the listing must move forward.
        const asked = new Set<string>();
        let last: Buffer | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          );
          // S3 answers every page with IsTruncated and KeyCount: a 200 without them (an empty or garbled body from
          // something in between) is no listing, and taking it for the last page would end the journal early.
          const count = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
          if (typeof page.IsTruncated !== 'boolean' || page.KeyCount !== count)
            throw new LocalStackError(
              `${where}: a listing page is not a ListObjectsV2 result (IsTruncated ${page.IsTruncated}, KeyCount ${page.KeyCount} for ${count} key(s))`,
            );
          // The whole page is checked before any of its keys is given: S3 lists keys in strictly ascending UTF-8
          // byte order across the listing, so a key not after the last one is a page replayed or garbled (judged
          // twice, or a listing that never ends), and an entry without a key is one message never judged.
          const listed: string[] = [];
          for (const item of page.Contents ?? []) {
            if (typeof item.Key !== 'string' || item.Key === '')
              throw new LocalStackError(
                `${where}: a listing page has an entry without a key (after ${keyText(last)})`,
              );
            // A key outside the prefix asked for is another listing's page (a cache, something in between).
            if (!item.Key.startsWith(prefix))
              throw new LocalStackError(
                `${where}: a listing page holds ${item.Key}, outside the prefix ${prefix}`,
              );
            const bytes = Buffer.from(item.Key, 'utf8');
            if (last !== undefined && Buffer.compare(bytes, last) <= 0)
              throw new LocalStackError(
                `${where}: a listing page goes back: ${item.Key} after ${keyText(last)} (S3 lists keys in ascending order; a page replayed or out of order)`,
              );
            last = bytes;
            listed.push(item.Key);
          }
          const next = page.IsTruncated ? page.NextContinuationToken : undefined;
          // A truncated page that names no continuation would end the listing early, the rest never judged.
          if (page.IsTruncated && !next)
            throw new LocalStackError(
              `${where}: a listing page is truncated but names no continuation token`,
            );
          if (token !== undefined) asked.add(token);
          // A token already asked with would list the same pages again, and again: the listing would never end.
          if (next !== undefined && asked.has(next))
            throw new LocalStackError(
              `${where}: a listing page names a continuation token already used (${next}): the listing does not move forward`,
            );
          for (const key of listed) if (!key.endsWith('/')) yield key;
          token = next;
        } while (token);
      }
      return withOrphans(noteListedMetadata(keys(), described));
    },
    async fetch(key, options) {
      const listed = described.delete(key) || options?.metadataListed === true;
      spool ??= await mkdtemp(join(tmpdir(), 'wmflow-backtest-'));
      const path = join(spool, String(count++));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      // A part of the copy (206), or one without its length, is refused before it is judged, metadata or not.
      const body = requireDelimited(got.Body as Readable, `GetObject s3://${bucket}/${key}`, {
        lengthRequired: true,
      });
      await pipeline(body, createWriteStream(path));
      const { size } = await stat(path);
      if (size !== got.ContentLength)
        throw new TransientError(`${key}: read ${size} of the ${got.ContentLength} bytes S3 announced`);
      const metadata = await s3Metadata(s3, bucket, key);
      // Listed, then not found: not a copy journaled without metadata, whose check may be skipped (F47-2).
      if (metadata === null && (listed || (await options?.metadataListedNow?.())))
        throw new LocalStackError(
          `${key}: its metadata ${key}.json was listed, but reading it found nothing: not judged unchecked`,
        );
      await checkBytes(path, key, metadata);
      return { key, path, metadata };
    },
    release: (item) => rm(item.path, { force: true }),
    close: async () => {
      if (spool) await rm(spool, { recursive: true, force: true });
    },
  };
}

async function s3Metadata(s3: S3Client, bucket: string, key: string): Promise<JournalMetadata | null> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${key}.json` }));
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

/** The SDK's body: a stream with helpers to read it whole. */
interface SdkBody {
  transformToByteArray(): Promise<Uint8Array>;
}

/** A listed key for a message, or "the start of the listing". */
function keyText(key: Buffer | undefined): string {
  return key === undefined ? 'the start of the listing' : key.toString('utf8');
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
  for await (const key of listed) {
    if (!key.endsWith('.json')) {
      seen.add(key);
      yield key;
      continue;
    }
    const message = key.slice(0, -'.json'.length);
    if (message !== '' && !seen.has(message)) yield message;
  }
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
