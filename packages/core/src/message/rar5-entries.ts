import { crc32 } from 'node:zlib';
import { type ArchiveEntry, storedEntry } from './archive-entry.js';
import { hasOverlongAscii } from './overlong-utf8.js';

// RAR 5 headers: CRC32, then the header's size, type and flags as variable-length integers (7 bits a byte).

const FILE = 2;
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
    if (type === END) return;
    // Data continued from the previous volume or into the next (flags 0x8, 0x10) is a piece of the file.
    const piece = (flags & 0x18) !== 0;
    if (type === FILE) visit(fileEntry(r, bodyStart + size - extraSize, dataStart, dataSize, piece));
    p = dataStart + dataSize;
  }
  throw new Error('no end of archive header');
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

// Extra records: size, type, data; type 1 is the file's encryption record, type 5 a redirection (a link or
// a copy of another file, which WinRAR extracts with that file's content).
function extraFlags(r: Reader): { encrypted?: true; link?: true } {
  const flags: { encrypted?: true; link?: true } = {};
  while (r.p < r.end) {
    const size = r.vint();
    const next = r.p + size;
    if (size === 0 || next > r.end) throw new Error('a malformed extra record');
    const type = r.vint();
    if (type === 1) flags.encrypted = true;
    if (type === 5) flags.link = true;
    r.p = next;
  }
  return flags;
}
