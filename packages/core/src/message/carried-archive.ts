import { isZip, listZip, MAX_LISTED_ARCHIVE } from './archive-files.js';
import { sniffType } from './sniff.js';

/** The archive types the first bytes of a file can show (sniff.ts): each one hides the files inside it. */
export const SNIFFED_ARCHIVE_TYPES: ReadonlySet<string> = new Set([
  'application/zip',
  'application/x-rar-compressed',
  'application/x-7z-compressed',
  'application/gzip',
]);

/** What an archive carried inside a part holds, as far as it could be read. */
export interface CarriedFiles {
  names: string[];
  sniffedTypes: string[];
  /** Why the files inside are not all known (not listed, cut, encrypted, too large): the part is refused. */
  problem?: string;
}

/**
 * A file carried inside a part's content (a file inside winmail.dat, a uuencoded file), read as its bytes
 * arrive. A client unpacks it and offers it as an attachment; when it is a zip, the client opens it as one
 * attached on its own, so its bytes are kept (up to {@link MAX_LISTED_ARCHIVE}) and its files listed at the
 * end like an attached zip's. An archive of another kind, or a zip that cannot be listed whole, is a problem:
 * what is inside it is not known.
 *
 * @example
 * ```ts
 * const carried = new CarriedArchive();
 * carried.push(zipBytes);
 * carried.end('application/zip'); // { names: ['invoice.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export class CarriedArchive {
  private chunks: Buffer[] = [];
  private size = 0;
  private zip?: boolean;
  private tooLarge = false;

  push(piece: Buffer): void {
    if (this.zip === false || this.tooLarge || piece.length === 0) return;
    this.chunks.push(piece);
    this.size += piece.length;
    if (this.zip === undefined && this.size >= 4) {
      this.zip = isZip(Buffer.concat(this.chunks).subarray(0, 4));
      if (!this.zip) this.chunks = [];
    }
    if (this.size > MAX_LISTED_ARCHIVE) {
      this.tooLarge = true;
      this.chunks = [];
    }
  }

  /** The file is over; `sniffed` is the type its first bytes show. Undefined when it is no archive. */
  end(sniffed: string | undefined): CarriedFiles | undefined {
    const bytes = Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.tooLarge && this.zip) {
      return { names: [], sniffedTypes: [], problem: `a zip over ${MAX_LISTED_ARCHIVE} bytes inside` };
    }
    return this.zip ? listCarriedZip(bytes) : notListed(sniffed);
  }
}

/**
 * The files of a carried file held whole (a TNEF property value): listed when it is a zip, a problem when it
 * is another archive, undefined when it is no archive.
 *
 * @example
 * ```ts
 * carriedFiles(zipBytes); // { names: ['invoice.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export function carriedFiles(bytes: Buffer): CarriedFiles | undefined {
  if (isZip(bytes)) return listCarriedZip(bytes);
  return notListed(sniffType(bytes));
}

function notListed(sniffed: string | undefined): CarriedFiles | undefined {
  if (!sniffed || !SNIFFED_ARCHIVE_TYPES.has(sniffed)) return undefined;
  return {
    names: [],
    sniffedTypes: [],
    problem: `an archive (${sniffed}) inside, whose files are not listed`,
  };
}

function listCarriedZip(bytes: Buffer): CarriedFiles {
  const files = listZip(bytes);
  const encrypted =
    files.encrypted.length > 0
      ? `encrypted files inside a zip inside: ${files.encrypted.slice(0, 3).join(', ')}`
      : undefined;
  const unreadable =
    files.unreadable && `the files of a zip inside cannot all be listed: ${files.unreadable}`;
  const problem = unreadable ?? encrypted;
  return { names: files.names, sniffedTypes: files.sniffedTypes, ...(problem ? { problem } : {}) };
}
