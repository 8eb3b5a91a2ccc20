import { once } from 'node:events';
import { PassThrough, type Transform } from 'node:stream';
import { headersOf, type SplitNode } from '../edit/part-info.js';
import { isAppleDoublePart, isAppleFile } from '../mime/apple-forks.js';
import { isAttachedMessageType } from '../mime/attached-message.js';
import { MarkupScan, markupScanFor, opensAsPageByName, showsNoMarkup } from './active-markup.js';
import { APPLE_FILE_FIRST_BYTE, AppleFileReader } from './apple-file.js';
import { BINHEX_BEGIN, BINHEX_NAME_CHARS, binhexName } from './binhex-name.js';
import { type BodyCollector, bodyKind } from './body-text.js';
import { type CalendarScan, calendarChunk, isCalendar, scanCalendar } from './calendar-names.js';
import { certsOnlyClaimProblem } from './cms-content.js';
import { externalBodyNames } from './external-body.js';
import { type Fence, newFence, scanFence } from './fence.js';
import { messageFileKind, nameExtensions } from './file-names.js';
import {
  addLinkedNames,
  addUnnamedTypes,
  type KeptArchive,
  keepArchive,
  keptDocument,
  keptKind,
  listPartArchive,
  watchArchive,
} from './part-archive.js';
import { paramReadings } from './part-names.js';
import type { MessagePart, StructureFinding } from './part-walk.js';
import { loadPdfFiles } from './pdf-files.js';
import { SNIFF_BYTES, sniffType } from './sniff.js';
import { splitLines } from './text-lines.js';
import { TNEF_FIRST_BYTE, type TnefFiles, TnefReader } from './tnef.js';
import { armoredFileProblem } from './unwrapped-content.js';
import { endUuFile, quoteCutName, startUuFile, startYencFile, takeUuLine, type UuFile } from './uu-file.js';
import { enclosingBoundaries } from './walk-steps.js';
import { yencBegin } from './yenc-file.js';

/** Walks an attached message's decoded bytes as they arrive. */
export type NestedWalk = (inner: PassThrough) => Promise<void>;

/** A content part being decoded as it streams past: sized, sniffed, and handed to a nested walk. */
export interface Leaf {
  node: SplitNode;
  part: MessagePart;
  /** The transfer decoder; none for identity encodings (7bit, 8bit, binary) of a part that is not a message. */
  decoder?: Transform;
  /** Takes decoded bytes. */
  onData: (chunk: Buffer) => void;
  head: Buffer[];
  headSize: number;
  inner?: PassThrough;
  innerDone?: Promise<void>;
  /** For text: the line being read, to find files encoded in the text itself. */
  carry?: string;
  /** A file encoded in the text being decoded (between its begin and end lines). */
  uu?: UuFile;
  /** What files encoded in the text could not show (a TNEF list not read whole): findings at the part's end. */
  uuProblems?: string[];
  /** A file named as a uuencoded archive (`.uue`): whether its text has shown a begin line yet. */
  uueFile?: 'missing' | 'found';
  /** After a BinHex 4.0 begin line: its data so far, until the header's name is read (bounded). */
  binhex?: string;
  /** For an iCalendar object: the scan for the files its ATTACH properties carry. */
  calendar?: CalendarScan;
  /** Where the walk collects the bodies, when it does. */
  bodies?: BodyCollector;
  /** For body text and HTML: the decoded bytes, kept for the bodies (read once for all rules). */
  body?: { kind: 'text' | 'html'; chunks: Buffer[] };
  /** The part's names, once the content adds some: a name met again costs a lookup, not a scan of all. */
  known?: Set<string>;
  /** Reads the content as a TNEF stream (winmail.dat) until its first bytes show it is not one. */
  tnef?: TnefReader;
  /** Reads the content as an AppleSingle or AppleDouble file until its first bytes show it is not one. */
  apple?: AppleFileReader;
  /** No content byte seen yet: the first one tells whether the content may be TNEF (or AppleSingle). */
  fresh?: boolean;
  /** For a file a browser opens as a page: the scan for what makes it active. */
  markup?: MarkupScan;
  /** A page-named part that may be an AppleDouble header (`._index.html`, `application/applefile`): its bytes. */
  companion?: { chunks: Buffer[]; size: number };
  /** For an HTML body: the scan for addresses on another computer that a client reads as it shows it. */
  shown?: MarkupScan;
  /** Content that may be an archive (its first bytes, its name or type say so): kept to list its files. */
  archive?: KeptArchive;
  /** The scan of the raw body for lines that start like an enclosing delimiter. */
  fence?: Fence;
}

