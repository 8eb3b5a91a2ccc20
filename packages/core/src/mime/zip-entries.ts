import { TextDecoder } from 'node:util';
import { constants, inflateRawSync } from 'node:zlib';
import { hasOverlongAscii } from '../message/overlong-utf8.js';
import { DecodedBudgetError } from './decoded-budget.js';

// A bounded central-directory walk over a zip archive in memory, with node's inflate (no dependency): what
// cannot be read (not a zip, zip64, an encrypted or unknown-method entry, a truncated archive, more than the
// budget) is an error, so a caller can report the archive as unread. So is a zip that extractors would read
// otherwise: a directory that does not end at the end record, bytes before the first listed file, local
// headers that name, compress, encrypt or size a file unlike the directory.

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** One entry of a zip archive, read on demand. */
export interface ZipEntry {
  name: string;
  /**
   * The name in an Info-ZIP Unicode Path extra field (0x7075) when it differs: 7-Zip and unzip extract the
   * file under it, not under `name`.
   */
  unicodeName?: string;
  /**
   * The name as 7-Zip and Explorer list it on a Japanese Windows (Shift_JIS, code page 932) when it is not flagged
   * UTF-8 and reads otherwise: `82 53` is the full-width digit ４ there, U+FFFD as UTF-8.
   */
  codePageName?: string;
  /** A Unix symbolic link (its content is the path it points to), which unzip and macOS extract as one. */
  link?: boolean;
  /** A regular file with a Unix execute bit, which unzip and macOS extract as executable. */
  executable?: boolean;
  /**
   * The first bytes of the entry (at most `max`), inflating only the start of its data (what that start
   * inflates to counts against the budget).
   */
  head(max: number): Buffer;
  /** The whole entry, within the budget left; throws when it cannot be read. */
  bytes(): Buffer;
}

/**
 * Calls `visit` for each entry of a zip archive in central-directory order; whole entries read through it
 * count against `maxBytes`. Throws when the archive or an entry read whole cannot be read.
 *
 * @example
 * ```ts
 * eachZipEntry(zip, 50 * 1024 * 1024, (entry) => {
 *   if (entry.name.endsWith('.xml')) console.log(entry.bytes().toString('utf8'));
 * });
 * ```
 */
