import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { closeServer } from '../emulator/flow-server.js';
import { memoizeBucketConfigs } from './bucket-config-memo.js';
import { ConditionalWrites } from './conditional.js';
import {
  type CopyStore,
  completeMultipartNatively,
  copyAsOnePiece,
  type MultipartStore,
} from './multipart-complete.js';
import { type PartStore, storePartsByContent } from './multipart-part.js';
import { MultipartUploads } from './multipart-uploads.js';
import { type ObjectReadStore, readObjectsByHandle, readObjectWhole } from './object-reads.js';
import { dropRequestLogger } from './quiet-requests.js';
import { forwardS3, sendS3Error } from './s3-front.js';
import { objectExists, readSideFilesInline } from './small-files.js';
import { type ObjectChangeListener, reportStoreChanges } from './store-changes.js';
import { objectNameOf } from './store-key.js';
import { WriteVisibility } from './write-visibility.js';

/** s3rver's file store: what the front uses of it besides HTTP. */
type StoreAccess = Parameters<typeof memoizeBucketConfigs>[0] &
  MultipartStore &
  CopyStore &
  PartStore & {
    getObject(bucket: string, key: string): Promise<{ content: AsyncIterable<Uint8Array> | null } | null>;
  };

/**
 * The access key s3rver knows (its only account); any secret signs, since
 * s3rver does not verify SigV4 signatures.
 *
 * @example
 * ```ts
 * new S3Client({ credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: 'S3RVER' } });
 * ```
 */
export const S3_ACCESS_KEY_ID = 'S3RVER';

/**
 * Settings of {@link startS3Server}.
 *
 * @example
 * ```ts
 * await startS3Server({ buckets: ['journal', 'updates'] });
 * ```
 */
export interface S3ServerOptions {
  /** Buckets created at start. */
  buckets?: string[];
  /** Where objects are kept; default a fresh temporary folder removed by `close()`. */
  directory?: string;
  /** Address to listen on (an IP address of this machine). Default 127.0.0.1. */
  host?: string;
}

/**
 * A running S3-compatible server on 127.0.0.1.
 *
 * @example
 * ```ts
 * const s3 = await startS3Server({ buckets: ['b'] });
 * new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
 * await s3.close();
 * ```
 */
export interface S3Server {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_S3`. */
  readonly endpoint: string;
  /**
   * s3rver itself, behind the front: for reads only (GetObject, HeadObject) by the emulators, which read
   * objects a client has finished writing; writes and client traffic go to `endpoint`.
   */
  readonly readEndpoint: string;
  /**
   * An object's bytes read from s3rver's store on disk, or undefined when there is none: how the Message Flow
   * emulator reads an update for PutRawMessageContent (the function has finished writing it), without the
   * HTTP round trip through s3rver, the client and the same thread that checks it.
   */
  openObject(bucket: string, key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /**
   * An object's bytes from s3rver's store on disk, read whole in one read when it holds at most `maxBytes`
   * (else as {@link S3Server.openObject} streams them), or undefined when there is none: PutRawMessageContent
   * checks and keeps an update without its chunks going through streams and then being joined (a 25 MB
   * update: about 175 → 100 ms).
   */
  readObject(
    bucket: string,
    key: string,
    maxBytes?: number,
  ): Promise<Uint8Array | AsyncIterable<Uint8Array> | undefined>;
  /**
   * Calls `listener` with every object the store writes or deletes, as it does (through any endpoint,
   * answered or not); answers the function that stops it.
   */
  watchObjects(listener: ObjectChangeListener): () => void;
  /** Stops both servers and removes the temporary folder. */
  close(): Promise<void>;
}

/**
 * Starts s3rver in-process on a private port with wmflow's front in front of
 * it on an ephemeral port of 127.0.0.1 (see {@link forwardS3}).
 *
 * @example
 * ```ts
 * const s3 = await startS3Server({ buckets: ['updates'] });
 * ```
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'wmflow-s3-')));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  dropRequestLogger(s3rver as unknown as Parameters<typeof dropRequestLogger>[0]);
  const store = (s3rver as unknown as { store: StoreAccess }).store;
  memoizeBucketConfigs(store);
  readSideFilesInline(store as unknown as Parameters<typeof readSideFilesInline>[0]);
  readObjectsByHandle(store as unknown as ObjectReadStore);
  completeMultipartNatively(store);
  copyAsOnePiece(store);
  storePartsByContent(store);
  const changes = reportStoreChanges(store as unknown as Parameters<typeof reportStoreChanges>[0]);
  const inner = (await s3rver.run()) as AddressInfo;
  const upstream = `127.0.0.1:${inner.port}`;
  const conditional = new ConditionalWrites(upstream, async (bucket, key) =>
    objectExists(store, bucket, key),
  );
  const visibility = new WriteVisibility();
  const uploads = new MultipartUploads(store);
  const front = createServer((req, res) => {
    forwardS3(req, res, upstream, conditional, visibility, uploads).catch((error: unknown) => {
      if (!res.headersSent) sendS3Error(res, 502, 'InternalError', (error as Error).message);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, host, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const { port } = front.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    readEndpoint: `http://${upstream}`,
    openObject: async (bucket, key) => {
      await visibility.settled(objectNameOf(bucket, key));
      return (await store.getObject(bucket, key))?.content ?? undefined;
    },
    readObject: async (bucket, key, maxBytes = Number.POSITIVE_INFINITY) => {
      // As a GET through the front: not while a write of the key is being stored.
      await visibility.settled(objectNameOf(bucket, key));
      const whole = await readObjectWhole(store, bucket, key, maxBytes);
      if (whole !== 'too-large') return whole;
      return (await store.getObject(bucket, key))?.content ?? undefined;
    },
    watchObjects: changes.watch,
    close: async () => {
      await closeServer(front);
      await s3rver.close();
      if (ownDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}
