import { aiffTags, asfTags, heifTags, matroskaTags } from './container-tags.js';
import { id3v2Tags } from './id3-tags.js';
import {
  fontNames,
  gifTags,
  isFont,
  J2K_CODESTREAM,
  JP2_SIGNATURE,
  jp2Tags,
  psdTags,
} from './picture-tags.js';
import { ASF_HEADER, inflated, MAX_TAG_BYTES, Unread, type Walk, walkedToEnd } from './tag-walk.js';

export { MAX_TAG_BYTES } from './tag-walk.js';

/**
 * Bytes of an archive's picture or recording its tags are read from first (not to inflate every photo of a zip):
 * a JPEG's EXIF comes first, an MP3's ID3v2 text frames at its start, a PNG's text chunks before its image data
 * as encoders write them. When the tags run past them ({@link MediaTags}' `complete` is false), the whole file
 * is read.
 */
export const TAG_HEAD = 64 * 1024;

/**
 * What {@link mediaTags} found: the tags' bytes (read as strings), the XMP packets among them (XML, also read
 * as markup: entities, character references and CDATA decoded as XMP readers show them), and whether the walk
 * reached the end of the tag area within the bytes given; or why the tags cannot be read (`unread`).
 */
export type MediaTags = { tags: Buffer; xmp: Buffer[]; complete: boolean } | { unread: string };

/**
 * The text tags of a picture or a recording that viewers show as written: a JPEG's EXIF and XMP (APP1, extended
 * XMP reassembled), IPTC (APP13) and comment segments; a PNG's text chunks (`tEXt`, `iTXt`, `zTXt` inflated) and
 * `eXIf`; a WebP's `EXIF` and `XMP ` chunks; a TIFF's first IFD's and EXIF IFD's text values (ASCII, the `XP…`
 * titles and comments, user comment, IPTC, XMP); a WAV's or AVI's `LIST` `INFO` and `adtl` chunks, `bext`,
 * `iXML`, `_PMX` (XMP) and `id3 ` chunks; an MP3's ID3v2 frames (all but binary ones) and its ID3v1 fields; a
 * FLAC's Vorbis comments (after an ID3v2 tag too), an Ogg stream's comment header; an MP4's (M4A, MOV) `ilst`
 * items, QuickTime `©` user data and Explorer's `Xtra` values; an AIFF's text chunks and ID3v2 tag, an ASF file's
 * (WMA, WMV) strings, a Matroska file's (MKV, WebM) titles, tags, chapters and attachment names, a HEIF picture's
 * (HEIC, AVIF) EXIF and XMP items (container-tags.ts); a GIF's comments, plain text and XMP, a Photoshop document's
XMP, IPTC, EXIF and caption, a JPEG 2000 picture's XML and XMP boxes and codestream comments, a font's names
(OpenType, TrueType, collections, WOFF; picture-tags.ts). Windows Explorer shows a photo's title and comments, every
 * player a track's title: a card number written there is read, while the pixels and samples are not. Fields whose
 * format gives their length are decoded and kept one by one (a length byte may read as a digit). Empty for other
 * formats.
 *
 * ID3v2 tags are read as players read them: the extended header skipped, unsynchronisation undone, compressed
 * frames inflated (an iTunes v2.4 tag's plain frame sizes are tried when syncsafe ones do not walk).
 *
 * `complete` says whether the walk reached the end of the tag area within the bytes given: a JPEG's image data
 * (SOS), a PNG's `IEND`, a FLAC's last metadata block, the end of the bytes for RIFF and AIFF chunks (players walk
 * past the size their header gives), an ASF file's data object, the end of an MP4's `moov` box, a TIFF's IFDs and
 * their values, a GIF's trailer, a PSD's image resources, every font's name table; never for an MP3 (its ID3v1 tag ends the file), a Matroska file or a HEIF picture (their tags may
 * lie anywhere), nor for a JPEG 2000 picture before the end of its boxes. Given a file's first bytes only (an archive's entry's {@link TAG_HEAD}), a caller reads the whole
 * file when it is false; given the whole file, it is false for a truncated file, whose every byte was walked, and
 * for those three.
 *
 * Unread: tags over {@link MAX_TAG_BYTES}; an ID3v2 tag whose frames do not walk (something neither a frame nor
 * padding), or with an encrypted text frame. A JPEG segment, PNG chunk or MP4 box whose length cannot be ends the
 * walk, as it ends libjpeg's, libpng's and MP4 readers'. Linear: each walk moves forward by the lengths the file
 * gives.
 *
 * @example
 * ```ts
 * mediaTags(jpegWithExifComment); // { tags: the EXIF segment's bytes, xmp: [], complete: true }
 * mediaTags(Buffer.from('not a picture')); // { tags: an empty buffer, xmp: [], complete: true }
 * ```
 */
