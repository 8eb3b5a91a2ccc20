import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { be } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 42, against session 31's picture tags (picture-tags.ts), outbound-policy at its defaults.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';

const pascal4 = (text: string) => {
  // A Pascal string padded to a multiple of four bytes (a layer record's name).
  const s = Buffer.from(text, 'latin1');
  const raw = Buffer.concat([be(s.length, 1), s]);
  return Buffer.concat([raw, Buffer.alloc((4 - (raw.length % 4)) % 4)]);
};
const unicodeString = (text: string) =>
  Buffer.concat([be(text.length, 4), Buffer.from(text, 'utf16le').swap16()]);

// A 1×1 RGB Photoshop document with one layer named `layerName` (its Pascal name and its `luni` Unicode name, as
// Photoshop writes both), and an XMP description `description` in its image resources.
function psdWithLayer(layerName: string, description = 'mockup', typeText?: string): Buffer {
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
  const luniData = unicodeString(layerName);
  const luni = Buffer.concat([Buffer.from('8BIMluni'), be(luniData.length, 4), luniData]);
  // A type layer's descriptor, reduced to its `Txt ` item (a 4-byte key length 0, the key, `TEXT`, the text).
  const tySh = typeText
    ? Buffer.concat([Buffer.alloc(16), be(0, 4), Buffer.from('Txt TEXT'), unicodeString(typeText)])
    : undefined;
  const typeBlock = tySh ? [Buffer.from('8BIMTySh'), be(tySh.length, 4), tySh] : [];
  const extra = Buffer.concat([be(0, 4), be(0, 4), pascal4(layerName), luni, ...typeBlock]);
  const record = Buffer.concat([
    be(0, 4),
    be(0, 4),
    be(1, 4),
    be(1, 4), // top, left, bottom, right
    be(3, 2), // channels
    ...[0, 1, 2].map((id) => Buffer.concat([be(id, 2), be(3, 4)])), // id, length (compression + 1 byte)
    Buffer.from('8BIMnorm'),
    Buffer.from([255, 0, 0, 0]),
    be(extra.length, 4),
    extra,
  ]);
  const channelData = Buffer.concat([0, 1, 2].map(() => Buffer.from([0, 0, 0x80])));
  let layerInfo = Buffer.concat([be(1, 2), record, channelData]);
  if (layerInfo.length % 2) layerInfo = Buffer.concat([layerInfo, Buffer.alloc(1)]);
  const layerAndMask = Buffer.concat([be(layerInfo.length, 4), layerInfo, be(0, 4)]);
  return Buffer.concat([
    Buffer.from('8BPS'),
    be(1, 2),
    Buffer.alloc(6),
    be(3, 2),
    be(1, 4),
    be(1, 4),
    be(8, 2),
    be(3, 2), // channels, height, width, depth, RGB
    be(0, 4), // colour mode data
    be(resource.length, 4),
    resource,
    be(layerAndMask.length, 4),
    layerAndMask,
    be(0, 2),
    Buffer.from([0x80, 0x80, 0x80]), // raw composite
  ]);
}

// A42-6. Photoshop documents are read for their image resources only (XMP, IPTC, EXIF, caption), and skipped as a
// picture otherwise. A layer's name is text Photoshop's Layers panel lists beside each layer (a type layer is named
// after the text it draws, "4539 1488 0343 6467", by default), as do GIMP, Photopea and Affinity Photo when they
// open the file; it sits in the layer and mask section, after the resources, which is not read.
describe('A42-6 DLP: a card in a Photoshop layer name', () => {
  it('control: the card in the same document’s XMP description bounces', async () => {
    expect(
      await kit.outbound(
        outboundFile('mockup.psd', psdWithLayer('Layer 1', CARD), 'image/vnd.adobe.photoshop'),
      ),
    ).toBe('BOUNCE');
  });
  it('control: the document without a number is delivered', async () => {
    expect(
      await kit.outbound(outboundFile('mockup.psd', psdWithLayer('Layer 1'), 'image/vnd.adobe.photoshop')),
    ).toBe('DEFAULT');
  });
  it('the card as a layer’s name bounces', async () => {
    expect(
      await kit.outbound(outboundFile('mockup.psd', psdWithLayer(CARD), 'image/vnd.adobe.photoshop')),
    ).toBe('BOUNCE');
  });
  it('the card as a type layer’s text (its layer named otherwise) bounces (session 31)', async () => {
    expect(
      await kit.outbound(
        outboundFile('mockup.psd', psdWithLayer('Headline', 'mockup', CARD), 'image/vnd.adobe.photoshop'),
      ),
    ).toBe('BOUNCE');
  });
});
