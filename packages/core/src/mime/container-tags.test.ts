import { describe, expect, it } from 'vitest';
import { type MediaTags, mediaTags } from './media-tags.js';

const CARD = '4111 1111 1111 1111';
const found = (result: MediaTags) => {
  if ('unread' in result) throw new Error(result.unread);
  return result;
};
const tagsOf = (file: Buffer) => found(mediaTags(file)).tags.toString('latin1');

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

  it("keeps an ASF file's header object, complete when it is within the bytes", () => {
    const body = Buffer.from(`title ${CARD}`, 'utf16le');
    const header = Buffer.concat([
      Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex'),
      Buffer.alloc(14),
      body,
    ]);
    header.writeBigUInt64LE(BigInt(header.length), 16);
    const file = Buffer.concat([header, Buffer.alloc(500)]);
    expect(found(mediaTags(file)).tags.toString('utf16le')).toContain(CARD);
    expect(found(mediaTags(file)).complete).toBe(true);
    expect(found(mediaTags(file.subarray(0, 40))).complete).toBe(false);
  });

  it("reads a Matroska file's title and tags, past clusters of known and unknown size", () => {
    const file = segment([info('Meeting'), cluster(), cluster(true), tags(CARD)]);
    expect(tagsOf(file)).toContain('Meeting');
    expect(tagsOf(file)).toContain(CARD);
    expect(found(mediaTags(file)).complete).toBe(true);
    expect(found(mediaTags(file.subarray(0, file.length - 10))).complete).toBe(false);
    // A live recording: the segment of unknown size runs to the end.
    const live = segment([info('Live'), cluster(true), tags(CARD)], true);
    expect(tagsOf(live)).toContain(CARD);
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

  it('is unread when an element other than a cluster, or a block, has an unknown size', () => {
    expect(mediaTags(segment([ebml([0x15, 0x49, 0xa9, 0x66], Buffer.alloc(4), true)]))).toEqual({
      unread: 'a Matroska element of unknown size, which is not read',
    });
    const badCluster = ebml([0x1f, 0x43, 0xb6, 0x75], ebml([0xa3], Buffer.alloc(4), true), true);
    expect(mediaTags(segment([badCluster]))).toEqual({
      unread: 'a Matroska block of unknown size, which is not read',
    });
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
