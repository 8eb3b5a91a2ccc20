import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { binaryAsStrings, tagTextViews } from './binary-text.js';
import { type MediaTags, mediaTags } from './media-tags.js';

const CARD = '4111 1111 1111 1111';
const found = (result: MediaTags) => {
  if ('unread' in result) throw new Error(result.unread);
  return result;
};
const tagsOf = (file: Buffer) => tagTextViews(found(mediaTags(file)).tags).join('\n');
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

// GIF: header, a screen with a 2-colour global table, blocks, trailer.
const subBlocks = (data: Buffer, size = 255) => {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) {
    const piece = data.subarray(i, i + size);
    out.push(Buffer.from([piece.length]), piece);
  }
  return Buffer.concat([...out, Buffer.from([0])]);
};
const GIF_HEAD = Buffer.concat([
  Buffer.from('GIF89a'),
  Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
  Buffer.alloc(6),
]);
const IMAGE = Buffer.concat([
  Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2]),
  subBlocks(Buffer.alloc(600, 0x34)),
]);
const comment = (text: string, size?: number) =>
  Buffer.concat([Buffer.from([0x21, 0xfe]), subBlocks(Buffer.from(text), size)]);
const gif = (...blocks: Buffer[]) => Buffer.concat([GIF_HEAD, ...blocks, Buffer.from([0x3b])]);

// A GIF's XMP: the packet as raw bytes, then the magic trailer (258 bytes: 0x01, 0xFF down to 0x00, then 0x00).
const gifXmp = (packet: string) => {
  const trailer = Buffer.alloc(258);
  trailer[0] = 1;
  for (let k = 0; k < 256; k++) trailer[1 + k] = 255 - k;
  return Buffer.concat([
    Buffer.from([0x21, 0xff, 11]),
    Buffer.from('XMP DataXMP'),
    Buffer.from(packet),
    trailer,
  ]);
};
const XMP = (value: string) =>
  `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>${value}</dc:description></x:xmpmeta><?xpacket end="w"?>`;

// PSD: header (26 bytes), empty colour mode data, image resources, then layers and image data.
const resource = (id: number, data: Buffer) =>
  Buffer.concat([
    Buffer.from('8BIM'),
    u16(id),
    Buffer.from([0, 0]),
    u32(data.length),
    data,
    Buffer.alloc(data.length % 2),
  ]);
const psd = (...resources: Buffer[]) => {
  const section = Buffer.concat(resources);
  return Buffer.concat([
    Buffer.from('8BPS'),
    u16(1),
    Buffer.alloc(20),
    u32(0),
    u32(section.length),
    section,
    u32(0),
    Buffer.alloc(400, 0x31),
  ]);
};

// JPEG 2000: signature, ftyp, a codestream box (with a comment in its main header), then boxes after it.
const box = (type: string, data: Buffer) =>
  Buffer.concat([u32(8 + data.length), Buffer.from(type, 'latin1'), data]);
const codestream = (note: string) => {
  const com = Buffer.concat([Buffer.from([0xff, 0x64]), u16(4 + note.length), u16(1), Buffer.from(note)]);
  const siz = Buffer.concat([Buffer.from([0xff, 0x51]), u16(6), Buffer.alloc(4)]);
  return Buffer.concat([
    Buffer.from([0xff, 0x4f]),
    siz,
    com,
    Buffer.from([0xff, 0x90]),
    Buffer.alloc(300, 0x35),
  ]);
};
const jp2 = (...boxes: Buffer[]) =>
  Buffer.concat([
    Buffer.from('0000000c6a5020200d0a870a', 'hex'),
    box('ftyp', Buffer.from('jp2 \0\0\0\0jp2 ')),
    ...boxes,
  ]);
const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');

// An OpenType font with a `name` table of records (platform, value), and its WOFF wrapping.
const nameTable = (records: [number, Buffer][]) => {
  const heads: Buffer[] = [];
  let offset = 0;
  for (const [platform, value] of records) {
    heads.push(
      Buffer.concat([
        u16(platform),
        u16(platform === 3 ? 1 : 0),
        u16(0),
        u16(4),
        u16(value.length),
        u16(offset),
      ]),
    );
    offset += value.length;
  }
  const strings = 6 + 12 * records.length;
  return Buffer.concat([u16(0), u16(records.length), u16(strings), ...heads, ...records.map(([, v]) => v)]);
};
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
const otf = (name: Buffer) => {
  const glyphs = Buffer.alloc(200, 0x39);
  const directory = Buffer.concat([
    Buffer.from('OTTO'),
    u16(2),
    Buffer.alloc(6),
    Buffer.from('CFF '),
    u32(0),
    u32(44),
    u32(glyphs.length),
    Buffer.from('name'),
    u32(0),
    u32(44 + glyphs.length),
    u32(name.length),
  ]);
  return Buffer.concat([directory, glyphs, name]);
};
const woff = (name: Buffer) => {
  const packed = deflateSync(name);
  const header = Buffer.concat([Buffer.from('wOFF'), Buffer.from('OTTO'), u32(0), u16(1), Buffer.alloc(30)]);
  const entry = Buffer.concat([Buffer.from('name'), u32(64), u32(packed.length), u32(name.length), u32(0)]);
  return Buffer.concat([header, entry, packed]);
};

