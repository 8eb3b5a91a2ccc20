import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HAND_ON_PIECE } from './hand-off.js';
import { Spool } from './spool.js';

type Sized = Readable & { contentLength?: number };

/** A source in `size`-byte chunks, announcing `contentLength`; `failAt` destroys it before that chunk. */
function source(message: Buffer, size: number, options: { contentLength?: number; failAt?: number } = {}) {
  const chunks: Buffer[] = [];
  for (let at = 0; at < message.length; at += size) chunks.push(message.subarray(at, at + size));
  let sent = 0;
  const stream: Sized = new Readable({
    read() {
      if (sent === options.failAt) {
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return;
      }
      this.push(chunks[sent++] ?? null);
    },
  });
  stream.contentLength = 'contentLength' in options ? options.contentLength : message.length;
  return stream;
}

/** An opener of `message` that counts how often it was fetched. */
function counted(message: Buffer) {
  const fetches = { count: 0 };
  const open = async () => {
    fetches.count++;
    return source(message, 7_000);
  };
  return { fetches, open };
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-pass-on-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('spool: passOn, the last read of an invocation', () => {
  const message = randomBytes(300_000);

  it('hands the tail on in pieces of at least pieceBytes (the last may be shorter), the same bytes in order', async () => {
    const big = randomBytes(3 * HAND_ON_PIECE + 12_345);
    const spool = new Spool(async () => source(big, 65_536), { memoryBytes: 100_000, tempDir: dir });
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    for await (const chunk of spool.passOn(100_000, HAND_ON_PIECE)) {
      sizes.push(chunk.length);
      parts.push(chunk);
    }
    expect(Buffer.concat(parts).equals(big)).toBe(true);
    // The held head comes as it arrived; past the hand-off, every piece but the last is joined up.
    const tail = sizes.slice(
      sizes.findIndex((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b, 0) > 100_000) + 1,
    );
    expect(tail.length).toBeGreaterThan(1);
    for (const size of tail.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(HAND_ON_PIECE);
    // Without pieceBytes the chunks come as the source sent them.
    const plain = new Spool(async () => source(big, 65_536), { memoryBytes: 100_000, tempDir: dir });
    const seen: number[] = [];
    for await (const chunk of plain.passOn(100_000)) seen.push(chunk.length);
    expect(Math.max(...seen)).toBe(65_536);
  });

  it('yields every byte once, from one fetch, and never writes a temporary file', async () => {
    const { fetches, open } = counted(message);
    const spool = new Spool(open, {
      memoryBytes: 50_000,
      tempDir: dir,
    });
    const header = spool.chunks();
    const parts: Buffer[] = [];
    for await (const chunk of spool.passOn(20_000)) {
      parts.push(chunk);
      expect(await readdir(dir)).toEqual([]);
    }
    expect(Buffer.concat(parts).equals(message)).toBe(true);
    // A reader of the first bytes running beside it reads them from memory, without a second fetch.
    expect((await header.next()).value).toEqual(message.subarray(0, 7_000));
    expect(fetches.count).toBe(1);
    await spool.close();
  });

  it('lets a later full read fetch the message again and checks the bytes it held', async () => {
    const { fetches, open } = counted(message);
    const spool = new Spool(open, {
      memoryBytes: 50_000,
      tempDir: dir,
    });
    expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
    expect((await collect(spool.chunks())).equals(message)).toBe(true);
    expect(fetches.count).toBe(2);
    await spool.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('serves a second pass-on reader whole, from a fresh fetch, after the first read all or stopped early', async () => {
    const { fetches, open } = counted(message);
    const spool = new Spool(open, { memoryBytes: 50_000, tempDir: dir });
    expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
    // A retry (the journal's streamed PutObject after a 5xx) reads it again the same way.
    expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
    expect(fetches.count).toBe(2);
    // A reader that stops in the handed-on part (an upload that failed) leaves no stale hand-off behind.
    const abandoned = spool.passOn(20_000);
    let read = 0;
    for await (const chunk of abandoned) {
      read += chunk.length;
      if (read > 100_000) break;
    }
    expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
    expect(fetches.count).toBe(4);
    expect(await readdir(dir)).toEqual([]);
    await spool.close();
  });

  it('serves two pass-on readers running at once whole: the one without the hand-off reads the spool', async () => {
    const { fetches, open } = counted(message);
    const spool = new Spool(open, { memoryBytes: 50_000, tempDir: dir });
    const [a, b] = await Promise.all([collect(spool.passOn(20_000)), collect(spool.passOn(20_000))]);
    expect(a.equals(message)).toBe(true);
    expect(b.equals(message)).toBe(true);
    expect(fetches.count).toBe(2);
    await spool.close();
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails a later fetch whose bytes past the hand-off changed, same length: they were handed out, not kept', async () => {
    const changed = Buffer.from(message);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1);
    for (const again of [(s: Spool) => s.chunks(), (s: Spool) => s.passOn(20_000)]) {
      let fetches = 0;
      const spool = new Spool(async () => source(fetches++ === 0 ? message : changed, 7_000), {
        memoryBytes: 50_000,
        tempDir: dir,
      });
      expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
      await expect(collect(again(spool))).rejects.toMatchObject({ reason: 'changed' });
      expect(fetches).toBe(2);
      await spool.close();
    }
  });

  it('hands on no byte of the last piece of a changed or short tail: a PutObject of the announced length never completes', async () => {
    const changed = Buffer.from(message);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1);
    let fetches = 0;
    const spool = new Spool(async () => source(fetches++ === 0 ? message : changed, 7_000), {
      memoryBytes: 50_000,
      tempDir: dir,
    });
    expect((await collect(spool.passOn(20_000))).equals(message)).toBe(true);
    const given: Buffer[] = [];
    const again = (async () => {
      for await (const chunk of spool.passOn(20_000)) given.push(chunk);
    })();
    await expect(again).rejects.toMatchObject({ reason: 'changed' });
    const handed = Buffer.concat(given);
    expect(handed.length).toBeLessThan(message.length);
    expect(handed.equals(message.subarray(0, handed.length))).toBe(true);
    await spool.close();
    // The first read of a source shorter than it announced: its last bytes are not handed on either.
    const short = new Spool(async () => source(message, 7_000, { contentLength: message.length + 1 }));
    const shortGiven: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of short.passOn(20_000)) shortGiven.push(chunk);
      })(),
    ).rejects.toMatchObject({ reason: 'short' });
    expect(Buffer.concat(shortGiven).length).toBeLessThan(message.length);
    await short.close();
  });

  it('reads from the temporary file when an earlier read already spooled the message', async () => {
    const { fetches, open } = counted(message);
    const spool = new Spool(open, {
      memoryBytes: 50_000,
      tempDir: dir,
    });
    await collect(spool.chunks());
    expect((await collect(spool.passOn())).equals(message)).toBe(true);
    expect(fetches.count).toBe(1);
    await spool.close();
  });

  it('keeps the integrity checks on the bytes it hands on: short, long, a failing source', async () => {
    const short = new Spool(async () => source(message, 7_000, { contentLength: message.length + 1 }));
    await expect(collect(short.passOn(20_000))).rejects.toMatchObject({ reason: 'short' });
    const long = new Spool(async () => source(message, 7_000, { contentLength: message.length - 1 }));
    await expect(collect(long.passOn(20_000))).rejects.toMatchObject({ reason: 'long' });
    const failing = new Spool(async () => source(message, 7_000, { failAt: 10 }));
    const error = await collect(failing.passOn(20_000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MessageReadError', reason: 'source' });
    // The failure is sticky: a later reader does not get a clean, shorter message.
    await expect(collect(failing.chunks())).rejects.toBe(error);
  });

  it('stops with "closed" when the invocation closes the message under it', async () => {
    const spool = new Spool(async () => source(message, 7_000), { memoryBytes: 50_000, tempDir: dir });
    const reader = spool.passOn(20_000);
    for (let i = 0; i < 5; i++) await reader.next();
    await spool.close();
    await expect(collect(reader)).rejects.toMatchObject({ reason: 'closed' });
  });

  it('hands on in 256 KiB pieces only a prefix of the message when the source fails, is short or long at a piece boundary', async () => {
    const keep = 512 * 1024;
    const big = randomBytes(keep + 3 * HAND_ON_PIECE + 1_000);
    const edges = [keep, keep + HAND_ON_PIECE, keep + 2 * HAND_ON_PIECE];
    const cases: { options: { contentLength?: number; failAt?: number }; reason: string; size: number }[] = [
      // Announced one byte before, at and after each edge (the hand-off, then each piece), chunks misaligned.
      ...edges
        .flatMap((at) => [at - 1, at, at + 1])
        .map((contentLength) => ({
          options: { contentLength },
          reason: 'long',
          size: 1_000,
        })),
      // 1 KiB chunks: the source fails one chunk before, at, and one chunk after each edge.
      ...edges
        .flatMap((at) => [at / 1024 - 1, at / 1024, at / 1024 + 1])
        .map((failAt) => ({
          options: { failAt },
          reason: 'source',
          size: 1024,
        })),
      { options: { contentLength: big.length + 1 }, reason: 'short', size: 65_536 },
      { options: { contentLength: big.length - 1 }, reason: 'long', size: 65_536 },
      { options: { failAt: 13 }, reason: 'source', size: 65_536 },
    ];
    for (const { options, reason, size } of cases) {
      const spool = new Spool(async () => source(big, size, options), { tempDir: dir });
      const got: Buffer[] = [];
      const error = await (async () => {
        for await (const piece of spool.passOn(keep, HAND_ON_PIECE)) got.push(piece);
      })().catch((e: unknown) => e);
      const label = JSON.stringify(options);
      expect(error, label).toMatchObject({ name: 'MessageReadError', reason });
      // What was handed on before the failure is the message's start, in order, never past an announced length.
      const handed = Buffer.concat(got);
      expect(handed.equals(big.subarray(0, handed.length)), label).toBe(true);
      expect(handed.length, label).toBeLessThanOrEqual(options.contentLength ?? big.length);
      await spool.close();
    }
    expect(await readdir(dir)).toEqual([]);
  });
});
