import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Splitter } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import charsets from 'libmime/lib/charset';
import { transferDecode } from '../edit/text-codec.js';
import { type ArchiveKind, claimedArchiveKind } from '../message/archive-kind.js';
import { BINHEX_BEGIN } from '../message/binhex-name.js';
import { charsetAlias, hidesAsciiDigits, undecodableCharsets } from '../message/charset-words.js';
import { safeDecodeWords } from '../message/decode-words.js';
import { isFlatOdfHead } from '../message/flat-odf.js';
import { isFlatOpcPackage } from '../message/flat-opc.js';
import { MessageHeaders } from '../message/headers.js';
import { html5Reference } from '../message/html-references.js';
import { decodeEntities } from '../message/html-text.js';
import { isOleStorage, packagedFileOf } from '../message/ole-packages.js';
import { partNaming } from '../message/part-names.js';
import { rtfObjects } from '../message/rtf-objects.js';
import { mayRunRightToLeft } from '../message/text-direction.js';
import { decodeUtf7, isUtf7 } from '../message/utf7.js';
import { isWordXml } from '../message/word-markup.js';
import { xmlText } from '../message/xml-document.js';
import { isTransient } from '../transient.js';
import { appleFileForks, isAppleDoublePart, isAppleFile } from './apple-forks.js';
import {
  type BinaryReading,
  binaryAsStrings,
  binaryReading,
  claimedPdf,
  decodedHead,
  HEAD_BYTES,
  knownBinaryFormat,
  pdfInText,
} from './binary-text.js';
import { carriedMessage, mailboxStart, textIfMessage } from './carried-message.js';
import {
  directoryBase64Files,
  directoryBase64Values,
  directoryCharsetValues,
  directoryHtmlValues,
  directoryValueBytes,
  directoryValues,
} from './directory-text.js';
import { encodedArchive } from './encoded-archives.js';
import { type EncodedFile, encodedFiles, yencFiles } from './encoded-files.js';
import { fileReading } from './file-reading.js';
import { hasJsonEscapes, jsonUnescaped } from './json-escapes.js';
import { legacyReadings } from './legacy-charsets.js';
import { mboxMessages } from './mbox-messages.js';
import { loadPdfReader, type Packing, pdfReaderLoaded, unpackText } from './packed-text.js';
import { printerJobProblem } from './printer-jobs.js';
import { ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from './reading-deadline.js';
import { rtfText } from './rtf-text.js';
import {
  isExecutable,
  postScriptProblem,
  unreadArchiveKind,
  unreadDataFormat,
  unreadFileProblem,
} from './unread-archives.js';
import { type TextNode, type VisibleKind, visibleKind } from './visible-kind.js';

/** Where a piece of visible text was found. */
export interface TextPlace {
  /** `header`, `filename`, `body` (text and HTML bodies, text-like attachments). */
  kind: 'header' | 'filename' | 'body';
  /** Header name, content type or file name, for logs. */
  label: string;
  /** 0 in the message itself, 1 inside an attached message, and so on. */
  depth: number;
  /** True for HTML: the reader gets the markup and turns it into text itself. */
  html?: boolean;
  /** True for markup that is XML (an Office document's parts, SVG, XML files): its elements close as written. */
  xml?: boolean;
  /**
   * True for a document's text whose direction is set where the text is not: an RTF document (whose runs Word
   * marks `\rtlch`), a part of an Office or OpenDocument document another part of which says right to left (a
   * paragraph style in its styles). It may be drawn right to left whatever it says itself.
   */
  directionElsewhere?: boolean;
}

/** Bounds of {@link readVisibleText}. */
export interface VisibleTextLimits {
  /** Largest decoded part read. Default 10 MiB. */
  maxPartBytes: number;
  /** Most bytes decoded over the whole message. Default 50 MiB. */
  maxTotalBytes: number;
  /** Most MIME parts looked at. Default 1000. */
  maxParts: number;
  /** Attached messages are opened this many levels deep. Default 5. */
  maxDepth: number;
  /**
   * When to stop reading (`Date.now()` time): the parts not read by then, and a PDF or archive being read, are
   * reported unread. The readers are synchronous, so they check the clock as they go. Default: none.
   */
  deadline?: number;
}

/** What {@link readVisibleText} could not read (the caller decides what not knowing means). */
export interface VisibleTextReport {
  /** Parts that were too large, too deep, too many, or undecodable; empty when everything was read. */
  unread: string[];
  /** Attachments that are not text (images, audio, programs…): out of scope, listed for logs. */
  skipped: string[];
  /**
   * Password-protected files inside zip archives, encrypted PDFs (any /Encrypt) and Office documents encrypted
   * with a password (whatever their name: encrypted-office.ts), wherever they are carried:
   * named, not read (an archive's other files are read). Not
   * in `unread`: whether sending them unread is allowed is the caller's decision.
   */
  encrypted: string[];
  /**
   * Archives and compressed files of a kind the reader does not open (7z, RAR, CAB, bzip2, xz, zstd…), wherever
   * they are carried: each is also in `unread`, listed here too for a caller that sends them unread on purpose.
   */
  unopened: string[];
  /** True when the walk stopped early: the reader asked to, or the message's byte bound or the deadline ended it. */
  stopped: boolean;
}

/**
 * The default {@link VisibleTextLimits}; the `limits` argument of {@link readVisibleText} overrides some of them.
 *
 * @example
 * ```ts
 * DEFAULT_VISIBLE_TEXT_LIMITS.maxDepth; // 5
 * await readVisibleText(raw, onText, { maxPartBytes: DEFAULT_VISIBLE_TEXT_LIMITS.maxPartBytes / 2 });
 * ```
 */
export const DEFAULT_VISIBLE_TEXT_LIMITS: VisibleTextLimits = {
  maxPartBytes: 10 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
  maxParts: 1000,
  maxDepth: 5,
};

// Machine fields no recipient reads as text; their random tokens would only make false positives.
const MACHINE_HEADERS = new Set(
  (
    'received return-path message-id in-reply-to references dkim-signature authentication-results ' +
    'received-spf content-type content-transfer-encoding content-id mime-version date x-ses-receipt ' +
    'x-ses-spam-verdict x-ses-virus-verdict x-ses-outgoing domainkey-signature x-google-dkim-signature ' +
    'x-ms-exchange-organization-network-message-id thread-index x-ms-tnef-correlator content-disposition'
  ).split(' '),
);

/**
 * Reads every piece of text a recipient can see in a message, in one streaming pass: each part's header
 * fields (Subject in full, display names, Keywords, Comments, X- fields…; trace and machine fields left
 * out), attachment names, text and HTML bodies, text-like attachments (txt, csv, html, json, xml…), and
 * attached messages (`message/rfc822`, any transfer encoding) opened recursively up to `maxDepth`.
 * Bodies are decoded (transfer encoding, charset). `onText` may return true to stop. Work is linear in
 * the message and bounded by the limits; what was not read is reported, never silently passed.
 *
 * @example
 * ```ts
 * const report = await readVisibleText(createReadStream('mail.eml'), (text, place) => {
 *   console.log(place.kind, place.label, text.length);
 * });
 * if (report.unread.length > 0) console.warn('not fully read', report.unread);
 * ```
 */
export async function readVisibleText(
  source: Readable | Buffer,
  onText: (text: string, place: TextPlace) => boolean | undefined,
  limits: Partial<VisibleTextLimits> = {},
): Promise<VisibleTextReport> {
  const bounds = { ...DEFAULT_VISIBLE_TEXT_LIMITS, ...limits };
  const report: VisibleTextReport = { unread: [], skipped: [], encrypted: [], unopened: [], stopped: false };
  const budget = { parts: 0, bytes: 0 };
  const deadline = new ReadingDeadline(bounds.deadline);
  const w: Walk = {
    bounds,
    report,
    budget,
    deadline,
    onText,
    carried: [],
    mboxes: new WeakSet(),
    pdfLater: [],
  };
  await walk(source, 0, w);
  await walkCarried(w);
  return report;
}

interface Walk {
  bounds: VisibleTextLimits;
  report: VisibleTextReport;
  budget: { parts: number; bytes: number };
  deadline: ReadingDeadline;
  onText: (text: string, place: TextPlace) => boolean | undefined;
  /** Texts that are messages (an `.eml` in a zip, a gzip, a winmail.dat or uuencoded), walked once read. */
  carried: { bytes: Buffer; depth: number }[];
  /** Texts already split as mboxes: a text read as several kinds is split once. */
  mboxes: WeakSet<Buffer>;
  /** Files met in a text before the PDF reader was loaded (a calendar's `ATTACH`), read once it is. */
  pdfLater: { files: readonly EncodedFile[]; place: TextPlace }[];
}

async function walk(source: Readable | Buffer, depth: number, w: Walk): Promise<void> {
  let held:
    | { node: TextNode; names: string[]; chunks: Buffer[]; size: number; over: boolean; media: boolean }
    | undefined;
  const finish = async () => {
    const h = held;
    held = undefined;
    if (!h || w.report.stopped) return;
    if (h.over) {
      const bound = h.media ? w.bounds.maxTotalBytes : w.bounds.maxPartBytes;
      w.report.unread.push(`${label(h.node)} is over ${bound} bytes`);
      return;
    }
    if (timeRanOut(w)) return;
    await readBody(h.node, h.names, Buffer.concat(h.chunks), depth, w);
  };
  // A part past the part bound is unread, unless its first bytes show a picture, a recording, a video or a
  // font that no name or type opens as anything else: that is held whole (to the message's byte bound), for
  // only its tags are read, wherever they lie (an MP3's ID3v1 at its end), so a 12 MB photo is not refused.
  const overBound = (h: NonNullable<typeof held>, value: Buffer) => {
    if (!h.over && !h.media && skippedWhatever(h.node, h.names, Buffer.concat([...h.chunks, value])))
      h.media = true;
    if (h.media && h.size <= w.bounds.maxTotalBytes) h.chunks.push(value);
    else {
      h.over = true;
      h.chunks = [];
    }
  };
  const outside = { chunks: [] as Buffer[], size: 0, boundaries: new Set<string>() };
  const sink = new Writable({
    objectMode: true,
    write(chunk: TextNode | { type: 'body' | 'data'; value: Buffer }, _enc, done) {
      if (w.report.stopped) return done();
      if (chunk.type === 'data') {
        keepOutside(outside, chunk.value);
        return done();
      }
      if (chunk.type === 'body' && held) {
        const value = chunk.value;
        held.size += value.length;
        if (held.size > w.bounds.maxPartBytes) overBound(held, value);
        else held.chunks.push(value);
        return done();
      }
      if (chunk.type !== 'node') return done();
      const node = chunk;
      finish().then(() => {
        if (++w.budget.parts > w.bounds.maxParts) {
          if (w.budget.parts === w.bounds.maxParts + 1)
            w.report.unread.push(`more than ${w.bounds.maxParts} parts`);
          return done();
        }
        const names = readHeaders(node, depth, w);
        // mailsplit keeps the boundary it splits by (ASCII bytes, or false when it has none it can use).
        const boundary = (node as { _boundary?: unknown })._boundary;
        if (node.multipart && Buffer.isBuffer(boundary)) outside.boundaries.add(boundary.toString('latin1'));
        if (!node.multipart) held = { node, names, chunks: [], size: 0, over: false, media: false };
        done();
      }, done);
    },
    final(done) {
      finish().then(() => done(), done);
    },
  });
  const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  try {
    await pipeline(input, new Splitter({ ignoreEmbedded: true, maxHeadSize: 1024 * 1024 }), sink);
  } catch (error) {
    // A source that failed (reset, throttled, cut short) is not undecidable content: fail the invocation so it is retried.
    if (isTransient(error)) throw error;
    w.report.unread.push(`MIME structure at depth ${depth} unreadable: ${(error as Error).message}`);
  }
  readOutside(outside, depth, w);
}

/** Most bytes of a message's text outside its parts (preambles and epilogues) read; past it, unread. */
const MAX_OUTSIDE_BYTES = 1024 * 1024;

type Outside = { chunks: Buffer[]; size: number; boundaries: Set<string> };

function keepOutside(outside: Outside, value: Buffer): void {
  outside.size += value.length;
  if (outside.size <= MAX_OUTSIDE_BYTES) outside.chunks.push(value);
}

// A multipart's preamble and epilogue travel with the message: a client shows none of it, but a recipient who saves
// the message, or views its source, reads it (attacker round 79: a card written there was sent). Read as text, its
// delimiter lines left out; past MAX_OUTSIDE_BYTES it is unread.
function readOutside(outside: Outside, depth: number, w: Walk): void {
  if (outside.size > MAX_OUTSIDE_BYTES) {
    w.report.unread.push(`text outside the parts at depth ${depth} is over ${MAX_OUTSIDE_BYTES} bytes`);
    return;
  }
  if (outside.chunks.length === 0 || w.report.stopped) return;
  const lines = Buffer.concat(outside.chunks)
    .toString('utf8')
    .split(/\r\n|\r|\n/)
    .filter((line) => !delimiterLine(line, outside.boundaries));
  const text = lines.join('\n');
  if (/\S/.test(text))
    emit(w, text, { kind: 'body', label: 'text outside the parts (preamble or epilogue)', depth });
}

function delimiterLine(line: string, boundaries: Set<string>): boolean {
  if (!line.startsWith('--')) return false;
  const rest = line.slice(2).trimEnd();
  return boundaries.has(rest) || (rest.endsWith('--') && boundaries.has(rest.slice(0, -2)));
}

// Past the deadline, the rest of the message is unread: said once, and the walk stops.
function timeRanOut(w: Walk): boolean {
  if (!w.deadline.passed()) return false;
  w.report.unread.push(`the rest of the message: ${TIME_RAN_OUT}`);
  w.report.stopped = true;
  return true;
}

function emit(w: Walk, text: string, place: TextPlace): void {
  if (!w.report.stopped && text !== '' && w.onText(text, place) === true) w.report.stopped = true;
}

/** Reads a part's headers and its names; answers every name a client may show for it. */
function readHeaders(node: TextNode, depth: number, w: Walk): string[] {
  const headers = new MessageHeaders(node.getHeaders());
  // Each name once, with all its values: a thousand fields of one name are read once, not a thousand times.
  const read = new Set<string>();
  for (const field of headers.fields) {
    const name = field.name.toLowerCase();
    if (MACHINE_HEADERS.has(name) || name.startsWith('arc-') || read.has(name)) continue;
    read.add(name);
    undecodedWords(w, field.name, headers.all(field.name), depth);
    emit(w, headers.decodedAll(field.name).join('\n'), { kind: 'header', label: field.name, depth });
  }
  // Every name a client may show (both content headers, both parameters), not only mailsplit's pick.
  const names = new Set(node.filename ? [safeDecodeWords(node.filename)] : []);
  const legacy = [...headers.all('content-name'), ...headers.all('x-sun-data-name')];
  for (const header of ['Content-Type', 'Content-Disposition'])
    undecodedWords(
      w,
      `${header} name`,
      headers.all(header).filter((v) => /name/i.test(v)),
      depth,
    );
  for (const n of partNaming(headers.all('content-type'), headers.all('content-disposition'), legacy).names)
    names.add(n);
  for (const n of names) emit(w, n, { kind: 'filename', label: 'attachment name', depth });
  return [...names];
}

// An encoded word or RFC 2231 value in a charset not decoded here: in EBCDIC (`ibm037`, which Windows and Python
// decode) its digits are not ASCII bytes, so it is unread, as a body in such a charset is; in any other
// (`unknown-8bit`, which Python writes for raw 8-bit bytes; `x-user-defined`) the digits are ASCII bytes, read
// through Latin-1 as a client falling back would show them.
function undecodedWords(w: Walk, label: string, values: readonly string[], depth: number): void {
  const labels = new Set(values.flatMap((v) => undecodableCharsets(v)));
  const fallback: string[] = [];
  for (const charset of labels)
    if (hidesAsciiDigits(charset))
      w.report.unread.push(`${label}: charset ${charset.slice(0, 40)} cannot be decoded`);
    else fallback.push(charset);
  if (fallback.length === 0) return;
  const relabelled = values.map((v) => safeDecodeWords(asLatin1(v, fallback)));
  emit(w, relabelled.join('\n'), { kind: 'header', label, depth });
}

// The encoded words of the given charsets relabelled ISO-8859-1 (an RFC 2231 value's digits are ASCII as written).
function asLatin1(value: string, charsets: readonly string[]): string {
  const names = charsets.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return value.replace(new RegExp(`=\\?(?:${names})(\\*[^?]*)?\\?`, 'gi'), '=?iso-8859-1?');
}

async function readBody(node: TextNode, names: string[], raw: Buffer, depth: number, w: Walk): Promise<void> {
  // Clients disagree on which name or type decides how a file opens (Outlook and Apple Mail go by the
  // disposition's filename, others by the Content-Type's name or the type): it is read every way one of them
  // opens it. A zip, gzip, signed (CMS), OLE or TNEF file is unpacked by its first bytes, whatever the type and
  // names say.
  const kinds = readingKinds(node, names);
  // A signed file is read as one whatever its bytes look like first (base64 or PEM text, a form the sniff
  // does not know): its name or type says a viewer opens it as such.
  const sniffed = sniffPart(node, names, raw);
  if ('undecoded' in sniffed) {
    // A lenient client may decode what the walk passes through as it is (`"base64"` in quotes).
    w.report.unread.push(
      `${label(node)}: transfer encoding ${sniffed.undecoded.slice(0, 40)} is not decoded`,
    );
    return;
  }
  const { head } = sniffed;
  // An AppleDouble header (Apple Mail's `application/applefile` part, named as the file it describes; a lone `._`
  // companion) holds the file's attributes and resource fork, not the file: read for its strings, not as the PDF or
  // Office file its name claims (false-positive round 14). One holding what a viewer would open is read as before.
  const companion = await isAppleDoubleHeader(node, names, raw, head);
  if (companion) {
    kinds.clear();
    kinds.add('binary');
  }
  const claimed = companion ? undefined : sniffed.claimed;
  const reading = companion ? binaryReading(head) : sniffed.reading;
  // A PostScript program (by its first bytes, a name or the type): what it draws is not known (attacker round 108).
  // Not an inline text/plain part naming no file: a client shows it as the text it is, read here as such (a program
  // pasted into a message's body; false-positive round 9); named, an attachment or of another type, a viewer may
  // run it.
  // A printer job (PJL, PCL, PCL XL) the same, by its first bytes (attacker round 111).
  const program = shownAsText(node, names)
    ? undefined
    : (postScriptProblem(head, names, node.contentType || '') ?? printerJobProblem(head));
  if (program) {
    unopened(w, `${label(node)}: ${program}`);
    return;
  }
  // An archive or compressed file of a kind not read here (7z, RAR, bzip2, xz, CAB…): what it holds is not known.
  const unreadKind = reading === 'binary' ? unreadArchiveKind(claimed, head) : undefined;
  if (unreadKind) {
    unopened(w, `${label(node)}: a ${unreadKind} file, which is not read`);
    return;
  }
  // A data format not decoded (a Safari web archive's binary property list): unread, whatever the part's names.
  const unreadData = reading === 'binary' ? unreadDataFormat(head) : undefined;
  if (unreadData) {
    unopened(w, `${label(node)}: ${unreadData}`);
    return;
  }
  const packed = reading !== 'text' && reading !== 'binary';
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  // Binary of no known format (a text file with a NUL or a DOS end-of-file mark, UTF-16 without a byte order
  // mark, a data file) is read for its strings, beside any reading its names or type give; an image, audio,
  // video, font or program is not (a picture's or recording's text tags are: `tags`).
  const asStrings = reading === 'binary' ? binaryAsStrings(reading, head, names) : undefined;
  const strings = asStrings === 'strings' || asStrings === 'tags' ? asStrings : undefined;
  if (only === 'binary' && reading === 'binary' && !strings && !isAppleFile(head)) {
    // A program may be a self-extracting archive: read whole (within the budget) to find the archive it carries.
    const sfx = isExecutable(head)
      ? unreadFileProblem(reading, await transferDecode(node, raw), names)
      : undefined;
    if (sfx) unopened(w, `${label(node)}: ${sfx}`);
    else w.report.skipped.push(label(node));
    return;
  }
  const decoded = await transferDecode(node, raw);
  w.budget.bytes += decoded.length;
  if (w.budget.bytes > w.bounds.maxTotalBytes) {
    w.report.unread.push(`${label(node)}: over ${w.bounds.maxTotalBytes} decoded bytes in all`);
    w.report.stopped = true;
    return;
  }
  if (kinds.has('fragment')) {
    w.report.unread.push(`${label(node)}: a fragment of a message is not reassembled`);
    return;
  }
  // Apple Mail saves an AppleSingle part as the file in its data fork (attacker round 65): read as that file.
  const apple = reading === 'binary' ? appleFileForks(decoded, names) : undefined;
  if (apple?.problem) w.report.unread.push(`${label(node)}: ${apple.problem}`);
  if (apple) readFiles(w, apple.files, { kind: 'body', label: label(node), depth });
  // WinRAR and WinZip open a `.uue`, `.xxe`, `.b64` or `.mim` file as the files it encodes (attacker round 65).
  const encoded = encodedArchive(names, decoded);
  if (encoded && 'problem' in encoded) w.report.unread.push(`${label(node)}: ${encoded.problem}`);
  else if (encoded) readFiles(w, encoded.files, { kind: 'body', label: label(node), depth });
  // A PDF, or what may carry one (an archive, a winmail.dat, an Office file, a uuencoded file): the PDF reader is loaded.
  if (packed || kinds.has('office') || decoded.includes('begin')) await loadPdfReader();
  if (kinds.has('office')) readPacked(label(node), 'office', decoded, depth, w);
  else if (packed) readPacked(label(node), reading, decoded, depth, w, names);
  if (packed) return walkCarried(w);
  if (strings) readPacked(label(node), strings, decoded, depth, w);
  // A text file named or typed PDF that holds PDF objects with no header: a viewer opens the PDF (pdfInText).
  const textPdf = pdfInText(reading, names, node.contentType || '', decoded);
  if (textPdf) {
    await loadPdfReader();
    readPacked(label(node), 'pdf', textPdf, depth, w);
  }
  // Its first bytes are text (a CSV sent as octet-stream, unnamed); binary ones were read as strings above.
  if (only === 'binary' && !strings) kinds.add('text');
  for (const kind of kinds) {
    if (kind === 'binary' || kind === 'office' || w.report.stopped) continue;
    if (kind !== 'message') {
      const place: TextPlace = { kind: 'body', label: label(node), depth };
      emitDecoded(w, kind, decoded, node.charset || undefined, place, textForm(node));
      continue;
    }
    if (depth + 1 > w.bounds.maxDepth) {
      w.report.unread.push(`attached message nested deeper than ${w.bounds.maxDepth}`);
      continue;
    }
    await walk(decoded, depth + 1, w);
    carryMbox(w, decoded, label(node), depth);
  }
  await walkCarried(w);
}

// An mbox (a Thunderbird folder, Apple Mail's or Google Takeout's export) is opened as the messages it holds:
// each is read as an attached message is, within the same bounds.
function carryMbox(w: Walk, bytes: Buffer, where: string, depth: number): void {
  if (w.mboxes.has(bytes)) return;
  w.mboxes.add(bytes);
  try {
    const mbox = mboxMessages(bytes, w.bounds.maxParts, w.deadline);
    if (mbox.unread) w.report.unread.push(`${where}: ${mbox.unread}`);
    for (const message of mbox.messages) w.carried.push({ bytes: message, depth });
  } catch (error) {
    if (!(error instanceof ReadingTimeUp)) throw error;
    timeRanOut(w);
  }
}

// A message file a client opens from a container or from an encoded text is read as the message it is (its
// base64 or quoted-printable bodies decoded, its attachments read), beside its text as written.
async function walkCarried(w: Walk): Promise<void> {
  // Files a text carried (a calendar's inline agenda, an RTF object) met before the PDF reader was loaded: loaded
  // now and read, so a PDF among them, or in an archive among them, is read rather than unread (false-positive round
  // 13); what they carry is walked below.
  if (w.pdfLater.length > 0) {
    await loadPdfReader();
    for (const { files, place } of w.pdfLater.splice(0)) readFiles(w, files, place);
  }
  for (let next = w.carried.shift(); next && !w.report.stopped; next = w.carried.shift()) {
    // Past the part bound a walk reads nothing (an mbox's messages would each be parsed for naught).
    if (w.budget.parts > w.bounds.maxParts || timeRanOut(w)) {
      w.carried.length = 0;
      return;
    }
    if (next.depth + 1 > w.bounds.maxDepth) {
      w.report.unread.push(`attached message nested deeper than ${w.bounds.maxDepth}`);
      continue;
    }
    await walk(next.bytes, next.depth + 1, w);
  }
}

/** How a part is read: as its declared type says, and as each of its names alone says. */
// Whether a part is skipped whatever it holds past its first bytes: its names and type open it as a binary
// file only, and those bytes show an image, audio, video or a font (not a program: a self-extracting archive
// is read whole), not text that spells one.
function skippedWhatever(node: TextNode, names: string[], raw: Buffer): boolean {
  const kinds = readingKinds(node, names);
  if (kinds.size !== 1 || !kinds.has('binary')) return false;
  const sniffed = sniffPart(node, names, raw);
  if ('undecoded' in sniffed || sniffed.claimed) return false;
  const { head, reading } = sniffed;
  if (reading !== 'binary' || unreadArchiveKind(undefined, head) || unreadDataFormat(head)) return false;
  const format = knownBinaryFormat(head);
  return format !== undefined && format !== 'program' && binaryAsStrings(reading, head, names) !== 'strings';
}

// How a part's first decoded bytes, its names and its type say it is read (readBody, skippedWhatever); its
// transfer encoding when that is one the walk does not decode.
function sniffPart(
  node: TextNode,
  names: string[],
  raw: Buffer,
): { undecoded: string } | { claimed: ArchiveKind | undefined; head: Buffer; reading: BinaryReading } {
  const claimed = claimedArchiveKind(names, node.contentType || undefined);
  const encoding = transferEncoding(node);
  if (undecodedEncoding(encoding)) return { undecoded: encoding };
  const head = decodedHead(encoding, raw);
  const sniffed =
    claimed === 'cms' || claimed === 'tar'
      ? claimed
      : claimedPdf(binaryReading(head), names, node.contentType || undefined, head);
  // A mailbox is text whatever bytes its bodies hold (a NUL): clients open it as its messages.
  return { claimed, head, reading: sniffed === 'binary' && mailboxStart(head) ? 'text' : sniffed };
}

async function isAppleDoubleHeader(
  node: TextNode,
  names: string[],
  raw: Buffer,
  head: Buffer,
): Promise<boolean> {
  if (!isAppleFile(head)) return false;
  const whole = await transferDecode(node, raw);
  return isAppleDoublePart(names, node.contentType || '', head, () => whole);
}

function readingKinds(node: TextNode, names: readonly string[]): Set<VisibleKind> {
  // A bare `text` (no subtype) is read by Thunderbird's untyped-text reader as text, its encoded files decoded
  // (attacker round 53): read as text/plain, also when a NUL makes its bytes look binary.
  const bare = (node.contentType || '').trim().toLowerCase() === 'text';
  const contentType = bare ? 'text/plain' : node.contentType;
  const kinds = new Set<VisibleKind>([visibleKind({ contentType, filename: false }, [])]);
  for (const name of names)
    kinds.add(visibleKind({ contentType: 'application/octet-stream', filename: name }, [name]));
  return kinds;
}

/** How a part's text is laid out beyond its kind: flowed plain text (RFC 3676), enriched text (RFC 1896). */
interface TextForm {
  flowed?: { delSp: boolean };
  enriched?: boolean;
}

function textForm(node: TextNode): TextForm {
  return {
    ...(node.flowed ? { flowed: { delSp: node.delSp === true } } : {}),
    ...(node.contentType === 'text/enriched' ? { enriched: true } : {}),
  };
}

// Text, HTML, markup, a directory object or RTF, decoded in its charset.
function emitDecoded(
  w: Walk,
  kind: VisibleKind,
  decoded: Buffer,
  declared: string | undefined,
  place: TextPlace,
  form: TextForm = {},
) {
  // A byte order mark wins over the declared charset, as clients read it (Excel's and Notepad's
  // "Unicode" text files are UTF-16LE with a BOM, usually sent without a charset).
  const bom = byteOrderMark(decoded);
  const charset = bom?.charset ?? charsetAlias(declared || 'utf-8').toLowerCase();
  const known = new charsets.DecodeStream(charset).supported;
  // A charset not known here is read as UTF-8 below. Bytes that are not UTF-8 (EBCDIC: digits are F0–F9), or
  // that shift out of ASCII (ISO-2022's escapes, HZ's `~{`), are not what the client shows: not knowing what
  // they say is reported. (A mislabelled UTF-8 body, `charset=X-UNKNOWN`, reads as what it is.)
  if (!known && !isUtf7(charset) && !readsAsUtf8(decoded))
    w.report.unread.push(`${place.label}: charset ${charset.slice(0, 40)} cannot be decoded`);
  const text = isUtf7(charset)
    ? decodeUtf7(decoded.toString('latin1'))
    : known
      ? charsets.decode(bom ? decoded.subarray(bom.length) : decoded, charset)
      : decoded.toString('utf-8');
  emit(w, text, kind === 'html' ? { ...place, html: true } : place);
  // Bytes read as UTF-8 that are not (an attachment seldom declares its charset): the recipient's application
  // reads its system's code page, Windows-1252 or a double-byte one (attacker round 63).
  if (!bom && UTF8_OR_ASCII.has(charset) && TEXT_KINDS.has(kind) && !readsAsUtf8(decoded))
    for (const other of legacyReadings(decoded)) {
      emit(w, other, kind === 'html' || kind === 'markup' ? { ...place, html: true } : place);
      if (kind === 'markup') emit(w, other, { ...place, html: true, xml: true });
    }
  // FF FE 00 00 is UTF-32LE's mark, or UTF-16LE's followed by U+0000 (and 00 00 FE FF, U+0000 and UTF-16BE's
  // mark): a reader going by the declared UTF-16 shows the second, so both readings count.
  const utf16 = bom?.length === 4 ? (bom.charset === 'utf-32le' ? 'utf-16le' : 'utf-16be') : undefined;
  if (utf16) {
    const other = charsets.decode(decoded.subarray(bom?.charset === 'utf-32le' ? 2 : 0), utf16);
    emit(w, other, kind === 'html' ? { ...place, html: true } : place);
  }
  // Markup is also read as shown (tags dropped, references decoded), a directory object as decoded.
  if (kind === 'markup') emit(w, text, { ...place, html: true, xml: true });
  // A client that reads RFC 1896 shows no `<param>` text (a colour's name, a font's): also read without it.
  if (kind === 'markup' && form.enriched) emit(w, withoutParams(text), { ...place, html: true, xml: true });
  // A JSON file's strings as a viewer shows them, escapes undone (`4111\u00a01111…`).
  if (kind === 'text' && hasJsonEscapes(text)) emit(w, jsonUnescaped(text), place);
  // A flowed body is shown with its soft line breaks joined (and with delsp=yes, their spaces dropped).
  if (kind === 'text' && form.flowed) emit(w, libmime.decodeFlowed(text, form.flowed.delSp), place);
  // A value's own charset applies to its bytes: read from the bytes unless the whole object is UTF-16 or 32.
  if (kind === 'directory')
    readDirectory(w, text, bom || /^utf-(?:16|32)/.test(charset) ? text : decoded.toString('latin1'), place);
  if (kind === 'rtf') {
    emit(w, rtfText(text), { ...place, directionElsewhere: true });
    readRtfObjects(w, text, place);
  }
  if (kind === 'text' && (text.includes('begin') || /binhex/i.test(text) || decoded.includes('=ybegin ')))
    readEncodedFiles(w, text, decoded, place);
  // An Office document written as one XML file (Word opens it as .xml and as .doc): its base64 parts too.
  // (UTF-16 without a byte order mark, `<` beside a NUL, read as XML readers detect it.)
  if (kind !== 'rtf' && kind !== 'directory') {
    const xml = decoded.includes(0) ? xmlText(decoded) : text;
    if (isFlatOpcPackage(xml)) readPacked(place.label, 'flat-opc', Buffer.from(xml, 'utf8'), place.depth, w);
    else if (isWordXml(xml)) readPacked(place.label, 'word-xml', Buffer.from(xml, 'utf8'), place.depth, w);
    else if (/binary-data/i.test(xml) && isFlatOdfHead(Buffer.from(xml.slice(0, FLAT_ODF_HEAD))))
      readPacked(place.label, 'odf-binary', Buffer.from(xml, 'utf8'), place.depth, w);
  }
  // A message file (an MHT named `.doc`, an `.eml` in a zip) is walked, whatever the kind it was read as.
  const message = carriedMessage(decoded);
  if (message) w.carried.push({ bytes: message, depth: place.depth });
  carryMbox(w, decoded, place.label, place.depth);
  if (kind === 'text') {
    // Word and Excel open RTF (from `{\\rt`, as Word checks) or markup (HTML, XML Spreadsheet, Word XML) by
    // what it is, whatever the name says (`booking.doc`, `guests.xls`): it is also read as they show it.
    const start = text
      .slice(0, 64)
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (start.startsWith('{\\rt')) {
      emit(w, rtfText(text), { ...place, directionElsewhere: true });
      readRtfObjects(w, text, place);
    } else if (start.startsWith('<')) {
      emit(w, text, { ...place, html: true });
      // A Flat OpenDocument (LibreOffice opens it by its root, whatever its name) is also read as a zipped one's
      // part is, as it shows: its styles, and its cells' values beside their displayed text (attacker round 55).
      if (isFlatOdfHead(Buffer.from(text.slice(0, FLAT_ODF_HEAD))))
        emit(w, text, { ...place, html: true, xml: true });
    }
  }
}

const UTF8_OR_ASCII = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);
const TEXT_KINDS = new Set<VisibleKind>(['text', 'html', 'markup', 'directory']);

