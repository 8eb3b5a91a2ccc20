import { isUtf8 } from 'node:buffer';
import { isCmsHead } from '../message/cms-file.js';
import { nameExtensions } from '../message/file-names.js';
import { isTarHeader } from '../message/tar-entries.js';
import { excelNumberTexts } from './excel-numbers.js';
import { isFont, J2K_CODESTREAM, JP2_SIGNATURE } from './picture-tags.js';
import { ASF_HEADER } from './tag-walk.js';
import { wordShownTexts } from './word-binary.js';

// Text a recipient can read in a part declared binary: a text file sent as application/octet-stream under a
// name with no text extension (`export.dat`, `cards`), and the strings of legacy Office files (.doc, .xls,
// .ppt), Outlook items (.msg) and Outlook rich-text mail (winmail.dat, TNEF), which hold their text and
// files as 8-bit or UTF-16LE runs, and the strings of any other binary content of no known format (a text a
// control byte makes look binary, a data file).

const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const TNEF = Buffer.from('789f3e22', 'hex');
const ZIP = Buffer.from('504b0304', 'hex');
const GZIP = Buffer.from('1f8b08', 'hex');
const PDF = Buffer.from('%PDF-', 'latin1');
/** Bytes of a part's start looked at to tell text from binary. */
export const HEAD_BYTES = 4096;

/**
 * How a binary-declared part's content is read: as text, as the strings of an OLE or TNEF file (or of a binary
 * file of no known format: {@link binaryAsStrings}), as the files of a zip, tar, gzip or signed (CMS) file, as a
 * PDF's text, as a picture's or recording's text tags (`tags`: media-tags.ts), or not at all.
 */
export type BinaryReading = 'text' | 'strings' | 'zip' | 'gzip' | 'cms' | 'tar' | 'pdf' | 'tags' | 'binary';

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
 * (its hidden runs and field codes left out: see word-binary.ts), each a reading of its own; and as UTF-8 when the
 * file, or its first 4 KiB where an editor guesses its encoding, is valid UTF-8 beyond ASCII (a UTF-8 export made to
 * look binary by a NUL or a DOS end-of-file mark, its digits grouped by no-break spaces, which 8-bit text reads
 * as `Â` and a space). Linear; each view is as long as the file (or half). `excelNumbers: false` leaves out the
 * workbook's long numbers ({@link excelNumberTexts}), for a caller that walks the workbook with `excelCellTexts`.
 *
 * @example
 * ```ts
 * oleTextViews(Buffer.from('4111 1111 1111 1111', 'utf16le'))[1]; // '4111 1111 1111 1111'
 * ```
 */
export function oleTextViews(bytes: Buffer, options: { excelNumbers?: boolean } = {}): string[] {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const odd = bytes.subarray(1, 1 + (bytes.length - 1 - ((bytes.length - 1) % 2)));
  return [
    bytes.toString('latin1'),
    even.toString('utf16le'),
    odd.toString('utf16le'),
    ...wordShownTexts(bytes, 2 * bytes.length),
    ...(options.excelNumbers === false ? [] : excelNumberTexts(bytes, 2 * bytes.length)),
    ...(beyondAscii(bytes) && (isUtf8(utf8Head(bytes)) || isUtf8(bytes)) ? [bytes.toString('utf8')] : []),
  ];
}

/**
 * The strings of a picture's or recording's text tags ({@link oleTextViews}' views), with every NUL a line break:
 * players and viewers show each field on its own (a track number `7`, then a title), while a NUL shows as nothing
 * in text, so a field ending in digits would run into the next one's number (attacker round 39). UTF-16 text,
 * whose 8-bit view a NUL breaks up, reads whole in the UTF-16 views.
 *
 * @example
 * ```ts
 * tagTextViews(Buffer.from('7\x00\x004111 1111 1111 1111', 'latin1'))[0]; // '7\n\n4111 1111 1111 1111'
 * ```
 */
export function tagTextViews(tags: Buffer): string[] {
  return oleTextViews(tags).map((view) => view.replace(NULS, '\n'));
}
const NULS = /\0/g;

// The first 4 KiB, less a character cut at its end.
function utf8Head(bytes: Buffer): Buffer {
  let end = Math.min(bytes.length, HEAD_BYTES);
  while (end > 0 && end < bytes.length && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function beyondAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) return true;
  return false;
}

