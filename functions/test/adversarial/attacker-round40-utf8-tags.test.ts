import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const NBSP_CARD = CARD.replace(/ /g, '\u00a0');
const WIDE_CARD = [...CARD].map((c) => (c === ' ' ? ' ' : String.fromCharCode(0xff10 + Number(c)))).join('');

const size8 = (n: number) => {
  const b = Buffer.alloc(8);
  b[0] = 0x01;
  b.writeUIntBE(n, 2, 6);
  return b;
};
const el = (id: number[], d: Buffer) => Buffer.concat([Buffer.from(id), size8(d.length), d]);
const mkv = (title: string) => {
  const ebml = el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], Buffer.from('matroska')));
  const info = el([0x15, 0x49, 0xa9, 0x66], el([0x7b, 0xa9], Buffer.from(title, 'utf8')));
  return Buffer.concat([
    ebml,
    el([0x18, 0x53, 0x80, 0x67], Buffer.concat([info, el([0xec], Buffer.alloc(1000))])),
  ]);
};
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const flac = (comments: string[]) => {
  const vc = Buffer.concat([
    u32le(6),
    Buffer.from('wmflow'),
    u32le(comments.length),
    ...comments.flatMap((c) => [u32le(Buffer.byteLength(c)), Buffer.from(c, 'utf8')]),
  ]);
  const streaminfo = Buffer.concat([Buffer.from([0x00, 0, 0, 34]), Buffer.alloc(34)]);
  const h = Buffer.from([0x84, (vc.length >> 16) & 0xff, (vc.length >> 8) & 0xff, vc.length & 0xff]);
  return Buffer.concat([
    Buffer.from('fLaC'),
    streaminfo,
    h,
    vc,
    Buffer.from([0xff, 0xf8]),
    Buffer.alloc(2000),
  ]);
};

// tagTextViews reads UTF-8 only when the whole tag buffer is valid UTF-8; Matroska's kept elements hold their
// binary ids and sizes (0xA9, 0x80…) and a Vorbis comment block its 32-bit lengths (a comment of 128 bytes or more
// has a length byte >= 0x80), so UTF-8 text there is read as Latin-1 only: `4539\u00a01488…` reads `4539Â 1488`.
describe('A40 UTF-8 tag text inside kept binary structures is never read as UTF-8', () => {
  it('control: MKV title, ASCII spaces, bounces', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(CARD), 'video/x-matroska'))).toBe('BOUNCE');
  });
  it('MKV title grouped by no-break spaces', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(NBSP_CARD), 'video/x-matroska'))).toBe('BOUNCE');
  });
  it('MKV title in full-width digits', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(WIDE_CARD), 'video/x-matroska'))).toBe('BOUNCE');
  });
  it('control: FLAC, NBSP title, no long comment, bounces', async () => {
    expect(await kit.outbound(outboundFile('song.flac', flac([`TITLE=${NBSP_CARD}`]), 'audio/flac'))).toBe(
      'BOUNCE',
    );
  });
  it('FLAC, NBSP title and a 200-byte comment', async () => {
    const file = flac([`TITLE=${NBSP_CARD}`, `COMMENT=${'x'.repeat(192)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
});