// How much of a text is enough to find a Flat OpenDocument's root after its prolog.
const FLAT_ODF_HEAD = 64 * 1024;

// A calendar or address book shows the values decoded: escapes undone, each in the charset it names (an
// unknown one is unread), and an HTML-typed value (Outlook's X-ALT-DESC) as a page.
function readDirectory(w: Walk, text: string, bytes: string, place: TextPlace): void {
  const values = directoryValues(text);
  emit(w, values, place);
  // A value's (escaped) commas and semicolons show between its words (`4111\,1111\,…`): also read as spaces.
  if (/[,;]/.test(values)) emit(w, values.replace(/[,;]/g, ' '), place);
  const own = directoryCharsetValues(bytes);
  for (const charset of own.undecodable)
    w.report.unread.push(
      `${place.label}: a value in charset ${charset.slice(0, 40)}, which cannot be decoded`,
    );
  emit(w, own.text, place);
  // Quoted-printable values whose bytes are not UTF-8, in the code pages an address book falls back to (round 63).
  const valueBytes = Buffer.from(directoryValueBytes(bytes), 'latin1');
  if (!readsAsUtf8(valueBytes)) for (const reading of legacyReadings(valueBytes)) emit(w, reading, place);
  for (const page of directoryHtmlValues(text)) emit(w, page, { ...place, html: true });
  for (const value of directoryBase64Values(text)) emit(w, value, place);
  // A file so attached (an Outlook appointment's `ATTACH;ENCODING=BASE64;X-FILENAME=cards.xlsx`) is also read as
  // an attached file is, by its first bytes and name: a zip, workbook or gzip is unpacked (attacker round 60).
  // A text file is read both ways (an `.eml` is walked as a message, a UTF-16 text decoded as one).
  readFiles(w, directoryBase64Files(text), place);
}

