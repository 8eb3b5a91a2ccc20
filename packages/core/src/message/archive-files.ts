import { isAppleDoubleCompanion } from '../mime/apple-forks.js';
import { DecodedBudgetError } from '../mime/decoded-budget.js';
import { eachZipEntry } from '../mime/zip-entries.js';
import {
  archivedMarkupScan,
  isOfficePackageNamed,
  opensAsPageByName,
  showsNoMarkup,
} from './active-markup.js';
import type { ArchiveEntry, EachEntry } from './archive-entry.js';
import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from './archive-kind.js';
import { eachCabEntry } from './cab-entries.js';
import { type CalendarScan, calendarChunk, isCalendar, scanCalendar } from './calendar-names.js';
import { eachCmsEntry } from './cms-entry.js';
import { eachCompressedEntry } from './compressed-file.js';
import { eachSpreadsheetTextFile, hasDdeLink, SPREADSHEET_NAMED, startsAsSylk } from './dde-links.js';
import { desktopIniLink, isDesktopIni } from './desktop-ini.js';
import { encryptedOdfEntries } from './encrypted-odf.js';
import { encryptedOfficeParts } from './encrypted-office.js';
import { htmlFieldInstructions, wordFieldInstructions } from './field-codes.js';
import { nameVariants, opensByExtensionOnMac } from './file-names.js';
import { eachFlatOdfFile, isFlatOdfHead } from './flat-odf.js';
import { eachFlatOpcPart, isFlatOpcHead } from './flat-opc.js';
import { externalTargets, odfExternalLinks, odfLinkedPictures, runsSlideProgram } from './office-links.js';
import { eachFieldFile, eachLinkedName, eachOlePackage, isOleStorage } from './ole-packages.js';
import { eachPdfFile, isPdf } from './pdf-files.js';
import {
  connectionSources,
  eachPlaylistFile,
  eachShareLink,
  isConnectionsPart,
  isPlaylistNamed,
} from './playlist-links.js';
import { eachRarEntry } from './rar-entries.js';
import { eachRtfObjectFile, isRtf } from './rtf-objects.js';
import { eachSevenZipEntry } from './seven-zip-entries.js';
import { binarySlides } from './slide-actions.js';
import { sniffType } from './sniff.js';
import { eachTarEntry } from './tar-entries.js';
import { eachWordMarkupFile, isWordMarkupHead, opensAsWordMarkup, WORD_NAMED } from './word-markup.js';
import { startsAsMarkup, xmlText } from './xml-document.js';

/** The largest archive listed: WorkMail's messages are at most 25 MB, so a larger part cannot be one it delivers. */
export const MAX_LISTED_ARCHIVE = 40 * 1024 * 1024;
/** Inflated bytes, all nested archives together, read to list the archives inside an archive. */
const NESTED_BUDGET = 64 * 1024 * 1024;
const MAX_FILES = 10_000;
const MAX_DEPTH = 4;
const UNREAD = new Set<ArchiveKind>(['ace', 'arj', 'lzh', 'cpio', 'ar', 'xar', 'wim', 'rpm', 'egg', 'alz']);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const LISTERS: Partial<Record<ArchiveKind, EachEntry>> = {
  // An OpenDocument file saved with a password (its manifest declares its entries encrypted; the zip does not): its
  // content, macros and slide actions are ciphertext, refused as an encrypted Office document's are (attacker round
  // 56). Its other entries are listed too.
  zip: (data, maxBytes, visit) => {
    for (const entry of encryptedOdfEntries(data, maxBytes))
      visit({ name: `${entry} of an encrypted document`, encrypted: true });
    eachZipEntry(data, maxBytes, visit);
  },
  rar: eachRarEntry,
  '7z': eachSevenZipEntry,
  tar: eachTarEntry,
  cab: eachCabEntry,
};

