import { deflateSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 36 (session 30) against the reading of pictures' and recordings' text tags (media-tags.ts).
// Each case got past outbound-policy's DLP before the fix; the controls beside them held, and ordinary tags stay
// DEFAULT.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const zip = (name: string, data: Buffer) =>
  outboundFile('photos.zip', zipFile([{ name, data }]), 'application/zip');

const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
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
/** An ID3v2.3 frame. */
const frame23 = (id: string, data: Buffer, flags = 0) => {
  const h = Buffer.alloc(10);
  h.write(id, 0, 'latin1');
  h.writeUInt32BE(data.length, 4);
  h.writeUInt16BE(flags, 8);
  return Buffer.concat([h, data]);
};
/** An ID3v2.4 frame, its size syncsafe unless `plain` (as iTunes wrote it). */
const frame24 = (id: string, data: Buffer, flags = 0, plain = false) => {
  const h = Buffer.alloc(10);
  h.write(id, 0, 'latin1');
  (plain ? u32be(data.length) : syncsafe(data.length)).copy(h, 4);
  h.writeUInt16BE(flags, 8);
  return Buffer.concat([h, data]);
};
const text = (s: string) => Buffer.concat([Buffer.from([0]), Buffer.from(s, 'latin1')]);
/** Some MPEG-1 layer III frames of silence. */
const mpegFrames = Buffer.concat(
  Array.from({ length: 8 }, () => Buffer.concat([Buffer.from('fffb9064', 'hex'), Buffer.alloc(413)])),
);
const id3 = (version: 3 | 4, flags: number, body: Buffer) =>
  Buffer.concat([Buffer.from([0x49, 0x44, 0x33, version, 0, flags]), syncsafe(body.length), body]);
const mp3 = (version: 3 | 4, flags: number, ...frames: Buffer[]) =>
  Buffer.concat([id3(version, flags, Buffer.concat([...frames, Buffer.alloc(64)])), mpegFrames]);

/** A JPEG segment. */
const seg = (marker: number, data: Buffer) => {
  const h = Buffer.from([0xff, marker, 0, 0]);
  h.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([h, data]);
};
/** EXIF APP1 payload with an ImageDescription (ASCII) in IFD0, little- or big-endian. */
const exif = (description: string, order: 'II' | 'MM' = 'II') => {
  const le = order === 'II';
  const value = Buffer.from(`${description}\0`, 'latin1');
  const tiff = Buffer.alloc(26);
  tiff.write(order, 0, 'latin1');
  const u16 = (v: number, at: number) => (le ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
  u16(42, 2);
  u32(8, 4);
  u16(1, 8);
  u16(0x010e, 10);
  u16(2, 12);
  u32(value.length, 14);
  u32(tiff.length, 18);
  u32(0, 22);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, value]);
};
const JFIF = seg(0xe0, Buffer.from('4a46494600010100000100010000', 'hex'));
const SCAN = Buffer.concat([
  seg(0xda, Buffer.from('01010000003f00', 'hex')),
  Buffer.alloc(64, 0x55),
  Buffer.from('ffd9', 'hex'),
]);
const jpeg = (...segments: Buffer[]) => Buffer.concat([Buffer.from('ffd8', 'hex'), JFIF, ...segments, SCAN]);
const xmp = (inner: string) =>
  Buffer.from(
    `http://ns.adobe.com/xap/1.0/\0<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${inner}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`,
    'utf8',
  );
const icc = (n: number) =>
  seg(
    0xe2,
    Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([n, 2]), Buffer.alloc(60_000, 0x11)]),
  );

const box = (type: string, ...data: Buffer[]) => {
  const body = Buffer.concat(data);
  return Buffer.concat([u32be(body.length + 8), Buffer.from(type, 'latin1'), body]);
};
/** An M4A whose iTunes title (©nam) is `title`, its `moov` first or after its samples. */
const m4a = (title: string, moovLast = false, samples = 256) => {
  const data = box('data', Buffer.from('0000000100000000', 'hex'), Buffer.from(title, 'utf8'));
  const hdlr = box('hdlr', Buffer.alloc(8), Buffer.from('mdirappl', 'latin1'), Buffer.alloc(9));
  const meta = box('meta', Buffer.alloc(4), hdlr, box('ilst', box('\xa9nam', data)));
  const moov = box('moov', box('udta', meta));
  const mdat = box('mdat', Buffer.alloc(samples, 0x21));
  const ftyp = box('ftyp', Buffer.from('M4A \0\0\x02\0M4A mp42isom', 'latin1'));
  return Buffer.concat(moovLast ? [ftyp, mdat, moov] : [ftyp, moov, mdat]);
};
/** A little-endian TIFF whose ImageDescription is `description`. */
const tiff = (description: string) => exif(description, 'II').subarray(6);
const riff = (type: string, body: Buffer, size = body.length) =>
  Buffer.concat([Buffer.from(type, 'latin1'), u32le(size), body, Buffer.alloc(body.length % 2)]);