// Enriched text without each `<param>…</param>` (to the end when unclosed): one pass.
function withoutParams(text: string): string {
  const open = /<param>/gi;
  const close = /<\/param>/gi;
  let out = '';
  let at = 0;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    out += text.slice(at, m.index);
    close.lastIndex = open.lastIndex;
    if (!close.exec(text)) return out;
    at = close.lastIndex;
    open.lastIndex = at;
  }
  return out + text.slice(at);
}

// Files uuencoded, `begin-base64` or yEnc-encoded in a text (or a part in x-uuencode, read as its text): clients
// decode and offer them as attachments, so each is read as an attached file is, by its first bytes. yEnc data
// is 8-bit: it is read from the text's bytes, not from their decoding in the charset.
function readEncodedFiles(w: Walk, text: string, decoded: Buffer, place: TextPlace): void {
  let files: EncodedFile[];
  try {
    const budget = w.bounds.maxTotalBytes - w.budget.bytes;
    files = encodedFiles(text, budget);
    const used = files.reduce((n, f) => n + f.bytes.length, 0);
    if (decoded.includes('=ybegin ')) files.push(...yencFiles(decoded.toString('latin1'), budget - used));
  } catch (error) {
    w.report.unread.push(`${place.label}: ${(error as Error).message}`);
    return;
  }
  for (const file of files)
    if (file.problem) w.report.unread.push(`${place.label} ${file.name}: ${file.problem}`);
  // A BinHex 4.0 file is not decoded: what it holds is not known.
  if (/binhex/i.test(text) && text.split(/\r\n|\r|\n/).some((line) => BINHEX_BEGIN.test(line)))
    w.report.unread.push(`${place.label}: a BinHex 4.0 file encoded in the text, not decoded`);
  readFiles(w, files, place);
}

