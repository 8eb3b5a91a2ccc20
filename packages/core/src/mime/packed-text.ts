import { gunzipSync } from 'node:zlib';
import { lazyModule } from '../lazy-module.js';
import type { EachEntry } from '../message/archive-entry.js';
import { cmsFileContent } from '../message/cms-file.js';
import { drawnBoxesText, odfDrawnBoxesText } from '../message/drawing-order.js';
import { encryptedOdfEntries, ManifestError } from '../message/encrypted-odf.js';
import { encryptedOfficeParts } from '../message/encrypted-office.js';
import { eachOdfBinaryData, isFlatOdfHead } from '../message/flat-odf.js';
import { eachFlatOpcPart } from '../message/flat-opc.js';
import { officeBackdrops } from '../message/office-backdrops.js';
import { olePackages } from '../message/ole-packages.js';
import { eachTarEntry } from '../message/tar-entries.js';
import { eachWordBinaryData } from '../message/word-markup.js';
import {
  type BinaryReading,
  binaryReading,
  claimedPdf,
  HEAD_BYTES,
  hasPdfHeader,
  oleTextViews,
  pdfInText,
  tagTextViews,
} from './binary-text.js';
import { textIfMessage } from './carried-message.js';
import { type CompoundStream, compoundStreams, isCompoundFile } from './compound-file.js';
import { excelFormattedTexts, odfFormattedTexts } from './excel-formats.js';
import { excelCellTexts, xlsbNumberText } from './excel-numbers.js';
import { excelRowTexts } from './excel-rows.js';
import { fileReading } from './file-reading.js';
import { hwpStreams } from './hwp-text.js';
import { doubleByteReadings } from './legacy-charsets.js';
import { mediaTags } from './media-tags.js';
import { NO_DEADLINE, type ReadingDeadline } from './reading-deadline.js';
import { isTnef, type TnefData, tnefData } from './tnef-data.js';
import { embeddedUnreadKind } from './unread-archives.js';
import { archiveTexts, type ZipText, zipTexts } from './zip-text.js';

// Text held in containers the visible-text reader opens: an Office document's XML parts, the strings of an
// OLE or TNEF file (or of binary content of no known format), the readable files of a zip archive (archives inside it too), the content of a gzip file
// or of a signed (CMS) file, a PDF's text (pdf-text.ts). Each is unpacked here into pieces the reader decodes and emits; what cannot be
// read is said, so the caller reports it unread, and so are the archives of kinds not opened inside (RAR…).

/** How a part's content is packed. */
export type Packing =
  | 'office'
  | 'flat-opc'
  | 'word-xml'
  | 'odf-binary'
  | 'strings'
  | 'tags'
  | 'zip'
  | 'tar'
  | 'gzip'
  | 'cms'
  | 'pdf';
/** Containers inside containers read, at most (a zip in a zip in a signed file…): deeper is unread. */
const MAX_NESTING = 4;

/** A piece of text to read: markup (`html`) or text in bytes, or strings already decoded. */
export type PackedPiece =
  | { name: string; kind: 'html' | 'text' | 'markup' | 'directory' | 'rtf'; bytes: Buffer }
  | { name: string; kind: 'strings'; texts: string[] };

/** What {@link unpackText} found. */
export interface Unpacked {
  pieces: PackedPiece[];
  skipped: string[];
  /** Why the content could not be read whole. */
  unread?: string;
  /**
   * Password-protected files inside an archive, encrypted PDFs and Office documents encrypted with a password:
   * named, not read (the other files are read).
   */
  encrypted: string[];
  /** Archives and compressed files of a kind not opened (RAR, 7z, bzip2…), each with why: unread. */
  unopened: string[];
  /** Bytes inflated or decoded. */
  bytes: number;
}

const WHAT: Record<Packing, string> = {
  office: 'document',
  'flat-opc': 'document',
  'word-xml': 'document',
  'odf-binary': 'document',
  strings: 'file',
  tags: 'picture or recording',
  zip: 'archive',
  tar: 'archive',
  gzip: 'compressed file',
  cms: 'signed file',
  pdf: 'PDF',
};