/** A WAV whose INFO title (INAM) is `title`, its INFO list before or after its samples. */
const wav = (title: string, infoLast = false, samples = 400) => {
  const fmt = riff('fmt ', Buffer.from('0100010044ac00008858010002001000', 'hex'));
  const info = riff(
    'LIST',
    Buffer.concat([Buffer.from('INFO', 'latin1'), riff('INAM', Buffer.from(`${title}\0`, 'latin1'))]),
  );
  const data = riff('data', Buffer.alloc(samples, 0x80));
  return riff(
    'RIFF',
    Buffer.concat([Buffer.from('WAVE', 'latin1'), fmt, ...(infoLast ? [data, info] : [info, data])]),
  );
};
/** An Ogg Vorbis stream's first two pages (identification, comment with TITLE=). */
const ogg = (title: string) => {
  const page = (seq: number, flags: number, packet: Buffer) => {
    const segs: number[] = [];
    let n = packet.length;
    for (; n >= 255; n -= 255) segs.push(255);
    segs.push(n);
    const h = Buffer.alloc(27);
    h.write('OggS', 0, 'latin1');
    h[5] = flags;
    h.writeUInt32LE(0x1234, 14);
    h.writeUInt32LE(seq, 18);
    h[26] = segs.length;
    return Buffer.concat([h, Buffer.from(segs), packet]);
  };
  const ident = Buffer.concat([
    Buffer.from('\x01vorbis', 'latin1'),
    Buffer.from('000000000244ac00000000000000fa000000000000b801', 'hex'),
  ]);
  const vendor = Buffer.from('Xiph.Org libVorbis I 20200704', 'latin1');
  const comment = Buffer.from(`TITLE=${title}`, 'utf8');
  const comm = Buffer.concat([
    Buffer.from('\x03vorbis', 'latin1'),
    u32le(vendor.length),
    vendor,
    u32le(1),
    u32le(comment.length),
    comment,
    Buffer.from([1]),
  ]);
  return Buffer.concat([page(0, 2, ident), page(1, 0, comm)]);
};

