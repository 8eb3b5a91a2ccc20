import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isTransient } from '../transient.js';
import { MessageReadError } from './read-error.js';
import { Spool } from './spool.js';

type Sized = Readable & { contentLength?: number };

function source(chunks: Buffer[], options: { contentLength?: number; failAfter?: number } = {}): Sized {
  let sent = 0;
  const stream: Sized = new Readable({
    read() {
      if (options.failAfter !== undefined && sent === options.failAfter) {
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        return;
      }
      const next = chunks[sent++];
      this.push(next ?? null);
    },
  });
  stream.contentLength = options.contentLength;
  return stream;
}

async function drain(spool: Spool): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of spool.chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

const bytes = (n: number, fill = 0x61) => Buffer.alloc(n, fill);

describe('spool: integrity', () => {
  it('makes a source error sticky: every later read throws it, never a clean shorter end', async () => {
    const spool = new Spool(async () => source([bytes(10), bytes(10)], { failAfter: 1 }));
    const first = await drain(spool).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(MessageReadError);
    expect((first as MessageReadError).reason).toBe('source');
    const second = await drain(spool).catch((e: unknown) => e);
    expect(second).toBe(first);
    expect(spool.complete).toBe(false);
  });

  it('fails a body shorter or longer than the announced length', async () => {
    const short = new Spool(async () => source([bytes(10)], { contentLength: 20 }));
    await expect(drain(short)).rejects.toMatchObject({ name: 'MessageReadError', reason: 'short' });
    const long = new Spool(async () => source([bytes(10), bytes(15)], { contentLength: 20 }));
    await expect(drain(long)).rejects.toMatchObject({ reason: 'long' });
    const exact = new Spool(async () => source([bytes(10), bytes(10)], { contentLength: 20 }));
    expect((await drain(exact)).length).toBe(20);
  });

  it('checks that a re-fetch repeats the bytes held, and splices nothing when it does not', async () => {
    let opens = 0;
    const versions = [bytes(8, 0x61), bytes(8, 0x62)];
    const spool = new Spool(async () => {
      const v = versions[Math.min(opens++, 1)] as Buffer;
      return source([v.subarray(0, 4), v.subarray(4)], { contentLength: 8 });
    });
    const first = spool.chunks();
    expect((await first.next()).value).toEqual(bytes(4, 0x61));
    await first.return(undefined);
    await spool.release();
    await expect(drain(spool)).rejects.toMatchObject({ reason: 'changed' });
    expect(opens).toBe(2);
  });

  it('fails a re-fetch that announces another length', async () => {
    let opens = 0;
    const spool = new Spool(async () =>
      opens++ === 0
        ? source([bytes(4), bytes(4)], { contentLength: 8 })
        : source([bytes(9)], { contentLength: 9 }),
    );
    const first = spool.chunks();
    await first.next();
    await first.return(undefined);
    await spool.release();
    await expect(drain(spool)).rejects.toMatchObject({ reason: 'changed' });
  });

  it('completes a verified re-fetch byte for byte', async () => {
    const body = Buffer.from('0123456789abcdef');
    const spool = new Spool(async () =>
      source([body.subarray(0, 5), body.subarray(5)], { contentLength: 16 }),
    );
    const first = spool.chunks();
    await first.next();
    await first.return(undefined);
    await spool.release();
    expect(await drain(spool)).toEqual(body);
  });

  it('keeps the bytes readable for a reader running at close, then refuses new reads', async () => {
    const spool = new Spool(async () => source([bytes(64), bytes(64), bytes(64)]), { memoryBytes: 16 });
    await drain(spool);
    const running = spool.chunks();
    await running.next();
    await spool.close();
    let rest = 0;
    for (let r = await running.next(); !r.done; r = await running.next()) rest += r.value.length;
    expect(rest).toBe(192 - 16);
    await expect(drain(spool)).rejects.toMatchObject({ reason: 'closed' });
  });

  it('fails a reader that needs the source after close', async () => {
    const spool = new Spool(async () => source([bytes(8), bytes(8)]));
    const running = spool.chunks();
    await running.next();
    await spool.close();
    await expect(running.next()).rejects.toMatchObject({ reason: 'closed' });
  });

  it('makes a failure to spill sticky and transient: a later read never splices the bytes that missed the disk', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'spool-spill-'));
    // The spill folder is missing at the first spill (as a full or failing disk), then there again.
    const tempDir = join(parent, 'later');
    try {
      const chunks = [bytes(10, 0x61), bytes(20, 0x62), bytes(10, 0x63)];
      const spool = new Spool(async () => source(chunks), { memoryBytes: 16, tempDir });
      const first = await drain(spool).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(MessageReadError);
      expect(isTransient(first)).toBe(true);
      await mkdir(tempDir);
      const second = await drain(spool).catch((e: unknown) => e);
      expect(second).toBe(first);
      await spool.close();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