// Files a client decodes out of text and offers as attachments: `begin 644 name` (uuencode, also
// `begin-base64`) and `=ybegin … name=name` (yEnc, yenc-file.ts). Their names count as the part's names, and
// their content is decoded as it streams past: sniffed, listed when an archive, read when TNEF.
// Thunderbird reads the mode and the name after any run of spaces or tabs.
const ENCODED_FILE = /^begin(-base64)?[ \t]+[0-7]+[ \t]+(.+)$/;
// A BinHex 4.0 file (BINHEX_BEGIN) too: its header gives its name; its content is not decoded.
const BINHEX_REASON =
  'a BinHex 4.0 file encoded in the text (application/mac-binhex40, saved as .hqx), which the guard cannot open';
const MAX_LINE = 4096;
const QUOTED_NAME =
  'a file encoded in the text whose name holds a quote, which a client reads as more parameters that may rename it';
// Transfer encodings clients decode (MimeKit, Thunderbird) that the decoder passes through as they are: their
// `begin` lines name files too. Such a part is a finding already (unwrapped-content.ts: not decoded, not read).
const UUENCODE = new Set(['x-uuencode', 'uuencode', 'x-uue', 'uue']);
// Parts declared TNEF, which MimeKit reads as TNEF (in its loose mode, past a wrong signature).
const TNEF_TYPES = new Set(['application/ms-tnef', 'application/vnd.ms-tnef']);
// Files WinRAR and WinZip open as archives of the file uuencoded inside (their UUE format), whatever their declared
// type: read as text is, for the begin lines (attacker round 64: `invoice.uue` holding `invoice.js` was delivered).
const UUE_FILES = new Set(['uue', 'uu']);
const UUE_ODD = 'a begin line in a file named as uuencoded (.uue) that the walk cannot read';
const UUE_MISSING =
  'a file named as uuencoded (.uue), which WinRAR and WinZip open as an archive, with no file the walk could read in it';