export function mediaTags(bytes: Buffer): MediaTags {
  const pieces: Buffer[] = [];
  const xmp: Buffer[] = [];
  let total = 0;
  // Each piece is followed by two NULs: its last character is read whatever its offset, and pieces do not run
  // together into one number.
  let offset = 0;
  const keep = (piece: Buffer) => {
    total += piece.length;
    if (total > MAX_TAG_BYTES) throw new Unread(`text tags over ${MAX_TAG_BYTES} bytes, which are not read`);
    pieces.push(piece, PIECE_END);
    offset += piece.length + PIECE_END.length;
  };
  const w: Walk = {
    keep,
    // A decoded field: UTF-16LE at an even offset, between line breaks, so the UTF-16 view reads it whole.
    text: (value) => {
      if (offset % 2) {
        pieces.push(PAD);
        offset++;
      }
      keep(Buffer.from(`\n${value}\n`, 'utf16le'));
    },
    xmp: (packet) => {
      keep(packet);
      xmp.push(packet);
    },
  };
  let complete = true;
  try {
    const magic = bytes.toString('latin1', 0, 4);
    const form = bytes.toString('latin1', 8, 12);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) complete = jpegTags(bytes, w);
    else if (bytes.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n') complete = pngTags(bytes, w);
    else if (magic === 'RIFF' && RIFF_FORMS.has(form)) complete = riffTags(bytes, w);
    else if (magic === 'FORM' && (form === 'AIFF' || form === 'AIFC')) complete = aiffTags(bytes, w);
    else if (bytes.subarray(0, 16).equals(ASF_HEADER)) complete = asfTags(bytes, w);
    else if (magic === '\x1a\x45\xdf\xa3') complete = matroskaTags(bytes, w);
    else if (magic === 'fLaC') complete = flacTags(bytes, 0, w);
    else if (magic === 'OggS') complete = oggTags(bytes, w);
    else if (magic === 'II*\0' || magic === 'MM\0*') complete = tiffTags(bytes, w);
    else if (bytes.toString('latin1', 4, 8) === 'ftyp' && HEIF_BRANDS.has(form))
      complete = heifTags(bytes, w, tiffTags);
    else if (bytes.toString('latin1', 4, 8) === 'ftyp') complete = mp4Tags(bytes, w);
    else if (magic === 'GIF8') complete = gifTags(bytes, w);
    else if (magic === '8BPS') complete = psdTags(bytes, w, tiffTags, iptcDatasets);
    else if (bytes.subarray(0, 12).equals(JP2_SIGNATURE) || magic === J2K_CODESTREAM)
      complete = jp2Tags(bytes, w);
    else if (isFont(bytes)) complete = fontNames(bytes, w);
    else if (magic.startsWith('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0))
      complete = mp3Tags(bytes, w);
  } catch (error) {
    if (error instanceof Unread) return { unread: error.message };
    throw error;
  }
  return { tags: Buffer.concat(pieces), xmp, complete };
}

const PIECE_END = Buffer.alloc(2);
const PAD = Buffer.alloc(1);
// RIFF forms with tags: WebP pictures, WAV recordings, AVI videos (their `INFO` list, as Explorer shows it).
const RIFF_FORMS = new Set(['WEBP', 'WAVE', 'AVI ']);
// The `ftyp` brands of HEIF pictures (HEIC, AVIF), whose EXIF and XMP are items rather than MP4 metadata.
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

const XMP_JPEG = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_EXTENSION = 'http://ns.adobe.com/xmp/extension/\0';

// Segments up to the image data (SOS): APP1 (EXIF, XMP), APP13 (IPTC), COM. Bytes between segments are skipped to
// the next marker, as libjpeg does. Extended XMP (its parts in APP1 segments, each with the packet's GUID and its
// offset) is put together by offset, as Photoshop and exiftool do.
function jpegTags(bytes: Buffer, w: Walk): boolean {
  const extended = new Map<string, [number, Buffer][]>();
  let reached = false;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = bytes[i + 1] as number;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) {
      reached = true;
      break;
    }
    if (marker === 0x01 || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    // A length below 2 stops libjpeg (and so every viewer) there: the end of the tags, whatever follows.
    if (length < 2) return true;
    const data = bytes.subarray(i + 4, i + 2 + length);
    if (marker === 0xe1 && data.toString('latin1', 0, XMP_EXTENSION.length) === XMP_EXTENSION) {
      const guid = data.toString('latin1', XMP_EXTENSION.length, XMP_EXTENSION.length + 32);
      const at = XMP_EXTENSION.length + 40;
      const parts = extended.get(guid) ?? [];
      parts.push([data.length >= at ? data.readUInt32BE(at - 4) : 0, data.subarray(at)]);
      extended.set(guid, parts);
    } else if (marker === 0xe1 && data.toString('latin1', 0, XMP_JPEG.length) === XMP_JPEG)
      w.xmp(data.subarray(XMP_JPEG.length));
    else if (marker === 0xe1 || marker === 0xed || marker === 0xfe) {
      w.keep(data);
      if (marker === 0xe1) exifValues(data, w);
      if (marker === 0xed) iptcDatasets(data, w);
    }
    i += 2 + length;
  }
  for (const parts of extended.values())
    w.xmp(Buffer.concat(parts.sort((a, b) => a[0] - b[0]).map(([, part]) => part)));
  return reached;
}

// Every chunk to IEND: libpng writes text chunks after the image data too (GIMP and exiftool show them), so the
// tags end only there (attacker round 39).
function pngTags(bytes: Buffer, w: Walk): boolean {
  let i = 8;
  while (i + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(i);
    const type = bytes.toString('latin1', i + 4, i + 8);
    // A chunk that is not one stops libpng and exiftool there: the end of the tags, whatever follows.
    if (!/^[A-Za-z]{4}$/.test(type) || length > 0x7fffffff) return true;
    const data = bytes.subarray(i + 8, i + 8 + length);
    if (type === 'IEND') return true;
    if (type === 'eXIf') {
      w.keep(data);
      exifValues(data, w);
    }
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const nul = data.indexOf(0);
      const keyword = data.toString('latin1', 0, Math.max(0, nul));
      let text: Buffer;
      if (type === 'tEXt') text = data.subarray(nul + 1);
      else if (type === 'zTXt') text = inflated(data.subarray(nul + 2));
      else {
        // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text.
        const compressed = data[nul + 1] === 1;
        const language = data.indexOf(0, nul + 3);
        const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
        w.keep(data.subarray(nul + 1, translated < 0 ? data.length : translated));
        text = translated < 0 ? Buffer.alloc(0) : data.subarray(translated + 1);
        if (compressed) text = inflated(text);
      }
      w.keep(Buffer.from(keyword, 'latin1'));
      if (keyword === 'XML:com.adobe.xmp') w.xmp(text);
      else w.keep(text);
    }
    i += 12 + length;
  }
  return false;
}