export function eachZipEntry(zip: Buffer, maxBytes: number, visit: (entry: ZipEntry) => void): void {
  const end = endRecord(zip);
  const count = zip.readUInt16LE(end + 10);
  const size = zip.readUInt32LE(end + 12);
  const offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error('zip64 archives are not read');
  // A split (spanned) zip's last part: its files live in the other parts (.z01…), which 7-Zip reads.
  if (
    zip.readUInt16LE(end + 4) !== 0 ||
    zip.readUInt16LE(end + 6) !== 0 ||
    zip.readUInt16LE(end + 8) !== count
  )
    throw new Error('a zip split into several files is not read');
  if (offset + size > zip.length) throw new Error('central directory past the end of the file');
  // libarchive and Python read the directory that ends at the end record, whatever offset it gives.
  if (offset + size !== end && !zip64EndBetween(zip, offset, size, count, end))
    throw new Error('the central directory does not end at the end record');
  let total = 0;
  let p = offset;
  let firstLocal = Number.POSITIVE_INFINITY;
  // Where each listed file's local header, data and descriptor lie: [start, end) pairs (attacker round 78).
  const extents: number[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) throw new Error('bad central directory');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressed = zip.readUInt32LE(p + 20);
    const uncompressed = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    firstLocal = Math.min(firstLocal, local);
    if (zip.readUInt16LE(p + 34) !== 0) throw new Error('a zip split into several files is not read');
    const rawName = zip.subarray(p + 46, p + 46 + nameLength);
    const name = rawName.toString('utf8');
    const extraLength = zip.readUInt16LE(p + 30);
    const frame = localFrame(
      zip,
      local,
      { compressed, uncompressed, crc },
      { name, raw: rawName, method, flags },
      maxBytes,
    );
    extents.push(local, frame.end);
    // unzip extracts under the last Unicode Path field, 7-Zip under the first, a streaming extractor under the local
    // header's: two that differ are two names to two readers (attacker round 78).
    const localNameEnd = local + 30 + zip.readUInt16LE(local + 26);
    const centralPath = unicodePath(zip, p + 46 + nameLength, extraLength, name);
    const localPath = unicodePath(zip, localNameEnd, zip.readUInt16LE(local + 28), name);
    if (centralPath && localPath && !centralPath.equals(localPath))
      throw new Error(`${name}: the local header's Unicode Path name differs from the directory's`);
    const unicodeBytes = centralPath ?? localPath;
    const unicodeName = unicodeBytes?.toString('utf8');
    const codePageName = (flags & UTF8_FLAG) === 0 ? shiftJisName(rawName) : undefined;
    // The host that made the entry (version made by, high byte).
    const host = zip[p + 5] ?? 0;
    // 7-Zip before 21.02 decodes a name it reads as UTF-8 (flagged so, made on Unix, or a Unicode Path field)
    // without refusing overlong forms: `C0 AE` is a dot to it, U+FFFD here (attacker round 62). A name from a
    // Windows host and not flagged is read in the OEM code page, where those bytes are no dot, and where Japanese
    // half-width katakana (`C0 B1`, ﾀｱ in Shift_JIS) would look overlong: not checked.
    const readAsUtf8 = (flags & UTF8_FLAG) !== 0 || !WINDOWS_HOSTS.has(host);
    if (
      (readAsUtf8 && hasOverlongAscii(rawName)) ||
      (unicodeBytes !== undefined && hasOverlongAscii(unicodeBytes))
    )
      throw new Error(`${name}: a file name with an overlong UTF-8 form of an ASCII character`);
    // The high half of the external attributes: made by Unix (3), the file's mode (S_IFLNK: a link). UnZip
    // (macOS's too) takes it as a Unix mode from any host but the Windows and OS/2 file systems, ignores its
    // file type, and falls back to the ASi extra field's: any execute bit there counts.
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    // UnZip 6.0 makes a symbolic link of an S_IFLNK entry from VMS, Unix, Atari, BeOS and AtheOS hosts alike (attacker
    // round 97: one from BeOS was read as a file, and a file written through it was not seen).
    const link = LINK_HOSTS.has(host) && mode >>> 12 === 0xa;
    const unixMode = WINDOWS_HOSTS.has(host) ? 0 : mode;
    const asi = asiMode(zip, p + 46 + nameLength, extraLength);
    // A Unix link's own mode is no file's; one from another host keeps counting as it did before round 97.
    const executable = !(link && host === 3) && ((unixMode & 0o111) !== 0 || (asi & 0o111) !== 0);
    p += 46 + nameLength + extraLength + zip.readUInt16LE(p + 32);
    let headBytes: Buffer | undefined;
    // The local header was checked against this entry above (localFrame): its data is where it frames it.
    const data = () => {
      if (flags & 1) throw new Error(`${name} is encrypted`);
      return zip.subarray(frame.data, frame.data + compressed);
    };
    visit({
      name,
      ...(unicodeName !== undefined && unicodeName !== name ? { unicodeName } : {}),
      ...(codePageName !== undefined && codePageName !== name ? { codePageName } : {}),
      ...(link ? { link } : {}),
      ...(executable ? { executable } : {}),
      head: (max) => {
        // A few compressed bytes can inflate to a thousand times as many: what a head inflates counts too,
        // once (a longer head asked for later counts only what it adds).
        if (headBytes === undefined || headBytes.length < max) {
          const inflated = entryHead(data(), method, max, name);
          total += inflated.length - (headBytes?.length ?? 0);
          headBytes = inflated;
          if (total > maxBytes) throw new DecodedBudgetError(`over the decoded bytes budget at ${name}`);
        }
        return headBytes.subarray(0, max);
      },
      bytes: () => {
        const bytes = inflate(data(), method, maxBytes - total, name);
        total += bytes.length;
        return bytes;
      },
    });
  }
  // Readers that walk the directory by its size (7-Zip, Python) list entries past the end record's count.
  if (p !== offset + size)
    throw new Error('the central directory does not hold just the entries its end record counts');
  // 7-Zip also extracts a file that only a local header before the listed ones names, or the first of two
  // archives put one after the other: nothing may come before the first listed file.
  if (count > 0 && firstLocal !== 0) throw new Error('data before the first file the directory lists');
  // A streaming extractor (Java's ZipInputStream and `jar`, libarchive reading a stream) walks the local headers one
  // after the other: a local header the directory does not list, right after a listed file or before the directory,
  // is a file it extracts and the directory's readers do not show (attacker round 78). The listed files must fill
  // every byte from the start to the directory, each right after the one before.
  coverUpTo(extents, offset);
}