function scanText(leaf: Leaf, chunk: Buffer, last: boolean): void {
  const text = (leaf.carry ?? '') + chunk.toString('latin1');
  // uuencode and yEnc begin lines hold "begin": text without it or a BinHex line (most mail), outside an
  // encoded file, keeps only its last line.
  if (
    !leaf.uu &&
    leaf.binhex === undefined &&
    !text.includes('begin') &&
    !/binhex/i.test(text) &&
    !(leaf.uueFile && /begin/i.test(text))
  ) {
    const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r', text.length - 2));
    leaf.carry = last ? '' : text.slice(end + 1).slice(0, MAX_LINE);
    return;
  }
  // A bare CR ends a line too, as Thunderbird's line buffer reads it.
  const { lines, rest } = splitLines(text);
  if (last) lines.push(rest.replace(/\r$/, ''));
  leaf.carry = last ? '' : rest.slice(0, MAX_LINE);
  for (const line of lines) {
    // A begin line starts the next file even when the previous one has no end line, as Thunderbird reads it
    // (lower-case letters are outside uuencode's and base64's alphabets; yEnc writes no `=y` data).
    const m = line.includes('begin') ? ENCODED_FILE.exec(line) : null;
    const yenc = !m && line.startsWith('=ybegin ') ? yencBegin(line) : undefined;
    const binhex = !m && !yenc && BINHEX_BEGIN.test(line);
    if (!m && !yenc && !binhex) {
      // In a `.uue` file, an archiver may read a begin line the walk does not (`BEGIN 644`, no mode): refused.
      if (leaf.uueFile && !leaf.uu && /^\s*begin/i.test(line) && !leaf.uuProblems?.includes(UUE_ODD))
        leaf.uuProblems = [...(leaf.uuProblems ?? []), UUE_ODD];
      if (leaf.uu && takeUuLine(leaf.uu, line)) endEncodedFile(leaf);
      else if (!leaf.uu && leaf.binhex !== undefined) takeBinhexLine(leaf, line);
      continue;
    }
    const name = (m?.[2] ?? yenc?.name)?.trim();
    if (m && leaf.uueFile) leaf.uueFile = 'found';
    if (name) addName(leaf, name);
    // Thunderbird pastes the name into `filename="…"`, which its parser ends at a quote: that reading counts too.
    const cut = name && quoteCutName(name);
    if (cut) addName(leaf, cut);
    // What follows the quote is read as more parameters (`"; filename*=utf-8''invoice.js`), which may name the file
    // otherwise: such a name is refused (attacker round 54).
    if (cut && !leaf.uuProblems?.includes(QUOTED_NAME))
      leaf.uuProblems = [...(leaf.uuProblems ?? []), QUOTED_NAME];
    if (leaf.uu) endEncodedFile(leaf);
    leaf.binhex = undefined;
    if (m) leaf.uu = startUuFile(m[1] !== undefined, name);
    if (yenc) leaf.uu = startYencFile(yenc.state, yenc.name);
    if (binhex) startBinhex(leaf);
  }
  // A yEnc line may be of any length: one cut here (past MAX_LINE) would lose bytes a client decodes.
  if (leaf.uu?.yenc && rest.length > MAX_LINE)
    leaf.uu.yenc.problem ??= `a yEnc line of more than ${MAX_LINE} characters, not read whole`;
  if (last && leaf.uu) endEncodedFile(leaf);
}

// A BinHex file is refused as its MIME part is (`.hqx`, an archive the guard cannot open); the name its header
// gives (a client's decoder saves the file under it) joins the part's names when the first lines show it.
function startBinhex(leaf: Leaf): void {
  if (!leaf.uuProblems?.includes(BINHEX_REASON))
    leaf.uuProblems = [...(leaf.uuProblems ?? []), BINHEX_REASON];
  leaf.binhex = '';
}

function takeBinhexLine(leaf: Leaf, line: string): void {
  const data = `${leaf.binhex ?? ''}${line.trim()}`;
  const name = binhexName(data);
  if (name !== undefined || data.length > BINHEX_NAME_CHARS) {
    if (name) addName(leaf, name);
    leaf.binhex = undefined;
  } else leaf.binhex = data;
}

// What a decoded file's content shows joins the part: its sniffed type, the files inside a TNEF stream.
function endEncodedFile(leaf: Leaf): void {
  const { sniffed, inner, archive, problem, calendar } = endUuFile(leaf.uu as UuFile);
  leaf.uu = undefined;
  if (sniffed) addInnerTypes(leaf.part, [sniffed]);
  if (problem) leaf.uuProblems = [...(leaf.uuProblems ?? []), problem];
  const carried = [
    [archive, 'a file encoded in the text'],
    [inner, 'the files inside a TNEF stream encoded in the text cannot all be read'],
    [calendar, 'a calendar encoded in the text'],
  ] as const;
  for (const [files, where] of carried) {
    const problem = files && addFiles(leaf, files, where);
    if (problem) leaf.uuProblems = [...(leaf.uuProblems ?? []), problem];
  }
}

// The files a client finds inside the part's content join the part's names and types; says what is not known.
function addFiles(leaf: Leaf, files: TnefFiles, where: string): string | undefined {
  for (const name of files.names) addName(leaf, name);
  addInnerTypes(leaf.part, files.sniffedTypes);
  if (files.unnamedTypes) addUnnamedTypes(leaf.part, files.unnamedTypes);
  if (files.linkedNames) addLinkedNames(leaf.part, files.linkedNames);
  return files.problem && `${where}: ${files.problem}`;
}

