import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { riffChunk } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
// A WAV: fmt, 100 KB of samples, then LIST INFO with the title; its RIFF size `riffSize` (the real one, or a
// small wrong one: ffmpeg's wav_read_header walks chunks to the end of the file whatever the RIFF size says).
const wav = (riffSize?: number) => {
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    riffChunk('fmt ', Buffer.alloc(16)),
    riffChunk('data', Buffer.alloc(100_000)),
    riffChunk('LIST', Buffer.concat([Buffer.from('INFO'), riffChunk('INAM', Buffer.from(`${CARD}\0`))])),
  ]);
  const h = Buffer.alloc(8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(riffSize ?? body.length, 4);
  return Buffer.concat([h, body]);
};

describe('A40 WAV in a zip: a RIFF size that ends the file early (complete within the first 64 KiB)', () => {
  it('control: the true RIFF size, in a zip, bounces', async () => {
    const z = zipFile([{ name: 'memo.wav', data: wav() }]);
    expect(await kit.outbound(outboundFile('memos.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
  it('control: RIFF size 4, attached plainly, bounces', async () => {
    expect(await kit.outbound(outboundFile('memo.wav', wav(4), 'audio/wav'))).toBe('BOUNCE');
  });
  it('RIFF size 4, in a zip', async () => {
    const z = zipFile([{ name: 'memo.wav', data: wav(4) }]);
    expect(await kit.outbound(outboundFile('memos.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});
