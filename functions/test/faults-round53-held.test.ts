import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  checkStoredIdentity,
  StoredMessageMismatchError,
} from '../../packages/core/src/ses/stored-identity.js';

// Fault round 53, held: the SES functions' check that the stored object is the receipt's message (fault round 52,
// its header-block search reworked since to resume where the last chunk ended) finds the block's end however the
// bytes are cut — the blank line split across two chunks at each of its bytes, CRLF, LF or both mixed — and so
// refuses another message's Message-ID, never passing a byte of it, and passes the receipt's byte for byte.
async function through(bytes: Buffer, cuts: number[], expected: string): Promise<Buffer | Error> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > at) chunks.push(bytes.subarray(at, cut));
    at = Math.max(at, cut);
  }
  const checked = checkStoredIdentity(
    Object.assign(Readable.from(chunks), { contentLength: bytes.length }),
    expected,
    's3://inbound/m',
    64 * 1024,
  );
  const out: Buffer[] = [];
  try {
    for await (const chunk of checked) out.push(chunk as Buffer);
    return Buffer.concat(out);
  } catch (error) {
    return error as Error;
  }
}

describe('F53 held: the stored-identity check finds the header block however its end is cut', () => {
  const endings = [
    ['CRLF', '\r\n', '\r\n'],
    ['LF', '\n', '\n'],
    ['a CRLF line, then an LF blank line', '\r\n', '\n'],
    ['an LF line, then a CRLF blank line', '\n', '\r\n'],
  ] as const;
  it.each(endings)('%s: every split into two and three chunks', async (_label, line, blank) => {
    const mail = (id: string) =>
      Buffer.from(`From: a@b.example${line}Message-ID: <${id}>${line}${blank}body line${line}`);
    const receipts = mail('x@y');
    const other = mail('other@y');
    for (let i = 1; i < other.length; i++) {
      const two = await through(other, [i], '<x@y>');
      expect(two, `split at ${i}`).toBeInstanceOf(StoredMessageMismatchError);
      const same = await through(receipts, [i], '<x@y>');
      expect((same as Buffer).equals(receipts), `split at ${i}`).toBe(true);
      for (let j = i + 1; j < Math.min(other.length, i + 6); j++) {
        expect(await through(other, [i, j], '<x@y>'), `split at ${i}, ${j}`).toBeInstanceOf(
          StoredMessageMismatchError,
        );
      }
    }
  });

  it('one byte at a time', async () => {
    const other = Buffer.from('From: a@b.example\r\nMessage-ID: <other@y>\n\r\nbody\r\n');
    const cuts = Array.from({ length: other.length }, (_, i) => i + 1);
    expect(await through(other, cuts, '<x@y>')).toBeInstanceOf(StoredMessageMismatchError);
  });
});