function addInnerTypes(part: MessagePart, types: readonly string[]): void {
  const known = part.innerTypes ?? [];
  part.innerTypes = [...known, ...types.filter((t) => !known.includes(t))];
  if (part.innerTypes.length === 0) part.innerTypes = undefined;
}

/** A part's state before any byte: what it collects for the sizes, the sniffing, names in text and the bodies. */
export function newLeaf(node: SplitNode, part: MessagePart, bodies?: BodyCollector): Leaf {
  const leaf: Leaf = { node, part, onData: (chunk) => takeDecoded(leaf, chunk), head: [], headSize: 0 };
  const encoding = typeof node.encoding === 'string' ? node.encoding.trim().toLowerCase() : '';
  // Any text (a text/x-uuencode part, an HTML <pre>) and any part whose type says uuencode. A type with no
  // subtype (`text`, `TEXT`, empty) is the one Thunderbird reads with its untyped-text reader, which decodes
  // these files (mimei.cpp mime_find_class): scanned too (attacker round 53).
  const type = part.contentType;
  if (part.names.some((name) => nameExtensions(name).some((e) => UUE_FILES.has(e)))) leaf.uueFile = 'missing';
  if (
    type.startsWith('text/') ||
    !type.includes('/') ||
    type.includes('uuencode') ||
    UUENCODE.has(encoding) ||
    leaf.uueFile
  )
    leaf.carry = '';
  leaf.fresh = true;
  leaf.fence = newFence(enclosingBoundaries(node));
  if (isCalendar(part.contentType, part.names)) leaf.calendar = { carry: '', names: [] };
  leaf.markup = markupScanFor(part, laterInMixed(node));
  if (leaf.markup && mayBeAppleDouble(part)) leaf.companion = { chunks: [], size: 0 };
  // An HTML body a client shows (no page scan): its pictures on another computer (attacker round 119).
  if (!leaf.markup && type === 'text/html') leaf.shown = new MarkupScan(undefined, false, true);
  // Named or declared an archive: listed whatever its first bytes (a zip behind other bytes cannot be
  // listed); any other part is an archive when its first bytes are one's, as a client opens it.
  leaf.archive = watchArchive(part);
  const kind = bodies ? bodyKind(part) : undefined;
  leaf.bodies = bodies;
  if (kind) leaf.body = { kind, chunks: [] };
  return leaf;
}

/** Takes a piece of the part's decoded content. */
export function takeDecoded(leaf: Leaf, chunk: Buffer): void {
  leaf.part.size += chunk.length;
  leaf.body?.chunks.push(chunk);
  if (leaf.carry !== undefined) scanText(leaf, chunk, false);
  if (leaf.fresh && chunk.length > 0) {
    leaf.fresh = false;
    // Any type and any name: clients unpack TNEF by type (Outlook) or by name (winmail.dat), the bytes decide
    // here; a part declared TNEF is read whatever its first bytes.
    if (TNEF_TYPES.has(leaf.part.contentType)) leaf.tnef = new TnefReader(0, true);
    else if (chunk[0] === TNEF_FIRST_BYTE) leaf.tnef = new TnefReader();
    // Apple Mail decodes an AppleSingle part into the file of its data fork (attacker round 64).
    if (chunk[0] === APPLE_FILE_FIRST_BYTE) leaf.apple = new AppleFileReader();
  }
  if (leaf.archive && !keepArchive(leaf.archive, chunk) && !leaf.archive.tooLarge) leaf.archive = undefined;
  if (leaf.tnef && !leaf.tnef.push(chunk)) leaf.tnef = undefined;
  if (leaf.apple && !leaf.apple.push(chunk)) leaf.apple = undefined;
  if (leaf.calendar) scanCalendar(leaf.calendar, calendarChunk(leaf.calendar, chunk), false);
  leaf.markup?.push(chunk);
  if (leaf.companion && !keepCompanion(leaf.companion, chunk)) leaf.companion = undefined;
  leaf.shown?.push(chunk);
  if (leaf.headSize < SNIFF_BYTES) {
    leaf.head.push(chunk.subarray(0, SNIFF_BYTES - leaf.headSize));
    leaf.headSize += Math.min(chunk.length, SNIFF_BYTES - leaf.headSize);
  }
}

