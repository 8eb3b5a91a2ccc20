import { crc32 } from 'node:zlib';
import { type ArchiveEntry, storedEntry } from './archive-entry.js';
import { hasOverlongAscii } from './overlong-utf8.js';
import { STREAM_SERVICE, visitStream } from './rar-streams.js';

// RAR 5 headers: CRC32, then the header's size, type and flags as variable-length integers (7 bits a byte).

const MAIN = 1;
const FILE = 2;
const SERVICE = 3;
const ENCRYPTION = 4;
const END = 5;

/** A cursor over a RAR 5 header. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public p: number,
    readonly end: number,
  ) {}

  vint(): number {
    let n = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.p >= this.end) throw new Error('truncated header');
      const b = this.buf[this.p++] as number;
      n += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) {
        if (n > Number.MAX_SAFE_INTEGER) throw new Error('a size out of range');
        return n;
      }
    }
    throw new Error('a malformed number');
  }

  skip(n: number): void {
    if (this.p + n > this.end) throw new Error('truncated header');
    this.p += n;
  }
}

/** Calls `visit` for each file of the RAR 5 archive whose first header is at `p`. */
export function eachRar5Entry(
  rar: Buffer,
  start: number,
  _maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  let p = start;
  // Where archive headers' locators say the quick-open record is (unrar reads headers from it): every one is checked.
  const quickOpens: number[] = [];
  // The file an NTFS stream (an `STM` service header) after it belongs to.
  let file: string | undefined;
  while (p < rar.length) {
    const head = new Reader(rar, p + 4, rar.length);
    const size = head.vint();
    const bodyStart = head.p;
    if (bodyStart + size > rar.length) throw new Error('truncated header');
    if (crc32(rar.subarray(p + 4, bodyStart + size)) !== rar.readUInt32LE(p))
      throw new Error(`bad header CRC at ${p}`);
    const r = new Reader(rar, bodyStart, bodyStart + size);
    const type = r.vint();
    const flags = r.vint();
    const extraSize = flags & 0x1 ? r.vint() : 0;
    const dataSize = flags & 0x2 ? r.vint() : 0;
    const dataStart = bodyStart + size;
    if (dataStart + dataSize > rar.length) throw new Error('truncated data');
    if (type === ENCRYPTION) throw new Error('the headers are encrypted: no file can be named');
    if (type === END) {
      // Bounded: the records read, headers and caches together, may not outgrow the archive.
      let budget = rar.length;
      for (const at of new Set(quickOpens)) budget = checkQuickOpen(rar, at, budget);
      return;
    }
    if (type === MAIN && extraSize > 0) {
      const at = quickOpenAt(rar, p, bodyStart + size - extraSize, dataStart);
      if (at !== undefined) quickOpens.push(at);
    }
    // Data continued from the previous volume or into the next (flags 0x8, 0x10) is a piece of the file.
    const piece = (flags & 0x18) !== 0;
    if (type === FILE) {
      const entry = fileEntry(r, bodyStart + size - extraSize, dataStart, dataSize, piece);
      file = entry.name;
      visit(entry);
    }
    if (type === SERVICE)
      serviceStream(r, bodyStart + size - extraSize, dataStart, dataSize, piece, file, visit);
    p = dataStart + dataSize;
  }
  throw new Error('no end of archive header');
}

// The archive header's locator record (extra record type 1, flag 1): the quick-open record's offset from the
// archive header, 0 for none.
function quickOpenAt(rar: Buffer, mainAt: number, extraStart: number, extraEnd: number): number | undefined {
  const r = new Reader(rar, extraStart, extraEnd);
  let at: number | undefined;
  while (r.p < r.end) {
    const size = r.vint();
    const next = r.p + size;
    if (size === 0 || next > r.end) throw new Error('a malformed extra record');
    if (r.vint() === 1 && r.vint() & 0x1) {
      const offset = r.vint();
      if (offset !== 0) at = mainAt + offset;
    }
    r.p = next;
  }
  return at;
}

