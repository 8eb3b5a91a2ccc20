import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { asfGuid } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
// Header object, Content Description Object (title), then the Data object. `headerSize`: what the header object's
// size field says (the true size, or 30: no objects). ffmpeg's asfdec_f reads the size and ignores it, walking
// objects until the Data object.
const wma = (title: string, headerSize?: number) => {
  const t = Buffer.from(`${title}\0`, 'utf16le');
  const lengths = Buffer.alloc(10);
  lengths.writeUInt16LE(t.length, 0);
  const cdo = Buffer.concat([asfGuid('75B22633-668E-11CF-A6D9-00AA0062CE6C'), Buffer.alloc(8), lengths, t]);
  cdo.writeBigUInt64LE(BigInt(cdo.length), 16);
  const head = Buffer.alloc(30);
  asfGuid('75B22630-668E-11CF-A6D9-00AA0062CE6C').copy(head, 0);
  head.writeBigUInt64LE(BigInt(headerSize ?? 30 + cdo.length), 16);
  head.writeUInt32LE(1, 24);
  head[28] = 1;
  head[29] = 2;
  const data = Buffer.concat([
    asfGuid('75B22636-668E-11CF-A6D9-00AA0062CE6C'),
    Buffer.alloc(8),
    Buffer.alloc(2000),
  ]);
  data.writeBigUInt64LE(BigInt(data.length), 16);
  return Buffer.concat([head, cdo, data]);
};

describe('A40 ASF: a header object size that leaves out the objects after it', () => {
  it('control: the true header size bounces', async () => {
    expect(await kit.outbound(outboundFile('voice.wma', wma(CARD), 'audio/x-ms-wma'))).toBe('BOUNCE');
  });
  it('header size 30', async () => {
    expect(await kit.outbound(outboundFile('voice.wma', wma(CARD, 30), 'audio/x-ms-wma'))).toBe('BOUNCE');
  });
});
