import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { asfGuid, id3Frame, id3Tag, id3Text, pngWithTextAfterImage, riffChunk } from './media-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 39 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';

// ID3v2.3 tag with one frame.
const mp3 = (tag: Buffer) => Buffer.concat([tag, Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000)]);

describe('A39-1 PNG in a zip: tEXt after IDAT past the first 64 KiB', () => {
  it('control: PNG attached plainly, tEXt after a 100 KB IDAT, bounces', async () => {
    expect(
      await kit.outbound(outboundFile('photo.png', pngWithTextAfterImage(100_000, CARD), 'image/png')),
    ).toBe('BOUNCE');
  });
  it('control: PNG in a zip, tEXt after a small IDAT, bounces', async () => {
    const z = zipFile([{ name: 'photo.png', data: pngWithTextAfterImage(1000, CARD) }]);
    expect(await kit.outbound(outboundFile('photos.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
  it('PNG in a zip, tEXt after a 100 KB IDAT', async () => {
    const z = zipFile([{ name: 'photo.png', data: pngWithTextAfterImage(100_000, CARD) }]);
    expect(await kit.outbound(outboundFile('photos.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});

describe('A39-2 ID3v2 frames players show that are not read', () => {
  it('control: TIT2', async () => {
    expect(
      await kit.outbound(
        outboundFile('track.mp3', mp3(id3Tag(id3Frame('TIT2', id3Text(CARD)))), 'audio/mpeg'),
      ),
    ).toBe('BOUNCE');
  });
  it('GRP1 (iTunes Grouping)', async () => {
    expect(
      await kit.outbound(
        outboundFile('track.mp3', mp3(id3Tag(id3Frame('GRP1', id3Text(CARD)))), 'audio/mpeg'),
      ),
    ).toBe('BOUNCE');
  });
  it('MVNM (iTunes movement name)', async () => {
    expect(
      await kit.outbound(
        outboundFile('track.mp3', mp3(id3Tag(id3Frame('MVNM', id3Text(CARD)))), 'audio/mpeg'),
      ),
    ).toBe('BOUNCE');
  });
  it('CHAP with an embedded TIT2 (chapter title)', async () => {
    const sub = id3Frame('TIT2', id3Text(CARD));
    const chap = Buffer.concat([Buffer.from('ch1\0', 'latin1'), Buffer.alloc(16), sub]);
    expect(
      await kit.outbound(outboundFile('podcast.mp3', mp3(id3Tag(id3Frame('CHAP', chap))), 'audio/mpeg')),
    ).toBe('BOUNCE');
  });
  it('SYLT (synchronised lyrics)', async () => {
    const d = Buffer.concat([
      Buffer.from([0]),
      Buffer.from('eng', 'latin1'),
      Buffer.from([2, 1]),
      Buffer.from('\0', 'latin1'),
      Buffer.from(`${CARD}\0`, 'latin1'),
      Buffer.from([0, 0, 0, 0]),
    ]);
    expect(
      await kit.outbound(outboundFile('track.mp3', mp3(id3Tag(id3Frame('SYLT', d))), 'audio/mpeg')),
    ).toBe('BOUNCE');
  });
  it('IPLS (involved people, v2.3)', async () => {
    expect(
      await kit.outbound(
        outboundFile('track.mp3', mp3(id3Tag(id3Frame('IPLS', id3Text(`Card\0${CARD}`)))), 'audio/mpeg'),
      ),
    ).toBe('BOUNCE');
  });
});

// ASF Content Description Object: GUID 75B22633-668E-11CF-A6D9-00AA0062CE6C
const wma = (title: string) => {
  const t = Buffer.from(`${title}\0`, 'utf16le');
  const cd = Buffer.alloc(10);
  cd.writeUInt16LE(t.length, 0);
  const cdBody = Buffer.concat([cd, t]);
  const cdo = Buffer.concat([asfGuid('75B22633-668E-11CF-A6D9-00AA0062CE6C'), Buffer.alloc(8), cdBody]);
  cdo.writeBigUInt64LE(BigInt(cdo.length), 16);
  const head = Buffer.alloc(30);
  asfGuid('75B22630-668E-11CF-A6D9-00AA0062CE6C').copy(head, 0);
  head.writeBigUInt64LE(BigInt(30 + cdo.length), 16);
  head.writeUInt32LE(1, 24);
  head[28] = 1;
  head[29] = 2;
  return Buffer.concat([head, cdo, Buffer.alloc(2000)]);
};
const riff = (form: string, chunks: Buffer[]) => {
  const body = Buffer.concat([Buffer.from(form, 'latin1'), ...chunks]);
  const h = Buffer.alloc(8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
};
const avi = (title: string) =>
  riff('AVI ', [
    riffChunk('LIST', Buffer.concat([Buffer.from('hdrl', 'latin1'), riffChunk('avih', Buffer.alloc(56))])),
    riffChunk(
      'LIST',
      Buffer.concat([Buffer.from('INFO', 'latin1'), riffChunk('INAM', Buffer.from(`${title}\0`, 'latin1'))]),
    ),
    riffChunk('LIST', Buffer.concat([Buffer.from('movi', 'latin1'), Buffer.alloc(1000)])),
  ]);
const aiff = (title: string) => {
  const tag = id3Tag(id3Frame('TIT2', id3Text(title)));
  const comm = Buffer.alloc(18);
  comm.writeUInt16BE(1, 0);
  comm.writeUInt16BE(16, 6);
  const ch = (id: string, d: Buffer) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32BE(d.length, 4);
    return Buffer.concat([h, d, Buffer.alloc(d.length % 2)]);
  };
  const body = Buffer.concat([
    Buffer.from('AIFF', 'latin1'),
    ch('COMM', comm),
    ch('SSND', Buffer.alloc(1008)),
    ch('ID3 ', tag),
  ]);
  const h = Buffer.alloc(8);
  h.write('FORM', 0, 'latin1');
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};
const heic = (desc: string) => {
  const box = (t: string, d: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + d.length, 0);
    h.write(t, 4, 'latin1');
    return Buffer.concat([h, d]);
  };
  // a minimal TIFF with ImageDescription
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM\0*', 0, 'latin1');
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x010e, 10);
  tiff.writeUInt16BE(2, 12);
  const s = Buffer.from(`${desc}\0`, 'latin1');
  tiff.writeUInt32BE(s.length, 14);
  tiff.writeUInt32BE(tiff.length, 18);
  const exif = Buffer.concat([Buffer.alloc(4), tiff, s]);
  return Buffer.concat([
    box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')),
    box(
      'meta',
      Buffer.concat([
        Buffer.alloc(4),
        box('hdlr', Buffer.concat([Buffer.alloc(8), Buffer.from('pict', 'latin1'), Buffer.alloc(13)])),
      ]),
    ),
    box('mdat', Buffer.concat([exif, Buffer.alloc(1000)])),
  ]);
};
const mkv = (title: string) => {
  // EBML header then Segment with Info/Title (0x7BA9)
  const vint = (n: number) => {
    const b = Buffer.alloc(8);
    b[0] = 0x01;
    b.writeUIntBE(n, 2, 6);
    return b;
  };
  const e = (id: number[], d: Buffer) => Buffer.concat([Buffer.from(id), vint(d.length), d]);
  const ebml = e([0x1a, 0x45, 0xdf, 0xa3], e([0x42, 0x82], Buffer.from('matroska', 'latin1')));
  const info = e([0x15, 0x49, 0xa9, 0x66], e([0x7b, 0xa9], Buffer.from(title, 'utf8')));
  return Buffer.concat([ebml, e([0x18, 0x53, 0x80, 0x67], Buffer.concat([info, Buffer.alloc(1000)]))]);
};

describe('A39-3 media formats whose text tags are not read at all', () => {
  it('control: WAV INFO INAM bounces', async () => {
    const wav = riff('WAVE', [
      riffChunk('fmt ', Buffer.alloc(16)),
      riffChunk(
        'LIST',
        Buffer.concat([Buffer.from('INFO', 'latin1'), riffChunk('INAM', Buffer.from(`${CARD}\0`, 'latin1'))]),
      ),
    ]);
    expect(await kit.outbound(outboundFile('a.wav', wav, 'audio/wav'))).toBe('BOUNCE');
  });
  it('WMA title (ASF content description)', async () => {
    expect(await kit.outbound(outboundFile('voice.wma', wma(CARD), 'audio/x-ms-wma'))).toBe('BOUNCE');
  });
  it('AVI INFO INAM title', async () => {
    expect(await kit.outbound(outboundFile('clip.avi', avi(CARD), 'video/x-msvideo'))).toBe('BOUNCE');
  });
  it('AIFF ID3 chunk title', async () => {
    expect(await kit.outbound(outboundFile('song.aiff', aiff(CARD), 'audio/aiff'))).toBe('BOUNCE');
  });
  it('HEIC EXIF ImageDescription', async () => {
    expect(await kit.outbound(outboundFile('IMG_0001.heic', heic(CARD), 'image/heic'))).toBe('BOUNCE');
  });
  it('MKV segment title', async () => {
    expect(await kit.outbound(outboundFile('clip.mkv', mkv(CARD), 'video/x-matroska'))).toBe('BOUNCE');
  });
});

// An MPEG frame header, silence, then an ID3v1 tag (the last 128 bytes) whose title is `title`.
const id3v1mp3 = (size: number, title: string, v2 = false) => {
  const tag = Buffer.alloc(128);
  tag.write('TAG', 0, 'latin1');
  tag.write(title.slice(0, 30), 3, 'latin1');
  tag[127] = 12;
  const lead = v2 ? id3Tag(id3Frame('TALB', id3Text('Demos'))) : Buffer.alloc(0);
  return Buffer.concat([lead, Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(size), tag]);
};
describe('A39-1 MP3 in a zip: ID3v1 title at the end, past the first 64 KiB', () => {
  it('control: the 100 KB MP3 attached plainly bounces', async () => {
    expect(await kit.outbound(outboundFile('track.mp3', id3v1mp3(100_000, CARD), 'audio/mpeg'))).toBe(
      'BOUNCE',
    );
  });
  it('control: a 4 KB MP3 in a zip bounces', async () => {
    const z = zipFile([{ name: 'track.mp3', data: id3v1mp3(4000, CARD) }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
  it('a 100 KB MP3 in a zip (no ID3v2)', async () => {
    const z = zipFile([{ name: 'track.mp3', data: id3v1mp3(100_000, CARD) }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
  it('a 100 KB MP3 in a zip, an ID3v2 album tag first', async () => {
    const z = zipFile([{ name: 'track.mp3', data: id3v1mp3(100_000, CARD, true) }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});

// Own find (session 30): the tag readers joined fields with NULs, which text shows as nothing, so a field ending in
// a digit ran into the card that starts the next (`7` + `4111…` read as one 17-digit number).
describe('tag fields run together', () => {
  it('a track number before the title', async () => {
    const tag = id3Tag(id3Frame('TRCK', id3Text('7')), id3Frame('TIT2', id3Text(CARD)));
    expect(await kit.outbound(outboundFile('track.mp3', mp3(tag), 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('ID3v1: a 30-letter title ending in a digit, then the artist', async () => {
    const tag = Buffer.alloc(128);
    tag.write('TAG', 0, 'latin1');
    tag.write('Recording of the meeting no 7'.padEnd(30, '7'), 3, 'latin1');
    tag.write(CARD, 33, 'latin1');
    const file = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(2000), tag]);
    expect(await kit.outbound(outboundFile('track.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('a WAV INFO title `7`, then an artist chunk whose length byte is `1` (49 bytes)', async () => {
    const artist = Buffer.from(`${CARD} and the rest of the band`.padEnd(48, '.'), 'latin1');
    const info = Buffer.concat([
      Buffer.from('INFO', 'latin1'),
      riffChunk('INAM', Buffer.from('7\0', 'latin1')),
      riffChunk('IART', Buffer.concat([artist, Buffer.from([0])])),
    ]);
    const wav = riff('WAVE', [riffChunk('fmt ', Buffer.alloc(16)), riffChunk('LIST', info)]);
    expect(await kit.outbound(outboundFile('a.wav', wav, 'audio/wav'))).toBe('BOUNCE');
  });
  it('the same track in a zip', async () => {
    const tag = id3Tag(id3Frame('TRCK', id3Text('7')), id3Frame('TIT2', id3Text(CARD)));
    const z = zipFile([{ name: 'track.mp3', data: mp3(tag) }]);
    expect(await kit.outbound(outboundFile('tracks.zip', z, 'application/zip'))).toBe('BOUNCE');
  });
});