/** Throws unless the [start, end) pairs in `extents` cover [0, `until`) end to end, without gaps or overlaps. */
function coverUpTo(extents: number[], until: number): void {
  const order = Array.from({ length: extents.length / 2 }, (_, i) => i).sort(
    (a, b) => (extents[2 * a] ?? 0) - (extents[2 * b] ?? 0),
  );
  let at = 0;
  for (const i of order) {
    if (extents[2 * i] !== at)
      throw new Error(
        'bytes between the listed files that the directory does not list (a hidden local header?)',
      );
    at = extents[2 * i + 1] ?? 0;
  }
  if (at !== until) throw new Error('bytes between the last listed file and the directory');
}

/**
 * Where the data of the file whose local header is at `local` starts, and where the file ends: after its data and,
 * when its local header says one follows (flag 8), its data descriptor. Throws when the local header does not frame
 * the file the directory describes: another name, encryption, compression or size, which a streaming extractor
 * reads. Checked for every entry, also one whose bytes are never read here (a symbolic link, whose local header
 * named `invoice.exe` under a directory entry `notes`; attacker round 78).
 */
function localFrame(
  zip: Buffer,
  local: number,
  sizes: Sizes,
  entry: { name: string; raw: Buffer; method: number; flags: number },
  maxBytes: number,
): { data: number; end: number } {
  const { name } = entry;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
    throw new Error(`${name}: bad local header`);
  const localName = zip.subarray(local + 30, local + 30 + zip.readUInt16LE(local + 26));
  if (!localName.equals(entry.raw)) throw new Error(`${name}: the local header names it otherwise`);
  if ((zip.readUInt16LE(local + 6) & 1) !== (entry.flags & 1))
    throw new Error(`${name}: the local header's encryption differs from the directory's`);
  if (zip.readUInt16LE(local + 8) !== entry.method)
    throw new Error(`${name}: the local header's compression differs from the directory's`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const dataEnd = start + sizes.compressed;
  if (dataEnd > zip.length) throw new Error(`${name}: truncated`);
  if (!(zip.readUInt16LE(local + 6) & 8)) {
    if (!localSizesAgree(zip, local, sizes))
      throw new Error(`${name}: the local header's sizes differ from the directory's`);
    return { data: start, end: dataEnd };
  }
  const zip64 = extraField(
    zip,
    local + 30 + zip.readUInt16LE(local + 26),
    zip.readUInt16LE(local + 28),
    0x0001,
    () => true,
  );
  const length = descriptorLength(zip, dataEnd, sizes, zip64 !== undefined);
  if (length === 0) throw new Error(`${name}: the local header's sizes differ from the directory's`);
  // Stored data of unknown size ends, for libarchive reading a stream, at the first descriptor signature whose CRC
  // and size fit the bytes before it: one planted inside ends the file early, and the rest reads as local headers.
  if (entry.method === 0 && zip.subarray(start, dataEnd).includes(DESCRIPTOR))
    throw new Error(`${name}: stored data of unknown size holding a data descriptor's signature`);
  // Deflated data of unknown size ends, for a streaming extractor (Java's ZipInputStream, libarchive reading a
  // stream), where its deflate stream ends: a descriptor and a local header after that end, inside the size the
  // directory gives, are a file only it extracts (attacker round 110). Data compressed otherwise (bzip2, LZMA, xz,
  // zstd, which libarchive reads) is not decoded here: holding a local header's signature, where it ends is not known.
  const span = zip.subarray(start, dataEnd);
  if (entry.method === 8 && deflateEndsEarly(span, maxBytes, name))
    throw new Error(
      `${name}: a local header after its deflate stream's end, inside the size the directory gives (a file a streaming extractor reads)`,
    );
  if (entry.method !== 0 && entry.method !== 8 && span.includes(LOCAL_SIGNATURE))
    throw new Error(
      `${name}: data of unknown size, compressed with method ${entry.method}, holding a local header's signature`,
    );
  return { data: start, end: dataEnd + length };
}

/**
 * Whether deflated data ends before its last byte with a local header's signature in what is left. Only data holding
 * that signature is inflated (a zip deflated in stored blocks, or one crafted), once, within `budget` decoded bytes;
 * what cannot be inflated, or not within the budget, cannot be told and throws.
 */
function deflateEndsEarly(data: Buffer, budget: number, name: string): boolean {
  if (!data.includes(LOCAL_SIGNATURE)) return false;
  let consumed: number;
  try {
    // `info` answers the engine too, whose bytesWritten is the compressed bytes the stream took up to its end.
    const options = { info: true, maxOutputLength: Math.max(1, budget) };
    const inflated = inflateRawSync(data, options) as unknown as { engine: { bytesWritten: number } };
    consumed = inflated.engine.bytesWritten;
  } catch (error) {
    throw new Error(
      `${name}: where its deflated data ends cannot be told (${error instanceof RangeError ? 'over the decoded bytes budget' : (error as Error).message})`,
    );
  }
  return consumed < data.length && data.includes(LOCAL_SIGNATURE, consumed);
}

// MS-DOS/FAT (0), OS/2 HPFS (6), NTFS (11) and VFAT (14) keep DOS attributes, not a Unix mode.
const WINDOWS_HOSTS = new Set([0, 6, 11, 14]);
// The hosts whose S_IFLNK entries UnZip 6.0 extracts as symbolic links (SYMLINK_HOST: VMS, Unix, Atari, BeOS, AtheOS).
const LINK_HOSTS = new Set([2, 3, 5, 16, 30]);
// General purpose flag bit 11: the name and comment are UTF-8.
const UTF8_FLAG = 0x800;

// A name not flagged UTF-8 is listed by 7-Zip and Explorer in the system's code page (attacker round 66): read as a
// Japanese Windows reads it (WHATWG's shift_jis is code page 932), when it holds a byte above ASCII.
let SHIFT_JIS: TextDecoder | undefined;
function shiftJisName(raw: Buffer): string | undefined {
  if (!raw.some((b) => b >= 0x80)) return undefined;
  SHIFT_JIS ??= new TextDecoder('shift_jis');
  return SHIFT_JIS.decode(raw);
}

/** The first extra field of type `id`, among the `length` bytes of them at `at`, whose data `fits`. */
function extraField(
  zip: Buffer,
  at: number,
  length: number,
  id: number,
  fits: (data: number, size: number) => boolean,
): { data: number; size: number } | undefined {
  for (const field of extraFields(zip, at, length, id)) if (fits(field.data, field.size)) return field;
  return undefined;
}

/** Every extra field with `id` among the `length` bytes of extra fields at `at`, in order: its data's start and size. */
function* extraFields(
  zip: Buffer,
  at: number,
  length: number,
  id: number,
): Generator<{ data: number; size: number }> {
  const end = Math.min(zip.length, at + length);
  for (let q = at; q + 4 <= end; ) {
    const size = zip.readUInt16LE(q + 2);
    if (zip.readUInt16LE(q) === id && q + 4 + size <= end) yield { data: q + 4, size };
    q += 4 + size;
  }
}

/** The file mode an ASi Unix extra field (0x756e: CRC, then the mode) gives, or 0. */
function asiMode(zip: Buffer, at: number, length: number): number {
  const field = extraField(zip, at, length, 0x756e, (_, size) => size >= 6);
  return field ? zip.readUInt16LE(field.data + 4) : 0;
}

/**
 * The name (UTF-8 bytes) the Info-ZIP Unicode Path extra fields (0x7075, version 1) among the extra fields at `at`
 * give; throws when two give different names (unzip takes the last, 7-Zip the first).
 */
function unicodePath(zip: Buffer, at: number, length: number, name: string): Buffer | undefined {
  let found: Buffer | undefined;
  for (const { data, size } of extraFields(zip, at, length, 0x7075)) {
    if (size < 5 || zip[data] !== 1) continue;
    const path = zip.subarray(data + 5, data + size);
    if (found && !found.equals(path)) throw new Error(`${name}: two Unicode Path names`);
    found = path;
  }
  return found;
}

function endRecord(zip: Buffer): number {
  // The end record is the last 22 bytes, unless a comment (at most 65,535 bytes) follows it.
  const last = Math.max(0, zip.length - 22 - 0xffff);
  let found = -1;
  // Whether a reader checking the comment's length takes the record at `i`: its comment ends the file.
  const endsFile = (i: number) => i + 22 + zip.readUInt16LE(i + 20) === zip.length;
  for (let i = zip.length - 22; i >= last; i--) {
    if (zip.readUInt32LE(i) !== EOCD) continue;
    // A second end record (one hidden in the comment of the other) is two archives to two readers. One no reader
    // takes (a zip stored as the last file, as Info-ZIP stores a .zip, its comment not reaching the end, before the
    // last record, whose does) is data (false-positive round 11).
    if (found !== -1 && (endsFile(i) || !endsFile(found)))
      throw new Error('two end records: readers would list different files');
    if (found === -1) found = i;
  }
  if (found === -1) throw new Error('not a zip archive');
  return found;
}

// A writer that streams (Info-ZIP's `zip -`) puts a zip64 end record and its locator between the directory and
// the end record, even for a small archive: read when they describe the same directory.
function zip64EndBetween(zip: Buffer, offset: number, size: number, count: number, end: number): boolean {
  const at = offset + size;
  if (at + 56 + 20 !== end || zip.readUInt32LE(at) !== 0x06064b50) return false;
  const locator = at + 56;
  return (
    zip.readBigUInt64LE(at + 4) === 44n &&
    zip.readBigUInt64LE(at + 32) === BigInt(count) &&
    zip.readBigUInt64LE(at + 40) === BigInt(size) &&
    zip.readBigUInt64LE(at + 48) === BigInt(offset) &&
    zip.readUInt32LE(locator) === 0x07064b50 &&
    zip.readBigUInt64LE(locator + 8) === BigInt(at)
  );
}

type Sizes = { compressed: number; uncompressed: number; crc: number };

// The local header's CRC and sizes (its zip64 extra field's when they are 0xFFFFFFFF) agree with `sizes`.
function localSizesAgree(zip: Buffer, local: number, sizes: Sizes): boolean {
  const crc = zip.readUInt32LE(local + 14);
  let compressed = zip.readUInt32LE(local + 18);
  let uncompressed = zip.readUInt32LE(local + 22);
  if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
    const extra = local + 30 + zip.readUInt16LE(local + 26);
    const field = extraField(zip, extra, zip.readUInt16LE(local + 28), 0x0001, (_, n) => n >= 16);
    if (!field) return false;
    uncompressed = Number(zip.readBigUInt64LE(field.data));
    compressed = Number(zip.readBigUInt64LE(field.data + 8));
  }
  return crc === sizes.crc && compressed === sizes.compressed && uncompressed === sizes.uncompressed;
}