/**
 * RAR 5's quick-open record (a service header named `QO`) caches copies of headers, each with its place. unrar and
 * WinRAR read a header from the cache whenever it holds bytes for the place they read, when extracting too
 * (`QuickOpen::Read`), and read the archive's own bytes elsewhere; 7-Zip and the walk read the archive's bytes. So
 * each copy must be the bytes the archive holds at its place: a copy that names `invoice.exe` over a header naming
 * `invoice.pdf`, sizes a file otherwise or stands where no header is, or a cache that cannot be read whole
 * (a record whose CRC fails, encrypted, cut short), refuses the archive (attacker round 86).
 */
function checkQuickOpen(rar: Buffer, at: number, budget: number): number {
  const fail = (why: string): never => {
    throw new Error(
      `the quick-open record ${why}: unrar and WinRAR may read other headers than the archive's`,
    );
  };
  if (at + 5 > rar.length) fail('is past the archive');
  const head = new Reader(rar, at + 4, rar.length);
  const size = head.vint();
  const bodyStart = head.p;
  if (size > budget) fail('and others like it read more than the archive holds');
  if (bodyStart + size > rar.length || crc32(rar.subarray(at + 4, bodyStart + size)) !== rar.readUInt32LE(at))
    fail('is not a header');
  const r = new Reader(rar, bodyStart, bodyStart + size);
  if (r.vint() !== SERVICE) fail('is not a service header');
  const flags = r.vint();
  const extraSize = flags & 0x1 ? r.vint() : 0;
  if (extraSize > size) fail('is not a header');
  if (flags & 0x2) r.vint();
  const fileFlags = r.vint();
  const unpacked = r.vint();
  r.vint(); // attributes
  if (fileFlags & 0x2) r.skip(4);
  if (fileFlags & 0x4) r.skip(4);
  r.vint(); // compression: unrar reads the cache's bytes as they are
  r.vint(); // host
  const nameLength = r.vint();
  const name = rar.toString('latin1', r.p, Math.min(r.p + nameLength, r.end));
  r.skip(nameLength);
  if (name !== 'QO') fail('is not one');
  if (extraFlags(new Reader(rar, bodyStart + size - extraSize, bodyStart + size)).encrypted)
    fail('is encrypted');
  // unrar reads the unpacked size's bytes from the data's start.
  const dataStart = bodyStart + size;
  if (dataStart + unpacked > rar.length) fail('is cut short');
  if (size + unpacked > budget) fail('and others like it read more than the archive holds');
  const cache = new Reader(rar, dataStart, dataStart + unpacked);
  while (cache.p < cache.end) {
    const recordAt = cache.p;
    cache.skip(4);
    const recordSize = cache.vint();
    const recordEnd = cache.p + recordSize;
    if (recordSize === 0 || recordEnd > cache.end) fail('has a record cut short');
    if (crc32(rar.subarray(recordAt + 4, recordEnd)) !== rar.readUInt32LE(recordAt))
      fail('has a record whose CRC fails');
    const record = new Reader(rar, cache.p, recordEnd);
    record.vint(); // flags
    const place = at - record.vint();
    const length = record.vint();
    if (record.p + length > recordEnd) fail('has a record cut short');
    if (place < 0 || place + length > rar.length) fail('has a copy outside the archive');
    if (!rar.subarray(record.p, record.p + length).equals(rar.subarray(place, place + length)))
      fail(`has a copy of the header at ${place} that says otherwise`);
    cache.p = recordEnd;
  }
  return budget - size - unpacked;
}

function fileEntry(
  r: Reader,
  extraStart: number,
  dataStart: number,
  dataSize: number,
  piece: boolean,
): ArchiveEntry {
  const fileFlags = r.vint();
  r.vint(); // unpacked size
  const attributes = r.vint();
  if (fileFlags & 0x2) r.skip(4);
  if (fileFlags & 0x4) r.skip(4);
  const compression = r.vint();
  const host = r.vint();
  const nameLength = r.vint();
  const at = r.p;
  r.skip(nameLength);
  if (r.p > extraStart) throw new Error('a malformed file header');
  // Windows extracts a backslash as a folder separator.
  const name = r.buf.toString('utf8', at, at + nameLength).replace(/\\/g, '/');
  // 7-Zip before 21.02 reads an overlong UTF-8 form as the ASCII character it spells (attacker round 62).
  if (hasOverlongAscii(r.buf.subarray(at, at + nameLength)))
    throw new Error(`${name}: a file name with an overlong UTF-8 form of an ASCII character`);
  const entry = {
    name,
    ...(fileFlags & 0x1 ? { dir: true } : {}),
    ...extraFlags(new Reader(r.buf, extraStart, r.end)),
    // Made on Unix (1): the attributes are its mode, which unrar and The Unarchiver restore.
    ...(host === 1 && (attributes & 0o111) !== 0 ? { executable: true } : {}),
  };
  const stored = ((compression >> 7) & 7) === 0;
  // A piece of a file split across volumes: named, not read.
  if (entry.dir || entry.encrypted || entry.link || !stored || piece) return entry;
  return storedEntry(r.buf, dataStart, dataSize, entry);
}