/** Starts decoding a part; an attached message's bytes also feed `nested`; body text feeds `bodies`. */
export function startLeaf(
  node: SplitNode,
  part: MessagePart,
  nested: NestedWalk | undefined,
  bodies?: BodyCollector,
): Leaf {
  const leaf = newLeaf(node, part, bodies);
  // Identity encodings need no decoder stream (mailsplit's would be a PassThrough), unless a nested walk
  // needs its backpressure.
  const decoded = node.encoding === 'base64' || node.encoding === 'quoted-printable' || nested !== undefined;
  if (decoded) leaf.decoder = node.getDecoder();
  if (nested) {
    const inner = new PassThrough();
    leaf.inner = inner;
    // A nested walk that stops early (a limit) closes its input: never leave the decoder waiting on it.
    inner.once('close', () => leaf.decoder?.resume());
    leaf.innerDone = nested(inner);
  }
  leaf.onData = (chunk: Buffer) => {
    takeDecoded(leaf, chunk);
    // Backpressure: the decoder waits while the nested walk catches up, and `feedLeaf` waits on the decoder.
    if (leaf.decoder && leaf.inner && !leaf.inner.destroyed && !leaf.inner.write(chunk)) {
      const decoder = leaf.decoder;
      decoder.pause();
      leaf.inner.once('drain', () => decoder.resume());
    }
  };
  leaf.decoder?.on('data', leaf.onData);
  return leaf;
}

/** Passes encoded body bytes to the part's decoder; a promise when the caller must wait for it to drain. */
export function feedLeaf(leaf: Leaf, value: Buffer): Promise<unknown> | undefined {
  if (leaf.fence) scanFence(leaf.fence, value);
  if (!leaf.decoder) leaf.onData(value);
  else if (!leaf.decoder.write(value)) return once(leaf.decoder, 'drain');
  return undefined;
}

/** Ends the part: waits for its decoder and nested walk, records its sniffed type (or why it cannot be decoded). */
export async function finishLeaf(leaf: Leaf, findings: StructureFinding[]): Promise<void> {
  try {
    if (leaf.decoder) {
      const ended = once(leaf.decoder, 'end');
      leaf.decoder.end();
      leaf.decoder.resume();
      await ended;
    }
  } catch (error) {
    const reason = `content cannot be decoded: ${error instanceof Error ? error.message : String(error)}`;
    findings.push({ partId: leaf.part.id, kind: 'malformed', reason });
    leaf.bodies?.failures.push(`part ${leaf.part.id}: ${reason}`);
    leaf.body = undefined;
  }
  const loading = readerFor(leaf);
  if (loading) await loading;
  closeLeaf(leaf, findings);
  leaf.inner?.end();
  await leaf.innerDone;
}

/**
 * Loads what listing the part's files needs beyond the walk's own code: the PDF reader, for a part kept to be
 * listed (an archive or a document may hold a PDF, whose files are listed too).
 */
export function readerFor(leaf: Leaf): Promise<void> | undefined {
  return leaf.archive && (keptKind(leaf.archive) || keptDocument(leaf.archive)) ? loadPdfFiles() : undefined;
}

/**
 * The part's content is all there: its body text goes to the bodies, its last line and calendar are scanned,
 * its type sniffed, and the files inside a TNEF stream join its names (a list not read whole is a finding).
 */
