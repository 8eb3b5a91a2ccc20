import { describe, expect, it } from 'vitest';
import { tagTextViews } from './binary-text.js';
import { type MediaTags, mediaTags } from './media-tags.js';

const CARD = '4111 1111 1111 1111';
const found = (result: MediaTags) => {
  if ('unread' in result) throw new Error(result.unread);
  return result;
};
const tagsOf = (file: Buffer) => tagTextViews(found(mediaTags(file)).tags).join('\n');

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const aiffChunk = (id: string, data: Buffer) =>
  Buffer.concat([Buffer.from(id, 'latin1'), be32(data.length), data, Buffer.alloc(data.length % 2)]);
const aiff = (...chunks: Buffer[]) => {
  const body = Buffer.concat([Buffer.from('AIFF', 'latin1'), ...chunks]);
  return Buffer.concat([Buffer.from('FORM', 'latin1'), be32(body.length), body]);
};

// An EBML element with an 8-byte size (all ones: unknown).
const ebml = (id: number[], data: Buffer, unknown = false) => {
  const size = Buffer.alloc(8);
  size[0] = 0x01;
  if (unknown) size.fill(0xff, 1);
  else size.writeUIntBE(data.length, 2, 6);
  return Buffer.concat([Buffer.from(id), size, data]);
};
const EBML_HEADER = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from('matroska')));
const segment = (children: Buffer[], unknown = false) =>
  Buffer.concat([EBML_HEADER, ebml([0x18, 0x53, 0x80, 0x67], Buffer.concat(children), unknown)]);
const info = (title: string) => ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x7b, 0xa9], Buffer.from(title)));
const tags = (value: string) => ebml([0x12, 0x54, 0xc3, 0x67], ebml([0x44, 0x87], Buffer.from(value)));
const block = ebml([0xa3], Buffer.alloc(300, 0x37));
const cluster = (unknown = false) => ebml([0x1f, 0x43, 0xb6, 0x75], Buffer.concat([block, block]), unknown);

