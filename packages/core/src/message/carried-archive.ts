import {
  isPackagingDocument,
  listArchive,
  MAX_LISTED_ARCHIVE,
  type PackagingDocument,
  packagingDocumentOf,
} from './archive-files.js';
import { type ArchiveKind, archiveKindOf, claimedArchiveKind, KIND_HEAD } from './archive-kind.js';
import { type KeptArchive, keepArchive, keptKind } from './part-archive.js';

/** What an archive carried inside a part holds, as far as it could be read. */
export interface CarriedFiles {
  names: string[];
  sniffedTypes: string[];
  /** Why the files inside are not all known (cut, encrypted, too large, a kind not read): the part is refused. */
  problem?: string;
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
  end(names: readonly string[] = []): CarriedFiles | undefined {
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
    return listed ? listCarried(bytes, listed, names) : misnamed(names);
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
export function carriedFiles(bytes: Buffer, names: readonly string[] = []): CarriedFiles | undefined {
  const head = bytes.subarray(0, KIND_HEAD);
  const kind = archiveKindOf(head) ?? packagingDocumentOf(head, true);
  return kind ? listCarried(bytes, kind, names) : misnamed(names);
}

// A document that packages files is no archive, but the files in it are listed as an archive's are.
function listCarried(
  bytes: Buffer,
  kind: ArchiveKind | PackagingDocument,
  names: readonly string[],
): CarriedFiles {
  const files = listArchive(bytes, kind, names);
  const label = isPackagingDocument(kind) ? `the ${kind}` : `a ${kind} archive`;
  const encrypted =
    files.encrypted.length > 0
      ? `encrypted files inside ${label} inside: ${files.encrypted.slice(0, 3).join(', ')}`
      : undefined;
  const unreadable =
    files.unreadable && `the files of ${label} inside cannot all be listed: ${files.unreadable}`;
  const problem = unreadable ?? encrypted;
  return { names: files.names, sniffedTypes: files.sniffedTypes, ...(problem ? { problem } : {}) };
}

/**
 * A file saved under an archive's name is opened as one (7-Zip reads formats it is not sure of, such as a tar
 * without its magic): when its content was not listed as that archive, what is inside is not known.
 * Undefined when no name claims an archive.
 *
 * @example
 * ```ts
 * misnamed(['old.tar'])?.problem; // 'a file named as a tar archive whose content was not listed as one'
 * ```
 */
export function misnamed(names: readonly string[]): CarriedFiles | undefined {
  const kind = claimedArchiveKind(names);
  if (!kind) return undefined;
  return {
    names: [],
    sniffedTypes: [],
    problem: `a file named as a ${kind} archive whose content was not listed as one`,
  };
}
