import { describe, expect, it } from 'vitest';
import { findCardNumbers } from '../../../packages/rules/src/detectors/card.js';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { asfGuid, ebmlSize8 } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
// A Luhn-valid Visa that is not the all-ones test number (so no sub-run is a card by accident).
const CARD = '4539 1488 0343 6467';

// An ASF file whose Content Description Object has a title and a rating (no NUL terminators: lengths say where
// each string ends, as ffmpeg's asfdec and WMP read them).
const wma = (title: string, rating: string) => {
  const t = Buffer.from(title, 'utf16le');
  const r = Buffer.from(rating, 'utf16le');
  const lengths = Buffer.alloc(10);
  lengths.writeUInt16LE(t.length, 0);
  lengths.writeUInt16LE(r.length, 8);
  const cdBody = Buffer.concat([lengths, t, r]);
  const cdo = Buffer.concat([asfGuid('75B22633-668E-11CF-A6D9-00AA0062CE6C'), Buffer.alloc(8), cdBody]);
  cdo.writeBigUInt64LE(BigInt(cdo.length), 16);
  const head = Buffer.alloc(30);
  asfGuid('75B22630-668E-11CF-A6D9-00AA0062CE6C').copy(head, 0);
  head.writeBigUInt64LE(BigInt(30 + cdo.length), 16);
  head.writeUInt32LE(1, 24);
  head[28] = 1;
  head[29] = 2;
  return Buffer.concat([head, cdo, Buffer.alloc(2000)]);
};

describe('A40 ASF: the rating length (a UTF-16 digit) glued before the title', () => {
  it('sanity: the card alone is found', () => {
    expect(findCardNumbers(CARD)).toEqual(['4539148803436467']);
  });
  it('control: a rating of 20 characters (length 0x28, `(`) bounces', async () => {
    expect(await kit.outbound(outboundFile('voice.wma', wma(CARD, 'R'.repeat(20)), 'audio/x-ms-wma'))).toBe(
      'BOUNCE',
    );
  });
  it('a rating of 26 characters (length 0x34 = `4` in UTF-16LE) right before the title', async () => {
    expect(await kit.outbound(outboundFile('voice.wma', wma(CARD, 'R'.repeat(26)), 'audio/x-ms-wma'))).toBe(
      'BOUNCE',
    );
  });
});

// Matroska: EBML header, then a Segment holding Info with a Title whose size is a 2-byte vint (`@` and a digit).
const e = (id: number[], size: Buffer, d: Buffer) => Buffer.concat([Buffer.from(id), size, d]);
const mkv = (titleSize: Buffer, title: string) => {
  const ebml = e(
    [0x1a, 0x45, 0xdf, 0xa3],
    ebmlSize8(11),
    e([0x42, 0x82], ebmlSize8(8).subarray(7).fill(0x88), Buffer.from('matroska')),
  );
  const t = Buffer.from(title, 'latin1');
  const titleEl = e([0x7b, 0xa9], titleSize, t);
  const info = e([0x15, 0x49, 0xa9, 0x66], ebmlSize8(titleEl.length), titleEl);
  const body = Buffer.concat([info, e([0xec], ebmlSize8(1000), Buffer.alloc(1000))]);
  return Buffer.concat([ebml, e([0x18, 0x53, 0x80, 0x67], ebmlSize8(body.length), body)]);
};
const vint2 = (n: number) => Buffer.from([0x40 | (n >> 8), n & 0xff]);
const vint1 = (n: number) => Buffer.from([0x80 | n]);

describe('A40 Matroska: a title size written as a 2-byte vint (`@4`) glued before the title', () => {
  const title = `${CARD} holiday`.padEnd(52, '.');
  it('control: the same title, its size a 1-byte vint, bounces', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(vint1(52), title), 'video/x-matroska'))).toBe(
      'BOUNCE',
    );
  });
  it('the title size 52 as 0x40 0x34', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(vint2(52), title), 'video/x-matroska'))).toBe(
      'BOUNCE',
    );
  });
});

// AIFF with a COMT chunk: count, then per comment a timestamp, a marker id, a byte count and the text.
const aiffComt = (comment: string) => {
  const t = Buffer.from(comment, 'latin1');
  const head = Buffer.alloc(2 + 8);
  head.writeUInt16BE(1, 0);
  head.writeUInt32BE(0x12345678, 2);
  head.writeUInt16BE(0, 6);
  head.writeUInt16BE(t.length, 8);
  const comt = Buffer.concat([head, t]);
  const ch = (id: string, d: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32BE(d.length, 4);
    return Buffer.concat([h, d, Buffer.alloc(d.length % 2)]);
  };
  const comm = Buffer.alloc(18);
  comm.writeUInt16BE(1, 0);
  comm.writeUInt16BE(16, 6);
  const body = Buffer.concat([
    Buffer.from('AIFF'),
    ch('COMM', comm),
    ch('COMT', comt),
    ch('SSND', Buffer.alloc(1008)),
  ]);
  const h = Buffer.alloc(8);
  h.write('FORM', 0, 'latin1');
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};
describe('A40 AIFF: a COMT comment whose byte count (0x0034) is glued before its text', () => {
  it('control: a 40-byte comment (count 0x0028, `(`) bounces', async () => {
    expect(
      await kit.outbound(
        outboundFile('memo.aiff', aiffComt(`${CARD} call back`.padEnd(40, '.')), 'audio/aiff'),
      ),
    ).toBe('BOUNCE');
  });
  it('a 52-byte comment', async () => {
    expect(
      await kit.outbound(
        outboundFile('memo.aiff', aiffComt(`${CARD} call back`.padEnd(52, '.')), 'audio/aiff'),
      ),
    ).toBe('BOUNCE');
  });
});