/**
 * A service header: an `STM` one is a stream of the file before it, visited as a file (see rar-streams.ts); the
 * others (`QO`, `CMT`, `ACL`, `RR`) hold no file.
 */
function serviceStream(
  r: Reader,
  extraStart: number,
  dataStart: number,
  dataSize: number,
  piece: boolean,
  file: string | undefined,
  visit: (entry: ArchiveEntry) => void,
): void {
  const fileFlags = r.vint();
  r.vint(); // unpacked size
  r.vint(); // attributes
  if (fileFlags & 0x2) r.skip(4);
  if (fileFlags & 0x4) r.skip(4);
  const compression = r.vint();
  r.vint(); // host
  const nameLength = r.vint();
  const at = r.p;
  r.skip(nameLength);
  if (r.p > extraStart) throw new Error('a malformed service header');
  if (r.buf.toString('latin1', at, at + nameLength) !== STREAM_SERVICE) return;
  const extra = new Reader(r.buf, extraStart, r.end);
  const { encrypted, link, subData } = extraFlags(extra, true);
  // unrar reads a stream without its name as broken and skips it: no file.
  if (subData === undefined) return;
  const raw = r.buf.subarray(subData[0], subData[1]);
  // unrar decodes an overlong form (`C0 AF`) as the ASCII character it spells: a separator the name hides.
  if (hasOverlongAscii(raw))
    throw new Error(`${file ?? ''}: an NTFS stream name with an overlong UTF-8 form of an ASCII character`);
  const stream = raw.toString('utf8');
  const flags = { ...(encrypted ? { encrypted } : {}), ...(link ? { link } : {}) };
  const stored = ((compression >> 7) & 7) === 0;
  const entry: ArchiveEntry =
    encrypted || link || !stored || piece
      ? { name: '', ...flags }
      : storedEntry(r.buf, dataStart, dataSize, { name: '' });
  visitStream(file, stream, entry, visit);
}

// Extra records: size, type, data; type 1 is the file's encryption record, type 5 a redirection (a link or
// a copy of another file, which WinRAR extracts with that file's content).
// a service header's type 7 is its service data (an `STM` header's stream name), whose bounds are returned with
// `service`. RAR 5.21 and older wrote that record one byte short, last in the extra area: unrar reads the byte left.
// What a file header's extra records say of it.
interface RecordFlags {
  encrypted?: true;
  link?: true;
  linkTargets?: string[];
  hardLink?: true;
  subData?: [number, number];
}

function extraFlags(r: Reader, service = false): RecordFlags {
  const flags: RecordFlags = {};
  while (r.p < r.end) {
    const size = r.vint();
    let next = r.p + size;
    if (size === 0 || next > r.end) throw new Error('a malformed extra record');
    const type = r.vint();
    if (type === 1) flags.encrypted = true;
    if (type === 5) {
      // A redirection: its kind (1 a Unix symlink, 2 a Windows one, 3 a junction, 4 a hard link, 5 a copy of a file
      // in the archive), its flags and its target, UTF-8 (attacker round 97: the target is checked as a tar link's).
      flags.link = true;
      const kind = r.vint();
      r.vint();
      const length = r.vint();
      if (r.p + length > next) throw new Error('a malformed redirection record');
      flags.linkTargets = [r.buf.toString('utf8', r.p, r.p + length)];
      if (kind === 4 || kind === 5) flags.hardLink = true;
    }
    if (service && type === 7) {
      if (r.end - next === 1) next = r.end;
      flags.subData = [r.p, next];
    }
    r.p = next;
  }
  return flags;
}
