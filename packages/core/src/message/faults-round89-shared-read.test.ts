import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LazyMessage } from './message.js';

// Fault round 89: the lazy message's shared read under faults. Several readers at once while the source fails
// part-way (each must fail, and stay failed for later readers: no rule decides on a partial body); a header-only read
// followed by full reads whose source answers other bytes than the first time (a different length, other bytes in the
// held prefix, another tail after the editor's hand-off).

function message(size: number, tail = 'x'): Buffer {
  const head =
    'From: a@b.example\r\nTo: c@d.example\r\nSubject: s\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\n';
  const exe = `--q\r\nContent-Type: application/octet-stream; name="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQ${tail}\r\n--q--\r\n`;
  const filler = `${'hello world '.repeat(6)}\r\n`.repeat(Math.ceil((size - head.length - exe.length) / 74));
  return Buffer.from(head + filler + exe, 'latin1');
}

/** A source answering `bytes` in 16 KiB chunks, announcing `length`, failing after `failAfter` bytes if given. */
function source(bytes: Buffer, options: { length?: number | null; failAfter?: number } = {}) {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += 16_384) {
      if (options.failAfter !== undefined && at >= options.failAfter) throw new Error('connection reset');
      await new Promise((r) => setImmediate(r));
      yield bytes.subarray(at, at + 16_384);
    }
  }
  const length = options.length === null ? undefined : (options.length ?? bytes.length);
  return Object.assign(Readable.from(chunks(), { objectMode: false }), { contentLength: length });
}

const settle = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: Error) => `rejected: ${e.name}`,
  );

describe('readers at once while the source fails part-way', () => {
  it('every reader fails, and so does every later one', async () => {
    const bytes = message(300_000);
    const m = new LazyMessage(async () => source(bytes, { failAfter: 200_000 }), { memoryBytes: 64 * 1024 });
    const drain = async () => {
      let n = 0;
      for await (const c of m.stream()) n += (c as Buffer).length;
      return n;
    };
    const first = await Promise.all(
      [m.parts(), m.textBodies(), m.bytes(), m.parsed(), m.size(), drain()].map(settle),
    );
    expect(first.every((r) => r.startsWith('rejected'))).toBe(true);
    const later = await Promise.all([m.parts(), m.bytes(), m.size(), drain(), m.textBodies()].map(settle));
    expect(later.every((r) => r.startsWith('rejected'))).toBe(true);
    await m.close();
  });
});

describe('a header-only read, then full reads answered otherwise', () => {
  const bytes = message(1_500_000);
  const run = async (second: () => Readable) => {
    let opens = 0;
    const m = new LazyMessage(async () => (opens++ === 0 ? source(bytes) : second()), { releaseAbove: 0 });
    await m.headers();
    const got = await settle(m.bytes());
    const parts = await settle(m.parts());
    await m.close();
    return { got, parts, opens };
  };

  it('shorter, without a length', async () => {
    const r = await run(() => source(bytes.subarray(0, 900_000), { length: null }));
    expect(r).toMatchObject({ got: 'rejected: MessageReadError', parts: 'rejected: MessageReadError' });
  });

  it('the same length, other bytes in the prefix held', async () => {
    const other = Buffer.from(bytes);
    other.write('Subject: t', other.indexOf('Subject: s'), 'latin1');
    const r = await run(() => source(other));
    expect(r.got).toBe('rejected: MessageReadError');
  });

  it('longer, without a length', async () => {
    const r = await run(() => source(Buffer.concat([bytes, Buffer.from('extra\r\n')]), { length: null }));
    expect(r.got).toBe('rejected: MessageReadError');
  });
});

describe("after the editor's pass-on read, a later full read answered otherwise", () => {
  it('another tail of the same length fails the later read', async () => {
    const bytes = message(1_500_000, 'AAAA');
    const other = message(1_500_000, 'BBBB');
    let opens = 0;
    const m = new LazyMessage(async () => source(opens++ < 1 ? bytes : other));
    let n = 0;
    for await (const c of m.lastStream()) n += (c as Buffer).length;
    expect(n).toBe(bytes.length);
    const again = await settle(m.bytes());
    expect(again).toBe('rejected: MessageReadError');
    await m.close();
  });
});

// F89-1: an engine's message answered without a length (chunked) and ended early but well-formed inside its header
// block looked like a whole message with no body: the guard answered DEFAULT on a message whose executable it never
// saw. It is now a cut read (`short`, transient); with a length announced, or with the empty line, it is whole.
describe('F89-1: a message without a length that ends inside its header block', () => {
  const headers = Buffer.from(
    'From: a@b.example\r\nSubject: s\r\nContent-Type: multipart/mixed; bound',
    'latin1',
  );
  const read = (bytes: Buffer, length: number | null) => {
    const m = new LazyMessage(async () => source(bytes, { length }), { mailOnly: true });
    return Promise.all([settle(m.headers()), settle(m.bytes()), settle(m.parts())]);
  };
  it.each([
    ['mid-line', headers],
    ['at a line end', Buffer.from('From: a@b.example\r\nSubject: s\r\n', 'latin1')],
    ['at a bare LF line end', Buffer.from('From: a@b.example\nSubject: s\n', 'latin1')],
  ])('%s, no length: a cut read', async (_, bytes) => {
    expect(await read(bytes, null)).toEqual(Array(3).fill('rejected: MessageReadError'));
  });
  it('with its length announced, or with the empty line: whole', async () => {
    const whole = Buffer.from('From: a@b.example\r\nSubject: s\r\n', 'latin1');
    expect(await read(whole, whole.length)).toEqual(Array(3).fill('resolved'));
    const empty = Buffer.concat([whole, Buffer.from('\r\n')]);
    expect(await read(empty, null)).toEqual(Array(3).fill('resolved'));
    // The empty line split across chunks (LF, then CRLF).
    const split = Buffer.concat([
      Buffer.from('From: a@b.example\n'),
      Buffer.alloc(16_384 - 18, 'X-A: 1\n'.repeat(3000)),
      Buffer.from('\n\nbody'),
    ]);
    expect(await read(split, null)).toEqual(Array(3).fill('resolved'));
  });
});
