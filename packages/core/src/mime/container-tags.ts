import { id3v2Tags } from './id3-tags.js';
import { walkedToEnd } from './media-tags.js';
import { Unread, type Walk } from './tag-walk.js';

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
    if (AIFF_TEXT.has(type)) w.keep(data);
    else if ((type === 'ID3 ' || type === 'id3 ') && data.toString('latin1', 0, 3) === 'ID3')
      id3v2Tags(data, w);
    i += 8 + length + (length % 2);
  }
  return walkedToEnd(i, end, bytes.length);
}
const AIFF_TEXT = new Set(['NAME', 'AUTH', '(c) ', 'ANNO', 'COMT']);

// An ASF file's header object, which holds all of its metadata (content description: title, author, copyright,
// description; extended content description and the header extension's metadata objects: album, genre, lyrics…,
// UTF-16LE), kept whole; the media data follows it. Complete when the whole header is within the bytes.
export function asfTags(bytes: Buffer, w: Walk): boolean {
  if (bytes.length < 30) return false;
  const size = Number(bytes.readBigUInt64LE(16));
  w.keep(bytes.subarray(30, Math.min(size, bytes.length)));
  return size <= bytes.length;
}

// Matroska's elements (EBML): in its segment, the `Info` (title, muxing app), `Tracks` (track names), `Tags`
// and `Chapters` (chapter titles) elements are kept whole (their strings are UTF-8), and an attached file's name,
// type and description (its data is not shown by players); clusters of media are skipped by their sizes, or
// walked block by block when their size is unknown (a live recording's). An element whose size cannot be read,
// or a cluster's block of unknown size, makes the file unread. Complete when the walk reaches the segment's end.
export function matroskaTags(bytes: Buffer, w: Walk): boolean {
  let i = 0;
  while (i < bytes.length) {
    const element = ebmlElement(bytes, i);
    if (!element) return false;
    if (element.id !== SEGMENT) {
      if (element.size === undefined)
        throw new Unread('a Matroska element of unknown size, which is not read');
      i = element.start + element.size;
      continue;
    }
    const end = element.size === undefined ? bytes.length : element.start + element.size;
    return segmentTags(bytes, element.start, end, w) && end <= bytes.length;
  }
  return false;
}

const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;
const ATTACHMENTS = 0x1941a469;
const ATTACHED_FILE = 0x61a7;
const FILE_DATA = 0x465c;
// A segment's children whose strings players show.
const KEPT = new Set([0x1549a966, 0x1654ae6b, 0x1254c367, 0x1043a770]);
// The elements a segment holds: one of them ends a cluster of unknown size.
const SEGMENT_CHILDREN = new Set([...KEPT, CLUSTER, ATTACHMENTS, 0x114d9b74, 0x1c53bb6b, 0xec, 0xbf]);

function segmentTags(bytes: Buffer, from: number, to: number, w: Walk): boolean {
  const last = Math.min(to, bytes.length);
  let i = from;
  while (i < last) {
    const element = ebmlElement(bytes, i);
    if (!element) return false;
    if (element.size === undefined) {
      if (element.id !== CLUSTER) throw new Unread('a Matroska element of unknown size, which is not read');
      i = clusterEnd(bytes, element.start, last);
      continue;
    }
    const end = element.start + element.size;
    if (KEPT.has(element.id)) w.keep(bytes.subarray(element.start, Math.min(end, last)));
    else if (element.id === ATTACHMENTS) attachmentTags(bytes, element.start, Math.min(end, last), w);
    i = end;
  }
  return i >= to;
}

// Where a cluster of unknown size ends: at the first element that is one of the segment's own (or the end).
function clusterEnd(bytes: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const element = ebmlElement(bytes, i);
    if (!element || SEGMENT_CHILDREN.has(element.id)) return i;
    if (element.size === undefined) throw new Unread('a Matroska block of unknown size, which is not read');
    i = element.start + element.size;
  }
  return i;
}

// Each attached file's elements but its data: its name, media type and description.
function attachmentTags(bytes: Buffer, from: number, to: number, w: Walk): void {
  for (let i = from; i < to; ) {
    const file = ebmlElement(bytes, i);
    if (!file || file.size === undefined) return;
    const end = Math.min(file.start + file.size, to);
    if (file.id === ATTACHED_FILE)
      for (let k = file.start; k < end; ) {
        const field = ebmlElement(bytes, k);
        if (!field || field.size === undefined) break;
        if (field.id !== FILE_DATA)
          w.keep(bytes.subarray(field.start, Math.min(field.start + field.size, end)));
        k = field.start + field.size;
      }
    i = file.start + file.size;
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
