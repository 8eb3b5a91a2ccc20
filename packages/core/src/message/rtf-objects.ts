import type { ArchiveEntry } from './archive-entry.js';
import { rtfFieldInstructions } from './field-codes.js';
import {
  cutAtNul,
  eachFieldFile,
  eachLinkedName,
  eachOlePackage,
  eachPackagedFile,
  isOleStorage,
} from './ole-packages.js';

// An RTF document embeds an object as `{\object … {\*\objdata <hex>}}`: an OLE 1 object (MS-OLEDS 2.2) whose native
// data is a compound file (a Word or Excel object, which may hold packages itself) or, for the `Package` class,
// the packaged file. Word reads the hex leniently; what is not plainly hex here is not read, and said so. The control
// word may carry a numeric parameter (`\objdata00`), which Word ignores, and ends at one space, which it takes.
const OBJDATA = /\\objdata(?![a-zA-Z])(?:-?[0-9]+)? ?/g;
const LINKED = 1;
const EMBEDDED = 2;

/**
 * Whether `head` starts as an RTF document: `{\rt`, as Word checks (it opens any file that does, whatever its name),
 * after a UTF-8 byte order mark, which Word skips too (attacker round 65: `invoice.doc` saved by a UTF-8 editor). Also,
 * not knowing whether Word reads them so, after blanks (spaces, tabs, line breaks) and in UTF-16 after its byte order
 * mark (attacker round 68), within the head; and in UTF-32 (with its mark or without) or UTF-16 without a mark, told by
 * where the NULs of `{` stand (attacker round 71: an RTF `.doc` in UTF-32 was not read for its embedded packages).
 */
