import { inflateSync } from 'node:zlib';

/** Most bytes of tags read from one picture or recording; past it, the file is unread. */
export const MAX_TAG_BYTES = 1024 * 1024;

/**
 * Bytes of an archive's picture or recording its tags are read from (not to inflate every photo of a zip): a
 * JPEG's EXIF (at most 64 KiB) comes first, an MP3's ID3v2 text frames at its start, a PNG's text chunks
 * before its image data as encoders write them.
 */
export const TAG_HEAD = 64 * 1024;

/**
 * The text tags of a picture or a recording that viewers show as written, joined: a JPEG's EXIF and XMP (APP1),
 * IPTC (APP13) and comment segments; a PNG's text chunks (`tEXt`, `iTXt`, `zTXt` inflated) and `eXIf`; a WebP's
 * `EXIF` and `XMP ` chunks; an MP3's ID3v2 text, comment, lyrics and link frames and its ID3v1 tag; a FLAC's
 * Vorbis comments. Windows Explorer shows a photo's title and comments, every player a track's title: a card
 * number written there is read, while the pixels and samples are not. Empty for other formats; `undefined` when
 * the tags are over {@link MAX_TAG_BYTES} (not read, so the caller reports the file unread). Linear: each walk
 * moves forward by the lengths the file gives.
 *
 * @example
 * ```ts
 * mediaTags(jpegWithExifComment); // the EXIF segment's bytes, its UTF-16 XPComment among them
 * mediaTags(Buffer.from('not a picture')); // an empty buffer
 * ```
 */
export function mediaTags(bytes: Buffer): Buffer | undefined {
  const pieces: Buffer[] = [];
  let total = 0;
  const keep = (piece: Buffer) => {
    total += piece.length;
    if (total > MAX_TAG_BYTES) throw new OverBudget();
    pieces.push(piece);
  };
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) jpegTags(bytes, keep);
    else if (bytes.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n') pngTags(bytes, keep);
    else if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP')
      webpTags(bytes, keep);
    else if (bytes.toString('latin1', 0, 4) === 'fLaC') flacTags(bytes, keep);
    else if (
      bytes.toString('latin1', 0, 3) === 'ID3' ||
      (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)
    )
      mp3Tags(bytes, keep);
  } catch (error) {
    if (error instanceof OverBudget) return undefined;
    throw error;
  }
  return Buffer.concat(pieces);
}

class OverBudget extends Error {}

type Keep = (piece: Buffer) => void;

// Segments up to the image data (SOS): APP1 (EXIF, XMP), APP13 (IPTC), COM.
function jpegTags(bytes: Buffer, keep: Keep): void {
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    if (length < 2) return;
    if (marker === 0xe1 || marker === 0xed || marker === 0xfe) keep(bytes.subarray(i + 4, i + 2 + length));
    i += 2 + length;
  }
}

function pngTags(bytes: Buffer, keep: Keep): void {
  let i = 8;
  while (i + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(i);
    const type = bytes.toString('latin1', i + 4, i + 8);
    const data = bytes.subarray(i + 8, i + 8 + length);
    if (type === 'IEND') return;
    if (type === 'tEXt' || type === 'eXIf') keep(data);
    else if (type === 'zTXt') {
      const nul = data.indexOf(0);
      keep(data.subarray(0, Math.max(0, nul)));
      keep(inflated(data.subarray(nul + 2)));
    } else if (type === 'iTXt') {
      // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text.
      const nul = data.indexOf(0);
      const compressed = data[nul + 1] === 1;
      const language = data.indexOf(0, nul + 3);
      const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
      const text = translated < 0 ? data.subarray(nul + 1) : data.subarray(translated + 1);
      keep(data.subarray(0, translated < 0 ? data.length : translated));
      keep(compressed ? inflated(text) : text);
    }
    i += 12 + length;
  }
}

// A compressed text chunk's text; one that does not inflate is kept as it is (no viewer shows it either).
function inflated(data: Buffer): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: MAX_TAG_BYTES });
  } catch (error) {
    if (error instanceof RangeError) throw new OverBudget();
    return data;
  }
}

function webpTags(bytes: Buffer, keep: Keep): void {
  let i = 12;
  while (i + 8 <= bytes.length) {
    const type = bytes.toString('latin1', i, i + 4);
    const length = bytes.readUInt32LE(i + 4);
    if (type === 'EXIF' || type === 'XMP ') keep(bytes.subarray(i + 8, i + 8 + length));
    i += 8 + length + (length % 2);
  }
}

// Metadata blocks after `fLaC`: type 4 is the Vorbis comment block (title, artist, comments).
function flacTags(bytes: Buffer, keep: Keep): void {
  let i = 4;
  while (i + 4 <= bytes.length) {
    const header = bytes[i] as number;
    const length = bytes.readUIntBE(i + 1, 3);
    if ((header & 0x7f) === 4) keep(bytes.subarray(i + 4, i + 4 + length));
    i += 4 + length;
    if (header & 0x80) return;
  }
}

// ID3v2's frames that hold text (T…, comments, lyrics, links: W…), not its pictures or objects; and ID3v1's
// 128 bytes at the end.
function mp3Tags(bytes: Buffer, keep: Keep): void {
  if (bytes.length >= 128 && bytes.toString('latin1', bytes.length - 128, bytes.length - 125) === 'TAG')
    keep(bytes.subarray(bytes.length - 128));
  if (bytes.toString('latin1', 0, 3) !== 'ID3' || bytes.length < 10) return;
  const version = bytes[3] as number;
  const end = Math.min(bytes.length, 10 + syncsafe(bytes, 6));
  const idLength = version === 2 ? 3 : 4;
  const headerLength = version === 2 ? 6 : 10;
  let i = 10;
  while (i + headerLength <= end) {
    const id = bytes.toString('latin1', i, i + idLength);
    if (!/^[A-Z0-9]+$/.test(id)) return; // padding
    const length =
      version === 2
        ? bytes.readUIntBE(i + 3, 3)
        : version === 4
          ? syncsafe(bytes, i + 4)
          : bytes.readUInt32BE(i + 4);
    if (/^(?:T|W|COM|ULT|USLT)/.test(id)) keep(bytes.subarray(i + headerLength, i + headerLength + length));
    i += headerLength + length;
  }
}

function syncsafe(bytes: Buffer, at: number): number {
  return (
    (((bytes[at] ?? 0) & 0x7f) << 21) |
    (((bytes[at + 1] ?? 0) & 0x7f) << 14) |
    (((bytes[at + 2] ?? 0) & 0x7f) << 7) |
    ((bytes[at + 3] ?? 0) & 0x7f)
  );
}