// A RIFF file's chunks, to the end its header gives (a WebP's EXIF and XMP follow its image data, a WAV's
// INFO list often its samples): WebP's `EXIF` and `XMP `; WAV's `LIST` of `INFO` (title, artist, comment…) or
// `adtl` (labels, notes), `bext` (Broadcast Wave description), `iXML`, `_PMX` (XMP), `id3 ` (an ID3v2 tag).
function riffTags(bytes: Buffer, w: Walk): boolean {
  const end = 8 + bytes.readUInt32LE(4);
  let i = 12;
  while (i + 8 <= bytes.length) {
    const type = bytes.toString('latin1', i, i + 4);
    const length = bytes.readUInt32LE(i + 4);
    const data = bytes.subarray(i + 8, i + 8 + length);
    if (type === 'XMP ' || type === '_PMX' || type === 'iXML') w.xmp(data);
    else if (type === 'EXIF' || type === 'bext') {
      w.keep(data);
      if (type === 'EXIF') exifValues(data, w);
    } else if (type === 'LIST' && ['INFO', 'adtl'].includes(data.toString('latin1', 0, 4))) w.keep(data);
    else if ((type === 'id3 ' || type === 'ID3 ') && data.toString('latin1', 0, 3) === 'ID3')
      id3v2Tags(data, w);
    i += 8 + length + (length % 2);
  }
  return walkedToEnd(i, end, bytes.length);
}