// The PDF reader is its own chunk, loaded only when a message carries something that may hold a PDF (a PDF, or
// any container): the functions' cold start does not pay for it. Unloaded when a PDF is met, the PDF is unread.
let readPdf: typeof import('./pdf-text.js').pdfText | undefined;
const loadPdf = lazyModule(async () => {
  readPdf = (await import('./pdf-text.js')).pdfText;
});

/**
 * Loads the PDF reader {@link unpackText} uses for `pdf` content (once; later calls return at once).
 *
 * @example
 * ```ts
 * await loadPdfReader();
 * unpackText('pdf', pdf, 10 * 1024 * 1024).pieces; // the pages' text
 * ```
 */
export function loadPdfReader(): Promise<void> {
  return loadPdf();
}

/** Whether {@link loadPdfReader} has loaded the PDF reader (a PDF met before it is unread). */
export function pdfReaderLoaded(): boolean {
  return readPdf !== undefined;
}

/** Options of {@link unpackText}. */
export interface UnpackOptions {
  /** Most bytes one PDF may decode. Default: the whole budget. */
  maxPdfBytes?: number;
  /** When to stop reading (the PDF reader checks it as it goes); none by default. */
  deadline?: ReadingDeadline;
  /**
   * The packed file's names (a part's file names): the file a gzip or signed file holds is named by them, less
   * their `.gz` or `.p7m` (`cards.pdf.gz` holds `cards.pdf`), and read as a PDF when that name says so.
   */
  names?: readonly string[];
}

/** One unpacking: what it found, and its bounds. */
interface Unpacking {
  out: Unpacked;
  budget: number;
  maxPdfBytes: number;
  deadline: ReadingDeadline;
}

/**
 * The pieces of text a packed part holds, inflating at most `budget` bytes (and at most `maxPdfBytes` for each
 * PDF; call {@link loadPdfReader} first, or a PDF is unread).
 *
 * @example
 * ```ts
 * const { pieces, unread } = unpackText('zip', zip, 50 * 1024 * 1024);
 * ```
 */
export function unpackText(
  packing: Packing,
  bytes: Buffer,
  budget: number,
  options: UnpackOptions = {},
): Unpacked {
  const out: Unpacked = { pieces: [], skipped: [], encrypted: [], unopened: [], bytes: 0 };
  const u: Unpacking = {
    out,
    budget,
    maxPdfBytes: options.maxPdfBytes ?? budget,
    deadline: options.deadline ?? NO_DEADLINE,
  };
  try {
    unpack(packing, bytes, '', u, 0, options.names ?? []);
  } catch (error) {
    out.unread = `${WHAT[packing]} not read (${(error as Error).message})`;
  }
  return out;
}

