import { isCmsHead } from '../message/cms-file.js';
import { isTarHeader } from '../message/tar-entries.js';
import { wordShownTexts } from './word-binary.js';

// Text a recipient can read in a part declared binary: a text file sent as application/octet-stream under a
// name with no text extension (`export.dat`, `cards`), and the strings of legacy Office files (.doc, .xls,
// .ppt), Outlook items (.msg) and Outlook rich-text mail (winmail.dat, TNEF), which hold their text and
// files as 8-bit or UTF-16LE runs.

const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const TNEF = Buffer.from('789f3e22', 'hex');
const ZIP = Buffer.from('504b0304', 'hex');
const GZIP = Buffer.from('1f8b08', 'hex');
const PDF = Buffer.from('%PDF-', 'latin1');
/** Bytes of a part's start looked at to tell text from binary. */
export const HEAD_BYTES = 4096;

/**
 * How a binary-declared part's content is read: as text, as the strings of an OLE or TNEF file, as the files
 * of a zip, tar, gzip or signed (CMS) file, as a PDF's text, or not at all.
 */
export type BinaryReading = 'text' | 'strings' | 'zip' | 'gzip' | 'cms' | 'tar' | 'pdf' | 'binary';

/**
 * Decides from a part's first decoded bytes: OLE compound files, TNEF streams, zip, gzip and CMS (a signed
 * `.p7m`) files by their signatures, a tar by its first header, a PDF by `%PDF-` in its first 1024 bytes (where
 * viewers look for it); text when there is no
 * NUL and no control character other than tab, line breaks, form feed and escape (a UTF-16 byte order
 * mark also counts as text).
 *
 * @example
 * ```ts
 * binaryReading(Buffer.from('name,card\r\nBob,4111 1111 1111 1111\r\n')); // 'text'
 * ```
 */
export function binaryReading(head: Buffer): BinaryReading {
  if (startsWith(head, OLE) || startsWith(head, TNEF)) return 'strings';
  if (startsWith(head, ZIP)) return 'zip';
  if (startsWith(head, GZIP)) return 'gzip';
  if (isCmsHead(head)) return 'cms';
  if (head.length >= 512 && isTarHeader(head)) return 'tar';
  if (hasPdfHeader(head)) return 'pdf';
  if (head.length === 0) return 'binary';
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'text';
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) return 'binary';
    if (b === 0x7f) return 'binary';
  }
  return 'text';
}

/**
 * A file's reading when its name (`.pdf`) or type (`application/pdf`) says it is a PDF: a viewer asked to open
 * it looks for the PDF inside even where its first bytes say nothing known (`%PDF-` past 1024 bytes, or no
 * header at all), so such a file is read as a PDF (and unread when it is none) rather than skipped as binary
 * or read as text.
 *
 * @example
 * ```ts
 * claimedPdf('binary', ['statement.pdf']); // 'pdf'
 * claimedPdf('text', ['notes.pdf'], '', Buffer.from('blah blah')); // 'text'
 * ```
 */
export function claimedPdf(
  reading: BinaryReading,
  names: readonly string[],
  type = '',
  head: Buffer = Buffer.alloc(0),
): BinaryReading {
  // Text too when `%PDF-` is in it: an all-ASCII PDF (hex-encoded streams) whose header sits past 1024 bytes of
  // prose reads as text (a text file named .pdf with no header is read as the text it is).
  if (reading !== 'binary' && !(reading === 'text' && head.includes(PDF))) return reading;
  const pdf =
    /^application\/(x-)?pdf$/i.test(type.trim()) || names.some((n) => /\.pdf[\s\u200b-\u200f.]*$/i.test(n));
  return pdf ? 'pdf' : reading;
}

