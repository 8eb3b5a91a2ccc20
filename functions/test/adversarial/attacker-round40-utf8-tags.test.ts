import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { ebml, flacWithComments } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const NBSP_CARD = CARD.replace(/ /g, '\u00a0');
const WIDE_CARD = [...CARD].map((c) => (c === ' ' ? ' ' : String.fromCharCode(0xff10 + Number(c)))).join('');

const mkv = (title: string) => {
  const header = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from('matroska')));
  const info = ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x7b, 0xa9], Buffer.from(title, 'utf8')));
  return Buffer.concat([
    header,
    ebml([0x18, 0x53, 0x80, 0x67], Buffer.concat([info, ebml([0xec], Buffer.alloc(1000))])),
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
    expect(
      await kit.outbound(outboundFile('song.flac', flacWithComments([`TITLE=${NBSP_CARD}`]), 'audio/flac')),
    ).toBe('BOUNCE');
  });
  it('FLAC, NBSP title and a 200-byte comment', async () => {
    const file = flacWithComments([`TITLE=${NBSP_CARD}`, `COMMENT=${'x'.repeat(192)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
});
