import { type ArchiveEntry, storedEntry } from './archive-entry.js';
import { hasOverlongAscii } from './overlong-utf8.js';

// A tar archive walked block by block, as GNU tar and 7-Zip list it: ustar names with their prefix, GNU long
// names (`././@LongLink`, type L), pax `path=` and `GNU.sparse.name=` records (type x; global ones, type g,
// too), and a pax `size=` only when it agrees with the header's. Each header's checksum is checked: a reader
// that meets a bad one stops, so the files after it are not the same to all.

const BLOCK = 512;
// Headers that describe the next file rather than being one.
const EXTENDED = new Set(['L', 'K', 'x', 'g', 'V']);

/**
 * Calls `visit` for each file of a tar archive, folders included; throws when the archive cannot be read
 * to its end (a bad checksum, a size past the end, a long name with no file after it).
 *
 * @example
 * ```ts
 * eachTarEntry(tar, 1 << 20, (entry) => console.log(entry.name));
 * ```
 */
export function eachTarEntry(tar: Buffer, _maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  let p = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let sparseName: string | undefined;
  let globalPath: string | undefined;
  let paxSize: string | undefined;
  let paxLink: string | undefined;
  let longLink: string | undefined;
  // An extended header (L or x) read and the file it describes not yet.
  let pending = false;
  while (p + BLOCK <= tar.length) {
    const header = tar.subarray(p, p + BLOCK);
    if (header.every((b) => b === 0)) {
      if (pending) throw new Error('an extended header with no file after it');
      return;
    }
    if (!checksumOk(header)) throw new Error(`bad header checksum at ${p}`);
    const size = octal(header.subarray(124, 136));
    // Solaris tar's `X` is a pax header by another letter: GNU tar, libarchive and 7-Zip read it as one.
    const flag = String.fromCharCode(header[156] ?? 0);
    const type = flag === 'X' ? 'x' : flag;
    const start = p + BLOCK;
    // GNU tar and 7-Zip read the next header right after a hard link or a folder, whatever its size says;
    // libarchive may skip the size: the files after it are not the same to all.
    // Old GNU sparse files (S) may continue their header into blocks that no size counts.
    if (type === 'S' && header[482] !== 0) throw new Error(`a sparse file's extended header at ${p}`);
    if ((type === '1' || type === '5') && size > 0) throw new Error(`a link or folder with a size at ${p}`);
    // GNU tar skips a volume label's size; libarchive before its 2024 rewrite of the tar reader (3.7.2, behind Windows
    // 11's tar.exe) reads the next header right after the label: a file in that "data" is extracted by it alone
    // (attacker round 82). GNU tar writes labels of no size.
    if (type === 'V' && size > 0) throw new Error(`a volume label with a size at ${p}`);
    if (size < 0 || start + size > tar.length) throw new Error(`size past the end of the archive at ${p}`);
    // A pax `size` record replaces the header's for GNU tar, libarchive, 7-Zip and Python, but not for a tool
    // that knows no pax: when the two differ, the next header is not in the same place for all.
    if (paxSize !== undefined && !EXTENDED.has(type)) {
      if (!/^[0-9]{1,16}$/.test(paxSize) || Number(paxSize) !== size)
        throw new Error(`a pax size ${paxSize.slice(0, 24)} unlike the header's ${size} at ${p}`);
      paxSize = undefined;
    }
    p = start + Math.ceil(size / BLOCK) * BLOCK;
    const data = tar.subarray(start, start + size);
    pending = type === 'L' || type === 'x';
    if (type === 'L') longName = cString(data);
    else if (type === 'x') {
      paxPath = paxRecord(data, 'path') ?? paxPath;
      sparseName = paxRecord(data, 'GNU.sparse.name') ?? sparseName;
      paxSize = paxRecord(data, 'size') ?? paxSize;
      paxLink = paxRecord(data, 'linkpath') ?? paxLink;
    } else if (type === 'g') {
      globalPath = paxRecord(data, 'path') ?? globalPath;
      // Only GNU tar applies a global size to the files after it.
      if (paxRecord(data, 'size') !== undefined) throw new Error(`a global pax header with a size at ${p}`);
    } else if (type === 'K') longLink = cString(data);
    else if (EXTENDED.has(type))
      continue; // V (a volume label) names no file
    else {
      // Tools differ in which name wins (GNU tar and libarchive take GNU.sparse.name over path, 7-Zip the
      // path, a tool that knows neither the header's): the file is visited under each.
      const names = [paxPath, sparseName, longName, globalPath, headerName(header)];
      // Where a link points, under each name a tool may take (pax first, GNU's long link name, the header's).
      const linkTargets =
        type === '1' || type === '2'
          ? [
              ...new Set(
                [paxLink, longLink, cString(header.subarray(157, 257))].filter((n) => n !== undefined),
              ),
            ]
          : [];
      longName = undefined;
      paxPath = undefined;
      sparseName = undefined;
      paxLink = undefined;
      longLink = undefined;
      for (const name of new Set(names.filter((n): n is string => n !== undefined && n !== ''))) {
        const dir = type === '5' || name.endsWith('/');
        // A hard link is extracted as a second name of its target, with the target's mode, which is not
        // followed here: taken as executable (attacker round 38: `Invoice` linked to a 0755 `notes.txt` runs).
        const kind = dir
          ? { dir: true }
          : type === '1'
            ? { link: true, hardLink: true, linkTargets, executable: true }
            : type === '2'
              ? { link: true, linkTargets }
              : isFile(type) && executableMode(fileMode(header.subarray(100, 108)))
                ? { executable: true }
                : {};
        visit(storedEntry(tar, start, isFile(type) ? size : 0, { name, ...kind }));
      }
    }
  }
  if (p < tar.length) throw new Error('truncated header at the end of the archive');
  if (pending) throw new Error('an extended header with no file after it');
}