describe('AIFF, ASF, Matroska and HEIF tags', () => {
  it("reads an AIFF's text chunks and ID3 chunk, complete at the FORM's end", () => {
    const frame = Buffer.concat([Buffer.from('TIT2'), be32(20), Buffer.alloc(2), Buffer.from(`\0${CARD}`)]);
    const tag = Buffer.concat([
      Buffer.from('ID3\x03\0\0\0\0\0', 'latin1'),
      Buffer.from([frame.length]),
      frame,
    ]);
    const file = aiff(
      aiffChunk('SSND', Buffer.alloc(100)),
      aiffChunk('NAME', Buffer.from('Minutes')),
      aiffChunk('ID3 ', tag),
    );
    expect(tagsOf(file)).toContain('Minutes');
    expect(tagsOf(file)).toContain(CARD);
    expect(found(mediaTags(file)).complete).toBe(true);
    expect(found(mediaTags(file.subarray(0, 60))).complete).toBe(false);
  });

  it("reads an ASF file's strings one by one to its data object, whatever its header's size says", () => {
    const guid = (hex: string) => Buffer.from(hex, 'hex');
    const object = (id: Buffer, data: Buffer) => {
      const head = Buffer.concat([id, Buffer.alloc(8)]);
      head.writeBigUInt64LE(BigInt(24 + data.length), 16);
      return Buffer.concat([head, data]);
    };
    const rating = Buffer.from('x'.repeat(26), 'utf16le'); // 52 bytes: its length word reads as `4`
    const title = Buffer.from(CARD, 'utf16le');
    const lengths = Buffer.alloc(10);
    lengths.writeUInt16LE(title.length, 0);
    lengths.writeUInt16LE(rating.length, 8);
    const content = object(guid('3326b2758e66cf11a6d900aa0062ce6c'), Buffer.concat([lengths, title, rating]));
    const header = Buffer.concat([guid('3026b2758e66cf11a6d900aa0062ce6c'), Buffer.alloc(14)]);
    header.writeBigUInt64LE(30n, 16); // too small: ffmpeg walks on regardless
    const data = object(guid('3626b2758e66cf11a6d900aa0062ce6c'), Buffer.alloc(200));
    const file = Buffer.concat([header, content, data]);
    expect(tagsOf(file)).toMatch(/(^|\n)4111 1111 1111 1111\n/);
    expect(found(mediaTags(file)).complete).toBe(true);
    expect(found(mediaTags(file.subarray(0, 60))).complete).toBe(false);
  });

  it("reads a Matroska file's title and tags wherever they lie, leaf by leaf, never complete", () => {
    const file = segment([info('Meeting'), cluster(), cluster(true), tags(CARD)]);
    expect(tagsOf(file)).toContain('Meeting');
    expect(tagsOf(file)).toContain(CARD);
    expect(found(mediaTags(file)).complete).toBe(false);
    // Past damaged bytes (players resync to the next top-level element), and after the segment's end.
    expect(tagsOf(segment([info('Live'), Buffer.alloc(8), tags(CARD)]))).toContain(CARD);
    expect(tagsOf(Buffer.concat([segment([info('Short')]), tags(CARD)]))).toContain(CARD);
    // A size byte that is a digit (`@4`: 52 in two bytes) stays apart from the text.
    const title = Buffer.from(`${CARD} and more words to fill the title`.padEnd(52, '.'));
    const longSize = Buffer.concat([
      Buffer.from([0x15, 0x49, 0xa9, 0x66, 0x80 | (title.length + 3)]),
      Buffer.from([0x7b, 0xa9, 0x40, 0x34]),
      title,
    ]);
    expect(tagsOf(Buffer.concat([EBML_HEADER, longSize]))).toMatch(/(^|\n)4111 1111 1111 1111 and more/);
  });

  it("reads an attached file's name and description, not its data", () => {
    const attached = ebml(
      [0x61, 0xa7],
      Buffer.concat([
        ebml([0x46, 0x6e], Buffer.from('cover.txt')),
        ebml([0x46, 0x5c], Buffer.from('DATA-NOT-SHOWN')),
      ]),
    );
    const file = segment([ebml([0x19, 0x41, 0xa4, 0x69], attached)]);
    expect(tagsOf(file)).toContain('cover.txt');
    expect(tagsOf(file)).not.toContain('DATA-NOT-SHOWN');
  });

  it("finds a HEIF picture's EXIF (with or without `Exif\\0\\0`) and XMP items wherever they lie", () => {
    const tiff = (text: string) => {
      const head = Buffer.alloc(26);
      head.write('MM\0*', 0, 'latin1');
      head.writeUInt32BE(8, 4);
      head.writeUInt16BE(1, 8);
      head.writeUInt16BE(0x010e, 10);
      head.writeUInt16BE(2, 12);
      head.writeUInt32BE(text.length, 14);
      head.writeUInt32BE(26, 18);
      return Buffer.concat([head, Buffer.from(text, 'latin1')]);
    };
    const ftyp = Buffer.concat([be32(20), Buffer.from('ftypheic\0\0\0\0mif1')]);
    const file = Buffer.concat([
      ftyp,
      Buffer.alloc(100),
      Buffer.from('\0\0\0\x06Exif\0\0', 'latin1'),
      tiff('first'),
      Buffer.alloc(100),
      tiff(CARD),
      Buffer.from('<x:xmpmeta><dc:title>Plan</dc:title></x:xmpmeta>'),
    ]);
    const result = found(mediaTags(file));
    expect(result.tags.toString('latin1')).toContain('first');
    expect(result.tags.toString('latin1')).toContain(CARD);
    expect(result.xmp.length).toBeGreaterThan(0);
    expect(result.xmp.every((packet) => String(packet).includes('<dc:title>Plan</dc:title>'))).toBe(true);
    expect(result.complete).toBe(false);
  });

  it("reads an AVI's INFO list", () => {
    const chunk = (id: string, data: Buffer) => {
      const h = Buffer.alloc(8);
      h.write(id, 0, 'latin1');
      h.writeUInt32LE(data.length, 4);
      return Buffer.concat([h, data]);
    };
    const body = Buffer.concat([
      Buffer.from('AVI '),
      chunk('LIST', Buffer.from(`INFOINAM\x14\0\0\0${CARD}\0`, 'latin1')),
    ]);
    const file = Buffer.concat([Buffer.from('RIFF'), Buffer.from([body.length, 0, 0, 0]), body]);
    expect(tagsOf(file)).toContain(CARD);
  });
});
