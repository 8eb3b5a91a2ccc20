import { describe, expect, it } from 'vitest';
import { yencLines, zipFile } from '../testing/index.js';
import { DEFAULT_MESSAGE_LIMITS } from './limits.js';
import { walkParts } from './part-walk.js';

// Files encoded inside a text body (part-leaf.ts): yEnc decoded as the text streams past, BinHex refused.

// A yEnc file in lines of `width`.
const yenc = (name: string, data: Buffer, width = 128) =>
  [
    `=ybegin line=${width} size=${data.length} name=${name}`,
    ...yencLines(data, width),
    `=yend size=${data.length}`,
  ].join('\r\n');

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
const message = (body: string) =>
  Buffer.from(
    `From: a@b.example\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nHello\r\n${body}\r\n`,
    'latin1',
  );

// The message given to the walk in pieces of `size` bytes, as a stream delivers it.
async function walk(bytes: Buffer, size = bytes.length) {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  const { parts, findings } = await walkParts(pieces, DEFAULT_MESSAGE_LIMITS);
  return { part: parts[0], reasons: findings.map((f) => f.reason) };
}

describe('yEnc files in a text part', () => {
  it('lists a yEnc zip whole or in small pieces', async () => {
    const bytes = message(yenc('invoice.zip', zipFile([{ name: 'invoice.exe', data: MZ }])));
    for (const size of [bytes.length, 7, 1]) {
      const { part, reasons } = await walk(bytes, size);
      expect(part?.names).toEqual(['invoice.zip', 'invoice.exe']);
      expect(part?.innerTypes).toContain('application/x-msdownload');
      expect(reasons).toEqual([]);
    }
  });
  it('sniffs the content of each of two files', async () => {
    const { part } = await walk(message(`${yenc('a.txt', Buffer.from('text'))}\r\n${yenc('b.txt', MZ)}`));
    expect(part?.names).toEqual(['a.txt', 'b.txt']);
    expect(part?.innerTypes).toEqual(['application/x-msdownload']);
  });
  it('refuses a part of a multi-part file and a line cut between pieces', async () => {
    const parted = yenc('a.txt', Buffer.from('text')).replace('=ybegin ', '=ybegin part=2 total=2 ');
    expect((await walk(message(parted))).reasons).toEqual([expect.stringMatching(/yEnc file in parts/)]);
    const long = message(yenc('a.txt', Buffer.alloc(300_000, 'a'), 300_000));
    expect((await walk(long, 65_536)).reasons).toEqual([
      expect.stringMatching(/yEnc line of more than 4096/),
    ]);
    // Read whole, a line that long is still one Thunderbird's 1000-byte line buffer cuts (round 53).
    expect((await walk(long)).reasons).toEqual([expect.stringMatching(/yEnc line of more than 997/)]);
  });
});

describe('BinHex files in a text part', () => {
  // A BinHex header for `invoice.exe` (length 11, the name, a NUL), as an encoder writes its first characters.
  const ALPHABET = '!"#$%&\'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr';
  const header = [11, ...Buffer.from('invoice.exe'), 0, 0, 0];
  let data = ':';
  for (let i = 0; i < header.length; i += 3) {
    const n = ((header[i] ?? 0) << 16) | ((header[i + 1] ?? 0) << 8) | (header[i + 2] ?? 0);
    for (const shift of [18, 12, 6, 0]) data += ALPHABET[(n >> shift) & 63];
  }
  const binhex = `(This file must be converted with BinHex 4.0)\r\n\r\n${data.slice(0, 10)}\r\n${data.slice(10)}`;
  it('is refused, and the name in its header joins the part, whole or in pieces', async () => {
    for (const size of [10_000, 5]) {
      const { part, reasons } = await walk(message(binhex), size);
      expect(part?.names).toEqual(['invoice.exe']);
      expect(reasons).toEqual([expect.stringMatching(/BinHex 4\.0 file .*\.hqx/)]);
    }
  });
  it('text that only mentions BinHex is not a file', async () => {
    const { part, reasons } = await walk(message('Sent as (BinHex 4.0), see (this file must be read).'));
    expect(part?.names).toEqual([]);
    expect(reasons).toEqual([]);
  });
});
