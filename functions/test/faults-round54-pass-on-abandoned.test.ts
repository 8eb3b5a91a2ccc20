import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Spool } from '../../packages/core/src/message/spool.js';

// Fault round 54, what held: a pass-on reader (the journal's streamed PutObject, the editor at commit) given up while
// its read of the source is pending (its consumer destroyed on a reset: `return()` waits behind that read), and a
// second pass-on reader (the retry) started at once on the same pending read. The abandoned one may take the hand-off
// when the chunk arrives; the retry then reads the message whole from the spool or a fresh fetch, never the
// abandoned reader's rest nor a splice of two fetches. A changed second fetch is refused.

type Sized = Readable & { contentLength?: number };

/** A source in `size`-byte chunks whose first chunk waits for `gate`. */
function gated(message: Buffer, size: number, gate: Promise<void>): Sized {
  const chunks: Buffer[] = [];
  for (let at = 0; at < message.length; at += size) chunks.push(message.subarray(at, at + size));
  let sent = 0;
  const stream: Sized = new Readable({
    read() {
      const chunk = chunks[sent++] ?? null;
      if (sent === 1) void gate.then(() => this.push(chunk));
      else this.push(chunk);
    },
  });
  stream.contentLength = message.length;
  return stream;
}

async function collect(chunks: AsyncIterator<Buffer>, first?: IteratorResult<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let next = first ?? (await chunks.next());
  for (; !next.done; next = await chunks.next()) parts.push(next.value);
  return Buffer.concat(parts);
}

describe('F54 held: a pass-on reader abandoned while its read is pending, and a retry reading at once', () => {
  const message = randomBytes(300_000);
  // keepBytes 0: the chunk that arrives is handed on whole, so the abandoned reader may take the hand-off;
  // 50 000: part of it is kept first, and the abandoned reader stops at that kept part.
  it.each([0, 50_000])('keepBytes %i: the retry reads the message whole', async (keep) => {
    for (const secondFetch of ['same', 'changed'] as const) {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const changed = Buffer.from(message);
      changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 0xff;
      let fetches = 0;
      const spool = new Spool(
        async () => {
          fetches++;
          const bytes = fetches > 1 && secondFetch === 'changed' ? changed : message;
          return gated(bytes, 100_000, fetches === 1 ? gate : Promise.resolve());
        },
        { memoryBytes: 1024 * 1024 },
      );
      const abandoned = spool.passOn(keep)[Symbol.asyncIterator]();
      const pending = abandoned.next();
      const given = abandoned.return(undefined);
      const retry = spool.passOn(keep)[Symbol.asyncIterator]();
      const retryFirst = retry.next();
      release();
      await pending;
      await given;
      const bytes = await collect(retry, await retryFirst);
      // keepBytes 0: the abandoned reader took the hand-off and let go of the first fetch; the retry reads a
      // second fetch whole (its own bytes, nothing of the first spliced in). 50 000: the retry takes the hand-off.
      const expected = keep === 0 && secondFetch === 'changed' ? changed : message;
      expect(bytes.equals(expected)).toBe(true);
      expect(fetches).toBe(keep === 0 ? 2 : 1);
      // A later reader agrees with what the retry read, or (a changed fetch after the retry read the first) is refused.
      const later = collect(spool.chunks());
      if (keep > 0 && secondFetch === 'changed')
        await expect(later).rejects.toMatchObject({ reason: 'changed' });
      else expect((await later).equals(expected)).toBe(true);
      await spool.close();
    }
  });
});
