import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { be } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Tags that viewers show in formats the DLP skipped as pictures and fonts (session 31, from docs/rules.md's list of
// tags not read): a GIF's comment (GIMP, IrfanView), a Photoshop document's XMP (File Info), a font's copyright
// (Windows' font viewer and Explorer's details).
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

// A 1×1 GIF whose comment follows the image data, in sub-blocks of 8 bytes.
const gif = (note: string) => {
  const text = Buffer.from(note);
  const blocks: Buffer[] = [];
  for (let i = 0; i < text.length; i += 8)
    blocks.push(be(text.subarray(i, i + 8).length, 1), text.subarray(i, i + 8));
  return Buffer.concat([
    Buffer.from('GIF89a'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0]),
    Buffer.from([0x21, 0xfe]),
    ...blocks,
    Buffer.from([0, 0x3b]),
  ]);
};
// A Photoshop document whose XMP resource holds a description.
const psd = (description: string) => {
  const xmp = Buffer.from(
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>${description}</dc:description></x:xmpmeta>`,
  );
  const resource = Buffer.concat([
    Buffer.from('8BIM'),
    be(0x0424, 2),
    be(0, 2),
    be(xmp.length, 4),
    xmp,
    Buffer.alloc(xmp.length % 2),
  ]);
  return Buffer.concat([
    Buffer.from('8BPS'),
    be(1, 2),
    Buffer.alloc(20),
    be(0, 4),
    be(resource.length, 4),
    resource,
    be(0, 4),
    Buffer.alloc(64),
  ]);
};
// An OpenType font whose name table's copyright (Windows platform, UTF-16BE) holds the number.
const otf = (copyright: string) => {
  const value = Buffer.from(copyright, 'utf16le').swap16();
  const name = Buffer.concat([
    be(0, 2),
    be(1, 2),
    be(18, 2),
    be(3, 2),
    be(1, 2),
    be(0x409, 2),
    be(0, 2),
    be(value.length, 2),
    be(0, 2),
    value,
  ]);
  return Buffer.concat([
    Buffer.from('OTTO'),
    be(1, 2),
    Buffer.alloc(6),
    Buffer.from('name'),
    be(0, 4),
    be(28, 4),
    be(name.length, 4),
    name,
  ]);
};

describe('picture and font tags the DLP skipped', () => {
  it("a card in a GIF's comment, after the image data: bounced", async () => {
    expect(await kit.outbound(outboundFile('chart.gif', gif(`ref ${CARD}`), 'image/gif'))).toBe('BOUNCE');
  });
  it("a card in a Photoshop document's XMP description: bounced", async () => {
    expect(await kit.outbound(outboundFile('mockup.psd', psd(CARD), 'image/vnd.adobe.photoshop'))).toBe(
      'BOUNCE',
    );
  });
  it("a card in a font's copyright name: bounced", async () => {
    expect(await kit.outbound(outboundFile('brand.otf', otf(`(c) ${CARD}`), 'font/otf'))).toBe('BOUNCE');
  });
  it('control: the same files without a number are delivered', async () => {
    expect(await kit.outbound(outboundFile('chart.gif', gif('quarterly chart'), 'image/gif'))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(outboundFile('brand.otf', otf('(c) Acme 2026'), 'font/otf'))).toBe('DEFAULT');
  });
});