function unpack(
  packing: Packing,
  bytes: Buffer,
  name: string,
  u: Unpacking,
  depth: number,
  names: readonly string[] = [],
): void {
  const { out, budget } = u;
  if (depth >= MAX_NESTING) throw new Error(`containers nested more than ${MAX_NESTING} deep`);
  u.deadline.check();
  if (packing === 'tags') {
    const found = mediaTags(bytes);
    const where = name.trim() || 'picture or recording';
    if ('unread' in found) out.unopened.push(`${where}: ${found.unread}`);
    else addTags(out, name, found);
    return;
  }
  if (packing === 'strings') {
    // An .xls workbook's long numbers (attacker round 60), rows of numbers, and its cells drawn through formats
    // writing digits (attacker round 98), from one walk of its records.
    const cells = excelCellTexts(bytes, 2 * bytes.length);
    // Its 8-bit strings also in a double-byte code page, where full-width digits show in one (attacker round 63).
    const texts = [
      ...oleTextViews(bytes, { excelNumbers: false }),
      ...cells.numbers,
      ...doubleByteReadings(bytes),
    ];
    out.pieces.push({ name, kind: 'strings', texts });
    // An .xlsb sheet keeps its cells' numbers as doubles, not strings (attacker round 60).
    if (XLSB_SHEET.test(name)) out.pieces.push({ name, kind: 'strings', texts: [xlsbNumberText(bytes)] });
    if (cells.unread) throw new Error(`${name.trim() ? `${name.trim()}: ` : ''}${cells.unread}`);
    if (cells.text) out.pieces.push({ name, kind: 'strings', texts: [cells.text] });
    // An Office document encrypted with a password is named, as a password-protected zip entry is; what its
    // compound file holds in the clear is still read below.
    encryptedOffice(bytes, name, u);
    // An OLE file that is also a PDF (`%PDF-` in its first 1024 bytes): a viewer opens the PDF, so it is read too.
    if (hasPdfHeader(bytes)) unpack('pdf', bytes, name, u, depth);
    else readEmbeddedPdfs(bytes, name, u, depth);
    // The files of a winmail.dat, which Outlook shows as attachments, read as attached files are.
    if (isTnef(bytes)) {
      for (const file of tnefData(bytes, MAX_TNEF_FILES, Math.max(1, u.budget - u.out.bytes)))
        unpackFile(file, name, u, depth);
      return;
    }
    // A Hangul (HWP 5) document keeps its text and embedded files compressed: read as Hangul inflates them.
    if (isCompoundFile(bytes)) readHwp(bytes, name, u, depth);
    // A file packaged in it (an object's package: `cards.zip`, double-clicked open) is read as an attached one is.
    if (isCompoundFile(bytes))
      for (const file of olePackages(bytes, Math.max(1, u.budget - u.out.bytes)))
        if (file.content)
          unpackContent(file.content, `${name}${file.names[0] ?? 'package'} `, u, depth, file.names);
    // An OLE file's embedded files of kinds not read (`cards.csv.xz`) are not among its strings.
    const embedded = embeddedUnreadKind(bytes);
    if (embedded) out.unopened.push(`${name.trim() || 'file'}: a ${embedded} file inside, which is not read`);
    // An Outlook .msg's attachments are storages of its compound file, compressed or packed as they were
    // attached (an .xlsx is a zip): their text is not among the strings, so what they say is not known.
    if (hasAttachmentStorage(bytes))
      throw new Error('an Outlook message file whose attachments are not read');
    return;
  }
  if (packing === 'office') {
    // An OOXML document encrypted with a password is a compound file, not a zip (whatever its name): named as
    // encrypted, not read. Any other compound file named so is not a zip, and is unread below.
    if (encryptedOffice(bytes, name, u)) return;
    // An OpenDocument file saved with a password is named as encrypted; its entries are still read below.
    encryptedOdf(bytes, name, u);
    // Its XML parts hold the document's text (markup, read as a page); its other parts are read as a zip's
    // files are: Word shows an altChunk's HTML, MHT, RTF or text as part of the body, and an embedded workbook
    // opens with a double click. Images and other binary parts are not text. One walk of the archive.
    // Its relationship parts too: a hyperlink's target is kept there (Word shows it on hover; attacker round 41).
    const read = zipTexts(bytes, budget - out.bytes);
    const others: ZipText[] = [];
    // A part's text is read on the backdrops the package's styles give (a page's background, cells' fills).
    const backdrops = officeBackdrops(read.texts);
    for (const t of read.texts) {
      if (!/\.(?:xml|rels)$/i.test(t.name)) others.push(t);
      else {
        const bytes =
          backdrops?.reads.test(t.name) && t.bytes[0] === 0x3c
            ? Buffer.concat([Buffer.from(backdrops.context, 'latin1'), t.bytes])
            : t.bytes;
        out.bytes += bytes.length;
        out.pieces.push({ name, kind: 'html', bytes });
        // A slide's shapes and a document's floating text boxes, also read in the order they are drawn (round 120).
        if (DRAWN.some((word) => t.bytes.includes(word))) {
          const xml = t.bytes.toString('utf8');
          const drawn =
            xml.includes('svg:x') || xml.includes('draw:transform')
              ? odfDrawnBoxesText(xml)
              : drawnBoxesText(xml);
          if (drawn.unread)
            throw new Error(`${name.trim() ? `${name.trim()}: ` : ''}${t.name}: ${drawn.unread}`);
          if (drawn.text) out.pieces.push({ name, kind: 'strings', texts: [drawn.text] });
        }
        // Objects written inline in OpenDocument XML (`office:binary-data`), which xmloff decodes (round 58).
        if (t.bytes.includes('binary-data') && isFlatOdfHead(t.bytes.subarray(0, 64 * 1024)))
          unpack('odf-binary', t.bytes, `${name}${t.name} `, u, depth + 1);
      }
    }
    out.unopened.push(...read.unopened.map((n) => `${name}${n}`));
    readNumberFormats(read.texts, name, u);
    readSheetRows(read.texts, name, u);
    addZipTexts(others, name, u, depth);
    return;
  }
  if (packing === 'flat-opc' || packing === 'word-xml' || packing === 'odf-binary') {
    // An Office document written as one XML file (Flat OPC, Word 2003 XML), or OpenDocument XML with objects inline
    // (`office:binary-data`, flat or a content.xml; attacker round 58): its XML is read as its own text; its binary
    // parts (an embedded workbook, an object) as a zip's files are.
    const binaryParts: EachEntry =
      packing === 'word-xml'
        ? eachWordBinaryData
        : packing === 'odf-binary'
          ? eachOdfBinaryData
          : (data, max, visit) => eachFlatOpcPart(data, max, visit, 'binary');
    const read = archiveTexts(binaryParts, bytes, budget - out.bytes);
    out.skipped.push(...read.skipped.map((n) => `${name}${n}`));
    out.unopened.push(...read.unopened.map((n) => `${name}${n}`));
    addZipTexts(read.texts, name, u, depth);
    return;
  }
  if (packing === 'zip' || packing === 'tar') {
    // A zip that is an OpenDocument file saved with a password (any name: `cards.zip`) too.
    if (packing === 'zip') encryptedOdf(bytes, name, u);
    const encrypted: string[] = [];
    const read =
      packing === 'zip'
        ? zipTexts(bytes, budget - out.bytes, encrypted)
        : archiveTexts(eachTarEntry, bytes, budget - out.bytes);
    out.skipped.push(...read.skipped.map((n) => `${name}${n}`));
    out.encrypted.push(...encrypted.map((n) => `${name}${n}`));
    out.unopened.push(...read.unopened.map((n) => `${name}${n}`));
    // The names an archive tool lists, one a line.
    if (read.names.length > 0)
      out.pieces.push({
        name: `${name}(file names)`,
        kind: 'text',
        bytes: Buffer.from(read.names.join('\n')),
      });
    addZipTexts(read.texts, name, u, depth);
    return;
  }
  if (packing === 'pdf') {
    // Its pages' text, fields and notes; an encrypted one is named, as a password-protected zip entry is.
    if (!readPdf) throw new Error('the PDF reader is not loaded');
    const read = readPdf(bytes, Math.max(1, Math.min(u.maxPdfBytes, budget - out.bytes)), u.deadline);
    out.bytes += read.bytes;
    if (read.encrypted) out.encrypted.push(`${name}(encrypted PDF)`.trim());
    else if (read.unread) throw new Error(`${name.trim() ? `${name.trim()}: ` : ''}${read.unread}`);
    else {
      out.pieces.push({ name, kind: 'strings', texts: read.texts });
      // Its attachments, read as a winmail.dat's files are: by their first bytes.
      for (const file of read.files) unpackFile(file, name, u, depth);
    }
    return;
  }
  if (packing === 'cms') {
    // The file a signed .p7m carries is read as that file; enveloped content is sealed, as an encrypted file is.
    const file = cmsFileContent(bytes, Math.max(1, budget - out.bytes));
    if (file.kind === 'encrypted') out.encrypted.push(`${name}(S/MIME enveloped content)`.trim());
    if (file.kind === 'content')
      unpackContent(file.content, name, u, depth, innerNames(names, /\.p7[mcsz]$/i));
    return;
  }
  const inflated = gunzipSync(bytes, { maxOutputLength: Math.max(1, budget - out.bytes) });
  const inner = innerNames(names, /(?:\.gz|\.gzip|-gz|\.z|_gz)$/i);
  const stored = gzipName(bytes);
  unpackContent(inflated, name, u, depth, stored ? [...inner, stored] : inner);
}