/**
 * A reading by {@link binaryReading}, with `binary` content of no known binary format ({@link knownBinaryFormat})
 * read for its strings instead: a text file with one control byte (a report ending in a DOS end-of-file mark
 * 0x1A, a file padded with NULs), UTF-16 text without a byte order mark, an application's data file. Windows
 * opens such a file in Notepad, or the application shows it, so its text is what a recipient gets; read as an
 * OLE file's strings are ({@link oleTextViews}: 8-bit, and UTF-16LE and BE from both offsets). Images, audio,
 * video, fonts and programs stay `binary` (skipped: not text, and their bytes make no card), and so does empty
 * content. Call it after the checks that want `binary` (a claimed PDF, a message file, an unread archive).
 *
 * @example
 * ```ts
 * binaryAsStrings('binary', Buffer.from('CARD 4111 1111 1111 1111\r\n\x1a', 'latin1')); // 'strings'
 * binaryAsStrings('binary', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')); // 'tags' (a PNG's text chunks)
 * binaryAsStrings('binary', Buffer.from('474946383961', 'hex')); // 'binary' (a GIF)
 * ```
 */
export function binaryAsStrings(
  reading: BinaryReading,
  head: Buffer,
  names: readonly string[] = [],
): BinaryReading {
  if (reading !== 'binary' || head.length === 0) return reading;
  if (!knownBinaryFormat(head) || mostlyText(head) || !namedAsFormat(names)) return 'strings';
  return TAGGED.some((tagged) => tagged(head)) ? 'tags' : reading;
}

// A known format's first bytes are trusted only under no name, or names without an extension or with one of a
// picture, recording, video, font or program: a file named `.ofx`, `.prn` or `.lua` opens in an editor as text
// whatever its first bytes (attacker round 38: a JPEG's header before a statement's lines).
function namedAsFormat(names: readonly string[]): boolean {
  return names.every((name) => nameExtensions(name).every((extension) => FORMAT_EXTENSIONS.has(extension)));
}
const FORMAT_EXTENSIONS = new Set(
  (
    'jpg jpeg jpe jfif pjpeg pjp png apng gif bmp dib tif tiff webp heic heif avif ico cur icns psd xcf jp2 j2k ' +
    'jpf jpx jxl jxr wdp hdp djvu djv emf wmf emz wmz glb thm dng cr2 cr3 nef arw orf rw2 raf srw pef ' +
    'mp3 m4a m4b m4r aac wav wave flac ogg oga opus spx wma aif aiff aifc caf amr awb mid midi kar ' +
    'mp4 m4v mov qt avi wmv asf mkv mka webm flv f4v mpg mpeg mpe m1v m2v vob 3gp 3g2 mts m2ts ' +
    'ttf otf ttc woff woff2 eot fon fnt odttf exe dll sys scr com msi ocx cpl drv efi so dylib o'
  ).split(' '),
);

// Pictures and recordings whose text tags viewers show (media-tags.ts reads them): JPEG, PNG, WebP, TIFF, WAV,
// AVI, AIFF, FLAC, Ogg, MP3, ASF (WMA, WMV), Matroska (MKV, WebM), MP4 (M4A, MOV), HEIF (HEIC, AVIF), GIF, PSD,
// JPEG 2000 and fonts.
const TAGGED: ReadonlyArray<(head: Buffer) => boolean> = [
  (head) => head[0] === 0xff && head[1] === 0xd8,
  (head) => head.toString('latin1', 0, 8) === '\x89PNG\r\n\x1a\n',
  (head) =>
    head.toString('latin1', 0, 4) === 'RIFF' &&
    ['WEBP', 'WAVE', 'AVI '].includes(head.toString('latin1', 8, 12)),
  (head) =>
    head.toString('latin1', 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(head.toString('latin1', 8, 12)),
  (head) => head.subarray(0, 16).equals(ASF_HEADER) || head.toString('latin1', 0, 4) === '\x1a\x45\xdf\xa3',
  (head) => ['II*\0', 'MM\0*'].includes(head.toString('latin1', 0, 4)),
  (head) => head.toString('latin1', 4, 8) === 'ftyp',
  (head) =>
    ['fLaC', 'OggS'].includes(head.toString('latin1', 0, 4)) || head.toString('latin1', 0, 3) === 'ID3',
  (head) => head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && head[1] !== 0xfe,
  (head) => ['GIF8', '8BPS', J2K_CODESTREAM].includes(head.toString('latin1', 0, 4)),
  (head) => head.subarray(0, 12).equals(JP2_SIGNATURE) || isFont(head),
];

// A signature of a few letters at a fixed offset is also how text starts (`true,4111…`, `The wide…`, `MZ…`):
// content whose first twelve bytes are all printable and its head nine tenths so is text, whatever it spells.
// Printable: ASCII letters, digits, punctuation and blanks, a printer's form feed and escape, and whole UTF-8
// characters (`true,Иванов…`). A real header holds a non-printable byte there (PNG's 0x89, a GIF's width, a
// program's NULs), so an image stays an image.
function mostlyText(head: Buffer): boolean {
  let printable = 0;
  for (let i = 0; i < head.length; ) {
    const length = printableLength(head, i);
    if (length === 0) {
      if (i < 12) return false;
      i++;
    } else {
      printable += length;
      i += length;
    }
  }
  return printable >= head.length * 0.9;
}

// The bytes of the printable character at `at` (1, or a UTF-8 character's 2 to 4), or 0.
function printableLength(head: Buffer, at: number): number {
  const byte = head[at] as number;
  if (byte < 0x80) return (byte >= 0x20 && byte < 0x7f) || PRINTABLE_CONTROLS.has(byte) ? 1 : 0;
  const length =
    byte >= 0xc2 && byte <= 0xdf
      ? 2
      : byte >= 0xe0 && byte <= 0xef
        ? 3
        : byte >= 0xf0 && byte <= 0xf4
          ? 4
          : 0;
  if (length === 0 || at + length > head.length) return 0;
  for (let k = 1; k < length; k++) if (((head[at + k] as number) & 0xc0) !== 0x80) return 0;
  return length;
}
// Tab, line feed, carriage return, form feed, escape (a printer's report).
const PRINTABLE_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x1b]);

