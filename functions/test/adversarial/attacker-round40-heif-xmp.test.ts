import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4539 1488 0343 6467';
const box = (t: string, d: Buffer) => {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + d.length, 0);
  h.write(t, 4, 'latin1');
  return Buffer.concat([h, d]);
};
const heic = (item: string) =>
  Buffer.concat([
    box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')),
    box(
      'meta',
      Buffer.concat([
        Buffer.alloc(4),
        box('hdlr', Buffer.concat([Buffer.alloc(8), Buffer.from('pict'), Buffer.alloc(13)])),
      ]),
    ),
    box('mdat', Buffer.concat([Buffer.from(item), Buffer.alloc(1000)])),
  ]);
const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${CARD}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF>`;

// heifTags finds XMP only by the literal `<x:xmpmeta`: the wrapper is optional (XMP part 1), and its prefix is any bound to
// adobe:ns:meta/; the Adobe XMP Toolkit (exiv2: digiKam, gThumb) reads both.
describe('A40 HEIC: an XMP item without `<x:xmpmeta`', () => {
  it('control: wrapped in <x:xmpmeta>, bounces', async () => {
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/">${rdf}</x:xmpmeta>`;
    expect(await kit.outbound(outboundFile('IMG_0001.heic', heic(xmp), 'image/heic'))).toBe('BOUNCE');
  });
  it('wrapped in <m:xmpmeta xmlns:m="adobe:ns:meta/">', async () => {
    const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><m:xmpmeta xmlns:m="adobe:ns:meta/">${rdf}</m:xmpmeta><?xpacket end="w"?>`;
    expect(await kit.outbound(outboundFile('IMG_0001.heic', heic(xmp), 'image/heic'))).toBe('BOUNCE');
  });
  it('a bare xpacket with rdf:RDF', async () => {
    const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>${rdf}<?xpacket end="w"?>`;
    expect(await kit.outbound(outboundFile('IMG_0001.heic', heic(xmp), 'image/heic'))).toBe('BOUNCE');
  });
});