// An .xlsx or OpenDocument cell's value as its number format draws it, where the format writes digits of its own
// (attacker round 93): the parts are found by what they hold (a workbook's parts may be named anything its relationships say).
function readNumberFormats(texts: readonly ZipText[], name: string, u: Unpacking): void {
  const xmlParts = texts.filter((t) => /\.xml$/i.test(t.name));
  // Most packages (every .docx, most workbooks) hold no number format or data style: their parts, which the zip's
  // text readers decode anyway, are not decoded a second time here.
  if (!xmlParts.some((t) => t.bytes.includes('numFmt') || t.bytes.includes('xmlns:datastyle:'))) return;
  const parts = xmlParts.map((t) => t.bytes.toString('utf8'));
  // OpenDocument: data styles in its content.xml or styles.xml (by their namespace, whatever the prefix).
  const odf = parts.filter((x) => x.includes('xmlns:datastyle:') || x.includes(':value'));
  if (odf.some((x) => x.includes('xmlns:datastyle:'))) {
    const drawn = odfFormattedTexts(odf);
    if (drawn.unread) throw new Error(`${name.trim() ? `${name.trim()}: ` : ''}${drawn.unread}`);
    if (drawn.text) u.out.pieces.push({ name, kind: 'strings', texts: [drawn.text] });
  }
  const styles = parts.filter((x) => x.includes('numFmt') && x.includes('cellXfs'));
  if (styles.length === 0) return;
  const sheets = parts.filter((x) => x.includes('sheetData'));
  const shared = parts.filter((x) => x.includes('<sst') || x.includes(':sst')).join('');
  for (const style of styles) {
    const drawn = excelFormattedTexts(style, sheets, shared);
    if (drawn.unread) throw new Error(`${name.trim() ? `${name.trim()}: ` : ''}${drawn.unread}`);
    if (drawn.text) u.out.pieces.push({ name, kind: 'strings', texts: [drawn.text] });
  }
}