// An RTF document's embedded objects, which a double click opens: a compound file (a Word or Excel object, its
// packages), or a `Package`'s file, each read as an attached file is.
function readRtfObjects(w: Walk, text: string, place: TextPlace): void {
  if (!text.includes('\\objdata')) return;
  const files: EncodedFile[] = [];
  try {
    for (const { className, native, link } of rtfObjects(text, w.bounds.maxTotalBytes - w.budget.bytes)) {
      if (link !== undefined) continue; // no data: the guard lists what it opens
      if (isOleStorage(native)) files.push({ name: `(${className} object)`, bytes: native });
      else if (className.toLowerCase() !== 'package') continue;
      else {
        const file = packagedFileOf(native, false);
        if (file.content) files.push({ name: file.names[0] ?? '(package)', bytes: file.content });
      }
    }
  } catch (error) {
    w.report.unread.push(`${place.label}: ${(error as Error).message}`);
    return;
  }
  readFiles(w, files, place);
}

// Files carried in a text (uuencoded, an RTF's objects), read by their first bytes and names.
function readFiles(w: Walk, files: readonly EncodedFile[], place: TextPlace): void {
  if (files.length > 0 && !pdfReaderLoaded()) {
    w.pdfLater.push({ files, place });
    return;
  }
  for (const file of files) {
    w.budget.bytes += file.bytes.length;
    const where = `${place.label} ${file.name}`;
    // Read as a PDF when named one (`begin 644 cards.pdf`), whatever its first bytes, as an attached file is.
    const head = file.bytes.subarray(0, HEAD_BYTES);
    // A begin line's name cut at a quote is the name Thunderbird saves the file under: both count.
    const names = file.alias ? [file.name, file.alias] : [file.name];
    let sniffed = claimedPdf(binaryReading(head), names, '', head);
    for (const name of names) sniffed = textIfMessage(sniffed, name, file.bytes);
    const read = fileReading(sniffed, head, names, () => file.bytes);
    const reading = 'reading' in read ? read.reading : 'binary';
    if ('unread' in read) unopened(w, `${where}: ${read.unread}`);
    else if (reading === 'text') {
      emitDecoded(w, 'text', file.bytes, undefined, { ...place, label: where });
      const textPdf = pdfInText(reading, names, '', file.bytes);
      if (textPdf) readPacked(where, 'pdf', textPdf, place.depth, w);
    } else if (reading === 'binary') w.report.skipped.push(where);
    else readPacked(where, reading, file.bytes, place.depth, w, names);
  }
}