// Besides an EXIF block's bytes, its values one by one (a value's last byte may be a digit right before a
// description's text: attacker round 40), from its TIFF structure (after `Exif\0\0` or not).
function exifValues(data: Buffer, w: Walk): void {
  const tiff = data.toString('latin1', 0, 6) === 'Exif\0\0' ? 6 : 0;
  const magic = data.toString('latin1', tiff, tiff + 4);
  if (magic === 'II*\0' || magic === 'MM\0*') tiffTags(data.subarray(tiff), w);
}

// Besides a Photoshop block's bytes, each IPTC dataset in it (0x1C, record, number, two-byte length: the length may
// read as a digit before a caption).
function iptcDatasets(data: Buffer, w: Walk): void {
  for (let at = data.indexOf(0x1c); at >= 0 && at + 5 <= data.length; at = data.indexOf(0x1c, at + 1)) {
    const record = data[at + 1] as number;
    const length = data.readUInt16BE(at + 3);
    if (record < 1 || record > 9 || length >= 0x8000 || at + 5 + length > data.length) continue;
    w.keep(data.subarray(at + 5, at + 5 + length));
    at += 4 + length;
  }
}

// Metadata blocks after `fLaC` (at `at`): type 4 is the Vorbis comment block (title, artist, comments).
function flacTags(bytes: Buffer, at: number, w: Walk): boolean {
  let i = at + 4;
  while (i + 4 <= bytes.length) {
    const header = bytes[i] as number;
    const length = bytes.readUIntBE(i + 1, 3);
    if ((header & 0x7f) === 4) vorbisComments(bytes.subarray(i + 4, i + 4 + length), w);
    i += 4 + length;
    if (header & 0x80) return i <= bytes.length;
  }
  return false;
}

// Each logical stream's second packet, its comment header (Vorbis, Opus, Speex, Theora comments; an Ogg FLAC's
// Vorbis comment block), put together from its pages' segments; a page that is not one is skipped to the next
// `OggS`, as libogg does. Complete when every stream met has its comment header within the bytes.
function oggTags(bytes: Buffer, w: Walk): boolean {
  const streams = new Map<number, { packet: number; parts: Buffer[]; size: number }>();
  let i = 0;
  while (i + 27 <= bytes.length) {
    if (bytes.toString('latin1', i, i + 4) !== 'OggS') {
      const next = bytes.indexOf('OggS', i + 1, 'latin1');
      if (next < 0) break;
      i = next;
      continue;
    }
    const serial = bytes.readUInt32LE(i + 14);
    const segments = bytes[i + 26] as number;
    let at = i + 27 + segments;
    const stream = streams.get(serial) ?? { packet: 0, parts: [], size: 0 };
    streams.set(serial, stream);
    for (let k = 0; k < segments && at <= bytes.length; k++) {
      const lace = bytes[i + 27 + k] as number;
      if (stream.packet === 1) {
        stream.parts.push(bytes.subarray(at, at + lace));
        stream.size += lace;
        if (stream.size > MAX_TAG_BYTES)
          throw new Unread(`text tags over ${MAX_TAG_BYTES} bytes, which are not read`);
      }
      at += lace;
      if (lace < 255 && stream.packet++ === 1) oggComments(Buffer.concat(stream.parts), w);
    }
    i = at;
  }
  return streams.size > 0 && [...streams.values()].every((stream) => stream.packet > 1);
}

// A Vorbis comment header's vendor and comments (`TITLE=…`), each a UTF-8 field of its own: read whole, its
// lengths (a length byte may be a digit, attacker round 40) would run into the text. One that does not parse is
// kept as its bytes.
function vorbisComments(data: Buffer, w: Walk): void {
  const fields = vorbisFields(data);
  if (!fields) return void w.keep(data);
  for (const field of fields) w.text(field);
}

// The fields of a Vorbis comment header (its vendor, then each comment), or undefined when its lengths do not fit
// its bytes. Linear: each comment takes at least its four length bytes.
function vorbisFields(data: Buffer): string[] | undefined {
  if (data.length < 4) return undefined;
  const vendor = data.readUInt32LE(0);
  if (8 + vendor > data.length) return undefined;
  const fields = [data.toString('utf8', 4, 4 + vendor)];
  const count = data.readUInt32LE(4 + vendor);
  let i = 8 + vendor;
  for (let k = 0; k < count; k++) {
    if (i + 4 > data.length) return undefined;
    const length = data.readUInt32LE(i);
    if (i + 4 + length > data.length) return undefined;
    fields.push(data.toString('utf8', i + 4, i + 4 + length));
    i += 4 + length;
  }
  return fields;
}