// Words of a part whose drawings are placed: OOXML's transforms and Word's anchors, OpenDocument's coordinates.
const DRAWN = ['xfrm', 'posOffset', 'anchor', 'svg:x', 'draw:transform'];

// An .xlsx workbook's rows as Excel shows them, text cells' shared strings in place (attacker round 120): the parts
// are found by what they hold, as for the number formats.
function readSheetRows(texts: readonly ZipText[], name: string, u: Unpacking): void {
  const xmlParts = texts.filter((t) => /\.xml$/i.test(t.name) && t.bytes.includes('sheetData'));
  if (xmlParts.length === 0) return;
  const sheets = xmlParts.map((t) => t.bytes.toString('utf8'));
  const others = texts.filter((t) => /\.xml$/i.test(t.name) && !t.bytes.includes('sheetData'));
  const shared = others
    .filter((t) => t.bytes.includes('<sst') || t.bytes.includes(':sst'))
    .map((t) => t.bytes.toString('utf8'))
    .join('');
  const styles = others
    .filter((t) => t.bytes.includes('cellXfs'))
    .map((t) => t.bytes.toString('utf8'))
    .join('');
  const rows = excelRowTexts(sheets, shared, styles);
  u.out.pieces.push({
    name,
    kind: 'strings',
    texts: rows.shown === undefined ? [rows.all] : [rows.all, rows.shown],
  });
}