/** What an archive holds, as far as it could be read. */
export interface ArchiveFiles {
  /** Each file's path in the archive, nested archives' files as `outer.zip/inner.zip/file`. */
  names: string[];
  /**
   * The types the files' first bytes reveal, and `application/x-unix-executable` for a file extracted with an
   * execute bit and no extension (what Finder calls it, and runs in Terminal when opened).
   */
  sniffedTypes: string[];
  /** Files whose content is encrypted: named, not read. */
  encrypted: string[];
  /** Why the archive could not be listed whole (the files listed before it stand). */
  unreadable?: string;
  /**
   * A bound of the listing's own was met (10,000 files, archives nested four deep, 64 MiB decoded for the archives
   * inside): `unreadable` says which, and the files after it are not named. Not an archive that cannot be listed:
   * `allowUnlistedArchives` does not excuse it (attacker round 122), as it does not excuse a part over 40 MiB.
   */
  limit?: true;
  /**
   * The first thing found that refuses the archive whatever could be listed (a link to another computer or a server,
   * a DDE link, a slide action running a program, a desktop.ini fetching from another computer): also said by
   * `unreadable`, but no archive that cannot be listed, so `allowUnlistedArchives` does not excuse it (attacker round
   * 122).
   */
  refused?: string;
  /** The first page inside (HTML, SVG…) that runs when opened, and what makes it so. */
  activeMarkup?: string;
  /** The FMTTYPEs of unnamed inline files of the calendars inside, by which a client names them. */
  unnamedTypes?: string[];
  /** Names of files calendars inside link to by address, judged by their extensions only (see calendar-names.ts). */
  linkedNames?: string[];
}

/** Whether decoded bytes start as a zip archive does. */
export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && ZIP.every((b, i) => head[i] === b);
}

/**
 * Lists the files of a zip archive the way a client that opens it shows them (its central directory), with
 * the type each one's first bytes reveal, and the files of archives inside it, four levels deep: see
 * {@link listArchive}.
 *
 * @example
 * ```ts
 * listZip(zipBytes); // { names: ['invoice.pdf.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export function listZip(zip: Buffer): ArchiveFiles {
  return listArchive(zip, 'zip');
}

/**
 * Lists the files of an archive of the given kind (zip, RAR 4 and 5, 7z (plain or LZMA header), tar, gzip,
 * cab; the one file of a bzip2, xz, lzip, zstd, compress or lzma file, named after `names`), with the types
 * their first bytes reveal where the content is readable (zip, gzip, tar, stored RAR files, stored and MSZIP
 * cabinets), and the files of archives inside, whatever their kind, four levels deep. Bounded: 10,000 files
 * and 64 MiB decoded for nested archives. What cannot be read is said: `unreadable` (not that kind after
 * all, a damaged or truncated archive, encrypted headers, a 7z header compressed otherwise than LZMA, an archive inside whose
 * content is not read, ACE, ARJ and LHA, past a bound), `encrypted` (files named, not read). A
 * {@link PackagingDocument} is listed the same way: the files packaged in it, under each name they are shown or
 * written under. `pdfs`: PDFs inside are listed too (the caller loaded their reader, `loadPdfFiles`).
 *
 * @example
 * ```ts
 * listArchive(rarBytes, 'rar'); // { names: ['invoice.exe'], sniffedTypes: [], encrypted: [] }
 * listArchive(bz2Bytes, 'bzip2', 'invoice.exe.bz2'); // { names: ['invoice.exe'], … }
 * ```
 */
export function listArchive(
  data: Buffer,
  kind: ArchiveKind | PackagingDocument,
  names: string | readonly string[] = [],
  options: { pdfs?: boolean } = {},
): ArchiveFiles {
  const out: ArchiveFiles = { names: [], sniffedTypes: [], encrypted: [] };
  const budget: Budget = { left: NESTED_BUDGET, pdfs: options.pdfs === true };
  walk(data, kind, typeof names === 'string' ? [names] : names, '', 0, out, budget);
  if (budget.outside !== undefined) out.unreadable ??= budget.outside;
  return out;
}

