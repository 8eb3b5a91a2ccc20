import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { growthRatio } from '../message/test-support/growth.js';
import { binaryAsStrings, oleTextViews } from './binary-text.js';
import { MAX_TAG_BYTES, type MediaTags, mediaTags } from './media-tags.js';

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
const found = (result: MediaTags) => {
  if ('unread' in result) throw new Error(result.unread);
  return result;
};
// The tags read, pieces apart (each ends in two NULs).
const tagsOf = (file: Buffer) => found(mediaTags(file)).tags.toString('latin1').replace(/\0\0$/, '');
const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);

describe('the text tags of pictures and recordings', () => {
  it("reads a JPEG's EXIF, IPTC and comment segments, not its pixels nor its other segments", () => {
    const file = jpeg(
      [0xe0, Buffer.from('JFIF\0 thumbnail 5555')],
      [0xe1, Buffer.concat([Buffer.from('Exif\0\0'), Buffer.from(`Comment ${CARD}`, 'utf16le')])],
      [0xed, Buffer.from('Photoshop 3.0\0 caption')],
      [0xfe, Buffer.from('a comment')],
    );
    const tags = found(mediaTags(file)).tags;
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
    const text = tagsOf(file);
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
    expect(tagsOf(webp)).toBe('<xmp>');
    expect(found(mediaTags(webp)).xmp.map(String)).toEqual(['<xmp>']);
    const comment = Buffer.from(`TITLE=${CARD}`);
    const flac = Buffer.concat([
      Buffer.from('fLaC'),
      Buffer.from([0x00, 0, 0, 2]),
      Buffer.from('si'),
      Buffer.from([0x84, 0, 0, comment.length]),
      comment,
    ]);
    expect(tagsOf(flac)).toBe(`TITLE=${CARD}`);
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
    expect(tagsOf(v3)).toBe(`\0${CARD}`);
    const v4 = id3(4, frame('COMM', Buffer.from('\0engcomment'), true));
    expect(tagsOf(v4)).toBe('\0engcomment');
    const v2 = id3(2, Buffer.concat([Buffer.from('TT2'), Buffer.from([0, 0, 6]), Buffer.from('\0title')]));
    expect(tagsOf(v2)).toBe('\0title');
    const v1 = Buffer.concat([
      Buffer.from([0xff, 0xfb, 0x90, 0x64]),
      Buffer.alloc(500),
      Buffer.from('TAG'),
      Buffer.alloc(125, 0x41),
    ]);
    // Field by field (title, artist, album, year, comment), each kept apart.
    expect(tagsOf(v1).split('\0').filter(Boolean)).toEqual([
      'A'.repeat(30),
      'A'.repeat(30),
      'A'.repeat(30),
      'AAAA',
      'A'.repeat(30),
    ]);
  });
  it('is unread past its budget, empty for other formats, and reads what a length past the end leaves', () => {
    const big = png(['tEXt', Buffer.alloc(MAX_TAG_BYTES + 1, 0x41)]);
    expect(mediaTags(big)).toEqual({ unread: `text tags over ${MAX_TAG_BYTES} bytes, which are not read` });
    const bomb = png([
      'zTXt',
      Buffer.concat([Buffer.from('k\0\0'), deflateSync(Buffer.alloc(MAX_TAG_BYTES * 2))]),
    ]);
    expect(mediaTags(bomb)).toHaveProperty('unread');
    expect(mediaTags(Buffer.from('BM6\0'))).toEqual({ tags: Buffer.alloc(0), xmp: [], complete: true });
    // A GIF cut before its trailer: nothing read, and not complete.
    expect(mediaTags(Buffer.from('GIF89a'))).toEqual({ tags: Buffer.alloc(0), xmp: [], complete: false });
    const cut = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.from('short')]);
    expect(tagsOf(cut)).toBe('short');
    expect(found(mediaTags(cut)).complete).toBe(false);
  });
  it('is how pictures and recordings with tags are read', () => {
    expect(binaryAsStrings('binary', jpeg())).toBe('tags');
    expect(binaryAsStrings('binary', png())).toBe('tags');
    expect(binaryAsStrings('binary', Buffer.from('GIF89a\x01\0\x01\0', 'latin1'))).toBe('tags');
    expect(binaryAsStrings('binary', Buffer.from('BM6\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0', 'latin1'))).toBe(
      'binary',
    );
  });
});