describe('GIF, Photoshop, JPEG 2000 and font tags', () => {
  it("reads a GIF's comment after its image data, its sub-blocks joined, complete at the trailer", () => {
    const file = gif(IMAGE, comment(`invoice ${CARD}`, 12));
    expect(tagsOf(file)).toContain(CARD);
    expect(found(mediaTags(file)).complete).toBe(true);
    expect(found(mediaTags(file.subarray(0, file.length - 30))).complete).toBe(false);
    expect(binaryAsStrings('binary', file, ['photo.gif'])).toBe('tags');
  });

  it("reads a GIF's XMP packet and a plain-text extension's text", () => {
    const plain = Buffer.concat([
      Buffer.from([0x21, 0x01, 12]),
      Buffer.alloc(12),
      subBlocks(Buffer.from(CARD)).subarray(0),
    ]);
    expect(tagsOf(gif(gifXmp(XMP(CARD)), IMAGE))).toContain(CARD);
    expect(found(mediaTags(gif(gifXmp(XMP(CARD)), IMAGE))).xmp).toHaveLength(1);
    expect(tagsOf(gif(IMAGE, plain))).toContain(CARD);
    expect(found(mediaTags(gif(IMAGE))).tags).toHaveLength(0);
  });

  it("reads a Photoshop document's XMP, IPTC caption and caption resource", () => {
    const caption = Buffer.concat([Buffer.from([0x1c, 2, 120]), u16(CARD.length), Buffer.from(CARD)]);
    expect(
      tagsOf(psd(resource(0x03ed, Buffer.alloc(16)), resource(0x0424, Buffer.from(XMP(CARD))))),
    ).toContain(CARD);
    expect(tagsOf(psd(resource(0x0404, caption)))).toContain(CARD);
    expect(tagsOf(psd(resource(0x03f0, Buffer.from(`\x13${CARD}`, 'latin1'))))).toContain(CARD);
    expect(found(mediaTags(psd(resource(0x0404, caption)))).complete).toBe(true);
    expect(found(mediaTags(psd(resource(0x03ed, Buffer.from(CARD))))).tags).toHaveLength(0); // resolution info: not text
  });

  it("reads a JPEG 2000 picture's XML and XMP boxes after its codestream, and the codestream's comment", () => {
    expect(tagsOf(jp2(box('jp2c', codestream('x')), box('xml ', Buffer.from(XMP(CARD)))))).toContain(CARD);
    const uuid = box('uuid', Buffer.concat([XMP_UUID, Buffer.from(XMP(CARD))]));
    expect(tagsOf(jp2(box('jp2c', codestream('x')), uuid))).toContain(CARD);
    expect(tagsOf(jp2(box('jp2c', codestream(CARD))))).toContain(CARD);
    expect(tagsOf(codestream(CARD))).toContain(CARD);
    const cut = jp2(box('jp2c', codestream('x')), uuid);
    expect(found(mediaTags(cut.subarray(0, cut.length - 10))).complete).toBe(false);
  });

  it("reads a font's names, each on its own, in an OpenType file and a WOFF one", () => {
    const name = nameTable([
      [3, utf16be('Acme Sans')],
      [3, utf16be(`Copyright ${CARD}`)],
      [1, Buffer.from('Acme Sans Mac')],
    ]);
    expect(tagsOf(otf(name))).toContain(CARD);
    expect(tagsOf(otf(name))).toContain('Acme Sans Mac');
    expect(found(mediaTags(otf(name))).complete).toBe(true);
    expect(tagsOf(woff(name))).toContain(CARD);
    expect(binaryAsStrings('binary', otf(name), ['brand.otf'])).toBe('tags');
  });

  it('bounds the work of a collection whose fonts share one large directory: unread', () => {
    const directory = Buffer.concat([
      Buffer.from('OTTO'),
      u16(4000),
      Buffer.alloc(6),
      Buffer.alloc(4000 * 16),
    ]);
    const offsets = Array.from({ length: 200 }, () => u32(12 + 4 * 200));
    const ttc = Buffer.concat([Buffer.from('ttcf'), u32(0x10000), u32(200), ...offsets, directory]);
    expect(mediaTags(ttc)).toHaveProperty('unread');
  });
});