// Decoded bytes left for nested archives; whether PDFs met inside are listed (their reader is loaded); an escape.
interface Budget {
  left: number;
  pdfs: boolean;
  /** The first file found written outside the extraction folder (see placedOutside). */
  outside?: string;
}

/**
 * A document that packages files without being an archive (a Word 97 document is no archive to `blockArchives`):
 * an OLE compound file (legacy Office, an embedded object's `oleObject1.bin`), an RTF document, whose embedded
 * `Package` objects each hold a file a double click opens, or a Flat OPC document (an Office document written as
 * one XML file), whose parts are a .docx's, or a document Word writes as markup (Word 2003 XML, a page Word saved),
 * whose binary data and fields are read, or a Flat OpenDocument (`office:document` root, .fodp), read as a zipped
 * OpenDocument's XML is.
 */
export type PackagingDocument =
  | 'OLE compound file'
  | 'RTF document'
  | 'PDF document'
  | 'Flat OPC document'
  | 'Flat ODF document'
  | 'Word markup document'
  | 'spreadsheet text'
  | 'playlist';

/** The packaging document `head` starts as, if any (`nested`: where the PDF reader may not be loaded, not a PDF). */
export function packagingDocumentOf(head: Buffer, nested = false): PackagingDocument | undefined {
  if (isOleStorage(head)) return 'OLE compound file';
  if (isRtf(head)) return 'RTF document';
  if (isFlatOpcHead(head)) return 'Flat OPC document';
  // Before Word's marks: a Flat ODF's root decides how LibreOffice opens it, whatever its text says (round 54).
  if (isFlatOdfHead(head)) return 'Flat ODF document';
  if (isWordMarkupHead(head)) return 'Word markup document';
  // A PDF is listed where its reader was loaded for it (a part of the message, and what a part holds).
  return !nested && isPdf(head) ? 'PDF document' : undefined;
}

/** Whether a listed kind is a {@link PackagingDocument}. */
export function isPackagingDocument(kind: string): kind is PackagingDocument {
  return kind in PACKAGED;
}

const PACKAGED: Record<PackagingDocument, EachEntry> = {
  // A PowerPoint 97 show's slide action that runs a program or a macro, as an OOXML one (attacker round 53); an
  // encrypted show's slides are not read: encrypted content, as a password-protected PDF's files (round 54); so are
  // an encrypted OOXML package's parts, an encrypted Word document's text and an encrypted Excel workbook's sheets.
  'OLE compound file': (data, maxBytes, visit) => {
    eachOlePackage(data, maxBytes, visit);
    for (const part of encryptedOfficeParts(data, maxBytes))
      visit({ name: `${part} of an encrypted document`, encrypted: true });
    const slides = binarySlides(data, maxBytes);
    if (slides.encrypted) visit({ name: 'slides of an encrypted presentation', encrypted: true });
    if (slides.action) throw new Error(`a slide action that ${slides.action}`);
  },
  'RTF document': eachRtfObjectFile,
  'PDF document': eachPdfFile,
  // A head whose prolog runs on may start Word 2003 XML or a Flat ODF as well as a package: read as whichever it is
  // (the Flat ODF reading keeps Word markup's).
  'Flat OPC document': (data, maxBytes, visit) => {
    if (!eachFlatOpcPart(data, maxBytes, visit)) eachFlatOdfFile(data, maxBytes, visit);
  },
  'Flat ODF document': eachFlatOdfFile,
  'Word markup document': eachWordMarkupFile,
  'spreadsheet text': eachSpreadsheetTextFile,
  // A playlist's entries on another computer, which the player opens as the list opens (attacker round 119).
  playlist: eachPlaylistFile,
};

