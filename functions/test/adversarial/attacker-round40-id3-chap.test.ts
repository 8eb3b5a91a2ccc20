import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { syncsafe } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
// v2.4 frames: `plain` sizes as iTunes wrote them (TagLib and ffmpeg take a plain size when the syncsafe one
// leads nowhere and the plain one to a frame), otherwise syncsafe.
const frame = (id: string, data: Buffer, plain = false) =>
  Buffer.concat([
    Buffer.from(id, 'latin1'),
    plain ? u32(data.length) : syncsafe(data.length),
    Buffer.alloc(2),
    data,
  ]);
const id3v24 = (...frames: Buffer[]) => {
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3\x04\x00\x00', 'latin1'), syncsafe(body.length), body]);
};
const audio = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000)]);
// A chapter title of 255 characters (frame size 256 = 00 00 01 00, read syncsafe as 128): its 128th byte is `ÿ`
// (0xFF, which the syncsafe walk takes for padding), the card after it.
const title = Buffer.concat([
  Buffer.from([0]),
  Buffer.from(`Chapter one: ${'-'.repeat(114)}\xff ${CARD} `.padEnd(255, '-'), 'latin1'),
]);
const chap = (titleFrame: Buffer) =>
  frame(
    'CHAP',
    Buffer.concat([
      Buffer.from('ch1\0', 'latin1'),
      Buffer.alloc(16),
      titleFrame,
      frame('TPE1', Buffer.from('\x00Host', 'latin1')),
    ]),
  );

describe('A40 ID3v2.4 chapter frames: an iTunes plain size inside a CHAP is read syncsafe only', () => {
  it('sanity: the title is 256 bytes and its byte 128 is 0xFF', () => {
    expect(title.length).toBe(256);
    expect(title[128]).toBe(0xff);
  });
  it('control: the same title frame (plain size) at the tag`s top level bounces', async () => {
    const file = Buffer.concat([
      id3v24(frame('TIT2', title, true), frame('TPE1', Buffer.from('\x00Host', 'latin1'))),
      audio,
    ]);
    expect(await kit.outbound(outboundFile('podcast.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('control: the chapter title with a syncsafe size bounces', async () => {
    const file = Buffer.concat([id3v24(chap(frame('TIT2', title))), audio]);
    expect(await kit.outbound(outboundFile('podcast.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the chapter title with a plain size', async () => {
    const file = Buffer.concat([id3v24(chap(frame('TIT2', title, true))), audio]);
    expect(await kit.outbound(outboundFile('podcast.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
});
