import { isAppleDoublePart } from '../mime/apple-forks.js';
import {
  listArchive,
  MAX_LISTED_ARCHIVE,
  type PackagingDocument,
  packagingDocumentOf,
} from './archive-files.js';
import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from './archive-kind.js';
import { SPREADSHEET_NAMED, startsAsSylk } from './dde-links.js';
import { nameVariants } from './file-names.js';
import type { MessagePart, StructureFinding } from './part-walk.js';
import { isPlaylistNamed } from './playlist-links.js';
import { opensAsWordMarkup, WORD_NAMED } from './word-markup.js';

/** A part's content kept while it may be an archive, to list its files at the end. */
export interface KeptArchive {
  chunks: Buffer[];
  size: number;
  /** The kind the part's name or declared type claims: listed as that kind whatever its first bytes. */
  claimed?: ArchiveKind;
  /** The kind listed, once the first bytes (or the claim) decided it. */
  kind?: ArchiveKind;
  /** Larger than can be listed. */
  tooLarge?: boolean;
  /** A document that packages files (OLE, RTF): no archive, but the files in it are listed as an archive's are. */
  document?: PackagingDocument;
  /** Named as Word opens it by content (`.doc`): markup is read as a page Word saved, wherever its marks are. */
  wordNamed?: boolean;
  /** Named as a spreadsheet Excel opens as text (`.csv`): its cells are read for DDE formulas. */
  spreadsheetNamed?: boolean;
  /** Named as a playlist (`.m3u`, `.wpl`…): its entries are read for files on another computer. */
  playlistNamed?: boolean;
}

/** Playlists' declared types: a client saves an unnamed one under its extension (`ATT00001.m3u`). */
const PLAYLIST_TYPES = new Set([
  'audio/x-mpegurl',
  'audio/mpegurl',
  'application/x-mpegurl',
  'application/vnd.apple.mpegurl',
  'audio/x-scpls',
  'application/vnd.ms-wpl',
  'application/xspf+xml',
]);

const SINGLE_FILE = new Set<ArchiveKind>([
  'gzip',
  'cms',
  'bzip2',
  'xz',
  'lzip',
  'zstd',
  'compress',
  'lzma',
  'brotli',
  'zlib',
  'lz4',
  'lzo',
]);

/** What a part's content is watched for: every part, since a client opens an archive by its bytes. */
export function watchArchive(part: MessagePart): KeptArchive {
  const claimed = claimedArchiveKind(part.names, part.contentType);
  const wordNamed = part.names.some((name) => WORD_NAMED.test(name));
  const spreadsheetNamed = part.names.some((name) => SPREADSHEET_NAMED.test(name));
  const playlistNamed =
    part.names.some((name) => nameVariants(name).some(isPlaylistNamed)) ||
    PLAYLIST_TYPES.has(part.contentType);
  return {
    chunks: [],
    size: 0,
    ...(claimed ? { claimed } : {}),
    ...(wordNamed ? { wordNamed } : {}),
    ...(spreadsheetNamed ? { spreadsheetNamed } : {}),
    ...(playlistNamed ? { playlistNamed } : {}),
  };
}

/**
 * Takes a piece of the content; returns false once the content is known not to be an archive (its first
 * 512 bytes show none and nothing claims one), or too large to be listed (then `tooLarge` is set).
 */
export function keepArchive(archive: KeptArchive, chunk: Buffer): boolean {
  if (archive.tooLarge) return false;
  archive.chunks.push(chunk);
  archive.size += chunk.length;
  if (!archive.kind && archive.size >= DECIDED_AT && !decide(archive)) return false;
  if (archive.size > MAX_LISTED_ARCHIVE) {
    archive.chunks = [];
    archive.tooLarge = true;
    return false;
  }
  return true;
}

/** The packaging document the kept content is (decided now when it was shorter than the first bytes needed). */
export function keptDocument(archive: KeptArchive): PackagingDocument | undefined {
  return keptKind(archive) ? undefined : archive.document;
}

// Bytes seen before deciding: an archive's kind needs 512, a PDF viewer finds its header in the first 1024.
const DECIDED_AT = 2 * KIND_HEAD;

function decide(archive: KeptArchive): boolean {
  const head = Buffer.concat(archive.chunks).subarray(0, DECIDED_AT);
  archive.kind = archiveKindOf(head.subarray(0, KIND_HEAD)) ?? archive.claimed;
  archive.document =
    archive.kind === undefined
      ? (packagingDocumentOf(head) ??
        (archive.wordNamed && opensAsWordMarkup(head)
          ? 'Word markup document'
          : archive.spreadsheetNamed || (archive.wordNamed && startsAsSylk(head))
            ? 'spreadsheet text'
            : archive.playlistNamed
              ? 'playlist'
              : undefined))
      : undefined;
  return archive.kind !== undefined || archive.document !== undefined;
}