// An Ogg stream's comment header, after its codec's mark: Vorbis and Theora (7 bytes), Opus (`OpusTags`), an Ogg
// FLAC's metadata block header (4 bytes), Speex (none).
function oggComments(packet: Buffer, w: Walk): void {
  const mark = packet.toString('latin1', 1, 7);
  const skip =
    mark === 'vorbis' || mark === 'theora'
      ? 7
      : packet.toString('latin1', 0, 8) === 'OpusTags'
        ? 8
        : ((packet[0] ?? 0) & 0x7f) === 4 && vorbisFields(packet.subarray(4))
          ? 4
          : 0;
  if (skip > 0) w.keep(packet.subarray(0, skip));
  vorbisComments(packet.subarray(skip), w);
}

// An ID3v2 tag at the start (a FLAC may follow it), and ID3v1's 128 bytes at the end: never complete, as the bytes
// given may not reach the file's end, where Explorer and players read the ID3v1 title (attacker round 39).
function mp3Tags(bytes: Buffer, w: Walk): boolean {
  const v1 = bytes.length - 128;
  // ID3v1's fields one by one (title, artist, album, year, comment), as players show them: each is padded with
  // NULs or spaces, or not at all when full, so read as one they would run together.
  if (v1 >= 0 && bytes.toString('latin1', v1, v1 + 3) === 'TAG')
    for (const [from, to] of ID3V1_FIELDS) w.keep(bytes.subarray(v1 + from, v1 + to));
  // Tags one after another are all read, as ffmpeg reads them (attacker round 40: a title in a second tag).
  let end = 0;
  for (let n = 0; n < MAX_ID3_TAGS && bytes.toString('latin1', end, end + 3) === 'ID3'; n++)
    end = id3v2Tags(bytes.subarray(end), w) + end;
  if (bytes.toString('latin1', end, end + 3) === 'ID3')
    throw new Unread(`more than ${MAX_ID3_TAGS} ID3v2 tags, which are not read`);
  if (bytes.toString('latin1', end, end + 4) === 'fLaC') return flacTags(bytes, end, w);
  return false;
}

const MAX_ID3_TAGS = 16;
const ID3V1_FIELDS: readonly (readonly [number, number])[] = [
  [3, 33],
  [33, 63],
  [63, 93],
  [93, 97],
  [97, 127],
];

// The first IFD and the EXIF IFD it points to (Explorer's title, subject, comments, authors, keywords): ASCII
// values, the XP… tags (UTF-16LE), the user comment, IPTC and XMP. Complete when both IFDs and their values lie
// within the bytes (writers put the IFD anywhere, often after the image data).
function tiffTags(bytes: Buffer, w: Walk): boolean {
  const le = bytes[0] === 0x49;
  const u16 = (at: number) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  if (bytes.length < 8) return false;
  let within = true;
  let ifd = u32(4);
  for (let n = 0; n < 2 && ifd > 0; n++) {
    if (ifd + 2 > bytes.length) return false;
    const count = u16(ifd);
    let next = 0;
    for (let e = 0; e < count; e++) {
      const at = ifd + 2 + e * 12;
      if (at + 12 > bytes.length) return false;
      const tag = u16(at);
      const type = u16(at + 2);
      const size = (TIFF_TYPE_SIZES[type] ?? 0) * u32(at + 4);
      if (tag === 0x8769 && n === 0) next = u32(at + 8);
      if (!(type === 2 || TIFF_TEXT_TAGS.has(tag))) continue;
      const from = size <= 4 ? at + 8 : u32(at + 8);
      if (from + size > bytes.length) within = false;
      const value = bytes.subarray(from, from + size);
      if (tag === 0x02bc) w.xmp(value);
      else w.keep(value);
    }
    ifd = next;
  }
  return within;
}
// Bytes of one value of each TIFF type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, …).
const TIFF_TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
};
// XMP, IPTC, user comment, XPTitle, XPComment, XPAuthor, XPKeywords, XPSubject.
const TIFF_TEXT_TAGS = new Set([0x02bc, 0x83bb, 0x9286, 0x9c9b, 0x9c9c, 0x9c9d, 0x9c9e, 0x9c9f]);

