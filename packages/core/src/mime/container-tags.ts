import { id3v2Tags } from './id3-tags.js';
import { Unread, type Walk, walkedToEnd } from './tag-walk.js';

// The text tags of AIFF, ASF (WMA, WMV), Matroska (MKV, WebM) and HEIF (HEIC, AVIF) files, which players and
// viewers show (attacker round 39: a card number as a WMA's title, an MKV's title, a HEIC's description). Each
// returns whether the walk reached the end of the tag area within the bytes given, as media-tags.ts's do.

// An AIFF's chunks (big-endian sizes), to the end its FORM header gives: `NAME`, `AUTH`, `(c) `, `ANNO` and `COMT`
// (text and comments, as Apple Music and Finder show them), and an `ID3 ` chunk (an ID3v2 tag).
export function aiffTags(bytes: Buffer, w: Walk): boolean {
  const end = 8 + bytes.readUInt32BE(4);
  let i = 12;
  while (i + 8 <= bytes.length) {
    const type = bytes.toString('latin1', i, i + 4);
    const length = bytes.readUInt32BE(i + 4);
    const data = bytes.subarray(i + 8, i + 8 + length);
    if (type === 'COMT') aiffComments(data, w);
    else if (AIFF_TEXT.has(type)) w.keep(data);
    else if ((type === 'ID3 ' || type === 'id3 ') && data.toString('latin1', 0, 3) === 'ID3')
      id3v2Tags(data, w);
    i += 8 + length + (length % 2);
  }
  return walkedToEnd(i, end, bytes.length);
}
const AIFF_TEXT = new Set(['NAME', 'AUTH', '(c) ', 'ANNO']);

// An AIFF `COMT` chunk's comments (a count, then each one's time stamp, marker and byte count before its text),
// each text on its own: its byte count may read as a digit (attacker round 40).
function aiffComments(data: Buffer, w: Walk): void {
  const count = data.length >= 2 ? data.readUInt16BE(0) : 0;
  for (let k = 0, at = 2; k < count && at + 8 <= data.length; k++) {
    const length = data.readUInt16BE(at + 6);
    w.keep(data.subarray(at + 8, at + 8 + length));
    at += 8 + length + (length % 2);
  }
}

// An ASF file's (WMA, WMV) metadata: from its header's first object to the data object, whatever the header's
// size and count say (ffmpeg walks so: attacker round 40), each string on its own (a length word before a title
// may read as a digit): the content description (title, author, copyright, description, rating), the extended
// content description's and the header extension's metadata objects' names and string values (album, genre,
// lyrics…), UTF-16LE. Complete at the data object.
export function asfTags(bytes: Buffer, w: Walk): boolean {
  for (let i = 30; i + 24 <= bytes.length; ) {
    const guid = bytes.subarray(i, i + 16);
    if (guid.equals(ASF_DATA)) return true;
    const size = Number(bytes.readBigUInt64LE(i + 16));
    if (size < 24) return false;
    asfObject(guid, bytes.subarray(i + 24, Math.min(i + size, bytes.length)), w, true);
    i += size;
  }
  return false;
}

