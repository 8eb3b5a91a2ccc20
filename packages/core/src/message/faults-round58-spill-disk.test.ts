import type { FileHandle } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageReadError } from './read-error.js';
import type { SpillFile } from './spill-file.js';
import { Spool } from './spool.js';

// Fault round 58 went after the spool's spill file (the bytes past its memory share, on Lambda's /tmp) under disk
// faults, injected on the file's own handle. F58-1: a spill file that reads back nothing where bytes were written
// (cut under it, or a file system that lost them) answered each read with an empty chunk, which the spool took for
// no progress and asked again: the reader spun on empty chunks (a journal copy, a parse) until something gave it up,
// the deadline at best, and an invocation WorkMail should retry at once hung to it. An empty read back now fails the
// spill, sticky, as a failed write does. Held: ENOSPC on a batch's write, a batch written in part, EIO on a read
// back: each fails the read (`spill`, transient), and every later read past the bytes held.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f58-spill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CHUNK = 64 * 1024;
/** A message of `n` chunks, each chunk's bytes its own (a splice shows). */
function message(n: number): Buffer[] {
  const out: Buffer[] = [Buffer.from('From: a@b.example\r\nSubject: x\r\n\r\n')];
  for (let i = 0; i < n; i++) out.push(Buffer.alloc(CHUNK, 0x41 + (i % 26)));
  return out;
}
function source(chunks: Buffer[]): Readable & { contentLength?: number } {
  const stream = Readable.from(chunks, { objectMode: false }) as Readable & { contentLength?: number };
  stream.contentLength = chunks.reduce((n, c) => n + c.length, 0);
  return stream;
}
function handleOf(spool: Spool): FileHandle {
  const file = (spool as unknown as { file?: SpillFile }).file;
  if (!file) throw new Error('nothing spilled yet');
  return (file as unknown as { handle: FileHandle }).handle;
}
async function drain(spool: Spool, limitMs = 5_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  const started = Date.now();
  for await (const chunk of spool.chunks()) {
    parts.push(chunk);
    if (Date.now() - started > limitMs) throw new Error('reader still reading: hang');
  }
  return Buffer.concat(parts);
}

describe('F58-1: the spill file under disk faults fails the read, never spins nor splices', () => {
  it('held: ENOSPC on a batch write fails the read, and every later read', async () => {
    const chunks = message(40);
    const spool = new Spool(async () => source(chunks), { memoryBytes: CHUNK, tempDir: dir });
    const reader = spool.chunks();
    await reader.next();
    await reader.next();
    await reader.next();
    const handle = handleOf(spool);
    handle.writev = (async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as FileHandle['writev'];
    const got = await (async () => {
      for await (const _ of reader) {
      }
    })().catch((e: unknown) => e);
    expect(got).toBeInstanceOf(MessageReadError);
    expect((got as MessageReadError).reason).toBe('spill');
    const again = await drain(spool).catch((e: unknown) => e);
    expect(again).toBe(got);
    await spool.close();
  });

  it('held: a batch written in part fails the read', async () => {
    const chunks = message(40);
    const spool = new Spool(async () => source(chunks), { memoryBytes: CHUNK, tempDir: dir });
    const reader = spool.chunks();
    await reader.next();
    await reader.next();
    const handle = handleOf(spool);
    const writev = handle.writev.bind(handle);
    handle.writev = (async (buffers: NodeJS.ArrayBufferView[], at?: number) => {
      const first = buffers[0] as Buffer;
      const r = await writev([first.subarray(0, 100)], at);
      return { bytesWritten: r.bytesWritten, buffers };
    }) as FileHandle['writev'];
    const got = await (async () => {
      for await (const _ of reader) {
      }
    })().catch((e: unknown) => e);
    expect(got).toBeInstanceOf(MessageReadError);
    await spool.close();
  });

  it('a spill file that reads back nothing where bytes were written fails the read, and the next, never spins', async () => {
    const chunks = message(40);
    const whole = Buffer.concat(chunks);
    const spool = new Spool(async () => source(chunks), { memoryBytes: CHUNK, tempDir: dir });
    expect((await drain(spool)).equals(whole)).toBe(true);
    const handle = handleOf(spool);
    await handle.truncate(CHUNK);
    const got = await drain(spool, 2_000).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(MessageReadError);
    expect((got as MessageReadError).reason).toBe('spill');
    const again = await drain(spool, 2_000).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MessageReadError);
    await spool.close();
  }, 10_000);

  it('held: EIO on a read back fails that read', async () => {
    const chunks = message(40);
    const whole = Buffer.concat(chunks);
    const spool = new Spool(async () => source(chunks), { memoryBytes: CHUNK, tempDir: dir });
    expect((await drain(spool)).equals(whole)).toBe(true);
    const handle = handleOf(spool);
    handle.read = (async () => {
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }) as unknown as FileHandle['read'];
    const got = await drain(spool).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(MessageReadError);
    await spool.close();
  });
  it('held: a spill folder gone (the file cannot be made): the read fails, sticky, the bytes held before it intact', async () => {
    const chunks = message(8);
    const whole = Buffer.concat(chunks);
    const spool = new Spool(async () => source(chunks), { memoryBytes: CHUNK, tempDir: join(dir, 'gone') });
    const got: Buffer[] = [];
    const error = await (async () => {
      for await (const chunk of spool.chunks()) got.push(chunk);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageReadError);
    expect((error as MessageReadError).reason).toBe('spill');
    const read = Buffer.concat(got);
    expect(read.length).toBeLessThan(whole.length);
    expect(read.equals(whole.subarray(0, read.length))).toBe(true);
    expect(await drain(spool).catch((e: unknown) => e)).toBe(error);
    await spool.close();
  });
});
