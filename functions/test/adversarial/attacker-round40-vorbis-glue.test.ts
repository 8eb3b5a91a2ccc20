import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
// A Vorbis comment block: vendor, count, then each comment's 32-bit little-endian length and `KEY=value` (UTF-8).
const vorbisComments = (comments: string[]) =>
  Buffer.concat([
    u32le(6),
    Buffer.from('wmflow'),
    u32le(comments.length),
    ...comments.flatMap((c) => [u32le(Buffer.byteLength(c)), Buffer.from(c)]),
  ]);
const flac = (comments: string[]) => {
  const streaminfo = Buffer.concat([Buffer.from([0x00, 0, 0, 34]), Buffer.alloc(34)]);
  const vc = vorbisComments(comments);
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

// The next comment's length follows the title's last digit: 52 is `4\0\0\0`, its `4` glued to `6467`.
describe('A40 FLAC: the next Vorbis comment`s length byte (a digit) glued after the title', () => {
  it('control: the next comment is 40 bytes long (`(`), bounces', async () => {
    const file = flac([`TITLE=${CARD}`, `ARTIST=${'x'.repeat(33)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
  it('the next comment is 52 bytes long (`4`)', async () => {
    const file = flac([`TITLE=${CARD}`, `ARTIST=${'x'.repeat(45)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
});