function walk(
  data: Buffer,
  kind: ArchiveKind | PackagingDocument,
  names: readonly string[],
  prefix: string,
  depth: number,
  out: ArchiveFiles,
  budget: Budget,
): void {
  const officePackage = isOfficePackageNamed(names);
  // An archive's file whose path climbs out of the folder it is extracted to (not a document's link to a file).
  const extracted = !isPackagingDocument(kind) && LISTERS[kind] !== undefined;
  // The archive's links met so far, by their paths as file systems match them (attacker round 97).
  const links: LinkNode = {};
  const visit = (entry: ArchiveEntry) => {
    visitEntry(entry, prefix, depth, out, budget, officePackage);
    if (!extracted) return;
    // Said once the whole archive is listed: its other files' names still count (a blocked one is refused by name
    // even under ALLOW_UNLISTED_ARCHIVES).
    const outside = placedOutside(entry, links);
    if (outside !== undefined) budget.outside ??= `${prefix}${outside}`;
  };
  try {
    if (isPackagingDocument(kind)) PACKAGED[kind](data, budget.left, visit);
    else if (LISTERS[kind]) LISTERS[kind](data, budget.left, visit);
    else if (UNREAD.has(kind)) throw new Error(`${kind} archives are not read`);
    else if (kind === 'cms') eachCmsEntry(data, names, budget.left, visit);
    else eachCompressedEntry(data, kind, names, budget.left, visit);
  } catch (error) {
    failed(out, prefix ? prefix.slice(0, -1) : '', error);
  }
}

// What a reader threw, at `where` (a path in the archive): a bound met (the decoded bytes left for the archives
// inside), a program run (a DDE field or formula, a slide action), or a problem.
function failed(out: ArchiveFiles, where: string, error: unknown): void {
  const message = (error as Error).message;
  const reason = where ? `${where}: ${message}` : message;
  if (error instanceof DecodedBudgetError) overBound(out, reason);
  else if (RUNS_PROGRAM.test(message)) refuse(out, reason);
  else out.unreadable ??= reason;
}

// What the readers of documents throw for a field, formula or action that starts a program (their own words, no name).
const RUNS_PROGRAM =
  /^(?:a dde(?:auto)? field, which runs a program|a formula or link that starts a program by dde|a cell whose formula starts a program by dde|a slide action or listener that runs a program or a macro)$/i;

// Something found that refuses the archive, said as a problem too (the callers that refuse every problem see it there).
function refuse(out: ArchiveFiles, reason: string): void {
  out.unreadable ??= reason;
  out.refused ??= reason;
}

// A bound of the listing's own was met: the archive is refused whatever allowUnlistedArchives says, and the listing
// stops (attacker round 122). Any other problem lets the listing go on, so a blocked name after it still counts.
function overBound(out: ArchiveFiles, reason: string): void {
  out.unreadable = reason;
  out.limit = true;
}

/**
 * A calendar inside an archive (`invite.ics`), which Outlook and Apple Calendar open as an invitation offering the
 * files of its ATTACH properties, read as an attached one is: their names count as the archive's files (under the
 * calendar's path), their first bytes are sniffed, and a page or a message file among them, whose content is not
 * read, is refused (attacker round 68: an `.ics` in a zip attaching `invoice.exe` was listed by its own name only).
 */
function readCalendar(bytes: Buffer, name: string, out: ArchiveFiles, budget: Budget): void {
  budget.left -= bytes.length;
  const scan: CalendarScan = { carry: '', names: [] };
  scanCalendar(scan, calendarChunk(scan, bytes), true);
  for (const file of scan.names) {
    out.names.push(`${name}/${file}`);
    if (opensAsPageByName(file))
      out.activeMarkup ??= `${name}/${file}: a page in a calendar that the page scan does not read`;
  }
  for (const type of scan.types ?? []) addType(out, type);
  for (const type of scan.unnamedTypes ?? [])
    if (!out.unnamedTypes?.includes(type)) out.unnamedTypes = [...(out.unnamedTypes ?? []), type];
  if (scan.links) out.linkedNames = [...(out.linkedNames ?? []), ...scan.links];
  if (scan.problem) out.unreadable ??= `${name}: ${scan.problem}`;
}

