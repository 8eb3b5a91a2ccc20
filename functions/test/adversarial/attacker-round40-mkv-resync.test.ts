import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { ebml } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

// EBML header, then a Segment: Info (title "Holiday"), `junk`, then Tags whose SimpleTag COMMENT holds the card.
const mkv = (junk: Buffer) => {
  const header = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from('matroska')));
  const info = ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x7b, 0xa9], Buffer.from('Holiday')));
  const simple = ebml(
    [0x67, 0xc8],
    Buffer.concat([ebml([0x45, 0xa3], Buffer.from('COMMENT')), ebml([0x44, 0x87], Buffer.from(CARD))]),
  );
  const tags = ebml(
    [0x12, 0x54, 0xc3, 0x67],
    ebml([0x73, 0x73], Buffer.concat([ebml([0x63, 0xc0], Buffer.alloc(0)), simple])),
  );
  const body = Buffer.concat([info, junk, tags]);
  return Buffer.concat([header, ebml([0x18, 0x53, 0x80, 0x67], body)]);
};

// The Segment's size covers Info only; Tags follow it. ffmpeg's matroska_read_header keeps resyncing to the next
// level-1 id (Tags among them) until a Cluster, past the Segment's end too.
const mkvShortSegment = () => {
  const header = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from('matroska')));
  const info = ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x7b, 0xa9], Buffer.from('Holiday')));
  const simple = ebml(
    [0x67, 0xc8],
    Buffer.concat([ebml([0x45, 0xa3], Buffer.from('COMMENT')), ebml([0x44, 0x87], Buffer.from(CARD))]),
  );
  const tags = ebml(
    [0x12, 0x54, 0xc3, 0x67],
    ebml([0x73, 0x73], Buffer.concat([ebml([0x63, 0xc0], Buffer.alloc(0)), simple])),
  );
  return Buffer.concat([header, ebml([0x18, 0x53, 0x80, 0x67], info), tags]);
};

describe('A40 Matroska: a damaged element before Tags ends the walk (players resync to the next top-level element)', () => {
  it('control: no junk, bounces', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(Buffer.alloc(0)), 'video/x-matroska'))).toBe(
      'BOUNCE',
    );
  });
  it('eight zero bytes (an invalid EBML id) between Info and Tags', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(Buffer.alloc(8)), 'video/x-matroska'))).toBe(
      'BOUNCE',
    );
  });
});

describe('A40 Matroska: Tags after a Segment whose size ends early', () => {
  it('Tags right after the Segment', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkvShortSegment(), 'video/x-matroska'))).toBe(
      'BOUNCE',
    );
  });
});
