import { gunzipSync } from 'node:zlib';
import { DecodedBudgetError } from '../mime/decoded-budget.js';
import type { ArchiveEntry } from './archive-entry.js';
import { type ArchiveKind, archiveKindOf, innerFileName, KIND_HEAD } from './archive-kind.js';

// Compressed files hold one file. gzip is inflated (node's zlib, within the budget) and names it in its
// header (FNAME) or by the compressed file's name; bzip2, xz, lzip, zstd, compress, lzma, brotli, zlib, lz4 and lzo are not
// decoded: the one file is named after the compressed file (`invoice.exe.bz2` holds `invoice.exe`), and a
// compressed file whose name does not say what it holds cannot be listed.

// Formats with no signature, known by their names alone.
const BY_NAME_ONLY = new Set<ArchiveKind>(['lzma', 'brotli', 'zlib']);

/**
 * Visits the one file of a compressed file with the given names (each name a client may save it under
 * gives the file a name); throws when it cannot be named or read.
 *
 * @example
 * ```ts
 * eachCompressedEntry(bytes, 'xz', 'invoice.exe.xz', 1 << 20, (entry) => console.log(entry.name)); // invoice.exe
 * ```
 */
export function eachCompressedEntry(
  data: Buffer,
  kind: ArchiveKind,
  names: readonly string[],
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  if (archiveKindOf(data.subarray(0, KIND_HEAD)) !== kind && !BY_NAME_ONLY.has(kind))
    throw new Error(`not a ${kind} file`);
  const inner = [...new Set(names.map(innerFileName).filter((n) => n !== undefined))];
  if (kind === 'gzip') {
    const named = headerName(data);
    const entry = gzipEntry(data, named ?? inner[0] ?? '', maxBytes);
    visit(entry);
    // The same content (decoded once) saved under another name, as gunzip and libarchive name it: checked
    // under that name too (a page named index.html whose header says readme.txt).
    for (const other of inner) if (other !== entry.name) visit({ ...entry, name: other });
    return;
  }
  if (inner.length === 0) throw new Error(`the name of the file inside a ${kind} file is not known`);
  // `data.xz` holds `data`: no extension says what it is (a tar, which libarchive and 7-Zip open inside).
  const bare = inner.find((name) => !/[^/.][^/]*\.[^/.]+$/.test(name));
  if (bare !== undefined)
    throw new Error(`the name of the file inside a ${kind} file (${bare}) does not say what it holds`);
  for (const name of inner) visit({ name });
}

function gzipEntry(data: Buffer, name: string, maxBytes: number): ArchiveEntry {
  let content: Buffer | undefined;
  const bytes = () => {
    try {
      content ??= gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (error) {
      if (error instanceof RangeError) throw new DecodedBudgetError('over the decoded bytes budget');
      throw new Error((error as Error).message);
    }
    return content;
  };
  return {
    name,
    head: (max) => bytes().subarray(0, max),
    bytes,
  };
}

// FNAME (flag 8), after the optional extra field (flag 4): a Latin-1 C string, which gunzip -N extracts under.
function headerName(data: Buffer): string | undefined {
  const flags = data[3] ?? 0;
  if (!(flags & 0x08)) return undefined;
  let p = 10;
  if (flags & 0x04) p += 2 + (data.length >= 12 ? data.readUInt16LE(10) : 0);
  const end = data.indexOf(0, p);
  if (end < 0 || end - p > 4096) throw new Error('a gzip header name without its end');
  const full = data.toString('latin1', p, end);
  return full.slice(Math.max(full.lastIndexOf('/'), full.lastIndexOf('\\')) + 1);
}
