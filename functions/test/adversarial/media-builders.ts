import { crc32, deflateSync } from 'node:zlib';

// Byte builders the attacks on text tags share: ID3v2.3 frames and tags, RIFF chunks, ASF GUIDs, Matroska
// elements (8-byte sizes) and Vorbis comments in a FLAC file.

/** A 32-bit ID3 syncsafe integer (seven bits a byte). */
export const syncsafe = (n: number) =>
  Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);

/** An ID3v2.3 frame: id, plain 32-bit size, no flags, `data`. */
export function id3Frame(id: string, data: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.write(id, 0, 'latin1');
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/**
 * An ID3v2.3 tag holding `frames`.
 *
 * @example
 * ```ts
 * id3Tag(id3Frame('TIT2', id3Text('Minutes')));
 * ```
 */
export function id3Tag(...frames: Buffer[]): Buffer {
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3\x03\x00\x00', 'latin1'), syncsafe(body.length), body]);
}

/** A text frame's data: encoding 0 (Latin-1), then `s`. */
export const id3Text = (s: string) => Buffer.concat([Buffer.from([0]), Buffer.from(s, 'latin1')]);

/** A RIFF chunk (little-endian size, padded to an even length). */
export function riffChunk(id: string, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data, Buffer.alloc(data.length % 2)]);
}

/** An ASF GUID's 16 bytes from its text form (its first three fields little-endian). */
export function asfGuid(text: string): Buffer {
  const [a, b, c, d, e] = text.split('-') as [string, string, string, string, string];
  const out = Buffer.alloc(16);
  out.writeUInt32LE(Number.parseInt(a, 16), 0);
  out.writeUInt16LE(Number.parseInt(b, 16), 4);
  out.writeUInt16LE(Number.parseInt(c, 16), 6);
  Buffer.from(d + e, 'hex').copy(out, 8);
  return out;
}

/** A Matroska size written in eight bytes. */
export function ebmlSize8(n: number): Buffer {
  const b = Buffer.alloc(8);
  b[0] = 0x01;
  b.writeUIntBE(n, 2, 6);
  return b;
}

/** A Matroska element: its id's bytes, an eight-byte size, `data`. */
export const ebml = (id: number[], data: Buffer) =>
  Buffer.concat([Buffer.from(id), ebmlSize8(data.length), data]);

const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A Vorbis comment block: vendor, count, then each comment's 32-bit little-endian length and `KEY=value` (UTF-8). */
export const vorbisComments = (comments: string[]) =>
  Buffer.concat([
    u32le(6),
    Buffer.from('wmflow'),
    u32le(comments.length),
    ...comments.flatMap((c) => [u32le(Buffer.byteLength(c)), Buffer.from(c, 'utf8')]),
  ]);

/** A FLAC file: STREAMINFO, the comments' block (the last), a frame header and silence. */
export function flacWithComments(comments: string[]): Buffer {
  const streaminfo = Buffer.concat([Buffer.from([0x00, 0, 0, 34]), Buffer.alloc(34)]);
  const vc = vorbisComments(comments);
  const h = Buffer.from([0x84, (vc.length >> 16) & 0xff, (vc.length >> 8) & 0xff, vc.length & 0xff]);
  return Buffer.concat([
    Buffer.from('fLaC'),
    streaminfo,
    h,
    vc,
    Buffer.from([0xff, 0xf8]),
    Buffer.alloc(2000),
  ]);
}

const pngChunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
};

/** A 1×1 PNG whose `tEXt` comment follows `idatBytes` of image data (PNG allows it; exiftool, GIMP show it). */
export function pngWithTextAfterImage(idatBytes: number, comment: string): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  const idat = Buffer.concat([deflateSync(Buffer.from([0, 0])), Buffer.alloc(idatBytes)]);
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('tEXt', Buffer.from(`Comment\0${comment}`, 'latin1')),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `n` as `bytes` big-endian bytes. */
export function be(n: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUIntBE(n, 0, bytes);
  return b;
}
