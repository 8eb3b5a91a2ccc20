import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { binaryAsStrings } from './binary-text.js';
import { MAX_TAG_BYTES, mediaTags } from './media-tags.js';

const CARD = '4111 1111 1111 1111';
const u32be = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const jpeg = (...segments: [number, Buffer][]) =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...segments.map(([marker, data]) => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(data.length + 2);
      return Buffer.concat([Buffer.from([0xff, marker]), length, data]);
    }),
    Buffer.from([0xff, 0xda, 0x00, 0x02]),
    Buffer.from(`pixels ${CARD}`),
  ]);
const png = (...chunks: [string, Buffer][]) =>
  Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    ...chunks.flatMap(([type, data]) => [
      u32be(data.length),
      Buffer.from(type, 'latin1'),
      data,
      Buffer.alloc(4),
    ]),
  ]);
const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);

describe('the text tags of pictures and recordings', () => {
  it("reads a JPEG's EXIF, IPTC and comment segments, not its pixels nor its other segments", () => {
    const file = jpeg(
      [0xe0, Buffer.from('JFIF\0 thumbnail 5555')],
      [0xe1, Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from(`Comment ${CARD}`, 'utf16le')])],
      [0xed, Buffer.from('Photoshop 3.0\0 caption')],
      [0xfe, Buffer.from('a comment')],
    );
    const tags = mediaTags(file) as Buffer;
    expect(tags.toString('utf16le', 6)).toContain(CARD);
    expect(tags.toString('latin1')).toContain('caption');
    expect(tags.toString('latin1')).toContain('a comment');
    expect(tags.toString('latin1')).not.toContain('thumbnail');
    expect(tags.toString('latin1')).not.toContain('pixels');
  });
  it("reads a PNG's text chunks, inflating compressed ones", () => {
    const file = png(
      ['IHDR', Buffer.alloc(13)],
      ['tEXt', Buffer.from(`Title\0plain ${CARD}`)],
      ['zTXt', Buffer.concat([Buffer.from('Comment\0\0'), deflateSync(Buffer.from('zipped text'))])],
      [
        'iTXt',
        Buffer.concat([Buffer.from('Description\0\x01\0en\0\0'), deflateSync(Buffer.from('international'))]),
      ],
      ['IDAT', Buffer.from('not a tag')],
      ['IEND', Buffer.alloc(0)],
    );
    const text = (mediaTags(file) as Buffer).toString('latin1');
    expect(text).toContain(`plain ${CARD}`);
    expect(text).toContain('zipped text');
    expect(text).toContain('international');
    expect(text).not.toContain('not a tag');
  });
  it("reads a WebP's EXIF and XMP chunks, and a FLAC's Vorbis comments", () => {
    const webp = Buffer.concat([
      Buffer.from('RIFF'),
      u32le(0),
      Buffer.from('WEBPVP8 '),
      u32le(3),
      Buffer.from('abc\0XMP '),
      u32le(5),
      Buffer.from('<xmp>'),
    ]);
    expect((mediaTags(webp) as Buffer).toString()).toBe('<xmp>');
    const comment = Buffer.from(`TITLE=${CARD}`);
    const flac = Buffer.concat([
      Buffer.from('fLaC'),
      Buffer.from([0x00, 0, 0, 2]),
      Buffer.from('si'),
      Buffer.from([0x84, 0, 0, comment.length]),
      comment,
    ]);
    expect((mediaTags(flac) as Buffer).toString()).toBe(`TITLE=${CARD}`);
  });
  it("reads an MP3's ID3v2 text frames (v2.2, v2.3, v2.4) and ID3v1, not its pictures", () => {
    const frame = (id: string, body: Buffer, v4 = false) =>
      Buffer.concat([
        Buffer.from(id),
        v4 ? syncsafe(body.length) : u32be(body.length),
        Buffer.alloc(2),
        body,
      ]);
    const id3 = (version: number, frames: Buffer) =>
      Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, 0]), syncsafe(frames.length), frames]);
    const v3 = id3(
      3,
      Buffer.concat([frame('APIC', Buffer.from('picture')), frame('TIT2', Buffer.from(`\0${CARD}`))]),
    );
    expect((mediaTags(v3) as Buffer).toString('latin1')).toBe(`\0${CARD}`);
    const v4 = id3(4, frame('COMM', Buffer.from('\0engcomment'), true));
    expect((mediaTags(v4) as Buffer).toString('latin1')).toBe('\0engcomment');
    const v2 = id3(2, Buffer.concat([Buffer.from('TT2'), Buffer.from([0, 0, 6]), Buffer.from('\0title')]));
    expect((mediaTags(v2) as Buffer).toString('latin1')).toBe('\0title');
    const v1 = Buffer.concat([
      Buffer.from([0xff, 0xfb, 0x90, 0x64]),
      Buffer.alloc(500),
      Buffer.from('TAG'),
      Buffer.alloc(125, 0x41),
    ]);
    expect((mediaTags(v1) as Buffer).toString('latin1')).toMatch(/^TAGA+$/);
  });
  it('is unread (undefined) past its budget, empty for other formats and for lengths past the end', () => {
    const big = png(['tEXt', Buffer.alloc(MAX_TAG_BYTES + 1, 0x41)]);
    expect(mediaTags(big)).toBeUndefined();
    const bomb = png([
      'zTXt',
      Buffer.concat([Buffer.from('k\0\0'), deflateSync(Buffer.alloc(MAX_TAG_BYTES * 2))]),
    ]);
    expect(mediaTags(bomb)).toBeUndefined();
    expect(mediaTags(Buffer.from('GIF89a'))?.length).toBe(0);
    const cut = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.from('short')]);
    expect((mediaTags(cut) as Buffer).toString()).toBe('short');
  });
  it('is how pictures and recordings with tags are read', () => {
    expect(binaryAsStrings('binary', jpeg())).toBe('tags');
    expect(binaryAsStrings('binary', png())).toBe('tags');
    expect(binaryAsStrings('binary', Buffer.from('GIF89a\x01\0\x01\0', 'latin1'))).toBe('binary');
  });
});