export function isRtf(head: Buffer): boolean {
  return /^[ \t\r\n\f]*\{\\rt/.test(rtfText(head));
}

/**
 * The document's text: after a UTF-8 byte order mark, or decoded from UTF-16 or UTF-32 after its mark, or from UTF-16
 * or UTF-32 without one when its first character is ASCII other than NUL (the other bytes of its code unit NULs, as
 * an XML reader detects the encoding); else as bytes.
 */
function rtfText(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.toString('latin1', 3);
  const b = (k: number) => data[k] ?? -1;
  // UTF-32 before UTF-16: FF FE 00 00 also starts UTF-16LE's mark.
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return utf32(data.subarray(4), true);
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return utf32(data.subarray(4), false);
  if (b(0) === 0xff && b(1) === 0xfe) return utf16(data.subarray(2), true);
  if (b(0) === 0xfe && b(1) === 0xff) return utf16(data.subarray(2), false);
  const ascii = (k: number) => b(k) > 0 && b(k) < 0x80;
  if (ascii(0) && b(1) === 0 && b(2) === 0 && b(3) === 0) return utf32(data, true);
  if (b(0) === 0 && b(1) === 0 && b(2) === 0 && ascii(3)) return utf32(data, false);
  if (ascii(0) && b(1) === 0) return utf16(data, true);
  if (b(0) === 0 && ascii(1)) return utf16(data, false);
  return data.toString('latin1');
}

function utf16(data: Buffer, little: boolean): string {
  const even = data.subarray(0, data.length - (data.length % 2));
  return (little ? even : Buffer.from(even).swap16()).toString('utf16le');
}

// Code points past U+10FFFF (not characters) read as U+FFFD.
function utf32(data: Buffer, little: boolean): string {
  const out: string[] = [];
  for (let k = 0; k + 4 <= data.length; k += 4) {
    const cp = little ? data.readUInt32LE(k) : data.readUInt32BE(k);
    out.push(cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd');
  }
  return out.join('');
}

/**
 * An object an RTF document embeds: its OLE 1 class and native data (a compound file, or a `Package`'s file); or,
 * for a linked object, the path or address of the file it links to (`link`), which Word opens with the class's
 * program, and no data.
 */
export interface RtfObject {
  className: string;
  native: Buffer;
  link?: string;
}

/**
 * The objects an RTF document embeds or links (`\objdata`). Throws when an object's data cannot be read whole
 * (other than hex digits and white space, cut short, neither embedded nor linked), or decodes to more than
 * `maxBytes`. Linear in the document's size.
 *
 * @example
 * ```ts
 * rtfObjects(rtf, 1 << 20); // [{ className: 'Package', native: … }]
 * ```
 */
export function rtfObjects(rtf: string, maxBytes: number): RtfObject[] {
  const objects: RtfObject[] = [];
  let left = maxBytes;
  for (const match of rtf.matchAll(OBJDATA)) {
    const data = objectData(rtf, match.index + match[0].length);
    left -= data.length;
    if (left < 0) throw new Error(`embedded objects of more than ${maxBytes} bytes`);
    objects.push(readObject(data));
  }
  return objects;
}

/**
 * Calls `visit` for each file packaged in the RTF document's embedded objects (a `Package` object's file, and the
 * packages inside embedded compound files), and each file its fields link (LINK, INCLUDETEXT). Throws as
 * {@link rtfObjects} does, after the files already visited, and for a field that runs a program (DDEAUTO).
 */
export function eachRtfObjectFile(rtf: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  const text = rtfText(rtf);
  for (const { className, native, link } of rtfObjects(text, maxBytes)) {
    if (link !== undefined) {
      if (link !== '') eachLinkedName([link], visit);
    } else if (isOleStorage(native)) eachOlePackage(native, maxBytes, visit);
    else if (className.toLowerCase() === 'package') eachPackagedFile(native, visit);
  }
  // Its fields open files as it opens or updates (LINK, INCLUDETEXT), or run a program (DDEAUTO).
  eachFieldFile(rtfFieldInstructions(text), visit);
  // Its template, which Word fetches as it opens the document (attacker round 118): listed as a link's file is.
  for (const path of rtfTemplates(text)) eachLinkedName([path], visit);
}

// `{\*\template <path>}`: the document's attached template. Word loads it as the document opens, from a server
// (`http://host/t.dotm`: "RTF template injection", Proofpoint 2021) or a share (`\\host\share\t.dotm`, where
// Windows signs in as the user). The control word may carry a numeric parameter and ends at one space.
const TEMPLATE = /\\template(?![a-zA-Z])(?:-?[0-9]+)? ?/g;
// What may stand in a template's path: text, escaped characters (`\\`, `\{`, `\}`), hex escapes (`\'5c`) and
// Unicode escapes (`\u92` with the fallback after it), up to the group's end.
const TEMPLATE_PIECE =
  /([^\\{}]+)|\\([\\{}])|\\'([0-9a-fA-F]{2})|\\uc[0-9]+ ?|\\u(-?[0-9]+) ?(?:\\'[0-9a-fA-F]{2}|[^\\{}])?|(\\[a-zA-Z]+-?[0-9]* ?|[{}\\])/y;

/**
 * The paths of an RTF document's `\template` destinations, decoded as Word decodes a destination's text. Throws for
 * one holding what is not read (a group, another control word) or not closed. Linear in the document's size.
 *
 * @example
 * ```ts
 * rtfTemplates('{\\rtf1{\\*\\template \\\\\\\\evil\\\\s\\\\t.dotm}}'); // ['\\\\evil\\s\\t.dotm']
 * ```
 */
export function rtfTemplates(rtf: string): string[] {
  const paths: string[] = [];
  // A `\\template` inside a path already read (`\\\\template`, an escaped backslash) is not read again: linear.
  let read = 0;
  for (const match of rtf.matchAll(TEMPLATE)) {
    if (match.index < read) continue;
    let at = match.index + match[0].length;
    const pieces: string[] = [];
    for (;;) {
      if (at >= rtf.length) throw new Error('a template whose path is not closed');
      if (rtf[at] === '}') break;
      TEMPLATE_PIECE.lastIndex = at;
      const piece = TEMPLATE_PIECE.exec(rtf);
      if (piece === null || piece[5] !== undefined)
        throw new Error('a template whose path holds what is not read');
      at = TEMPLATE_PIECE.lastIndex;
      if (piece[1] !== undefined) pieces.push(piece[1].replace(/[\r\n]/g, ''));
      else if (piece[2] !== undefined) pieces.push(piece[2]);
      else if (piece[3] !== undefined) pieces.push(String.fromCharCode(Number.parseInt(piece[3], 16)));
      else if (piece[4] !== undefined) {
        const code = Number(piece[4]);
        pieces.push(String.fromCharCode(code < 0 ? code + 65536 : code));
      }
    }
    read = at;
    paths.push(pieces.join(''));
  }
  return paths;
}

// The hex digits up to the end of the `\objdata` group, decoded.
function objectData(text: string, from: number): Buffer {
  let end = from;
  while (end < text.length && text[end] !== '}') {
    if (text[end] === '{' || text[end] === '\\')
      throw new Error('an embedded object with more than hex in its data');
    end++;
  }
  const hex = text.slice(from, end).replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0)
    throw new Error('an embedded object with more than hex in its data');
  return Buffer.from(hex, 'hex');
}

function readObject(data: Buffer): RtfObject {
  let at = 0;
  const u32 = () => {
    if (at + 4 > data.length) throw new Error('an embedded object cut short');
    at += 4;
    return data.readUInt32LE(at - 4);
  };
  const text = () => {
    const length = u32();
    if (at + length > data.length) throw new Error('an embedded object cut short');
    at += length;
    return cutAtNul(data.toString('latin1', at - length, at));
  };
  u32(); // OLE version
  const format = u32();
  if (format !== LINKED && format !== EMBEDDED)
    throw new Error(`an embedded object of an unknown kind (${format})`);
  const className = text();
  const topic = text();
  text(); // item
  if (format === LINKED) return { className, native: Buffer.alloc(0), link: topic };
  const size = u32();
  if (at + size > data.length) throw new Error('an embedded object cut short');
  return { className, native: data.subarray(at, at + size) };
}
