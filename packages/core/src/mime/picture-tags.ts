import { inflated, Unread, type Walk } from './tag-walk.js';
import { utf16be } from './utf16be.js';

// The text tags of GIF pictures, Photoshop documents, JPEG 2000 pictures and fonts, which viewers show (GIMP and
// IrfanView a GIF's comment, Photoshop's File Info a PSD's XMP and IPTC, Windows' font viewer and Explorer a font's
// names and copyright). Each returns whether the walk reached the end of the tag area within the bytes given, as
// media-tags.ts's do. A structure that does not walk ends the walk, as it ends the readers'.

/** Reads a TIFF block (EXIF) or IPTC datasets found inside another format, as media-tags.ts does. */
export type BlockReader = (bytes: Buffer, w: Walk) => unknown;

// A GIF's blocks to its trailer: comment extensions (their sub-blocks joined, as viewers show them), the text of
// plain-text extensions, and XMP in an `XMP DataXMP` application extension (raw bytes, not sub-blocks, then a
// trailer that ends any sub-block walk). Image data is skipped by its sub-blocks. Complete at the trailer, or at a
// block no decoder knows (giflib and browsers stop there).
export function gifTags(bytes: Buffer, w: Walk): boolean {
  if (bytes.length < 13) return false;
  let i = 13 + colourTable(bytes[10] as number);
  while (i < bytes.length) {
    const block = bytes[i];
    if (block === 0x3b) return true;
    if (block === 0x2c) {
      if (i + 10 > bytes.length) return false;
      i += 10 + colourTable(bytes[i + 9] as number) + 1; // descriptor, local table, LZW code size
      i = subBlocks(bytes, i).next;
    } else if (block === 0x21) {
      const label = bytes[i + 1];
      const start = i + 2;
      const id = bytes.toString('latin1', start + 1, start + 12);
      if (label === 0xff && bytes[start] === 11 && id === 'XMP DataXMP') {
        const from = start + 12;
        const { next } = subBlocks(bytes, from);
        const end = bytes.indexOf('<?xpacket end', from, 'latin1');
        const close = end < 0 || end > next ? -1 : bytes.indexOf('>', end);
        w.xmp(bytes.subarray(from, close < 0 ? next : close + 1));
        i = next;
        continue;
      }
      const { data, next } = subBlocks(bytes, start, label === 0xfe || label === 0x01);
      if (label === 0xfe) w.keep(data);
      else if (label === 0x01) w.keep(data.subarray(12)); // a plain-text extension's grid, then its text
      i = next;
    } else return true;
  }
  return false;
}

function colourTable(flags: number): number {
  return flags & 0x80 ? 3 * (2 << (flags & 7)) : 0;
}

// Sub-blocks from `at` to their empty one: where the next block starts, and their data joined when asked.
function subBlocks(bytes: Buffer, at: number, keep = false): { data: Buffer; next: number } {
  const pieces: Buffer[] = [];
  let size = 0;
  let i = at;
  while (i < bytes.length) {
    const length = bytes[i] as number;
    if (length === 0) return { data: Buffer.concat(pieces), next: i + 1 };
    if (keep) {
      size += length;
      if (size > MAX_PIECE) throw new Unread(`a GIF comment over ${MAX_PIECE} bytes, which is not read`);
      pieces.push(bytes.subarray(i + 1, i + 1 + length));
    }
    i += 1 + length;
  }
  return { data: Buffer.concat(pieces), next: bytes.length + 1 };
}
const MAX_PIECE = 1024 * 1024;

// A Photoshop document's (PSD, PSB) image resources, as File Info shows them: XMP (0x0424), IPTC (0x0404), the
// EXIF blocks (0x0422, 0x0423: TIFF) and the caption (0x03F0); then its layers' names, as the Layers panel lists
// them (a type layer is named after its text), and a type layer's text (attacker round 42). Complete at the end of
// the layer and mask section.
export function psdTags(bytes: Buffer, w: Walk, tiff: BlockReader, iptc: BlockReader): boolean {
  if (bytes.length < 30) return false;
  let i = 30 + bytes.readUInt32BE(26); // header, then the colour mode data
  if (i + 4 > bytes.length) return false;
  const end = i + 4 + bytes.readUInt32BE(i);
  i += 4;
  while (i < end) {
    if (i + 8 > bytes.length) return false;
    if (!PSD_SIGNATURES.has(bytes.toString('latin1', i, i + 4))) break;
    const id = bytes.readUInt16BE(i + 4);
    const at = i + 6 + (((bytes[i + 6] as number) + 2) & ~1); // its Pascal name, padded to an even length
    if (at + 4 > bytes.length) return false;
    const size = bytes.readUInt32BE(at);
    const data = bytes.subarray(at + 4, at + 4 + size);
    if (id === 0x0424) w.xmp(data);
    else if (id === 0x0404) {
      w.keep(data);
      iptc(data, w);
    } else if (id === 0x0422 || id === 0x0423) {
      w.keep(data);
      tiff(data, w);
    } else if (id === 0x03f0) w.keep(data);
    i = at + 4 + size + (size % 2);
  }
  return psdLayers(bytes, end, bytes.readUInt16BE(4) === 2, w);
}

