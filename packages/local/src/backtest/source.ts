import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { LocalStackError } from '../errors.js';
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
  /** Message keys in lexicographic order (metadata objects `*.json` left out), streamed. */
  list(): AsyncIterable<string>;
  /** The message's bytes on this machine and its metadata. */
  fetch(key: string): Promise<BacktestItem>;
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
      else if (entry.isFile() && !entry.name.endsWith('.json'))
        yield relative(root, path).split(sep).join('/');
    }
  }
  return {
    name: root,
    list: () => walk(root),
    fetch: async (key) => {
      const path = join(root, key);
      const text = await readFile(`${path}.json`, 'utf8').catch(() => undefined);
      return { key, path, metadata: text === undefined ? null : parseMetadata(text, key) };
    },
    release: async () => {},
    close: async () => {},
  };
}

function s3Source(s3: S3Client, bucket: string, prefix: string): JournalSource {
  let spool: string | undefined;
  let count = 0;
  return {
    name: `s3://${bucket}/${prefix}`,
    async *list() {
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) {
          if (item.Key && !item.Key.endsWith('.json') && !item.Key.endsWith('/')) yield item.Key;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async fetch(key) {
      spool ??= await mkdtemp(join(tmpdir(), 'wmflow-backtest-'));
      const path = join(spool, String(count++));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await pipeline(got.Body as NodeJS.ReadableStream, createWriteStream(path));
      return { key, path, metadata: await s3Metadata(s3, bucket, key) };
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
    return parseMetadata(
      await (got.Body as { transformToString(): Promise<string> }).transformToString(),
      key,
    );
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
    throw error;
  }
}