/** The kind of the kept content at its end: decided now when it was shorter than the first bytes needed. */
export function keptKind(archive: KeptArchive): ArchiveKind | undefined {
  if (!archive.kind) decide(archive);
  return archive.kind;
}

/**
 * The files of the archive the part is: their names and sniffed types join the part; an archive that cannot
 * be listed whole, or that holds encrypted files, is a finding.
 */
export function listPartArchive(
  archive: KeptArchive,
  part: MessagePart,
  findings: StructureFinding[],
  addInnerTypes: (part: MessagePart, types: readonly string[]) => void,
): void {
  const kind = keptKind(archive);
  if (kind) part.archiveKind = kind;
  if (archive.tooLarge) {
    const reason = `an archive over ${MAX_LISTED_ARCHIVE} bytes, whose files are not listed`;
    findings.push({ partId: part.id, kind: 'limit', reason, strippable: true });
    return;
  }
  // An AppleDouble header named as an archive (Apple Mail's `application/applefile` part `photos.zip`, a lone
  // `._photos.zip`) holds the archive's attributes, not the archive: not listed when it holds nothing an archive
  // tool would open (false-positive round 14; round 13's reading of a companion inside an archive).
  if (kind !== undefined && kind === archive.claimed) {
    const whole = Buffer.concat(archive.chunks);
    if (isAppleDoublePart(part.names, part.contentType, whole, () => whole)) {
      archive.chunks = [];
      return;
    }
  }
  const listed = kind ?? archive.document;
  if (!listed) return;
  // The walk loaded the PDF reader for a part it keeps (readerFor): PDFs inside are listed too.
  const files = listArchive(Buffer.concat(archive.chunks), listed, part.names, { pdfs: true });
  archive.chunks = [];
  if (files.names.length > 0) part.innerNames = files.names;
  addInnerTypes(part, files.sniffedTypes);
  if (files.activeMarkup) part.activeMarkup ??= `${files.activeMarkup} (inside the archive)`;
  if (files.unnamedTypes) addUnnamedTypes(part, files.unnamedTypes);
  if (files.linkedNames) addLinkedNames(part, files.linkedNames);
  const label = !kind
    ? listed
    : kind === 'cms'
      ? 'signed (CMS) file'
      : `${kind} ${SINGLE_FILE.has(kind) ? 'file' : 'archive'}`;
  // A signed file's content is S/MIME's: what cannot be read of it is excused where S/MIME is (allowSmime).
  const smime = kind === 'cms' ? ({ smime: true } as const) : {};
  if (files.limit) {
    // A bound of the walk's own, like the 40 MiB above: not excused as an archive that cannot be listed, nor as
    // S/MIME (attacker round 122).
    const reason = `the files inside the ${label} are not all listed: ${files.unreadable}`;
    findings.push({ partId: part.id, kind: 'limit', reason, strippable: true });
  } else {
    // What was found refuses it whatever could be listed: not excused as unlisted, nor as S/MIME (attacker round 122).
    if (files.refused) {
      const reason = `the files inside the ${label} cannot all be listed: ${files.refused}`;
      findings.push({ partId: part.id, kind: 'malformed', reason, strippable: true });
    }
    if (files.unreadable && files.unreadable !== files.refused) {
      const reason = `the files inside the ${label} cannot all be listed: ${files.unreadable}`;
      findings.push({
        partId: part.id,
        kind: 'malformed',
        reason,
        strippable: true,
        unlisted: true,
        ...smime,
      });
    }
  }
  if (files.encrypted.length > 0) {
    const shown = files.encrypted.slice(0, 3).join(', ') + (files.encrypted.length > 3 ? ', …' : '');
    findings.push({
      partId: part.id,
      kind: 'malformed',
      reason: `encrypted files inside the ${label} cannot be inspected: ${shown}`,
      encrypted: true,
      strippable: true,
      ...smime,
    });
  }
}

/**
 * Adds names of files the part links to by address (a calendar ATTACH's), once each: the attachment policy checks
 * their extensions only (attacker round 69).
 */
export function addLinkedNames(part: MessagePart, names: readonly string[]): void {
  part.linkedNames = [...new Set([...(part.linkedNames ?? []), ...names])];
}

/**
 * Adds the declared types of unnamed files found inside the part (a client saves each under its type's extension),
 * once each, to those already found by another reader of the same part.
 */
export function addUnnamedTypes(part: MessagePart, types: readonly string[]): void {
  part.unnamedInnerTypes = [...new Set([...(part.unnamedInnerTypes ?? []), ...types])];
}