// The length of the data descriptor at `at` (its signature optional) that agrees with `sizes` (signature included), or 0 when none does.
// Its sizes take 8 bytes each when the local header has a zip64 field (as Info-ZIP's `zip -` writes every entry),
// else 4; the other width is tried too (an empty file's 8-byte sizes also read as 4-byte zeros).
function descriptorLength(zip: Buffer, at: number, sizes: Sizes, zip64First = false): number {
  const from = at + 4 <= zip.length && zip.readUInt32LE(at) === 0x08074b50 ? at + 4 : at;
  if (from + 12 > zip.length || zip.readUInt32LE(from) !== sizes.crc) return 0;
  const narrow =
    zip.readUInt32LE(from + 4) === sizes.compressed && zip.readUInt32LE(from + 8) === sizes.uncompressed;
  const wide =
    from + 20 <= zip.length &&
    zip.readBigUInt64LE(from + 4) === BigInt(sizes.compressed) &&
    zip.readBigUInt64LE(from + 12) === BigInt(sizes.uncompressed);
  if (wide && (zip64First || !narrow)) return from - at + 20;
  return narrow ? from - at + 12 : 0;
}

function inflate(data: Buffer, method: number, budget: number, name: string): Buffer {
  if (method === 0) {
    if (data.length > budget) throw new DecodedBudgetError(`over the decoded bytes budget at ${name}`);
    return data;
  }
  if (method !== 8) throw new Error(`${name}: compression method ${method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if (error instanceof RangeError) throw new DecodedBudgetError(`${name}: over the decoded bytes budget`);
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}

// The start of an entry: a few KiB of its compressed data inflated without asking for the stream's end.
function entryHead(data: Buffer, method: number, max: number, name: string): Buffer {
  if (method === 0) return data.subarray(0, max);
  if (method !== 8) throw new Error(`${name}: compression method ${method}`);
  try {
    return inflateRawSync(data.subarray(0, max + 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