describe('ID3v2 tags as players read them', () => {
  const frame = (id: string, body: Buffer, flags = 0, v4 = false) => {
    const size = v4 ? syncsafe(body.length) : u32be(body.length);
    const flag = Buffer.alloc(2);
    flag.writeUInt16BE(flags);
    return Buffer.concat([Buffer.from(id), size, flag, body]);
  };
  const id3 = (version: number, flags: number, body: Buffer) =>
    Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, flags]), syncsafe(body.length), body]);
  const title = Buffer.from(`\0${CARD}`);
  it('skips an extended header (v2.3: its size excluding itself; v2.4: syncsafe, including itself)', () => {
    const v3 = id3(
      3,
      0x40,
      Buffer.concat([Buffer.from('000000060000000000ff', 'hex'), frame('TIT2', title)]),
    );
    expect(tagsOf(v3)).toBe(`\0${CARD}`);
    const v4 = id3(
      4,
      0x40,
      Buffer.concat([Buffer.from('000000060100', 'hex'), frame('TIT2', title, 0, true)]),
    );
    expect(tagsOf(v4)).toBe(`\0${CARD}`);
  });
  it('is unread when its frames stop at something neither a frame nor padding', () => {
    const junk = id3(3, 0, Buffer.concat([frame('TIT2', title), Buffer.from('\x01junk and more')]));
    expect(mediaTags(junk)).toEqual({
      unread: 'an ID3v2 tag whose frames are not understood, which is not read',
    });
    // Zero padding, or MPEG audio where the tag's size runs past its frames, ends them.
    const padded = id3(3, 0, Buffer.concat([frame('TIT2', title), Buffer.alloc(20)]));
    expect(tagsOf(padded)).toBe(`\0${CARD}`);
    const overshoot = id3(
      3,
      0,
      Buffer.concat([frame('TIT2', title), Buffer.from('fffb9064', 'hex'), Buffer.alloc(9)]),
    );
    expect(tagsOf(overshoot)).toBe(`\0${CARD}`);
  });
  it('inflates compressed frames (v2.3 0x0080; v2.4 0x0008 with the data length 0x0001) and refuses encrypted ones', () => {
    const v3 = id3(3, 0, frame('TIT2', Buffer.concat([u32be(title.length), deflateSync(title)]), 0x0080));
    expect(tagsOf(v3)).toBe(`\0${CARD}`);
    const v4 = id3(
      4,
      0,
      frame('TIT2', Buffer.concat([syncsafe(title.length), deflateSync(title)]), 0x0009, true),
    );
    expect(tagsOf(v4)).toBe(`\0${CARD}`);
    const grouped = id3(4, 0, frame('TIT2', Buffer.concat([Buffer.from([7]), title]), 0x0040, true));
    expect(tagsOf(grouped)).toBe(`\0${CARD}`);
    expect(mediaTags(id3(3, 0, frame('TIT2', Buffer.concat([Buffer.from([1]), title]), 0x0040)))).toEqual({
      unread: 'an encrypted ID3v2 TIT2 frame, which is not read',
    });
    expect(mediaTags(id3(4, 0, frame('COMM', title, 0x0004, true)))).toHaveProperty('unread');
  });
  it('undoes unsynchronisation: of the whole tag before v2.4, of a frame in v2.4', () => {
    const raw = Buffer.from([1, 0xff, 0xfe, 0x34, 0, 0xff, 0xe0]);
    const synced = Buffer.from([1, 0xff, 0x00, 0xfe, 0x34, 0, 0xff, 0x00, 0xe0]);
    const v3 = id3(3, 0x80, frame('TIT2', synced));
    expect(found(mediaTags(v3)).tags.subarray(0, raw.length)).toEqual(raw);
    const v4 = id3(4, 0, frame('TIT2', synced, 0x0002, true));
    expect(found(mediaTags(v4)).tags.subarray(0, raw.length)).toEqual(raw);
  });
  it('reads UTF-16BE text byte-swapped too, so its last character and ignorable ones read', () => {
    const be = Buffer.concat([Buffer.from([1, 0xfe, 0xff]), Buffer.from(CARD, 'utf16le').swap16()]);
    const tags = found(mediaTags(id3(3, 0, frame('TIT2', be)))).tags;
    expect(tags.toString('utf16le')).toContain(CARD);
  });
  it("reads an iTunes v2.4 tag's plain frame sizes, and a FLAC after an ID3 tag", () => {
    const long = Buffer.from(`\0${'x'.repeat(200)}`);
    const itunes = id3(4, 0, Buffer.concat([frame('TXXX', long), frame('TIT2', title), Buffer.alloc(10)]));
    expect(tagsOf(itunes)).toContain(CARD);
    const comment = Buffer.from(`TITLE=${CARD}`);
    const flac = Buffer.concat([
      id3(3, 0, frame('TIT2', Buffer.from('\0id3'))),
      Buffer.from('fLaC'),
      Buffer.from([0x84, 0, 0, comment.length]),
      comment,
    ]);
    expect(tagsOf(flac)).toContain(`TITLE=${CARD}`);
    expect(found(mediaTags(flac)).complete).toBe(true);
  });
});

