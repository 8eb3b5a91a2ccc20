import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { pngWithTextAfterImage } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 37 (session 29) against round 36's fixes: each case got past outbound-policy before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const BIG = 12_000_000;

// An MPEG-1 layer III frame header, then silence, then an ID3v1 tag (the last 128 bytes) whose title is `title`.
const id3v1 = (title: string) => {
  const tag = Buffer.alloc(128);
  tag.write('TAG', 0, 'latin1');
  tag.write(title.slice(0, 30), 3, 'latin1');
  tag.write('Bob', 33, 'latin1');
  tag[127] = 12;
  return tag;
};
const mp3 = (size: number, title: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(size), id3v1(title)]);

describe('A37-6 tags at the end of a large picture or recording (cut at the part bound)', () => {
  it('control: a small MP3 whose ID3v1 title is a card bounces', async () => {
    expect(await kit.outbound(outboundFile('track.mp3', mp3(4000, CARD), 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('a 12 MB MP3 whose ID3v1 title (its last 128 bytes) is a card', async () => {
    expect(await kit.outbound(outboundFile('track.mp3', mp3(BIG, CARD), 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('control: a small PNG with a tEXt comment after IDAT bounces', async () => {
    expect(
      await kit.outbound(outboundFile('scan.png', pngWithTextAfterImage(4000, `Card ${CARD}`), 'image/png')),
    ).toBe('BOUNCE');
  });
  it('a 12 MB PNG with a tEXt comment after IDAT', async () => {
    expect(
      await kit.outbound(outboundFile('scan.png', pngWithTextAfterImage(BIG, `Card ${CARD}`), 'image/png')),
    ).toBe('BOUNCE');
  });
});

// A JPEG's first bytes then text: named as a file a text editor opens (Notepad opens .ps1 and .inf, Quick Look and
// TextEdit show .c, .py, .patch as plain text), sent as image/jpeg.
const jpegText = (pad: number) =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
    Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'),
    Buffer.from(`\r\n# customer cards\r\nBob ${CARD}\r\n`),
    Buffer.alloc(pad, 0x20),
  ]);
describe('A37-7 a text file that starts as a JPEG, named as source or a script editors open', () => {
  it('control: named notes.txt bounces', async () => {
    expect(await kit.outbound(outboundFile('notes.txt', jpegText(100), 'image/jpeg'))).toBe('BOUNCE');
  });
  for (const name of ['notes.ps1', 'setup.inf', 'notes.c', 'notes.py', 'fix.patch'])
    it(`${name}, small`, async () => {
      expect(await kit.outbound(outboundFile(name, jpegText(100), 'image/jpeg'))).toBe('BOUNCE');
    });
  it('notes.ps1, 12 MB (skipped whatever its size)', async () => {
    expect(await kit.outbound(outboundFile('notes.ps1', jpegText(BIG), 'image/jpeg'))).toBe('BOUNCE');
  });
});
