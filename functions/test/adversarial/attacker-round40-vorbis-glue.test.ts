import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { flacWithComments } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
// A Vorbis comment block: vendor, count, then each comment's 32-bit little-endian length and `KEY=value` (UTF-8).

// The next comment's length follows the title's last digit: 52 is `4\0\0\0`, its `4` glued to `6467`.
describe('A40 FLAC: the next Vorbis comment`s length byte (a digit) glued after the title', () => {
  it('control: the next comment is 40 bytes long (`(`), bounces', async () => {
    const file = flacWithComments([`TITLE=${CARD}`, `ARTIST=${'x'.repeat(33)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
  it('the next comment is 52 bytes long (`4`)', async () => {
    const file = flacWithComments([`TITLE=${CARD}`, `ARTIST=${'x'.repeat(45)}`]);
    expect(await kit.outbound(outboundFile('song.flac', file, 'audio/flac'))).toBe('BOUNCE');
  });
});