// An Office document's XML parts, an OLE or TNEF file's strings, a zip's readable files, a gzip file's
// content; what cannot be read whole is reported unread.
function readPacked(
  where: string,
  packing: Packing,
  bytes: Buffer,
  depth: number,
  w: Walk,
  names: readonly string[] = [],
): void {
  const unpacked = unpackText(packing, bytes, w.bounds.maxTotalBytes - w.budget.bytes, {
    maxPdfBytes: w.bounds.maxPartBytes,
    deadline: w.deadline,
    names,
  });
  w.budget.bytes += unpacked.bytes;
  if (unpacked.unread) w.report.unread.push(`${where}: ${unpacked.unread}`);
  for (const what of unpacked.unopened) unopened(w, `${where} ${what}`);
  for (const name of unpacked.skipped) w.report.skipped.push(`${where} ${name}`);
  for (const name of unpacked.encrypted) w.report.encrypted.push(`${where} ${name}`);
  // A document's direction may be set in any of its parts (a paragraph style in styles.xml, a cell format in an
  // .xlsx's styles): where one part says right to left, every part's text may be drawn so. A binary Office
  // document's (Word 97's paragraph properties) is not read: its text may be.
  const decodeReferences = (text: string) => decodeEntities(text, html5Reference);
  const directionElsewhere =
    packing === 'strings' ||
    unpacked.pieces.some((piece) =>
      piece.kind === 'strings'
        ? piece.texts.some((text) => mayRunRightToLeft(text, true, decodeReferences))
        : mayRunRightToLeft(piece.bytes.toString('utf8'), true, decodeReferences),
    );
  for (const piece of unpacked.pieces) {
    const place: TextPlace = {
      kind: 'body',
      label: `${where} ${piece.name}`.trim(),
      depth,
      directionElsewhere,
    };
    if (packing === 'office') place.xml = true;
    if (piece.kind === 'strings') for (const text of piece.texts) emit(w, text, place);
    else emitDecoded(w, piece.kind, piece.bytes, undefined, place);
  }
}