// The layer and mask section at `at`: each layer record's Pascal name, its `luni` (Unicode) name and a type layer's
// (`TySh`) text. PSB writes some lengths in eight bytes.
function psdLayers(bytes: Buffer, at: number, psb: boolean, w: Walk): boolean {
  const lengthAt = (i: number) => (psb ? Number(bytes.readBigUInt64BE(i)) : bytes.readUInt32BE(i));
  const wide = psb ? 8 : 4;
  if (at + wide > bytes.length) return false;
  const sectionEnd = at + wide + lengthAt(at);
  if (sectionEnd === at + wide) return true;
  let i = at + wide;
  if (i + wide + 2 > bytes.length) return false;
  i += wide;
  const count = Math.abs(bytes.readInt16BE(i));
  i += 2;
  for (let k = 0; k < count; k++) {
    if (i + 18 > bytes.length) return false;
    i += 18 + bytes.readUInt16BE(i + 16) * (psb ? 10 : 6) + 12; // bounds, channels, blend mode, opacity, flags
    if (i + 12 > bytes.length) return false;
    const extraEnd = i + 4 + bytes.readUInt32BE(i);
    i += 4;
    i += 4 + bytes.readUInt32BE(i); // layer mask data
    if (i + 4 > bytes.length) return false;
    i += 4 + bytes.readUInt32BE(i); // blending ranges
    if (i >= bytes.length) return false;
    const nameLength = bytes[i] as number;
    w.keep(bytes.subarray(i + 1, i + 1 + nameLength));
    i += (1 + nameLength + 3) & ~3;
    while (i + 12 <= Math.min(extraEnd, bytes.length)) {
      const key = bytes.toString('latin1', i + 4, i + 8);
      const eight = psb && PSB_WIDE_KEYS.has(key);
      const header = eight ? 16 : 12; // signature, key, length
      if (i + header > bytes.length) return false;
      const size = eight ? Number(bytes.readBigUInt64BE(i + 8)) : bytes.readUInt32BE(i + 8);
      const data = bytes.subarray(i + header, i + header + size);
      if (key === 'luni' && data.length >= 4) w.text(utf16be(data.subarray(4, 4 + 2 * data.readUInt32BE(0))));
      else if (key === 'TySh') typeLayerText(data, w);
      i += header + size;
    }
    i = extraEnd;
  }
  return sectionEnd <= bytes.length;
}
// Additional layer information whose length PSB writes in eight bytes.
const PSB_WIDE_KEYS = new Set([
  'LMsk',
  'Lr16',
  'Lr32',
  'Layr',
  'Mt16',
  'Mt32',
  'Mtrn',
  'Alph',
  'FMsk',
  'lnk2',
  'FEid',
  'FXid',
  'PxSD',
]);

// A type layer's text: in its descriptor, the `Txt ` key's `TEXT` value (a count, then UTF-16BE).
function typeLayerText(data: Buffer, w: Walk): void {
  for (
    let at = data.indexOf('Txt TEXT', 0, 'latin1');
    at >= 0;
    at = data.indexOf('Txt TEXT', at + 8, 'latin1')
  ) {
    if (at + 12 > data.length) return;
    w.text(utf16be(data.subarray(at + 12, at + 12 + 2 * data.readUInt32BE(at + 8))));
  }
}
const PSD_SIGNATURES = new Set(['8BIM', 'MeSa', 'AgHg', 'PHUT', 'DCSR']);

/** The signature box a JP2 or JPX picture starts with. */
export const JP2_SIGNATURE = Buffer.from('0000000c6a5020200d0a870a', 'hex');
/** The first two markers of a bare JPEG 2000 codestream (J2K): SOC, SIZ. */
export const J2K_CODESTREAM = '\xff\x4f\xff\x51';
const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');

// A JPEG 2000 picture's boxes (JP2, JPX) to the end of the file: `xml ` boxes (XMP or other XML), the XMP `uuid`
// box, and the comments of its codestream's main header (`jp2c`); a bare codestream (J2K) has only those. Never
// complete before the end of the file: writers put the XMP box after the codestream.
export function jp2Tags(bytes: Buffer, w: Walk): boolean {
  if (bytes[0] === 0xff && bytes[1] === 0x4f) {
    codestreamComments(bytes, w);
    return true;
  }
  let i = 0;
  while (i + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(i);
    let header = 8;
    if (size === 1) {
      if (i + 16 > bytes.length) return false;
      size = Number(bytes.readBigUInt64BE(i + 8));
      header = 16;
    } else if (size === 0) size = bytes.length - i;
    if (size < header) return true; // a box that cannot be: readers stop
    const type = bytes.toString('latin1', i + 4, i + 8);
    const data = bytes.subarray(i + header, i + size);
    if (type === 'xml ') w.xmp(data);
    else if (type === 'uuid' && data.subarray(0, 16).equals(XMP_UUID)) w.xmp(data.subarray(16));
    else if (type === 'jp2c') codestreamComments(data, w);
    i += size;
  }
  return i === bytes.length;
}