// The one file a gzip or signed file holds, by its first bytes, or as a PDF when its name says it is one (a
// viewer opens `cards.pdf` from `cards.pdf.gz` whatever its first bytes).
function unpackContent(content: Buffer, name: string, u: Unpacking, depth: number, names: string[]): void {
  const { out } = u;
  out.bytes += content.length;
  const head = content.subarray(0, HEAD_BYTES);
  const sniffed = byMessageName(claimedPdf(binaryReading(head), names, '', head), [name, ...names], content);
  const read = fileReading(sniffed, head, names, () => content);
  if ('unread' in read) {
    out.unopened.push(`${name.trim() || 'its content'}: ${read.unread}`);
    return;
  }
  const inner = read.reading;
  // Its tags, found in deciding how to read it: not walked again.
  if (inner === 'tags') addTags(out, name, read);
  else if (inner === 'text') {
    out.pieces.push({ name, kind: 'text', bytes: content });
    alsoPdf(inner, names, content, name, u, depth + 1);
  } else if (inner === 'binary') out.skipped.push(`${name}(decompressed)`);
  else unpack(inner, content, name, u, depth + 1, names);
}

// A picture's or recording's text tags as strings, and each XMP packet also as markup (XML: character
// references, entities and CDATA decoded as its readers show them); skipped when it has none.
function addTags(out: Unpacked, name: string, found: { tags: Buffer; xmp: Buffer[] }): void {
  if (found.tags.length === 0) {
    out.skipped.push(name.trim());
    return;
  }
  out.pieces.push({ name: `${name.trim()} (tags)`, kind: 'strings', texts: tagTextViews(found.tags) });
  for (const packet of found.xmp) {
    out.bytes += packet.length;
    out.pieces.push({ name: `${name.trim()} (XMP)`, kind: 'markup', bytes: packet });
  }
}

// textIfMessage by any of the file's names.
function byMessageName(reading: BinaryReading, names: readonly string[], bytes: Buffer): BinaryReading {
  let read = textIfMessage(reading, '', bytes);
  for (const n of names) read = textIfMessage(read, n.trim(), bytes);
  return read;
}

// The names of the file a gzip or signed file holds: its own names less the container's extension.
function innerNames(names: readonly string[], extension: RegExp): string[] {
  return names.map((n) => n.trim().replace(extension, '')).filter((n) => n !== '');
}

// The name a gzip header stores (FNAME, as `gzip -N` and 7-Zip restore it), if any.
function gzipName(bytes: Buffer): string | undefined {
  const flags = bytes[3] ?? 0;
  if (!(flags & 0x08)) return undefined;
  let at = 10;
  if (flags & 0x04) at += 2 + (bytes.length >= 12 ? bytes.readUInt16LE(10) : 0);
  const end = bytes.indexOf(0, at);
  return end > at ? bytes.toString('latin1', at, Math.min(end, at + 1024)) : undefined;
}

// A text file claimed as a PDF that holds PDF objects is read as a PDF too (see pdfInText).
function alsoPdf(
  reading: BinaryReading,
  names: readonly string[],
  bytes: Buffer,
  name: string,
  u: Unpacking,
  depth: number,
): void {
  const pdf = pdfInText(reading, names, '', bytes);
  if (pdf) unpack('pdf', pdf, name, u, depth);
}