/**
 * The known binary format a file's first bytes show, if any: an image, audio or video, a font or a program.
 * These hold no text a recipient reads as written (their content is drawn, played or run), so a file of one is
 * skipped; and uncompressed pixels or samples may run through the ASCII digits, so their bytes are not read as
 * text. Constant work (signatures at fixed offsets).
 *
 * @example
 * ```ts
 * knownBinaryFormat(Buffer.from('ffd8ffe000104a464946', 'hex')); // 'image'
 * knownBinaryFormat(Buffer.from('SQLite format 3\0', 'latin1')); // undefined (its text is read)
 * ```
 */
export function knownBinaryFormat(head: Buffer): 'image' | 'audio or video' | 'font' | 'program' | undefined {
  for (const [format, offset, signature] of KNOWN_BINARY)
    if (
      head.length >= offset + signature.length &&
      head.toString('latin1', offset, offset + signature.length) === signature
    )
      return format;
  const at4 = head.toString('latin1', 4, 8);
  // ISO base media (MP4, MOV, M4A, 3GP, HEIC, AVIF) and QuickTime: a box type after the first box's size.
  if (['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(at4)) return 'audio or video';
  const form = head.toString('latin1', 8, 12);
  if (head.toString('latin1', 0, 4) === 'RIFF' && ['WEBP', 'ACON'].includes(form)) return 'image';
  if (head.toString('latin1', 0, 4) === 'RIFF' && ['WAVE', 'AVI ', 'RMID', 'CDXA'].includes(form))
    return 'audio or video';
  if (head.toString('latin1', 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(form)) return 'audio or video';
  // MPEG audio frames (MP3 without a tag, AAC in ADTS): eleven set sync bits (FF FE, UTF-16LE's mark, is text).
  if (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0 && head[1] !== 0xfe) return 'audio or video';
  // A Windows bitmap: `BM`, then the size of its DIB header at 14 (one of the versions there are).
  if (head.toString('latin1', 0, 2) === 'BM' && head.length >= 18 && DIB_HEADERS.has(head.readUInt32LE(14)))
    return 'image';
  // An EMF picture (Office's and Outlook's drawings): its header record, ` EMF` at 40.
  if (head.length >= 44 && head.readUInt32LE(0) === 1 && head.toString('latin1', 40, 44) === ' EMF')
    return 'image';
  // Windows icons and cursors: reserved 0, type 1 or 2, then a count of images.
  if (
    head.length >= 6 &&
    head.readUInt16LE(0) === 0 &&
    [1, 2].includes(head.readUInt16LE(2)) &&
    head.readUInt16LE(4) > 0
  )
    return 'image';
  // A TrueType font: version 1.0, then a table count no font exceeds.
  if (
    head.length >= 6 &&
    head.readUInt32BE(0) === 0x00010000 &&
    head.readUInt16BE(4) > 0 &&
    head.readUInt16BE(4) < 64
  )
    return 'font';
  // An Embedded OpenType font (PowerPoint's `.fntdata`): its magic number 0x504C at 34, after a known version.
  if (head.length >= 36 && head.toString('latin1', 34, 36) === 'LP' && EOT_VERSIONS.has(head.readUInt32LE(8)))
    return 'font';
  // A font Word embeds (`.odttf`) has its first 32 bytes scrambled: its table directory shows past them, the
  // records' tags (`OS/2`, `cmap`, `glyf`…) in ascending order, 16 bytes apart.
  if (fontTableTags(head)) return 'font';
  return undefined;
}

const EOT_VERSIONS = new Set([0x00010000, 0x00020001, 0x00020002]);

// The tags of a font's table records 3 to 5 (at 44, 60 and 76: past the first 32 bytes), in ascending order, each
// with a table offset under 64 MiB (a text's bytes there give more).
function fontTableTags(head: Buffer): boolean {
  if (head.length < 88) return false;
  const records = [44, 60, 76];
  const tags = records.map((at) => head.toString('latin1', at, at + 4));
  return records.every(
    (at, i) =>
      FONT_TAG.test(tags[i] as string) &&
      (i === 0 || (tags[i - 1] as string) < (tags[i] as string)) &&
      head.readUInt32BE(at + 8) > 0 &&
      head.readUInt32BE(at + 8) < 0x4000000,
  );
}
const FONT_TAG = /^[A-Za-z][A-Za-z0-9/ ]{3}$/;

const KNOWN_BINARY: ReadonlyArray<['image' | 'audio or video' | 'font' | 'program', number, string]> = [
  ['image', 0, '\x89PNG\r\n\x1a\n'],
  ['image', 0, '\xff\xd8\xff'], // JPEG
  ['image', 0, 'GIF8'],
  ['image', 0, 'II*\0'], // TIFF (and camera raw files built on it), little- and big-endian, and BigTIFF
  ['image', 0, 'MM\0*'],
  ['image', 0, 'II+\0'],
  ['image', 0, '8BPS'], // Photoshop
  ['image', 0, 'icns'],
  ['image', 0, '\0\0\0\x0cjP  \r\n\x87\n'], // JPEG 2000
  ['image', 0, '\xff\x4f\xff\x51'], // JPEG 2000 codestream
  ['image', 0, '\0\0\0\x0cJXL \r\n\x87\n'], // JPEG XL
  ['image', 0, '\xff\x0a'], // JPEG XL codestream
  ['image', 0, 'II\xbc'], // JPEG XR (Office's .wdp)
  ['image', 0, 'AT&TFORM'], // DjVu
  ['image', 0, 'gimp xcf'],
  ['image', 0, 'glTF'], // a 3D model (Office's .glb)
  ['image', 0, '\xd7\xcd\xc6\x9a'], // WMF, placeable
  ['image', 0, '\x01\0\x09\0\0\x03'], // WMF
  ['image', 0, '\x02\0\x09\0\0\x03'],
  ['audio or video', 0, 'ID3'], // MP3 with a tag
  ['audio or video', 0, 'OggS'],
  ['audio or video', 0, 'fLaC'],
  ['audio or video', 0, 'MThd'], // MIDI
  ['audio or video', 0, 'caff'], // Apple Core Audio
  ['audio or video', 0, '#!AMR'],
  ['audio or video', 0, '\x1a\x45\xdf\xa3'], // Matroska, WebM
  ['audio or video', 0, '\x30\x26\xb2\x75\x8e\x66\xcf\x11'], // ASF: WMA, WMV
  ['audio or video', 0, 'FLV\x01'],
  ['audio or video', 0, '\0\0\x01\xba'], // MPEG program stream
  ['audio or video', 0, '\0\0\x01\xb3'], // MPEG video
  ['font', 0, 'OTTO'],
  ['font', 0, 'true'],
  ['font', 0, 'ttcf'],
  ['font', 0, 'wOFF'],
  ['font', 0, 'wOF2'],
  ['program', 0, 'MZ'], // Windows (a self-extracting archive is found by unreadFileProblem first)
  ['program', 0, '\x7fELF'],
  ['program', 0, '\xfe\xed\xfa\xce'], // Mach-O, 32- and 64-bit, either byte order
  ['program', 0, '\xfe\xed\xfa\xcf'],
  ['program', 0, '\xce\xfa\xed\xfe'],
  ['program', 0, '\xcf\xfa\xed\xfe'],
  ['program', 0, '\xca\xfe\xba\xbe'], // Java class, universal Mach-O
  ['program', 0, 'dex\n'], // Android
  ['program', 0, '\0asm'], // WebAssembly
];
// BITMAPCOREHEADER, BITMAPINFOHEADER and its V2 to V5 versions.
const DIB_HEADERS = new Set([12, 40, 52, 56, 64, 108, 124]);

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
    .replace(/[^A-Za-z0-9+/=]/g, '');
  // Each padded segment on its own, as the body's decoder reads it (`UA==` then the rest of a zip): decoded as one
  // stream, the bytes after the padding came out shifted and the zip was not known. A last partial group is
  // decoded too (Node decodes the bytes its characters give): a short file's last byte (a NUL, a DOS end-of-file
  // mark) is in it, and dropping it made a binary file look like text.
  const pieces: Buffer[] = [];
  let length = 0;
  for (const segment of text.match(/[^=]*=+|[^=]+$/g) ?? []) {
    const piece = Buffer.from(segment, 'base64');
    pieces.push(piece);
    length += piece.length;
    if (length >= HEAD_BYTES) break;
  }
  return Buffer.concat(pieces).subarray(0, HEAD_BYTES);
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