describe('other formats, XMP, and whether the walk reached the end of the tags', () => {
  const riff = (type: string, body: Buffer, size = body.length) =>
    Buffer.concat([Buffer.from(type, 'latin1'), u32le(size), body, Buffer.alloc(body.length % 2)]);
  const wav = (...chunks: Buffer[]) => riff('RIFF', Buffer.concat([Buffer.from('WAVE'), ...chunks]));
  const info = riff('LIST', Buffer.concat([Buffer.from('INFO'), riff('INAM', Buffer.from(`${CARD}\0`))]));
  const samples = riff('data', Buffer.alloc(5000, 0x80));
  const complete = (file: Buffer) => found(mediaTags(file)).complete;
  it("reads a WAV's INFO list before or after its samples, complete at the end its header gives", () => {
    const after = wav(samples, info);
    expect(tagsOf(after)).toContain(CARD);
    expect(tagsOf(after)).not.toContain('\x80');
    expect(complete(after)).toBe(true);
    expect(complete(after.subarray(0, 4000))).toBe(false);
    // The header's size past the file (streamed): every chunk held is read.
    const streamed = riff('RIFF', Buffer.concat([Buffer.from('WAVE'), info]), 0xffffffff);
    expect(tagsOf(streamed)).toContain(CARD);
    expect(complete(streamed)).toBe(false);
  });
  it('tells where each walk stops: JPEG at SOS, PNG at IEND, FLAC at the last block, an MP3 never', () => {
    const photo = jpeg([0xe2, Buffer.alloc(6000)], [0xe1, Buffer.from(`Exif\0\0${CARD}`)]);
    expect(complete(photo)).toBe(true);
    expect(complete(photo.subarray(0, 3000))).toBe(false);
    const image = png(
      ['IHDR', Buffer.alloc(13)],
      ['IDAT', Buffer.alloc(3000)],
      ['tEXt', Buffer.from(`a\0${CARD}`)],
      ['IEND', Buffer.alloc(0)],
    );
    expect(complete(image)).toBe(true);
    expect(tagsOf(image)).toContain(CARD);
    // Text chunks may follow the image data (libpng writes them there): the walk goes on to IEND.
    expect(complete(image.subarray(0, 3050))).toBe(false);
    const mp3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(200)]);
    expect(complete(mp3)).toBe(false);
    const flac = Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x04, 0, 0, 4]), Buffer.from('abcd')]);
    expect(complete(flac)).toBe(false);
  });
  it('stops, as readers do, at a JPEG length below 2, a PNG chunk that is not one and an MP4 box too small', () => {
    expect(found(mediaTags(Buffer.from('ffd8fffe0001fffe0003', 'hex'))).tags.length).toBe(0);
    expect(
      found(mediaTags(png(['IH\0R', Buffer.alloc(13)], ['tEXt', Buffer.from('a\0b')]))).tags.length,
    ).toBe(0);
    const mp4 = Buffer.concat([u32be(16), Buffer.from('ftypM4A \0\0\0\0'), u32be(4), Buffer.from('moov')]);
    expect(mediaTags(mp4)).toEqual({ tags: Buffer.alloc(0), xmp: [], complete: true });
  });
  it('gives XMP packets apart: JPEG APP1 (extended XMP put together by offset), PNG iTXt, WAV _PMX', () => {
    const guid = 'A'.repeat(32);
    const part = (offset: number, text: string) =>
      Buffer.concat([
        Buffer.from(`http://ns.adobe.com/xmp/extension/\0${guid}`),
        u32be(11),
        u32be(offset),
        Buffer.from(text),
      ]);
    const photo = jpeg(
      [0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x>main</x>')],
      [0xe1, part(6, 'xt/>')],
      [0xe1, part(0, '<x>ne')],
    );
    expect(found(mediaTags(photo)).xmp.map(String)).toEqual(['<x>main</x>', '<x>next/>']);
    const image = png([
      'iTXt',
      Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0'), Buffer.from('<x/>')]),
    ]);
    expect(found(mediaTags(image)).xmp.map(String)).toEqual(['<x/>']);
    expect(found(mediaTags(wav(riff('_PMX', Buffer.from('<p/>'))))).xmp.map(String)).toEqual(['<p/>']);
  });
  it("reads a TIFF's ASCII and XP tags, an M4A's ilst (not its cover) and an Ogg stream's comments", () => {
    const value = Buffer.from(`${CARD}\0`);
    const xp = Buffer.from('Title\0', 'utf16le');
    const ifd = Buffer.alloc(2 + 24 + 4);
    ifd.writeUInt16LE(2);
    ifd.writeUInt16LE(0x010e, 2);
    ifd.writeUInt16LE(2, 4);
    ifd.writeUInt32LE(value.length, 6);
    ifd.writeUInt32LE(8 + ifd.length, 10);
    ifd.writeUInt16LE(0x9c9b, 14);
    ifd.writeUInt16LE(1, 16);
    ifd.writeUInt32LE(xp.length, 18);
    ifd.writeUInt32LE(8 + ifd.length + value.length, 22);
    const tiff = Buffer.concat([Buffer.from('II*\0'), u32le(8), ifd, value, xp]);
    expect(tagsOf(tiff)).toContain(CARD);
    expect(oleTextViews(found(mediaTags(tiff)).tags).join('\n')).toContain('Title');
    expect(complete(tiff.subarray(0, 40))).toBe(false);
    const box = (type: string, ...data: Buffer[]) => {
      const body = Buffer.concat(data);
      return Buffer.concat([u32be(body.length + 8), Buffer.from(type, 'latin1'), body]);
    };
    const data = (type: number, value: Buffer) => box('data', u32be(type), Buffer.alloc(4), value);
    const ilst = box(
      'ilst',
      box('\xa9nam', data(1, Buffer.from(CARD))),
      box('covr', data(13, Buffer.from('JPEGDATA'))),
    );
    const m4a = Buffer.concat([
      box('ftyp', Buffer.from('M4A \0\0\0\0')),
      box('mdat', Buffer.alloc(3000)),
      box('moov', box('udta', box('meta', Buffer.alloc(4), box('hdlr', Buffer.alloc(25)), ilst))),
    ]);
    expect(tagsOf(m4a)).toContain(CARD);
    expect(tagsOf(m4a)).not.toContain('JPEGDATA');
    expect(complete(m4a)).toBe(true);
    expect(complete(m4a.subarray(0, 2000))).toBe(false);
    const page = (serial: number, packet: Buffer) => {
      const h = Buffer.alloc(27);
      h.write('OggS');
      h.writeUInt32LE(serial, 14);
      h[26] = 2;
      return Buffer.concat([h, Buffer.from([255, packet.length - 255]), packet]);
    };
    const comment = Buffer.concat([
      Buffer.from(`\x03vorbis TITLE=${CARD}`),
      Buffer.alloc(300 - 21 - CARD.length),
    ]);
    const ogg = Buffer.concat([page(1, Buffer.alloc(256)), Buffer.from('junk'), page(1, comment)]);
    expect(tagsOf(ogg)).toContain(`TITLE=${CARD}`);
    expect(complete(ogg)).toBe(true);
    expect(complete(ogg.subarray(0, 300))).toBe(false);
  });
  it('stays linear on a file of endless tiny segments, frames, boxes or pages', () => {
    const files = (n: number) => [
      Buffer.concat([Buffer.from('ffd8'), Buffer.from('fffe0002'.repeat(n), 'hex')]),
      Buffer.concat([
        Buffer.from([0x49, 0x44, 0x33, 4, 0, 0]),
        syncsafe(n * 11),
        Buffer.from('TIT2\0\0\0\x01\0\0x'.repeat(n)),
      ]),
      Buffer.concat([
        Buffer.from('\0\0\0\x08ftyp'),
        u32be(8 + 8 * n),
        Buffer.from('moov'),
        Buffer.from('\0\0\0\x08free'.repeat(n), 'latin1'),
      ]),
      Buffer.from('OggS'.repeat(n)),
    ];
    for (let kind = 0; kind < files(1).length; kind++) {
      const file = (n: number) => files(n)[kind] as Buffer;
      mediaTags(file(200_000));
      expect(growthRatio(file, mediaTags, 20_000), `file ${kind}`).toBeLessThan(3);
    }
  });
});