/** What Finder calls a file with an execute bit and no extension; it runs one in Terminal when opened. */
export const UNIX_EXECUTABLE = 'application/x-unix-executable';

// A hidden file (`.rels`) is not shown in Finder, so not opened there.
function extensionless(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return !base.startsWith('.') && !opensByExtensionOnMac(base);
}

/**
 * Whether an archive path climbs out of the folder it is extracted to: a segment that is `..` once Windows drops its
 * trailing dots and spaces (`.. ` and `...` are `..` to it; attacker round 96). Extractors that follow such a path
 * write the file anywhere: into the Startup folder, or Word's STARTUP folder, whose templates' macros run unasked.
 */
function leavesFolder(path: string | undefined): boolean {
  if (path === undefined) return false;
  for (const segment of path.split(/[\\/]/)) if (PARENT.test(segment)) return true;
  return false;
}

// A path segment Windows reads as `..` (it drops trailing dots and spaces).
const PARENT = /^\.\.[. ]*$/;

/**
 * Whether an archive path names a place of its own rather than one in the extraction folder: a root (`/…`, `\\…`,
 * `\\\\server\\share\\…`, `\\\\?\\…`) or a drive (`C:\\…`, and the drive-relative `C:name`).
 */
function isAbsolute(path: string): boolean {
  return /^(?:[\\/]|[A-Za-z]:)/.test(path);
}

// A node of the links' paths, one segment a level: `link` is the name of the link ending there.
interface LinkNode {
  link?: string;
  kids?: Map<string, LinkNode>;
}

// The longest link target read from a zip's symbolic link (PATH_MAX on Linux; macOS's is 1024).
const MAX_LINK_TARGET = 4096;

/**
 * A path's segments as Windows and macOS match names: `\\` read as `/`, `.` and empty segments dropped, trailing dots
 * and spaces dropped (Windows), in one Unicode normalization (APFS and HFS+ match NFC and NFD alike) and one case.
 * Linear in the path's length.
 */
function matchedSegments(path: string): string[] {
  const out: string[] = [];
  for (const segment of path.split(/[\\/]/)) {
    let end = segment.length;
    while (end > 0 && (segment[end - 1] === '.' || segment[end - 1] === ' ')) end--;
    if (end > 0) out.push(segment.slice(0, end).normalize('NFC').toLowerCase());
  }
  return out;
}

// The earlier link a path goes through (or, `over`, is the path of), walking the links' tree one segment at a time.
function linkOnPath(links: LinkNode, segments: readonly string[], over: boolean): string | undefined {
  let node: LinkNode | undefined = links;
  for (let i = 0; i < segments.length; i++) {
    node = node.kids?.get(segments[i] as string);
    if (node === undefined) return undefined;
    if (node.link !== undefined && (i < segments.length - 1 || over)) return node.link;
  }
  return undefined;
}

// Whether a symbolic link's target, read from the folder `depth` segments deep, is absolute or climbs above the root.
function targetLeaves(target: string, depth: number): boolean {
  if (isAbsolute(target)) return true;
  let level = depth;
  for (const segment of target.split(/[\\/]/)) {
    if (PARENT.test(segment)) level--;
    else if (!/^[. ]*$/.test(segment)) level++;
    if (level < 0) return true;
  }
  return false;
}

// A zip's symbolic link has its target as its content; a tar's is in its header (`linkTargets`).
function linkTargetsOf(entry: ArchiveEntry): readonly string[] {
  if (entry.linkTargets !== undefined || !entry.head) return entry.linkTargets ?? [];
  try {
    const head = entry.head(MAX_LINK_TARGET + 1);
    if (head.length > MAX_LINK_TARGET) return ['/ (a target longer than a path)'];
    return [head.toString('utf8')];
  } catch {
    return [];
  }
}