// An MP4's (M4A, MOV) metadata in its `moov` box: `udta` and `meta` hold `ilst`, whose items' `data` boxes are
// the values (cover art left out), and QuickTime's `©nam`-like user data. Complete at the end of `moov`.
function mp4Tags(bytes: Buffer, w: Walk): boolean {
  let reached = false;
  const broken = mp4Boxes(bytes, 0, bytes.length, (type, start, end, inside) => {
    if (type !== 'moov') return true;
    mp4Boxes(bytes, start, end, (type, start, end) => {
      if (type === 'udta')
        mp4Boxes(bytes, start, end, (type, start, end) => mp4Meta(bytes, type, start, end, w));
      else mp4Meta(bytes, type, start, end, w);
      return true;
    });
    reached = inside;
    return false;
  });
  return reached || broken;
}

// A `meta` box (a full box in MP4, none in QuickTime: told by where `hdlr` starts) and its `ilst`; or a QuickTime
// user data text (`©` and three letters: its length, language, text).
function mp4Meta(bytes: Buffer, type: string, start: number, end: number, w: Walk): boolean {
  if (type.startsWith('\xa9')) w.keep(bytes.subarray(start, end));
  if (type === 'Xtra') xtraTags(bytes.subarray(start, end), w);
  if (type !== 'meta') return true;
  const from = bytes.toString('latin1', start + 4, start + 8) === 'hdlr' ? start : start + 4;
  mp4Boxes(bytes, from, end, (type, start, end) => {
    if (type !== 'ilst') return true;
    mp4Boxes(bytes, start, end, (item, start, end) => {
      if (item === 'covr') return true;
      mp4Boxes(bytes, start, end, (type, start, end) => {
        // `data`: its type (13, 14, 27: a JPEG, PNG or BMP picture) and locale, then the value.
        if (type === 'data' && end - start >= 8 && ![13, 14, 27].includes(bytes.readUIntBE(start + 1, 3)))
          w.keep(bytes.subarray(start + 8, end));
        else if (type === 'name' || type === 'mean') w.keep(bytes.subarray(start + 4, end));
        return true;
      });
      return true;
    });
    return true;
  });
  return true;
}

// Windows Explorer's `Xtra` user data (Subtitle, Tags, Publisher… its Details tab shows, attacker round 40): each
// entry's size, name length and name, value count, then each value's size, type and data; names and values are
// read one by one, UTF-16LE strings (type 8) decoded.
function xtraTags(data: Buffer, w: Walk): void {
  for (let at = 0; at + 8 <= data.length; ) {
    const size = data.readUInt32BE(at);
    if (size < 8) return;
    const end = Math.min(at + size, data.length);
    const nameLength = data.readUInt32BE(at + 4);
    w.keep(data.subarray(at + 8, Math.min(at + 8 + nameLength, end)));
    let v = at + 8 + nameLength + 4;
    while (v + 6 <= end) {
      const valueSize = data.readUInt32BE(v);
      if (valueSize < 6) break;
      const value = data.subarray(v + 6, Math.min(v + valueSize, end));
      if (data.readUInt16BE(v + 4) === 8) w.text(value.toString('utf16le'));
      else w.keep(value);
      v += valueSize;
    }
    at += size;
  }
}

// The boxes from `from` to `to`, each given to `visit` (its type, its data cut to the bytes, and whether it lies
// within them) until it returns false; true when a box's size cannot be.
function mp4Boxes(
  bytes: Buffer,
  from: number,
  to: number,
  visit: (type: string, start: number, end: number, inside: boolean) => boolean,
): boolean {
  const last = Math.min(to, bytes.length);
  let i = from;
  while (i + 8 <= last) {
    let size = bytes.readUInt32BE(i);
    let header = 8;
    if (size === 1) {
      if (i + 16 > last) return false;
      size = Number(bytes.readBigUInt64BE(i + 8));
      header = 16;
    } else if (size === 0) size = to - i;
    // A size smaller than its header stops MP4 readers there: the end of the tags, whatever follows.
    if (size < header) return true;
    const end = i + size;
    if (!visit(bytes.toString('latin1', i + 4, i + 8), i + header, Math.min(end, last), end <= bytes.length))
      return false;
    i = end;
  }
  return false;
}