function asfObject(guid: Buffer, data: Buffer, w: Walk, top: boolean): void {
  const text = (from: number, length: number) => w.text(data.toString('utf16le', from, from + length));
  if (guid.equals(ASF_CONTENT)) {
    let at = 10;
    for (let k = 0; k < 5 && at <= data.length; k++) {
      const length = data.length >= 2 * k + 2 ? data.readUInt16LE(2 * k) : 0;
      text(at, length);
      at += length;
    }
  } else if (guid.equals(ASF_EXTENDED_CONTENT)) {
    const count = data.length >= 2 ? data.readUInt16LE(0) : 0;
    for (let k = 0, at = 2; k < count && at + 2 <= data.length; k++) {
      const nameLength = data.readUInt16LE(at);
      text(at + 2, nameLength);
      at += 2 + nameLength;
      if (at + 4 > data.length) return;
      const type = data.readUInt16LE(at);
      const valueLength = data.readUInt16LE(at + 2);
      if (type === 0) text(at + 4, valueLength);
      at += 4 + valueLength;
    }
  } else if (guid.equals(ASF_METADATA) || guid.equals(ASF_METADATA_LIBRARY)) {
    const count = data.length >= 2 ? data.readUInt16LE(0) : 0;
    for (let k = 0, at = 2; k < count && at + 12 <= data.length; k++) {
      const nameLength = data.readUInt16LE(at + 4);
      const type = data.readUInt16LE(at + 6);
      const valueLength = data.readUInt32LE(at + 8);
      text(at + 12, nameLength);
      if (type === 0) text(at + 12 + nameLength, valueLength);
      at += 12 + nameLength + valueLength;
    }
  } else if (top && guid.equals(ASF_HEADER_EXTENSION)) {
    for (let at = 22; at + 24 <= data.length; ) {
      const size = Number(data.readBigUInt64LE(at + 16));
      if (size < 24) return;
      asfObject(
        data.subarray(at, at + 16),
        data.subarray(at + 24, Math.min(at + size, data.length)),
        w,
        false,
      );
      at += size;
    }
  }
}

// An ASF GUID's bytes (its first three fields little-endian).
function asfGuid(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const swap = (from: number, to: number) => Buffer.from(hex.slice(from, to), 'hex').reverse();
  return Buffer.concat([swap(0, 8), swap(8, 12), swap(12, 16), Buffer.from(hex.slice(16), 'hex')]);
}
const ASF_DATA = asfGuid('75B22636-668E-11CF-A6D9-00AA0062CE6C');
const ASF_CONTENT = asfGuid('75B22633-668E-11CF-A6D9-00AA0062CE6C');
const ASF_EXTENDED_CONTENT = asfGuid('D2D0A440-E307-11D2-97F0-00A0C95EA850');
const ASF_HEADER_EXTENSION = asfGuid('5FBF03B5-A92E-11CF-8EE3-00C00C205365');
const ASF_METADATA = asfGuid('C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA');
const ASF_METADATA_LIBRARY = asfGuid('44231C94-9498-49D1-A141-1D134E457054');

// Matroska's metadata (EBML): its `Info` (title, muxing app), `Tracks` (track names), `Tags`, `Chapters` (chapter
// titles) and `Attachments` (files' names and descriptions, not their data) elements, found wherever they lie by
// their four-byte ids (players resync to them past damaged bytes, and read them after a segment's end: attacker
// round 40), each walked down to its leaves, read as UTF-8 text one by one (an element's size byte may be a
// digit). Never complete: the tags of a recording often follow its media.
export function matroskaTags(bytes: Buffer, w: Walk): boolean {
  let found = 0;
  for (const id of MATROSKA_METADATA)
    for (let at = bytes.indexOf(id); at >= 0; at = bytes.indexOf(id, at + 1)) {
      const element = ebmlElement(bytes, at);
      if (!element) continue;
      if (++found > MAX_ITEMS)
        throw new Unread(`a Matroska file of more than ${MAX_ITEMS} metadata elements, which is not read`);
      const end = element.size === undefined ? bytes.length : element.start + element.size;
      matroskaLeaves(bytes, element.start, Math.min(end, bytes.length), w, 0);
    }
  return false;
}
const MATROSKA_METADATA = ['1549a966', '1654ae6b', '1254c367', '1043a770', '1941a469'].map((id) =>
  Buffer.from(id, 'hex'),
);
// Elements that hold others: track entries and their video and audio settings, tags, their targets and simple
// tags, editions, chapter atoms, their displays and tracks, attached files, edition displays.
const MATROSKA_MASTERS = new Set([
  0xae, 0xe0, 0xe1, 0x7373, 0x63c0, 0x67c8, 0x45b9, 0xb6, 0x80, 0x8f, 0x61a7, 0x4520,
]);
// Leaves of binary data no player shows as text: attached files' data, codec private data, binary tags.
const MATROSKA_BINARY = new Set([0x465c, 0x63a2, 0x4485]);
const MAX_MATROSKA_DEPTH = 16;

