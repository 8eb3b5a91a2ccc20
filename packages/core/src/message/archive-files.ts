import { eachZipEntry } from '../mime/zip-entries.js';
import { markupScanForName } from './active-markup.js';
import { sniffType } from './sniff.js';

/** The largest zip listed: WorkMail's messages are at most 25 MB, so a larger part cannot be one it delivers. */
export const MAX_LISTED_ARCHIVE = 40 * 1024 * 1024;
/** Inflated bytes, all nested archives together, read to list the archives inside an archive. */
const NESTED_BUDGET = 64 * 1024 * 1024;
const MAX_FILES = 10_000;
const MAX_DEPTH = 4;
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** The first bytes of each file sniffed: enough for every signature but ISO's (a disk image counts by name). */
const HEAD = 64;

/** What a zip archive holds, as far as it could be read. */
export interface ArchiveFiles {
  /** Each file's path in the archive, nested archives' files as `outer.zip/inner.zip/file`. */
  names: string[];
  /** The types the files' first bytes reveal. */
  sniffedTypes: string[];
  /** Files whose content is encrypted: named, not read. */
  encrypted: string[];
  /** Why the archive could not be listed whole (the files listed before it stand). */
  unreadable?: string;
  /** The first page inside (HTML, SVG…) that runs when opened, and what makes it so. */
  activeMarkup?: string;
}

/** Whether decoded bytes start as a zip archive does. */
export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && ZIP.every((b, i) => head[i] === b);
}

/**
 * Lists the files of a zip archive the way a client that opens it shows them (its central directory), with
 * the type each one's first bytes reveal, and the files of archives inside it, four levels deep. Bounded:
 * 10,000 files and 64 MiB inflated for nested archives. What cannot be read is said, so the part is
 * reported as what it is, something the walk could not inspect: `unreadable` (not a zip after all, zip64, a
 * truncated or damaged directory, an unknown compression, past a bound), `encrypted` (files named, not read).
 *
 * @example
 * ```ts
 * listZip(zipBytes); // { names: ['invoice.pdf.exe'], sniffedTypes: ['application/x-msdownload'] }
 * ```
 */
export function listZip(zip: Buffer): ArchiveFiles {
  const out: ArchiveFiles = { names: [], sniffedTypes: [], encrypted: [] };
  walk(zip, '', 0, out, { left: NESTED_BUDGET });
  return out;
}

function walk(zip: Buffer, prefix: string, depth: number, out: ArchiveFiles, budget: { left: number }): void {
  try {
    eachZipEntry(zip, budget.left, (entry) => {
      if (out.unreadable) return;
      if (out.names.length >= MAX_FILES) {
        out.unreadable = `more than ${MAX_FILES} files in the archive`;
        return;
      }
      const name = `${prefix}${entry.name}`;
      out.names.push(name);
      // 7-Zip and unzip extract the file under its Unicode Path name: both names are the file's.
      if (entry.unicodeName !== undefined) out.names.push(`${prefix}${entry.unicodeName}`);
      if (entry.name.endsWith('/')) return;
      let head: Buffer;
      try {
        head = entry.head(HEAD);
      } catch (error) {
        const reason = (error as Error).message;
        if (reason.endsWith(' is encrypted')) out.encrypted.push(name);
        else out.unreadable = reason;
        return;
      }
      const type = sniffType(head);
      if (type && !out.sniffedTypes.includes(type)) out.sniffedTypes.push(type);
      const page =
        out.activeMarkup === undefined
          ? (markupScanForName(entry.name) ?? markupScanForName(entry.unicodeName ?? ''))
          : undefined;
      if (page) {
        // A page inside an archive opens in the browser as one attached would: read whole, within the budget.
        page.push(entry.bytes());
        const found = page.end();
        if (found) out.activeMarkup = `${name}: ${found}`;
      }
      if (!isZip(head)) return;
      if (depth + 1 >= MAX_DEPTH) {
        out.unreadable = `archives nested more than ${MAX_DEPTH} deep`;
        return;
      }
      const inner = entry.bytes();
      budget.left -= inner.length;
      walk(inner, `${name}/`, depth + 1, out, budget);
    });
  } catch (error) {
    out.unreadable ??= `${prefix ? `${prefix.slice(0, -1)}: ` : ''}${(error as Error).message}`;
  }
}