/**
 * Why an archive's file is written outside the folder it is extracted to, when it is: a `..` segment (attacker round
 * 96); since attacker round 97 an absolute
 * path, which Python's tarfile and "zip slip" extractors follow (7-Zip, WinRAR, Explorer, bsdtar and GNU tar strip
 * it); a symbolic link pointing outside (absolute, or climbing above the root from its folder) or a hard link to a
 * path outside; a file written through an earlier link, or over one (a link under the same path), which 7-Zip before
 * 25.00 (CVE-2025-11001) and extractors that keep links follow, its path matched as Windows and macOS match names
 * (case, trailing dots and spaces, normalization). A link met is recorded in `links`.
 */
function placedOutside(entry: ArchiveEntry, links: LinkNode): string | undefined {
  if (entry.outside !== undefined) return entry.outside;
  const names = [entry.name, entry.unicodeName, entry.codePageName].filter((n) => n !== undefined);
  const climbing = names.find(leavesFolder);
  if (climbing !== undefined)
    return `${climbing}: a path that leaves the folder the archive is extracted to, which WinRAR before 7.13 follows (CVE-2025-6218; for a file's NTFS stream, CVE-2025-8088)`;
  const absolute = names.find(isAbsolute);
  if (absolute !== undefined)
    return `${absolute}: an absolute path, which an extractor that keeps it writes outside the folder the archive is extracted to`;
  const paths = names.map(matchedSegments);
  for (const [i, segments] of paths.entries()) {
    const link = linkOnPath(links, segments, entry.link !== true);
    if (link !== undefined)
      return `${names[i]}: a path through the link ${link}, which writes where the link points`;
  }
  if (!entry.link) return undefined;
  for (const target of linkTargetsOf(entry)) {
    const leaves = entry.hardLink
      ? isAbsolute(target) ||
        leavesFolder(target) ||
        linkOnPath(links, matchedSegments(target), false) !== undefined
      : paths.some((segments) => targetLeaves(target, segments.length - 1));
    if (leaves)
      return `${entry.name}: a link to ${target.slice(0, 200)} outside the folder the archive is extracted to`;
  }
  for (const segments of paths) {
    let node = links;
    for (const segment of segments) {
      node.kids ??= new Map();
      const next = node.kids.get(segment) ?? {};
      node.kids.set(segment, next);
      node = next;
    }
    if (segments.length > 0) node.link ??= entry.name;
  }
  return undefined;
}