function matroskaLeaves(bytes: Buffer, from: number, to: number, w: Walk, depth: number): void {
  if (depth > MAX_MATROSKA_DEPTH)
    throw new Unread(`Matroska elements nested more than ${MAX_MATROSKA_DEPTH} deep, which are not read`);
  for (let i = from; i < to; ) {
    const element = ebmlElement(bytes, i);
    if (!element || element.size === undefined) return;
    const end = Math.min(element.start + element.size, to);
    if (MATROSKA_MASTERS.has(element.id)) matroskaLeaves(bytes, element.start, end, w, depth + 1);
    else if (!MATROSKA_BINARY.has(element.id)) w.text(bytes.toString('utf8', element.start, end));
    i = element.start + element.size;
  }
}

// An EBML element at `at`: its id (marker bits kept), where its data starts and its size (undefined: unknown,
// all ones), or undefined when the id or size is not a variable-length integer that fits in the bytes.
function ebmlElement(bytes: Buffer, at: number): { id: number; start: number; size?: number } | undefined {
  const idLength = vintLength(bytes[at]);
  if (idLength === 0 || idLength > 4 || at + idLength > bytes.length) return undefined;
  const id = bytes.readUIntBE(at, idLength);
  const sizeAt = at + idLength;
  const sizeLength = vintLength(bytes[sizeAt]);
  if (sizeLength === 0 || sizeAt + sizeLength > bytes.length) return undefined;
  let size = (bytes[sizeAt] as number) & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let k = 1; k < sizeLength; k++) {
    const byte = bytes[sizeAt + k] as number;
    size = size * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { id, start: sizeAt + sizeLength, ...(allOnes ? {} : { size }) };
}

// The length of the variable-length integer a byte starts (its leading zeros plus one), 0 for a zero byte.
function vintLength(byte: number | undefined): number {
  if (!byte) return 0;
  return Math.clz32(byte) - 23;
}

// A HEIF picture's (HEIC, AVIF) EXIF and XMP items, found where they lie (an item's place is given by the `iloc`
// box, often in `mdat` after the image): each TIFF header (after `Exif\0\0` or not: writers differ), read by
// `tiff`, and each XMP packet. Never complete: an item may lie past the bytes given.
export function heifTags(bytes: Buffer, w: Walk, tiff: (bytes: Buffer, w: Walk) => boolean): boolean {
  let found = 0;
  const item = () => {
    if (++found > MAX_ITEMS)
      throw new Unread(`a picture of more than ${MAX_ITEMS} EXIF and XMP items, which is not read`);
  };
  for (const header of TIFF_HEADERS)
    for (let at = bytes.indexOf(header); at >= 0; at = bytes.indexOf(header, at + 1)) {
      item();
      tiff(bytes.subarray(at), w);
    }
  // An XMP packet is wrapped in `<?xpacket`, in an `xmpmeta` element of any prefix, or is a bare `rdf:RDF`
  // (attacker round 40): each start read to its end marker, or to the end.
  for (const [start, end] of XMP_MARKS)
    for (let at = bytes.indexOf(start); at >= 0; at = bytes.indexOf(start, at + 1)) {
      item();
      const close = bytes.indexOf(end, at + start.length + 1);
      w.xmp(bytes.subarray(at, close < 0 ? bytes.length : close + end.length));
      if (close < 0) break;
      at = close;
    }
  return false;
}
const TIFF_HEADERS = [Buffer.from('II*\0', 'latin1'), Buffer.from('MM\0*', 'latin1')];
const XMP_MARKS = [
  ['<?xpacket begin', '<?xpacket end'],
  ['xmpmeta', 'xmpmeta>'],
  ['<rdf:RDF', '</rdf:RDF>'],
].map(
  ([start, end]) => [Buffer.from(start as string, 'latin1'), Buffer.from(end as string, 'latin1')] as const,
);
const MAX_ITEMS = 64;
