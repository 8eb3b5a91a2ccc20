import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

const frame = (id: string, data: Buffer) => {
  const h = Buffer.alloc(10);
  h.write(id, 0, 'latin1');
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
};
const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
const id3 = (...frames: Buffer[]) => {
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3\x03\x00\x00', 'latin1'), syncsafe(body.length), body]);
};
const text = (s: string) => Buffer.concat([Buffer.from([0]), Buffer.from(s, 'latin1')]);
const audio = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000)]);

// ffmpeg's id3v2_read_internal reads ID3v2 tags one after another (`do { … } while (found_header)`) and merges
// their frames into the file's metadata (ffprobe, ffplay, mpv, MPC-HC/LAV show the title); mp3Tags reads the first.
describe('A40 MP3: a second ID3v2 tag right after the first', () => {
  it('control: the title in the first tag bounces', async () => {
    const file = Buffer.concat([id3(frame('TALB', text('Demos')), frame('TIT2', text(CARD))), audio]);
    expect(await kit.outbound(outboundFile('track.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the title in a second tag', async () => {
    const file = Buffer.concat([id3(frame('TALB', text('Demos'))), id3(frame('TIT2', text(CARD))), audio]);
    expect(await kit.outbound(outboundFile('track.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the same in a zip', async () => {
    const file = Buffer.concat([id3(frame('TALB', text('Demos'))), id3(frame('TIT2', text(CARD))), audio]);
    const z = zipFile([{ name: 'track.mp3', data: file }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});