/**
 * A text file claimed as a PDF (`.pdf`, `application/pdf`) that holds PDF objects (`1 0 obj`) and no `%PDF-` where
 * viewers look for it (none at all, or a PostScript first line): pdf.js and pdftotext open it as the PDF it is
 * (its text drawn through a font's /Differences need not show in the bytes), so it is read as one too, beside its
 * text. Answers its bytes with a `%PDF-1.7` line before them (the PDF reader wants one; its offsets shift, and it
 * finds the objects by scanning), or undefined for a text that is not so (`blah blah blah` in test.pdf).
 *
 * @example
 * ```ts
 * pdfInText('text', ['cards.pdf'], '', Buffer.from('1 0 obj\n<< /Type /Catalog >>\nendobj')); // %PDF-1.7\n1 0 obj…
 * ```
 */
export function pdfInText(
  reading: BinaryReading,
  names: readonly string[],
  type: string,
  bytes: Buffer,
): Buffer | undefined {
  if (reading !== 'text' || hasPdfHeader(bytes) || claimedPdf('binary', names, type) !== 'pdf')
    return undefined;
  if (!PDF_OBJECT.test(bytes.toString('latin1'))) return undefined;
  return Buffer.concat([SYNTHETIC_HEADER, bytes]);
}
const PDF_OBJECT = /(?:^|[^0-9])[0-9]{1,10}[ \t\r\n\f\0]+[0-9]{1,5}[ \t\r\n\f\0]+obj\b/;
const SYNTHETIC_HEADER = Buffer.from('%PDF-1.7\n', 'latin1');

/** True when `%PDF-` is in the first 1024 bytes, where viewers look for it, whatever other file the bytes start. */
export function hasPdfHeader(bytes: Buffer): boolean {
  return bytes.subarray(0, 1024).includes(PDF);
}

function startsWith(head: Buffer, signature: Buffer): boolean {
  return head.length >= signature.length && head.subarray(0, signature.length).equals(signature);
}

/**
 * The strings of an OLE file (or TNEF stream) as a reader of its streams would find them: the bytes read as 8-bit text, and
 * as UTF-16LE from even and from odd offsets (a stream may start anywhere), and a Word document's text as shown
 * (its hidden runs and field codes left out: see word-binary.ts), each a reading of its own. Linear; each view is
 * as long as the file (or half).
 *
 * @example
 * ```ts
 * oleTextViews(Buffer.from('4111 1111 1111 1111', 'utf16le'))[1]; // '4111 1111 1111 1111'
 * ```
 */
export function oleTextViews(bytes: Buffer): string[] {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const odd = bytes.subarray(1, 1 + (bytes.length - 1 - ((bytes.length - 1) % 2)));
  return [
    bytes.toString('latin1'),
    even.toString('utf16le'),
    odd.toString('utf16le'),
    ...wordShownTexts(bytes, 2 * bytes.length),
  ];
}

/**
 * The first decoded bytes of a part, from its raw (transfer-encoded) body without decoding all of it: so a
 * large binary part costs nothing from the decoded-bytes budget.
 *
 * @example
 * ```ts
 * decodedHead('base64', Buffer.from('TVqQAAMAAAAEAAAA')); // <Buffer 4d 5a 90 00 …>
 * ```
 */
export function decodedHead(encoding: string, raw: Buffer): Buffer {
  if (encoding === 'quoted-printable') return quotedPrintableHead(raw);
  if (encoding !== 'base64') return raw.subarray(0, HEAD_BYTES);
  const text = raw
    .subarray(0, Math.ceil((HEAD_BYTES * 4) / 3) + 512)
    .toString('latin1')
    .replace(/[^A-Za-z0-9+/]/g, '');
  return Buffer.from(text.slice(0, text.length - (text.length % 4)), 'base64').subarray(0, HEAD_BYTES);
}

// The first bytes of quoted-printable content, decoded (soft line breaks removed, `=XX` escapes decoded): binary
// content sent so (a signed file, an image) must be sniffed as what it is, not as its encoding's text.
function quotedPrintableHead(raw: Buffer): Buffer {
  const text = raw
    .toString('latin1', 0, HEAD_BYTES * 3 + 512)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(text, 'latin1').subarray(0, HEAD_BYTES);
}