// A PDF embedded as an OLE object (Acrobat's `CONTENTS` stream, in a .doc or a .docx's oleObject1.bin), which a
// double click opens: each stream of the compound file with `%PDF-` in its first 1024 bytes is read as a PDF. A
// stream that cannot be read (a broken chain, streams cross-linked past the budget) may be the PDF: the file is then
// unread, never skipped. When the file's tables cannot be followed, or no stream is one, or a stream is one but
// `%PDF-1.` is also where no stream read lies, and an object is in its bytes, the PDF is read from there (as stored:
// one split across sectors then does not read, so is unread).
function readEmbeddedPdfs(bytes: Buffer, name: string, u: Unpacking, depth: number): void {
  if (!isCompoundFile(bytes)) return;
  let streams: CompoundStream[] | undefined;
  try {
    streams = compoundStreams(bytes, Math.min(u.budget - u.out.bytes, 2 * bytes.length));
  } catch {
    // Its tables cannot be followed: the bytes as stored are looked at below.
  }
  // The file's 64-byte blocks that a stream read lies in (sectors and mini sectors start on them): one look-up each.
  const read = new Uint8Array(Math.ceil(bytes.length / 64));
  let found = false;
  for (const stream of streams ?? []) {
    let content: Buffer;
    try {
      content = stream.bytes();
    } catch (error) {
      throw new Error(`${name}${stream.name}: a stream that cannot be read (${(error as Error).message})`);
    }
    for (const [start, end] of stream.spans) read.fill(1, start >> 6, Math.ceil(end / 64));
    if (!hasPdfHeader(content)) continue;
    found = true;
    unpack('pdf', content, `${name}${stream.name} `, u, depth);
  }
  // The first `%PDF-1.` in the bytes as stored; once a stream was read as a PDF, the first outside the streams read.
  for (let at = bytes.indexOf(PDF_MARK); at >= 0; at = bytes.indexOf(PDF_MARK, at + 1)) {
    if (found && read[at >> 6]) continue;
    const pdf = bytes.subarray(at);
    if (pdf.includes(OBJ_MARK)) unpack('pdf', pdf, `${name}(embedded PDF) `, u, depth);
    return;
  }
}
const PDF_MARK = Buffer.from('%PDF-1.', 'latin1');
const OBJ_MARK = Buffer.from(' obj', 'latin1');

// An HWP document's inflated streams (hwp-text.ts): its sections' and document information's records read for their
// strings, its embedded files as attached ones are. One that cannot be read throws: the document is then unread.
function readHwp(bytes: Buffer, name: string, u: Unpacking, depth: number): void {
  const streams = hwpStreams(bytes, Math.max(1, u.budget - u.out.bytes));
  for (const stream of streams ?? []) {
    u.deadline.check();
    const where = `${name}${stream.name} `;
    if (!stream.records) {
      unpackContent(stream.bytes, where, u, depth, [stream.name]);
      continue;
    }
    u.out.bytes += stream.bytes.length;
    u.out.pieces.push({ name: where.trim(), kind: 'strings', texts: oleTextViews(stream.bytes) });
  }
}

// A binary workbook's sheet part (`xl/worksheets/sheet1.bin`, in a zip entry's name as unpack gives it).
const XLSB_SHEET = /(?:^|\/)worksheets\/[^/]*\.bin\s*$/i;

function addZipTexts(texts: ZipText[], name: string, u: Unpacking, depth: number): void {
  const { out } = u;
  for (const t of texts) {
    out.bytes += t.bytes.length;
    if (t.kind === 'tags') addTags(out, `${name}${t.name}`, { tags: t.bytes, xmp: [] });
    else if (
      t.kind === 'office' ||
      t.kind === 'strings' ||
      t.kind === 'zip' ||
      t.kind === 'tar' ||
      t.kind === 'gzip' ||
      t.kind === 'cms' ||
      t.kind === 'pdf'
    )
      unpack(t.kind, t.bytes, `${name}${t.name} `, u, depth + 1, [t.name]);
    else {
      out.pieces.push({ name: `${name}${t.name}`, kind: t.kind, bytes: t.bytes });
      if (t.kind === 'text') alsoPdf('text', [t.name], t.bytes, `${name}${t.name} `, u, depth + 1);
    }
  }
}