// A text/plain part naming no file and not declared an attachment: a message's body, shown as its text.
function shownAsText(node: TextNode, names: readonly string[]): boolean {
  if (names.length > 0 || String(node.contentType).trim().toLowerCase() !== 'text/plain') return false;
  const dispositions = new MessageHeaders(node.getHeaders()).all('content-disposition');
  return dispositions.every((d) => /^\s*inline\s*(?:;|$)/i.test(d));
}

// An archive of a kind not opened is unread, and listed apart for a caller that sends such archives unread.
function unopened(w: Walk, what: string): void {
  w.report.unread.push(what);
  w.report.unopened.push(what);
}

function transferEncoding(node: TextNode): string {
  return typeof node.encoding === 'string' ? node.encoding.trim().toLowerCase() : '';
}

const DECODED_ENCODINGS = new Set(['', '7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

// An encoding the splitter does not decode but that names one a client might (`"base64"`, `base-64`), as the
// guard counts them; x-uuencode is read as its text, the files in it decoded, and a misspelt quoted-printable
// (`quoted printable`) as its text, whose digits it leaves as they are.
function undecodedEncoding(encoding: string): boolean {
  return !DECODED_ENCODINGS.has(encoding) && /base64|yenc|binhex/.test(encoding.replace(/[^a-z0-9]/g, ''));
}

// UTF-32's marks first: UTF-32LE's (FF FE 00 00) begins with UTF-16LE's.
function byteOrderMark(bytes: Buffer): { charset: string; length: number } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0)
    return { charset: 'utf-32le', length: 4 };
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return { charset: 'utf-32be', length: 4 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// Valid UTF-8 with no escape (ISO-2022), NUL (UTF-16/32) or HZ shift into GB 2312 (`~{`).
function readsAsUtf8(bytes: Buffer): boolean {
  let high = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x1b || b === 0 || (b === 0x7e && bytes[i + 1] === 0x7b)) return false;
    if (b >= 0x80) high = true;
  }
  if (!high) return true;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function label(node: TextNode): string {
  return node.filename
    ? `${node.contentType || 'part'} "${safeDecodeWords(node.filename)}"`
    : node.contentType || 'text/plain';
}