// The main header's marker segments, from SIZ to the first tile (SOT): each comment (COM: its use, then the text).
function codestreamComments(bytes: Buffer, w: Walk): void {
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1] as number;
    if (marker === 0x90 || marker === 0x93 || marker === 0xd9) return;
    const length = bytes.readUInt16BE(i + 2);
    if (marker === 0x64 && length >= 4) w.keep(bytes.subarray(i + 6, i + 2 + length));
    i += 2 + length;
  }
}

/** Whether a file starts as an OpenType or TrueType font (or a collection of them), or a WOFF font. */
export function isFont(head: Buffer): boolean {
  return FONT_MAGIC.has(head.toString('latin1', 0, 4));
}
const FONT_MAGIC = new Set(['\0\x01\0\0', 'OTTO', 'true', 'typ1', 'ttcf', 'wOFF']);

// A font's `name` table, as Windows' font viewer and Explorer show it (family, full name, version, copyright,
// designer, description, licence…): each name decoded on its own (UTF-16BE on the Unicode and Windows platforms,
// 8-bit on the Macintosh one). Every font of a collection; a WOFF font's table inflated. Complete when every name
// table lies within the bytes.
export function fontNames(bytes: Buffer, w: Walk): boolean {
  const magic = bytes.toString('latin1', 0, 4);
  const budget = { entries: MAX_TABLE_ENTRIES };
  if (magic === 'ttcf') {
    const count = bytes.length >= 12 ? bytes.readUInt32BE(8) : 0;
    if (count > MAX_FONTS)
      throw new Unread(`a font collection of more than ${MAX_FONTS} fonts, which is not read`);
    let complete = bytes.length >= 12 + 4 * count;
    for (let k = 0; k < count && 16 + 4 * k <= bytes.length; k++)
      complete = sfntNames(bytes, bytes.readUInt32BE(12 + 4 * k), w, budget) && complete;
    return complete;
  }
  if (magic === 'wOFF') return woffNames(bytes, w);
  return sfntNames(bytes, 0, w, budget);
}
const MAX_FONTS = 256;
// Table entries walked in one file, its fonts' together (a font has a few dozen): fonts of a collection may share
// their directories, which would otherwise be walked once per font.
const MAX_TABLE_ENTRIES = 8192;

function sfntNames(bytes: Buffer, at: number, w: Walk, budget: { entries: number }): boolean {
  if (at + 12 > bytes.length) return false;
  const tables = bytes.readUInt16BE(at + 4);
  budget.entries -= tables;
  if (budget.entries < 0)
    throw new Unread(`fonts of more than ${MAX_TABLE_ENTRIES} tables in all, which are not read`);
  for (let t = 0; t < tables; t++) {
    const entry = at + 12 + 16 * t;
    if (entry + 16 > bytes.length) return false;
    if (bytes.toString('latin1', entry, entry + 4) !== 'name') continue;
    const offset = bytes.readUInt32BE(entry + 8);
    const length = bytes.readUInt32BE(entry + 12);
    nameTable(bytes.subarray(offset, offset + length), w);
    return offset + length <= bytes.length;
  }
  return true;
}

function woffNames(bytes: Buffer, w: Walk): boolean {
  if (bytes.length < 44) return false;
  const tables = bytes.readUInt16BE(12);
  for (let t = 0; t < tables; t++) {
    const entry = 44 + 20 * t;
    if (entry + 20 > bytes.length) return false;
    if (bytes.toString('latin1', entry, entry + 4) !== 'name') continue;
    const offset = bytes.readUInt32BE(entry + 4);
    const length = bytes.readUInt32BE(entry + 8);
    const data = bytes.subarray(offset, offset + length);
    nameTable(length < bytes.readUInt32BE(entry + 12) ? inflated(data) : data, w);
    return offset + length <= bytes.length;
  }
  return true;
}

// A `name` table: its records (platform, encoding, language, name id, length, offset) point into its strings.
function nameTable(table: Buffer, w: Walk): void {
  if (table.length < 6) return;
  const count = table.readUInt16BE(2);
  const strings = table.readUInt16BE(4);
  for (let r = 0; r < count && 6 + 12 * r + 12 <= table.length; r++) {
    const record = 6 + 12 * r;
    const platform = table.readUInt16BE(record);
    const length = table.readUInt16BE(record + 8);
    const from = strings + table.readUInt16BE(record + 10);
    const value = table.subarray(from, from + length);
    if (platform === 1) w.keep(value);
    else w.text(utf16be(value));
  }
}