/** A path with `.` and empty segments dropped, `\\` read as `/`. */
function resolvedPath(path: string): string {
  return path
    .split(/[\\/]/)
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

// A name ending in `/` (or `\\`) is a folder, unless it holds bytes: extractors that write it write a file.
function hasContent(entry: ArchiveEntry): boolean {
  // Compressed in a way not decoded: its bytes are not known, so it is taken as a file.
  if (!entry.head) return true;
  try {
    return entry.head(1).length > 0;
  } catch {
    return true;
  }
}

function addType(out: ArchiveFiles, type: string | undefined): void {
  if (type && !out.sniffedTypes.includes(type)) out.sniffedTypes.push(type);
}

function visitEntry(
  entry: ArchiveEntry,
  prefix: string,
  depth: number,
  out: ArchiveFiles,
  budget: Budget,
  officePackage: boolean,
): void {
  // A problem met before does not end the listing: the names after it are still checked, so a blocked file placed
  // after a damaged archive inside is refused even under allowUnlistedArchives (attacker round 122). A bound does.
  if (out.limit) return;
  if (out.names.length >= MAX_FILES) {
    overBound(out, `more than ${MAX_FILES} files in the archive`);
    return;
  }
  const name = `${prefix}${entry.name}`;
  if (entry.name !== '') out.names.push(name);
  // 7-Zip and unzip extract the file under its Unicode Path name: both names are the file's.
  if (entry.unicodeName !== undefined) out.names.push(`${prefix}${entry.unicodeName}`);
  // Explorer and 7-Zip on a Japanese Windows list a name not flagged UTF-8 in Shift_JIS (attacker round 66).
  if (entry.codePageName !== undefined) out.names.push(`${prefix}${entry.codePageName}`);
  // libarchive and Python extract `Invoice.vbs/.`, `Invoice.vbs//` or `Invoice.vbs\` as the file Invoice.vbs:
  // the path as they resolve it is the file's name too.
  const folder = entry.dir === true || (/[\\/]$/.test(entry.name) && !hasContent(entry));
  const resolved = resolvedPath(entry.name);
  if (!folder && resolved !== '' && resolved !== entry.name) out.names.push(`${prefix}${resolved}`);
  if (folder) return;
  // The resolved path too: `Invoice/.` is extracted as the file `Invoice`, not a hidden `.`.
  const paths = [entry.name, entry.unicodeName ?? entry.name];
  if (entry.executable && [...paths, ...paths.map(resolvedPath)].some((p) => p !== '' && extensionless(p)))
    addType(out, UNIX_EXECUTABLE);
  if (entry.encrypted) {
    out.encrypted.push(name);
    return;
  }
  const page =
    out.activeMarkup === undefined
      ? (archivedMarkupScan(entry.name, officePackage) ??
        archivedMarkupScan(entry.unicodeName ?? '', officePackage))
      : undefined;
  const claimed = claimedArchiveKind([entry.name, entry.unicodeName ?? '']);
  if (entry.host !== undefined) {
    refuse(
      out,
      `${name}: a link to a file on another computer (${entry.host}), which Windows signs in to as the user`,
    );
    return;
  }
  if (entry.remote !== undefined) {
    refuse(out, `${name}: a link to ${entry.remote}, which opens what its server answers`);
    return;
  }
  if (entry.link) {
    // Its content is another file's, read under that file's name only: a page or an archive cannot be read.
    if (page)
      out.activeMarkup = `${name}: a page that is a link to another file, which the page scan cannot read`;
    if (claimed) out.unreadable = `${name}: an archive inside that is a link to another file`;
    return;
  }
  const folderSettings = isDesktopIni(entry.name) || isDesktopIni(entry.unicodeName ?? '');
  if (!entry.head || !entry.bytes) {
    // Compressed in a way not decoded: a page or an archive inside cannot be read, only named.
    if (page) out.activeMarkup = `${name}: a page inside that the page scan cannot read`;
    if (claimed) out.unreadable = `${name}: an archive inside whose content is not read`;
    if (folderSettings) out.unreadable ??= `${name}: a folder's desktop.ini whose content is not read`;
    return;
  }
  let head: Buffer;
  try {
    head = entry.head(KIND_HEAD);
  } catch (error) {
    const reason = (error as Error).message;
    if (reason.endsWith(' is encrypted')) out.encrypted.push(name);
    else if (error instanceof DecodedBudgetError) overBound(out, reason);
    else out.unreadable = reason;
    return;
  }
  addType(out, sniffType(head));
  const saved = [entry.name, entry.unicodeName ?? '', entry.codePageName ?? ''].flatMap(nameVariants);
  if (isCalendar('', saved)) readCalendar(entry.bytes(), name, out, budget);
  // A folder's desktop.ini whose icon or name is fetched from another computer as Explorer shows the folder
  // (attacker round 118).
  if (folderSettings) {
    const ini = entry.bytes();
    budget.left -= ini.length;
    const link = desktopIniLink(ini);
    if (link !== undefined)
      refuse(out, `${name}: a folder's desktop.ini naming ${link}, which Explorer fetches as the user`);
  }
  // An Office document's external relationships name files Word fetches and opens: listed as a link's are.
  const linked = (link: ArchiveEntry) => visitEntry(link, `${name}/`, depth, out, budget, officePackage);
  // A playlist whose entry is on another computer, which the player opens as the list opens (attacker round 119).
  if (isPlaylistNamed(entry.name) || isPlaylistNamed(entry.unicodeName ?? '')) {
    const list = entry.bytes();
    budget.left -= list.length;
    eachPlaylistFile(list, budget.left, linked);
  }
  // A spreadsheet written as text, opened by Excel from the archive as it is from a message (attacker round 51).
  if (SPREADSHEET_NAMED.test(entry.name) || (WORD_NAMED.test(entry.name) && startsAsSylk(head))) {
    const text = entry.bytes();
    budget.left -= text.length;
    try {
      eachSpreadsheetTextFile(text, budget.left, () => {});
    } catch (error) {
      failed(out, name, error);
    }
  }
  if (/\.rels$/i.test(entry.name)) {
    const rels = entry.bytes();
    budget.left -= rels.length;
    for (const { target, picture } of externalTargets(rels)) eachLinkedName([target], linked, picture);
  } else if (startsAsMarkup(xmlText(head))) {
    // A Word part's fields open files as the document opens or updates (LINK, INCLUDETEXT), or run a program (DDE).
    const xml = entry.bytes();
    budget.left -= xml.length;
    const markup = xmlText(xml);
    try {
      eachFieldFile([...wordFieldInstructions(markup), ...htmlFieldInstructions(markup)], linked);
    } catch (error) {
      failed(out, name, error);
    }
    // An OpenDocument object, section or frame loaded from outside the package, listed as a link's (round 58).
    for (const link of odfExternalLinks(markup)) eachLinkedName([link], linked);
    for (const link of odfLinkedPictures(markup)) eachLinkedName([link], linked, true);
    // A workbook's data connection on another computer, read as Excel refreshes it (attacker round 119).
    if (officePackage || isConnectionsPart(entry.name)) eachShareLink(connectionSources(markup), linked);
    if (hasDdeLink(markup)) refuse(out, `${name}: a DDE link, which starts a program`);
    if (runsSlideProgram(markup)) refuse(out, `${name}: a slide action that runs a program or a macro`);
  }
  if (page) {
    // A page inside an archive opens in the browser as one attached would: read whole, within the budget.
    const bytes = entry.bytes();
    page.push(bytes);
    const found = page.end();
    // A Finder zip of a web folder holds `__MACOSX/Site/._index.html`, a companion the scan cannot read (NUL bytes):
    // one holding no `<` shows no markup (false-positive round 14).
    const inert =
      found !== undefined &&
      isAppleDoubleCompanion(entry.name, head, () => bytes) &&
      showsNoMarkup([entry.name, entry.unicodeName ?? ''], bytes);
    if (found && !inert) out.activeMarkup = `${name}: ${found}`;
  }
  // A macOS AppleDouble companion (`__MACOSX/Bundle/._inner.zip`) holds the file's attributes, not the archive its
  // name claims: not walked as one when it holds nothing an archive tool would open (false-positive round 13).
  const whole = entry.bytes;
  const companion =
    claimed !== undefined &&
    isAppleDoubleCompanion(entry.name, head, () => {
      const bytes = whole();
      budget.left -= bytes.length;
      return bytes;
    });
  const kind =
    archiveKindOf(head) ??
    (companion ? undefined : claimed) ??
    packagingDocumentOf(head, !budget.pdfs) ??
    // Markup or an MHT named .doc opens in Word as the document it describes (attacker round 51).
    (WORD_NAMED.test(entry.name) && opensAsWordMarkup(head) ? 'Word markup document' : undefined);
  if (!kind) return;
  if (depth + 1 >= MAX_DEPTH) {
    overBound(out, `archives nested more than ${MAX_DEPTH} deep`);
    return;
  }
  const inner = entry.bytes();
  budget.left -= inner.length;
  walk(inner, kind, [entry.name], `${name}/`, depth + 1, out, budget);
}
