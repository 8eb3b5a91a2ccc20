import { inflateSync } from 'node:zlib';
import libqp from 'libqp';
import type { ArchiveEntry } from './archive-entry.js';
import { hasDdeLink } from './dde-links.js';
import { htmlFieldInstructions, wordFieldInstructions } from './field-codes.js';
import { eachFieldFile } from './ole-packages.js';
import {
  nameAttributes,
  startsAsMarkup,
  XML_PREFIX,
  XML_PROLOG,
  xmlBase64,
  xmlText,
} from './xml-document.js';

// Documents Word writes as markup and opens by content (as .xml, and as .doc whatever the name): Word 2003 XML
// (`<w:wordDocument>`), whose `w:binData` elements hold its pictures and embedded objects in base64 (`oledata.mso`,
// the objects' compound file, compressed in an ActiveMime container), and HTML saved by Word, whose fields are
// written between `mso-element:field-begin` and `field-separator` marks. Both keep fields that open files or run a
// program (attacker round 50).

const WORD_XML_ROOT = new RegExp(`^<${XML_PREFIX}wordDocument(?=[\\s/>])`, 'i');
// What makes a page Word's: its Office namespaces, its ProgId, its field and style marks.
const WORD_HTML =
  /urn:schemas-microsoft-com:office:word|progid[^<>]{0,40}word\.|mso-element|mso-application/i;
const BIN_DATA = new RegExp(`<${XML_PREFIX}binData(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)>`, 'gi');
const BIN_DATA_END = new RegExp(`</${XML_PREFIX}binData\\s*>`, 'gi');
const ACTIVE_MIME = Buffer.from('ActiveMime', 'latin1');

/**
 * Whether `head` starts a document Word writes as markup: a Word 2003 XML root, or a page with Word's marks.
 *
 * @example
 * ```ts
 * isWordMarkupHead(Buffer.from('<?xml version="1.0"?><w:wordDocument xmlns:w="…">')); // true
 * ```
 */
export function isWordMarkupHead(head: Buffer): boolean {
  const text = xmlText(head);
  if (!startsAsMarkup(text)) return false;
  const prolog = XML_PROLOG.exec(text)?.[0].length ?? 0;
  return WORD_XML_ROOT.test(text.slice(prolog)) || WORD_HTML.test(text);
}

/**
 * Names Word or Excel opens whatever the content is: markup, or an MHT, named `.doc` is read as a document (rounds
 * 50–51), and so is a workbook Excel saved as a web page named `.xls` (its `x:fmla` formulas computed as it opens;
 * attacker round 58).
 */
export const WORD_NAMED = /\.(?:doc|dot|wbk|wiz|rtf|xls|xlt|xla|xlw|xlsx|xlsm|xltx|xltm)[\s.]*$/i;

/** Whether a file named as Word opens it (`.doc`) starts as markup or as an MHT (a MIME document) would. */
export function opensAsWordMarkup(head: Buffer): boolean {
  return startsAsMarkup(xmlText(head)) || MIME_HEAD.test(head.toString('latin1', 0, 512));
}
const MIME_HEAD = /^(?:[\w-]{1,64}:[^\r\n]*\r?\n)+/;

/**
 * Calls `visit` for each file a Word markup document holds or opens: each `w:binData` (named by its `w:name`, an
 * ActiveMime container's compound file unpacked), and the files its fields link (LINK, INCLUDETEXT). Throws for a
 * field that runs a program (DDE, DDEAUTO) or whose source another field builds, and for binary data it cannot
 * decode, after the files visited. Linear; decoded bytes within `maxBytes`.
 *
 * @example
 * ```ts
 * eachWordMarkupFile(wordXml, 1 << 20, (file) => console.log(file.name)); // oledata.mso
 * ```
 */
export function eachWordMarkupFile(
  data: Buffer,
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  const head = data.toString('latin1', 0, 512);
  // An MHT (Word's single-file web page) holds its pages as MIME parts, quoted-printable or base64.
  if (MIME_HEAD.test(head) && !startsAsMarkup(head))
    for (const page of mhtPages(data.toString('latin1'))) eachMarkupFile(page, maxBytes, visit);
  else eachMarkupFile(xmlText(data), maxBytes, visit);
}