export function closeLeaf(leaf: Leaf, findings: StructureFinding[]): void {
  if (leaf.body && leaf.bodies) {
    const { node } = leaf;
    leaf.bodies.pieces.push({
      kind: leaf.body.kind,
      bytes:
        leaf.body.chunks.length === 1 ? (leaf.body.chunks[0] as Buffer) : Buffer.concat(leaf.body.chunks),
      charset: node.charset || undefined,
      flowed: node.flowed ? { delSp: node.delSp } : undefined,
    });
  }
  if (leaf.carry || leaf.uu) scanText(leaf, Buffer.alloc(0), true);
  leaf.binhex = undefined;
  if (leaf.fence) scanFence(leaf.fence, Buffer.from('\n'));
  if (leaf.fence?.problem)
    findings.push({ partId: leaf.part.id, kind: 'malformed', reason: leaf.fence.problem, framing: true });
  for (const reason of leaf.uuProblems ?? [])
    findings.push({ partId: leaf.part.id, kind: 'malformed', reason });
  if (leaf.uueFile === 'missing')
    findings.push({ partId: leaf.part.id, kind: 'malformed', reason: UUE_MISSING });
  if (leaf.calendar) {
    scanCalendar(leaf.calendar, '', true);
    for (const name of leaf.calendar.names) addName(leaf, name);
    addInnerTypes(leaf.part, leaf.calendar.types ?? []);
    if (leaf.calendar.unnamedTypes) addUnnamedTypes(leaf.part, leaf.calendar.unnamedTypes);
    if (leaf.calendar.links) addLinkedNames(leaf.part, leaf.calendar.links);
    const reason = leaf.calendar.problem;
    if (reason) findings.push({ partId: leaf.part.id, kind: 'malformed', reason });
  }
  const head = Buffer.concat(leaf.head);
  leaf.part.sniffedType = sniffType(head);
  const rawType = headersOf(leaf.node).get('content-type')[0] ?? '';
  // The file an external-body part stands for is named by its URL and its phantom header block.
  if (leaf.part.contentType === 'message/external-body')
    for (const name of externalBodyNames(rawType, head)) addName(leaf, name);
  const certs = certsOnlyClaimProblem(leaf.part.contentType, rawType, leaf.part.names, head);
  if (certs) findings.push({ partId: leaf.part.id, kind: 'malformed', reason: certs, smime: true });
  const armored =
    !isAttachedMessageType(leaf.part.contentType) &&
    armoredFileProblem(
      {
        contentType: leaf.part.contentType,
        names: leaf.part.names,
        parent: leaf.node.parentNode ? (leaf.node.parentNode.contentType || '').toLowerCase() : undefined,
      },
      head,
      leaf.part.size <= head.length,
    );
  if (armored) findings.push({ partId: leaf.part.id, kind: 'malformed', ...armored });
  const active = leaf.markup?.end();
  if (active && !showsNothing(leaf)) leaf.part.activeMarkup = active;
  leaf.companion = undefined;
  const shown = leaf.shown?.end();
  if (shown) leaf.part.shownHost = shown;
  leaf.shown = undefined;
  if (leaf.archive) listPartArchive(leaf.archive, leaf.part, findings, addInnerTypes);
  leaf.archive = undefined;
  if (leaf.tnef) addTnefFiles(leaf, leaf.tnef, findings);
  if (leaf.apple) {
    const reason = addFiles(leaf, leaf.apple.end(leaf.part.names), APPLE_REASON);
    if (reason) findings.push({ partId: leaf.part.id, kind: 'malformed', reason });
  }
  leaf.apple = undefined;
}

// An AppleDouble header a client lists under a page's name (Apple Mail's `application/applefile` part `index.html`,
// a lone `._index.html`) is no page the scan can read (NUL bytes); one holding no `<` shows no markup (false-positive
// round 14). Kept whole up to this size (a companion holds attributes and a resource fork: a few kilobytes).
const MAX_COMPANION = 1024 * 1024;

function mayBeAppleDouble(part: MessagePart): boolean {
  return (
    part.contentType === 'application/applefile' ||
    part.names.some((name) => /(?:^|[/\\])\._[^/\\]*$/.test(name))
  );
}

