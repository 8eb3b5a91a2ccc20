import { execFileSync } from 'node:child_process';
import { closeSync, constants, open, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3Server, startS3Server } from '../src/index.js';
import { serverS3Client } from './helpers.js';

// Reads of an object that is replaced while they start or run: S3 answers the old object whole or the new
// one whole, never a part of one, never one cut to the other's length.
let directory: string;
let server: S3Server;
let s3: S3Client;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'wmflow-replaced-'));
  server = await startS3Server({ buckets: ['b'], directory: join(directory, 'store') });
  s3 = serverS3Client(server);
});
afterAll(async () => {
  s3?.destroy();
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

async function bytes(source: AsyncIterable<Uint8Array> | undefined): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source ?? []) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const put = (Key: string, Body: Buffer) => s3.send(new PutObjectCommand({ Bucket: 'b', Key, Body }));
const get = async (Key: string) =>
  Buffer.from(
    (await (await s3.send(new GetObjectCommand({ Bucket: 'b', Key }))).Body?.transformToByteArray()) ?? [],
  );
const describeBytes = (seen: Buffer, old: Buffer, replacement: Buffer) =>
  seen.equals(old) ? 'old' : seen.equals(replacement) ? 'new' : `torn (${seen.length} bytes)`;

let fifos = 0;
/**
 * Holds every thread of libuv's pool in an open() of a FIFO nobody writes, so that a file operation queued
 * now runs only after `release()`: a read's open is then certain to come after a store that finishes
 * meanwhile on the main thread (a small PUT needs no pool thread).
 */
function holdThreadPool() {
  const fifo = join(directory, `pool-${fifos++}`);
  execFileSync('mkfifo', [fifo]);
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const readers = Array.from(
    { length: threads },
    () => new Promise<number>((resolve, reject) => open(fifo, 'r', (e, fd) => (e ? reject(e) : resolve(fd)))),
  );
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      let writer: number | undefined;
      while (writer === undefined) {
        try {
          writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 5)); // no reader in open() yet
        }
      }
      try {
        for (const fd of await Promise.all(readers)) closeSync(fd);
      } finally {
        closeSync(writer);
      }
    })();
    return released;
  };
  // Never leave the pool held (the server and vitest need it), whatever the test does.
  const guard = setTimeout(release, 20_000);
  return {
    release: () => {
      clearTimeout(guard);
      return release();
    },
  };
}

/** File operations queued or running in this process. */
const fileRequests = () => process.getActiveResourcesInfo().filter((name) => name.startsWith('FSReq')).length;

/**
 * Resolves once a file operation more than `before` is pending (s3rver's read took the object's size and
 * queued its open behind the held pool), or after a second: a read that queues nothing (it opened the file
 * before taking its size) is past that point at once.
 */
async function fileRequestQueued(before: number): Promise<void> {
  for (let i = 0; i < 200 && fileRequests() <= before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('S3 reads of an object replaced under them', () => {
  it.each([
    ['grows', 1_000, 50_000],
    ['shrinks', 50_000, 1_000],
  ])(
    'a GET and a store read whose file open waits while the object %s answer one object whole',
    async (_, oldSize, newSize) => {
      for (const via of ['GET', 'openObject'] as const) {
        const key = `replaced/${via}-${oldSize}`;
        const old = Buffer.alloc(oldSize, 0x61);
        const replacement = Buffer.alloc(newSize, 0x62);
        await put(key, old);
        // Every module either read loads is loaded now, not from disk under the held pool.
        expect((await get(key)).equals(old)).toBe(true);
        expect((await bytes(await server.openObject('b', key))).equals(old)).toBe(true);
        const pool = holdThreadPool();
        try {
          const before = fileRequests();
          const read = via === 'GET' ? get(key) : server.openObject('b', key).then((body) => bytes(body));
          read.catch(() => undefined);
          await fileRequestQueued(before);
          // The object is replaced after the read took its size and before its open runs.
          await put(key, replacement);
          await pool.release();
          const seen = await read.catch((error: Error) => Buffer.from(`error: ${error.message}`));
          expect(describeBytes(seen, old, replacement), via).toMatch(/^(old|new)$/);
        } finally {
          await pool.release();
        }
        expect((await get(key)).equals(replacement)).toBe(true);
      }
    },
    60_000,
  );

  it('a reader of an object that CompleteMultipartUpload replaces keeps reading the old bytes, whole', async () => {
    const key = 'replaced/multipart';
    const old = Buffer.alloc(6 * 1024 * 1024, 0x61);
    await put(key, old);
    const partOne = Buffer.alloc(5 * 1024 * 1024, 0x62);
    const partTwo = Buffer.from('tail');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'b', Key: key }));
    const parts: { PartNumber: number; ETag?: string }[] = [];
    for (const [index, Body] of [partOne, partTwo].entries()) {
      const PartNumber = index + 1;
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: 'b', Key: key, UploadId, PartNumber, Body }),
      );
      parts.push({ PartNumber, ETag });
    }
    const body = await server.openObject('b', key);
    if (!body) throw new Error(`no object at ${key}`);
    const reader = body[Symbol.asyncIterator]();
    const first = await reader.next();
    const chunks = [first.value as Uint8Array];
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'b',
        Key: key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    for (let next = await reader.next(); !next.done; next = await reader.next()) chunks.push(next.value);
    const seen = Buffer.concat(chunks);
    expect(describeBytes(seen, old, Buffer.concat([partOne, partTwo]))).toBe('old');
    expect((await get(key)).equals(Buffer.concat([partOne, partTwo]))).toBe(true);
  }, 60_000);
});

describe('S3 writers of one key at once', () => {
  it('keeps one whole body of several written at once, small and large, and reads only whole ones meanwhile', async () => {
    const key = 'racing/k';
    const bodies = [10, 70_000, 3_000_000, 0, 64 * 1024].map((size, i) => Buffer.alloc(size, 0x61 + i));
    const named = (seen: Buffer) => bodies.findIndex((body) => body.equals(seen));
    await put(key, bodies[0] as Buffer);
    let writing = true;
    const writes = Promise.all(bodies.map((body) => put(key, body))).finally(() => {
      writing = false;
    });
    const seen: number[] = [];
    while (writing) seen.push(named(await get(key)));
    await writes;
    expect(seen.filter((index) => index < 0)).toEqual([]);
    expect(named(await get(key))).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describe('S3 keys and the files a store writes beside them', () => {
  it('stores and lists keys of every kind, zero bytes included, and never lists a file being written', async () => {
    const keys = ['k/a', 'k/a/b', 'k/with space', 'k/ü+%2F.eml', 'k/empty', `k/${'x'.repeat(230)}`];
    const bodies = new Map(
      keys.map((key, i) => [key, key === 'k/empty' ? Buffer.alloc(0) : Buffer.from(`${i}`)]),
    );
    for (const [key, body] of bodies) await put(key, body);
    // What a write cut off by a crash leaves: a file beside the object, named as by this version and the last.
    await writeFile(join(directory, 'store', 'b', 'k', '.writing-0123456789abcdef'), 'partial');
    await writeFile(
      join(directory, 'store', 'b', 'k', 'a._S3rver_object.writing-0123456789abcdef'),
      'partial',
    );
    for (const [key, body] of bodies) expect((await get(key)).equals(body), key).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'b', Prefix: 'k/' }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([...keys].sort());
    expect(listed.Contents?.find((object) => object.Key === 'k/empty')?.Size).toBe(0);
  });
});