// Whether `bytes` are an Office document encrypted with a password (encrypted-office.ts: an OOXML package, a Word
// document's text, an Excel workbook), naming it among the encrypted files when so. Its streams are read once more,
// within what the budget leaves (at most twice the file: streams cross-linked past that are a file not followed).
// When its compound file cannot be read, whether it is encrypted is not known: it throws, so the file is unread.
function encryptedOffice(bytes: Buffer, name: string, u: Unpacking): boolean {
  if (!isCompoundFile(bytes)) return false;
  let parts: string[];
  try {
    parts = encryptedOfficeParts(bytes, Math.max(1, Math.min(u.budget - u.out.bytes, 2 * bytes.length)));
  } catch (error) {
    const where = name.trim() ? `${name.trim()}: ` : '';
    throw new Error(
      `${where}whether the Office document is encrypted is not known (${(error as Error).message})`,
    );
  }
  if (parts.length === 0) return false;
  u.out.encrypted.push(`${name}(Office document encrypted with a password: ${parts.join(', ')})`.trim());
  return true;
}

// Whether the zip `bytes` is an OpenDocument file saved with a password (encrypted-odf.ts: its manifest declares
// entries encrypted), naming it among the encrypted files when so. Its manifest is read within what the budget
// leaves; when it cannot be read, whether the file is encrypted is not known: it throws, so the file is unread.
function encryptedOdf(bytes: Buffer, name: string, u: Unpacking): void {
  let entries: string[];
  try {
    entries = encryptedOdfEntries(bytes, Math.max(1, u.budget - u.out.bytes));
  } catch (error) {
    // Not a zip that can be read: the reading that follows says so.
    if (!(error instanceof ManifestError)) return;
    const where = name.trim() ? `${name.trim()}: ` : '';
    throw new Error(`${where}whether the OpenDocument file is encrypted is not known: ${error.message}`);
  }
  if (entries.length === 0) return;
  const more = entries.length > 3 ? ` and ${entries.length - 3} more` : '';
  u.out.encrypted.push(
    `${name}(OpenDocument file encrypted with a password: ${entries.slice(0, 3).join(', ')}${more})`.trim(),
  );
}

// Compound file names are compared without case: `__ATTACH_VERSION1.0_#00000000` is the same storage.
function hasAttachmentStorage(bytes: Buffer): boolean {
  return [bytes, bytes.subarray(1)].some((b) =>
    b.toString('utf16le').toLowerCase().includes('__attach_version1.0_'),
  );
}

// More files than any real winmail.dat holds: past it, the stream is not read (and so reported unread).
const MAX_TNEF_FILES = 1000;

/** A file of a TNEF stream: read by its first bytes (text, or packed again), else listed as skipped. */
function unpackFile(file: TnefData, container: string, u: Unpacking, depth: number): void {
  const { out, budget } = u;
  const name = `${container}${file.name || file.names?.[0] || 'file'} `;
  const names = [file.name, ...(file.names ?? [])].filter((n) => n !== '');
  const head = file.bytes.subarray(0, HEAD_BYTES);
  const sniffed = byMessageName(claimedPdf(binaryReading(head), names, '', head), names, file.bytes);
  out.bytes += file.bytes.length;
  if (out.bytes > budget) throw new Error('more than the budget to read');
  // The message's body (its compressed RTF, decompressed): read as the RTF Outlook shows.
  if (file.body === 'rtf') {
    out.pieces.push({ name: name.trim(), kind: 'rtf', bytes: file.bytes });
    return;
  }
  const read = fileReading(sniffed, head, names, () => file.bytes);
  if ('unread' in read) {
    out.unopened.push(`${name.trim()}: ${read.unread}`);
    return;
  }
  const { reading } = read;
  if (reading === 'tags') addTags(out, name, read);
  else if (reading === 'text') {
    out.pieces.push({ name: name.trim(), kind: 'text', bytes: file.bytes });
    alsoPdf(reading, names, file.bytes, name, u, depth + 1);
  } else if (reading === 'binary') out.skipped.push(name.trim());
  else unpack(reading, file.bytes, name, u, depth + 1, names);
}