function keepCompanion(kept: { chunks: Buffer[]; size: number }, chunk: Buffer): boolean {
  kept.size += chunk.length;
  if (kept.size > MAX_COMPANION || (kept.chunks.length === 0 && !isAppleFile(chunk))) return false;
  kept.chunks.push(chunk);
  return true;
}

function showsNothing(leaf: Leaf): boolean {
  if (!leaf.companion) return false;
  const bytes = Buffer.concat(leaf.companion.chunks);
  const { names, contentType } = leaf.part;
  return isAppleDoublePart(names, contentType, bytes, () => bytes) && showsNoMarkup(names, bytes);
}

const APPLE_REASON =
  'the file inside an AppleSingle or AppleDouble part (application/applefile) cannot be read whole';

/**
 * Whether the part is not the message's body but a part a client may list as a file: it, or a multipart it is
 * inside, is a child other than the first of a multipart that is not an alternative one (clients read an
 * unknown multipart as mixed; Outlook flattens nested ones, so a page first in a mixed that is itself second
 * is listed: attacker round 43). In a multipart/related the first part is the page; a later one is a resource
 * it may reference, or, unreferenced, a file clients list. An attached message's parts are read from its own
 * root.
 */
function laterInMixed(node: SplitNode): boolean {
  for (let child = node, parent = node.parentNode; parent; child = parent, parent = parent.parentNode) {
    const type = (parent.contentType || '').toLowerCase();
    if (!type.startsWith('multipart/')) return false;
    if (type === 'multipart/alternative') continue;
    // A related multipart whose `start` names its root (RFC 2387): clients show that part; the others are its
    // resources, or files when nothing refers to them, whatever their place (attacker round 44).
    const start = type === 'multipart/related' ? relatedStart(parent) : undefined;
    if (start !== undefined) {
      if (start === UNREADABLE_START || contentId(child) !== start) return true;
      continue;
    }
    const nr = child.partNr ? child.partNr[child.partNr.length - 1] : undefined;
    if (typeof nr !== 'number' || nr > 1) return true;
  }
  return false;
}

// A `start` that names no part for sure (empty, or read differently plain, RFC 2231 extended or continued):
// clients disagree on the root, so every part is taken as one they may list (attacker round 45).
const UNREADABLE_START = Symbol('unreadable start');

/** The Content-ID a multipart/related's `start` parameter names, without its angle brackets; undefined if none. */
function relatedStart(node: SplitNode): string | typeof UNREADABLE_START | undefined {
  const type = headersOf(node).get('content-type')[0] ?? '';
  if (!/start/i.test(type)) return undefined;
  const readings = new Set(paramReadings(type, 'start').map(bare));
  if (readings.size === 0) return undefined;
  const [only] = readings;
  return readings.size === 1 && only ? only : UNREADABLE_START;
}

function contentId(node: SplitNode): string {
  return bare(headersOf(node).get('content-id')[0] ?? '');
}

const bare = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/** Adds a name the content gives (a file encoded in the text, a calendar or TNEF attachment), once. */
function addName(leaf: Leaf, name: string): void {
  leaf.known ??= new Set(leaf.part.names);
  if (leaf.known.has(name)) return;
  leaf.known.add(name);
  leaf.part.names.push(name);
  // A page carried inside the content (uuencoded, in a calendar, in TNEF) is not read by the page scan.
  if (!leaf.markup && opensAsPageByName(name))
    leaf.part.activeMarkup ??= `${name}, a page inside the part that the page scan does not read`;
  // Nor is a message file walked: the files it carries are not listed, as for one inside an archive.
  if (messageFileKind(name)) leaf.part.innerNames = [...(leaf.part.innerNames ?? []), name];
}

function addTnefFiles(leaf: Leaf, reader: TnefReader, findings: StructureFinding[]): void {
  const reason = addFiles(leaf, reader.end(), 'the files inside TNEF (winmail.dat) cannot all be read');
  if (reason) findings.push({ partId: leaf.part.id, kind: 'malformed', reason });
}
