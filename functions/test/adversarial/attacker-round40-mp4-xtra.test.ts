import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

const box = (type: string, data: Buffer) => {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + data.length, 0);
  h.write(type, 4, 'latin1');
  return Buffer.concat([h, data]);
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
// Windows Explorer's `Xtra` user data (moov/udta/Xtra): what its MP4 property handler cannot put in `ilst`
// (Subtitle WM/SubTitle, Tags WM/Category, Publisher…), each entry: size, name length, name, value count, then each
// value's size, type (8: a UTF-16LE string) and data. Explorer's Details tab shows them.
const xtra = (name: string, value: string) => {
  const v = Buffer.from(`${value}\0`, 'utf16le');
  const typed = Buffer.concat([Buffer.from([0, 8]), v]);
  const val = Buffer.concat([u32(4 + typed.length), typed]);
  const n = Buffer.from(name, 'latin1');
  const body = Buffer.concat([u32(n.length), n, u32(1), val]);
  return box('Xtra', Buffer.concat([u32(4 + body.length), body]));
};
// An ilst item (iTunes style) holding a UTF-8 string.
const ilst = (item: string, value: string) =>
  box(
    'meta',
    Buffer.concat([
      Buffer.alloc(4),
      box('hdlr', Buffer.concat([Buffer.alloc(8), Buffer.from('mdirappl'), Buffer.alloc(9)])),
      box('ilst', box(item, box('data', Buffer.concat([u32(1), u32(0), Buffer.from(value)])))),
    ]),
  );
const mp4 = (udta: Buffer) =>
  Buffer.concat([
    box('ftyp', Buffer.from('mp42\0\0\0\0mp42isom', 'latin1')),
    box('moov', Buffer.concat([box('mvhd', Buffer.alloc(100)), box('udta', udta)])),
    box('mdat', Buffer.alloc(2000)),
  ]);

describe('A40 MP4: Explorer`s Xtra user data', () => {
  it('control: the card as the ilst title (©nam) bounces', async () => {
    expect(await kit.outbound(outboundFile('clip.mp4', mp4(ilst('\xa9nam', CARD)), 'video/mp4'))).toBe(
      'BOUNCE',
    );
  });
  it('the card as Explorer`s Subtitle (Xtra WM/SubTitle)', async () => {
    expect(await kit.outbound(outboundFile('clip.mp4', mp4(xtra('WM/SubTitle', CARD)), 'video/mp4'))).toBe(
      'BOUNCE',
    );
  });
});
