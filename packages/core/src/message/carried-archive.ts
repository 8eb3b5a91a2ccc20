import {
  isPackagingDocument,
  listArchive,
  MAX_LISTED_ARCHIVE,
  type PackagingDocument,
  packagingDocumentOf,
} from './archive-files.js';
import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from './archive-kind.js';
import { nameVariants } from './file-names.js';
import { isOfficePackageNamed } from './markup-names.js';
import { type KeptArchive, keepArchive, keptKind } from './part-archive.js';
import { isPlaylistNamed } from './playlist-links.js';

/** What an archive carried inside a part holds, as far as it could be read. */
export interface CarriedFiles {
  names: string[];
  sniffedTypes: string[];
  /** The FMTTYPEs of unnamed inline files of calendars inside, by which a client names them. */
  unnamedTypes?: string[];
  /** Names of files calendars inside link to by address, judged by their extensions only (see calendar-names.ts). */
  linkedNames?: string[];
  /** Why the files inside are not all known (cut, encrypted, too large, a kind not read): the part is refused. */
  problem?: string;
  /**
   * A page inside that runs when opened, when the caller decides (`deferPage`): read as in a folder whatever the
   * archive is named, so that the names a client saves it under, known later, say whether it opens in Office.
   */
  page?: string;
}

/**
 * A file carried inside a part's content (a file inside winmail.dat, a uuencoded file), read as its bytes
 * arrive. A client unpacks it and offers it as an attachment; when it is an archive (zip, RAR, 7z, tar, gzip,
 * cab…), the client opens it as one attached on its own, so its bytes are kept (up to
 * {@link MAX_LISTED_ARCHIVE}) and its files listed at the end like an attached archive's. An archive that
 * cannot be listed whole is a problem: what is inside it is not known.
 *
 * @example
 * ```ts
 * const carried = new CarriedArchive();
 * carried.push(zipBytes);
 * carried.end(); // { names: ['invoice.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export class CarriedArchive {
  // Kept as a part's content is: until the first bytes show no archive, or past the size listed.
  private readonly kept: KeptArchive = { chunks: [], size: 0 };
  private watching = true;

  push(piece: Buffer): void {
    if (!this.watching || piece.length === 0) return;
    this.watching = keepArchive(this.kept, piece);
    if (!this.watching && !this.kept.tooLarge) this.kept.chunks = [];
  }

  /**
   * The file is over: the files of the archive it is, undefined when it is no archive. `names` are the
   * names a client saves it under, which name the one file of a compressed file (`invoice.exe.bz2`).
   */
  end(names: readonly string[] = [], deferPage = false): CarriedFiles | undefined {
    const kept = this.kept;
    this.watching = false;
    if (kept.tooLarge) {
      return { names: [], sniffedTypes: [], problem: `an archive over ${MAX_LISTED_ARCHIVE} bytes inside` };
    }
    const kind = keptKind(kept);
    const bytes = Buffer.concat(kept.chunks);
    kept.chunks = [];
    // A carried PDF is read as a file, not listed (see packagingDocumentOf).
    const listed = kind ?? (kept.document === 'PDF document' ? undefined : kept.document);
    return listed ? listCarried(bytes, listed, names, deferPage) : misnamed(names);
  }
}

/**
 * The files of a carried file held whole (a TNEF property value) when it is an archive, with why they are
 * not all known; undefined when it is no archive.
 *
 * @example
 * ```ts
 * carriedFiles(zipBytes); // { names: ['invoice.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export function carriedFiles(
  bytes: Buffer,
  names: readonly string[] = [],
  deferPage = false,
): CarriedFiles | undefined {
  const head = bytes.subarray(0, KIND_HEAD);
  const kind = archiveKindOf(head) ?? packagingDocumentOf(head, true);
  return kind ? listCarried(bytes, kind, names, deferPage) : misnamed(names);
}

// A document that packages files is no archive, but the files in it are listed as an archive's are. A page inside
// that runs when opened is read by the page scan (the archive's names saying whether it is an Office document,
// whose parts are XML no one browses): a problem, or, `deferPage`, left to the caller, who learns the names later
// (attacker round 68: a script page named `word/document.xml` in a plain zip carried in a winmail.dat was judged
// by that name alone, which an Office document's part has).
function listCarried(
  bytes: Buffer,
  kind: ArchiveKind | PackagingDocument,
  names: readonly string[],
  deferPage: boolean,
): CarriedFiles {
  const files = listArchive(bytes, kind, names);
  const label = isPackagingDocument(kind) ? `the ${kind}` : `a ${kind} archive`;
  const encrypted =
    files.encrypted.length > 0
      ? `encrypted files inside ${label} inside: ${files.encrypted.slice(0, 3).join(', ')}`
      : undefined;
  const unreadable =
    files.unreadable && `the files of ${label} inside cannot all be listed: ${files.unreadable}`;
  const page = files.activeMarkup && `a page inside ${label} inside runs when opened: ${files.activeMarkup}`;
  const problem = unreadable ?? encrypted ?? (deferPage ? undefined : page);
  return {
    names: files.names,
    sniffedTypes: files.sniffedTypes,
    ...(files.unnamedTypes ? { unnamedTypes: files.unnamedTypes } : {}),
    ...(files.linkedNames ? { linkedNames: files.linkedNames } : {}),
    ...(problem ? { problem } : {}),
    ...(deferPage && page ? { page } : {}),
  };
}

/**
 * Why a file carried in a part is refused for the page its archive holds ({@link CarriedFiles.page}), now that the
 * names a client saves it under are known: unless every one is an Office document's (`report.docx`), which opens
 * in Office rather than as a folder of files.
 *
 * @example
 * ```ts
 * carriedPageProblem(files.page, ['invoice.zip']); // 'a page inside a zip archive inside runs when opened: …'
 * ```
 */
export function carriedPageProblem(page: string | undefined, names: readonly string[]): string | undefined {
  return page && !isOfficePackageNamed(names) ? page : undefined;
}

/**
 * A file saved under an archive's name is opened as one (7-Zip reads formats it is not sure of, such as a tar
 * without its magic): when its content was not listed as that archive, what is inside is not known. A playlist's
 * entries are not read either. Undefined when no name claims an archive or a playlist.
 *
 * @example
 * ```ts
 * misnamed(['old.tar'])?.problem; // 'a file named as a tar archive whose content was not listed as one'
 * ```
 */
export function misnamed(names: readonly string[]): CarriedFiles | undefined {
  // A playlist carried so (in a winmail.dat, uuencoded) is not kept to be read: its entries, which the player opens as
  // the list opens, may be on another computer (attacker round 119). Not knowing is not allowing.
  const playlist = names.find((name) => nameVariants(name).some(isPlaylistNamed));
  if (playlist !== undefined)
    return {
      names: [],
      sniffedTypes: [],
      problem: `a playlist inside (${playlist}) whose entries are not read`,
    };
  const kind = claimedArchiveKind(names);
  if (!kind) return undefined;
  return {
    names: [],
    sniffedTypes: [],
    problem: `a file named as a ${kind} archive whose content was not listed as one`,
  };
}