// A36-4: an ID3v2 extended header (tag flag 0x40) was taken for padding: no tags, the file skipped.
describe('A36-4 ID3v2 extended header', () => {
  it('control: TIT2 card in a plain ID3v2.3 tag', async () => {
    expect(
      await kit.outbound(outboundFile('memo.mp3', mp3(3, 0, frame23('TIT2', text(CARD))), 'audio/mpeg')),
    ).toBe('BOUNCE');
  });
  it('TIT2 card after an ID3v2.3 extended header (size excluding itself)', async () => {
    const ext = Buffer.from('000000060000' + '00000000', 'hex');
    const file = mp3(3, 0x40, ext, frame23('TIT2', text(CARD)));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('TIT2 card after an ID3v2.4 extended header (syncsafe size including itself)', async () => {
    const ext = Buffer.from('000000060100', 'hex');
    const file = mp3(4, 0x40, ext, frame24('TIT2', text(CARD)));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('a tag whose frames stop at something neither a frame nor padding is unread', async () => {
    const file = mp3(3, 0, frame23('TIT2', text('Intro')), Buffer.from('\x01\x02junk'));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('control: ordinary tags after an extended header', async () => {
    const ext = Buffer.from('000000060000' + '00000000', 'hex');
    const file = mp3(3, 0x40, ext, frame23('TIT2', text('Track 01')), frame23('TYER', text('2024')));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('DEFAULT');
  });
});

// A36-5: compressed frames were read as raw deflate bytes; encrypted and unsynchronised ones as they were.
describe('A36-5 ID3v2 compressed, encrypted and unsynchronised frames', () => {
  const inflatable = (raw: Buffer) => Buffer.concat([u32be(raw.length), deflateSync(raw)]);
  it('TIT2 frame zlib-compressed (v2.3 flag 0x0080)', async () => {
    const file = mp3(3, 0, frame23('TIT2', inflatable(text(CARD)), 0x0080));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('TIT2 frame zlib-compressed with a data length indicator (v2.4 flags 0x0009)', async () => {
    const raw = text(CARD);
    const file = mp3(4, 0, frame24('TIT2', Buffer.concat([syncsafe(raw.length), deflateSync(raw)]), 0x0009));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('an encrypted text frame is unread', async () => {
    const file = mp3(3, 0, frame23('TIT2', Buffer.concat([Buffer.from([0x80]), text('sealed')]), 0x0040));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  // Unsynchronisation puts 00 after each FF before 00 or E0–FF: in UTF-16BE, after each zero-width no-break
  // space (FE FF) before a digit, which shifts the text after it by a byte.
  const unsynchronised = (data: Buffer) => {
    const out: number[] = [];
    data.forEach((byte, k) => {
      out.push(byte);
      if (byte === 0xff && ((data[k + 1] ?? 0) === 0 || (data[k + 1] ?? 0) >= 0xe0)) out.push(0);
    });
    return Buffer.from(out);
  };
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const spread = `${CARD.replaceAll(' ', '\uFEFF')}`;
  it('UTF-16BE TIT2 with zero-width no-break spaces, the tag unsynchronised (v2.3 flag 0x80)', async () => {
    const raw = Buffer.concat([Buffer.from([1, 0xfe, 0xff]), utf16be(spread)]);
    const frames = Buffer.concat([frame23('TIT2', raw), Buffer.alloc(16)]);
    const file = Buffer.concat([id3(3, 0x80, unsynchronised(frames)), mpegFrames]);
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('the same frame unsynchronised in a v2.4 tag (frame flag 0x0002)', async () => {
    const raw = unsynchronised(Buffer.concat([Buffer.from([1, 0xfe, 0xff]), utf16be(spread)]));
    const file = mp3(4, 0, frame24('TIT2', raw, 0x0002));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('BOUNCE');
  });
  it('control: an iTunes v2.4 tag with plain frame sizes of 128 bytes or more, ordinary text', async () => {
    const lyrics = text(`eng\0${'la la la '.repeat(30)}`);
    const file = mp3(4, 0, frame24('USLT', lyrics, 0, true), frame24('TIT2', text('Song'), 0, true));
    expect(await kit.outbound(outboundFile('song.mp3', file, 'audio/mpeg'))).toBe('DEFAULT');
  });
  it('control: an ordinary compressed comment', async () => {
    const file = mp3(3, 0, frame23('COMM', inflatable(text('eng\0recorded at home')), 0x0080));
    expect(await kit.outbound(outboundFile('memo.mp3', file, 'audio/mpeg'))).toBe('DEFAULT');
  });
});

// A36-6: only an archive entry's first 64 KiB was walked; tags past them were not read, the file skipped.
describe('A36-6 tags past the first 64 KiB of a zip entry', () => {
  const art = frame23(
    'APIC',
    Buffer.concat([Buffer.from('\0image/jpeg\0\x03\0', 'latin1'), Buffer.alloc(70_000, 0x42)]),
  );
  it('control: MP3 in a zip, title first', async () => {
    expect(await kit.outbound(zip('memo.mp3', mp3(3, 0, frame23('TIT2', text(CARD)), art)))).toBe('BOUNCE');
  });
  it('MP3 in a zip, cover art (70 KB) before the title', async () => {
    expect(await kit.outbound(zip('memo.mp3', mp3(3, 0, art, frame23('TIT2', text(CARD)))))).toBe('BOUNCE');
  });
  it('control: JPEG in a zip, EXIF description first', async () => {
    expect(await kit.outbound(zip('scan.jpg', jpeg(seg(0xe1, exif(CARD)), icc(1), icc(2))))).toBe('BOUNCE');
  });
  it('JPEG in a zip, two ICC profile segments (120 KB) before the EXIF description', async () => {
    expect(await kit.outbound(zip('scan.jpg', jpeg(icc(1), icc(2), seg(0xe1, exif(CARD)))))).toBe('BOUNCE');
  });
  it('WAV in a zip, its INFO list after 100 KB of samples', async () => {
    expect(await kit.outbound(zip('memo.wav', wav(CARD, true, 100_000)))).toBe('BOUNCE');
  });
  it('M4A in a zip, its moov after 100 KB of samples', async () => {
    expect(await kit.outbound(zip('memo.m4a', m4a(CARD, true, 100_000)))).toBe('BOUNCE');
  });
  it('control: JPEG in a zip, ICC profiles before an ordinary description', async () => {
    expect(await kit.outbound(zip('scan.jpg', jpeg(icc(1), icc(2), seg(0xe1, exif('Holiday 2024')))))).toBe(
      'DEFAULT',
    );
  });
  it('control: MP3 in a zip, cover art before an ordinary title', async () => {
    expect(await kit.outbound(zip('memo.mp3', mp3(3, 0, art, frame23('TIT2', text('Track 01')))))).toBe(
      'DEFAULT',
    );
  });
});

// A36-7: XMP was read only as written: a character reference or CDATA hid the card.
describe('A36-7 XMP read as its readers show it', () => {
  it('control: XMP description with the card as written', async () => {
    expect(await kit.outbound(outboundFile('scan.jpg', jpeg(seg(0xe1, xmp(CARD))), 'image/jpeg'))).toBe(
      'BOUNCE',
    );
  });
  it('XMP description with a character reference (&#52;111…)', async () => {
    const file = jpeg(seg(0xe1, xmp('&#52;111 1111 1111 1111')));
    expect(await kit.outbound(outboundFile('scan.jpg', file, 'image/jpeg'))).toBe('BOUNCE');
  });
  it('XMP description with a CDATA section splitting the groups', async () => {
    const file = jpeg(seg(0xe1, xmp('4111 <![CDATA[1111]]> 1111 1111')));
    expect(await kit.outbound(outboundFile('scan.jpg', file, 'image/jpeg'))).toBe('BOUNCE');
  });
  it('XMP with a character reference, in a zip', async () => {
    expect(await kit.outbound(zip('scan.jpg', jpeg(seg(0xe1, xmp('&#52;111 1111 1111 1111')))))).toBe(
      'BOUNCE',
    );
  });
  it('control: an ordinary XMP description', async () => {
    const file = jpeg(seg(0xe1, xmp('Team photo &amp; friends, 14 May 2024')));
    expect(await kit.outbound(outboundFile('scan.jpg', file, 'image/jpeg'))).toBe('DEFAULT');
  });
});

// A36-8: tags of formats not read (TIFF, M4A, WAV, Ogg): the files were skipped as known media.
describe('A36-8 text tags of TIFF, M4A, WAV and Ogg', () => {
  it('control: EXIF description in a big-endian (MM) JPEG', async () => {
    expect(
      await kit.outbound(outboundFile('scan.jpg', jpeg(seg(0xe1, exif(CARD, 'MM'))), 'image/jpeg')),
    ).toBe('BOUNCE');
  });
  it('TIFF ImageDescription (Explorer: Title)', async () => {
    expect(await kit.outbound(outboundFile('scan.tif', tiff(CARD), 'image/tiff'))).toBe('BOUNCE');
  });
  it('M4A ©nam title', async () => {
    expect(await kit.outbound(outboundFile('memo.m4a', m4a(CARD), 'audio/mp4'))).toBe('BOUNCE');
  });
  it('WAV LIST/INFO INAM title', async () => {
    expect(await kit.outbound(outboundFile('memo.wav', wav(CARD), 'audio/wav'))).toBe('BOUNCE');
  });
  it('Ogg Vorbis TITLE comment', async () => {
    expect(await kit.outbound(outboundFile('memo.ogg', ogg(CARD), 'audio/ogg'))).toBe('BOUNCE');
  });
  it('controls: ordinary titles in a TIFF, M4A, WAV (a streamed one too) and Ogg', async () => {
    const streamed = riff(
      'RIFF',
      Buffer.concat([Buffer.from('WAVE', 'latin1'), riff('data', Buffer.alloc(400, 0x80), 0xffffffff)]),
      0xffffffff,
    );
    for (const [name, file] of [
      ['scan.tif', tiff('Scan 0001')],
      ['memo.m4a', m4a('Voice memo 14 May')],
      ['memo.wav', wav('Meeting notes')],
      ['stream.wav', streamed],
      ['memo.ogg', ogg('Intro')],
    ] as const)
      expect([name, await kit.outbound(outboundFile(name, file))]).toEqual([name, 'DEFAULT']);
  });
});
