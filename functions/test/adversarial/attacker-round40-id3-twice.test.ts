import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { id3Frame, id3Tag, id3Text } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

const audio = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000)]);

// ffmpeg's id3v2_read_internal reads ID3v2 tags one after another (`do { … } while (found_header)`) and merges
// their frames into the file's metadata (ffprobe, ffplay, mpv, MPC-HC/LAV show the title); mp3Tags reads the first.
describe('A40 MP3: a second ID3v2 tag right after the first', () => {
  it('control: the title in the first tag bounces', async () => {
    const file = Buffer.concat([
      id3Tag(id3Frame('TALB', id3Text('Demos')), id3Frame('TIT2', id3Text(CARD))),
      audio,
    ]);
    expect(await kit.outbound(outboundFile('track.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the title in a second tag', async () => {
    const file = Buffer.concat([
      id3Tag(id3Frame('TALB', id3Text('Demos'))),
      id3Tag(id3Frame('TIT2', id3Text(CARD))),
      audio,
    ]);
    expect(await kit.outbound(outboundFile('track.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the same in a zip', async () => {
    const file = Buffer.concat([
      id3Tag(id3Frame('TALB', id3Text('Demos'))),
      id3Tag(id3Frame('TIT2', id3Text(CARD))),
      audio,
    ]);
    const z = zipFile([{ name: 'track.mp3', data: file }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});