// Symbolic links, devices and FIFOs carry no content of their own (their data, if any, is skipped by all);
// any other type, unknown ones and GNU sparse (S) included, GNU tar and 7-Zip extract as a regular file.
function isFile(type: string): boolean {
  return !['1', '2', '3', '4', '5', '6'].includes(type);
}

function headerName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const ustar = header.toString('latin1', 257, 262) === 'ustar';
  const prefix = ustar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return utf8Name(bytes.subarray(0, nul < 0 ? bytes.length : nul));
}

// A name read as UTF-8. An overlong form of an ASCII character is U+FFFD here and that character to decoders that
// do not check for overlong forms (7-Zip before 21.02 reads a tar's names as UTF-8 when they decode): refused
// (attacker round 62).
function utf8Name(bytes: Buffer): string {
  if (hasOverlongAscii(bytes))
    throw new Error('a file name with an overlong UTF-8 form of an ASCII character');
  return bytes.toString('utf8');
}

function executableMode(mode: number): boolean {
  return mode > 0 && (mode & 0o111) !== 0;
}

/**
 * A mode field as the extractors read it: GNU tar and libarchive take the leading octal digits after blanks and
 * stop at the first other character (`0755 64` and `000755x` are 0755; attacker round 39). A field with text but
 * no such digits cannot be read, and is taken as executable.
 */
function fileMode(field: Buffer): number {
  // GNU's base-256 (negative too): the extractors keep a mode's low twelve bits, however large the number.
  if ((field[0] ?? 0) & 0x80)
    return field.length >= 2 ? field.readUInt16BE(field.length - 2) & 0o7777 : 0o777;
  const text = field.toString('latin1');
  const digits = /^[ \t]*([0-7]+)/.exec(text)?.[1];
  if (digits !== undefined) return Number.parseInt(digits, 8);
  return /^[ \t\0]*$/.test(text) ? 0 : 0o777;
}

// Octal digits (spaces and NULs around them), or GNU's base-256 for large sizes (first byte 0x80).
function octal(field: Buffer): number {
  if ((field[0] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n > Number.MAX_SAFE_INTEGER ? -1 : n;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : -1;
}

/**
 * Whether a block is a tar header by its checksum, as GNU tar, libarchive and 7-Zip recognise a tar (a tar
 * written before POSIX has no magic): a name and a checksum that holds.
 */
export function isTarHeader(block: Buffer): boolean {
  // A first name may be empty (GNU tar extracts it as `.`): the checksum, which an all-zero block fails, decides.
  return block.length >= BLOCK && checksumOk(block.subarray(0, BLOCK));
}

function checksumOk(header: Buffer): boolean {
  const stored = octal(header.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

// Pax records: `<length> <key>=<value>\n`, one after the other; the last one for the key wins.
function paxRecord(data: Buffer, key: string): string | undefined {
  let found: string | undefined;
  let p = 0;
  while (p < data.length) {
    // The length is a few digits: a search bounded so that a run of zeros cannot make the walk quadratic.
    // Decimal digits only, and the record ends with a line feed: GNU tar stops at a record it cannot read
    // while others read on, so the names after it are not the same to all.
    const space = data.subarray(p, p + 21).indexOf(0x20) + p;
    const digits = space < p + 1 ? '' : data.toString('latin1', p, space);
    const length = /^[0-9]{1,20}$/.test(digits) ? Number(digits) : Number.NaN;
    if (
      !Number.isSafeInteger(length) ||
      length <= 0 ||
      p + length > data.length ||
      data[p + length - 1] !== 0x0a
    )
      throw new Error('a malformed pax header');
    const record = data.subarray(space + 1, p + length - 1);
    // Only the record asked for is read as a name (other records may hold binary values: SCHILY.xattr.*).
    if (record.toString('latin1', 0, key.length + 1) === `${key}=`)
      found = utf8Name(record.subarray(key.length + 1));
    p += length;
  }
  return found;
}