// The decoded parts of a MIME document, split at its boundary (one level: Word writes MHT flat).
function mhtPages(text: string): string[] {
  const split = /\r?\n\r?\n/.exec(text);
  const headers = split ? text.slice(0, split.index) : text;
  const body = split ? text.slice(split.index + split[0].length) : '';
  const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const pieces =
    boundary === undefined ? [`${headers}\r\n\r\n${body}`] : body.split(`--${boundary}`).slice(1);
  return pieces.map((piece) => {
    const end = /\r?\n\r?\n/.exec(piece);
    const partHeaders = end ? piece.slice(0, end.index) : piece;
    const content = end ? piece.slice(end.index + end[0].length) : '';
    const encoding = /content-transfer-encoding\s*:\s*([\w-]+)/i.exec(partHeaders)?.[1]?.toLowerCase();
    const bytes =
      encoding === 'base64'
        ? Buffer.from(content.replace(/\s+/g, ''), 'base64')
        : encoding === 'quoted-printable'
          ? libqp.decode(content)
          : Buffer.from(content, 'latin1');
    return xmlText(bytes);
  });
}

function eachMarkupFile(text: string, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  eachBinaryData(text, maxBytes, visit);
  eachFieldFile([...wordFieldInstructions(text), ...htmlFieldInstructions(text)], visit);
  // Excel 2003 XML (`mso-application` Excel.Sheet) keeps its formulas in `ss:Formula`.
  if (hasDdeLink(text)) throw new Error('a formula or link that starts a program by DDE');
}

/**
 * Calls `visit` for each `w:binData` of a Word 2003 XML document (the DLP reads what an embedded workbook says):
 * named by its `w:name`, an ActiveMime container unpacked. Throws for data it cannot decode. Linear.
 *
 * @example
 * ```ts
 * eachWordBinaryData(Buffer.from(wordXml), 1 << 20, (file) => console.log(file.name)); // oledata.mso
 * ```
 */
export function eachWordBinaryData(
  data: Buffer,
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  eachBinaryData(xmlText(data), maxBytes, visit);
}

/** Whether the markup text is Word 2003 XML (its root a `wordDocument`). */
export function isWordXml(text: string): boolean {
  const prolog = XML_PROLOG.exec(text)?.[0].length ?? 0;
  return WORD_XML_ROOT.test(text.slice(prolog, prolog + 512));
}

function eachBinaryData(text: string, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  let left = maxBytes;
  BIN_DATA.lastIndex = 0;
  for (let m = BIN_DATA.exec(text); m; m = BIN_DATA.exec(text)) {
    const name = nameAttributes(m[1] as string)[0] ?? 'binData';
    if ((m[1] as string).trimEnd().endsWith('/')) continue;
    BIN_DATA_END.lastIndex = BIN_DATA.lastIndex;
    const end = BIN_DATA_END.exec(text);
    if (!end) throw new Error(`${name}: binary data never closed`);
    const data = xmlBase64(text.slice(BIN_DATA.lastIndex, end.index), name);
    BIN_DATA.lastIndex = BIN_DATA_END.lastIndex;
    const bytes = unpacked(data, name, Math.max(1, left));
    left -= bytes.length;
    if (left < 0) throw new Error(`binary data of more than ${maxBytes} bytes`);
    const entry = name.replace(/^wordml:\/\//i, '');
    visit({ name: entry, head: (max) => bytes.subarray(0, max), bytes: () => bytes });
  }
}

// An ActiveMime container (`oledata.mso`, Word 2003's embedded objects) holds its content compressed with zlib a
// little way in: found by its zlib header, inflated within the budget; one that cannot be is not read.
function unpacked(bytes: Buffer, name: string, maxBytes: number): Buffer {
  if (!bytes.subarray(0, ACTIVE_MIME.length).equals(ACTIVE_MIME)) return bytes;
  for (let at = ACTIVE_MIME.length; at + 2 <= Math.min(bytes.length, 1024); at++) {
    if (bytes[at] !== 0x78 || ((0x78 << 8) | (bytes[at + 1] as number)) % 31 !== 0) continue;
    try {
      return inflateSync(bytes.subarray(at), { maxOutputLength: maxBytes });
    } catch {}
  }
  throw new Error(`${name}: an ActiveMime container whose content is not read`);
}
