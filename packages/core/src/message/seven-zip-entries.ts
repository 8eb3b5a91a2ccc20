import { crc32 } from 'node:zlib';
import type { ArchiveEntry } from './archive-entry.js';
import { lzmaDecode } from './lzma-decode.js';

// A 7z archive's header read for its file names (7-Zip's own format description, 7zFormat.txt). 7-Zip
// compresses the header by default (an "encoded header", LZMA): it is decoded (lzma-decode.ts, at most 8 MiB).
// A header compressed otherwise, or encrypted (`-mhe`), cannot be read: such an archive cannot be listed.
// Files are named, not read.

const SIGNATURE = '7z\xbc\xaf\x27\x1c';
const AES = '06f10701';
const LZMA = '030101';
const MAX_HEADER = 8 * 1024 * 1024;

/** A cursor over a 7z header; every read is bounds-checked. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public p: number,
    readonly end: number,
  ) {}

  byte(): number {
    if (this.p >= this.end) throw new Error('truncated header');
    return this.buf[this.p++] as number;
  }

  // 7z's numbers: the leading one bits of the first byte count the bytes that follow.
  number(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      if ((first & mask) === 0) return value + (first & (mask - 1)) * 2 ** (8 * i);
      value += this.byte() * 2 ** (8 * i);
      mask >>= 1;
    }
    return value;
  }

  /** A count of things each at least a byte long (or a bit): never more than the header holds. */
  count(perByte = 1): number {
    const n = this.number();
    if (n > (this.end - this.p) * perByte + 8) throw new Error('a count larger than the header');
    return n;
  }

  skip(n: number): void {
    if (n > this.end - this.p) throw new Error('truncated header');
    this.p += n;
  }

  bits(n: number): boolean[] {
    const out: boolean[] = [];
    let b = 0;
    for (let i = 0; i < n; i++) {
      if (i % 8 === 0) b = this.byte();
      out.push((b & (0x80 >> (i % 8))) !== 0);
    }
    return out;
  }

  // "All defined" byte, else a bit vector; then a CRC for each defined one.
  digests(n: number): boolean[] {
    const defined = this.byte() ? Array<boolean>(n).fill(true) : this.bits(n);
    this.skip(4 * defined.filter(Boolean).length);
    return defined;
  }
}

interface Folder {
  encrypted: boolean;
  outputs: number;
  crc: boolean;
  streams: number;
  coders: { id: string; props: Buffer }[];
  sizes: number[];
}

interface Streams {
  packPos: number;
  packSizes: number[];
  folders: Folder[];
}

/**
 * Calls `visit` for each file of a 7z archive whose header is stored plain; throws when it cannot be
 * listed (an encoded or encrypted header, a damaged one).
 *
 * @example
 * ```ts
 * eachSevenZipEntry(archive, 1 << 20, (entry) => console.log(entry.name));
 * ```
 */
export function eachSevenZipEntry(
  data: Buffer,
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  if (data.length < 32 || data.toString('latin1', 0, 6) !== SIGNATURE) throw new Error('not a 7z archive');
  const offset = Number(data.readBigUInt64LE(12));
  const size = Number(data.readBigUInt64LE(20));
  const start = 32 + offset;
  if (start + size > data.length || size === 0) throw new Error('the header is past the end of the file');
  // 7-Zip and libarchive refuse an archive whose header checksums fail; 7-Zip then looks for another one
  // further on (in a file not named .7z), which this listing would not be.
  if (crc32(data.subarray(12, 32)) !== data.readUInt32LE(8)) throw new Error('bad start header CRC');
  if (crc32(data.subarray(start, start + size)) !== data.readUInt32LE(28)) throw new Error('bad header CRC');
  let r = new Reader(data, start, start + size);
  let id = r.byte();
  // An encoded header may encode another: a few rounds at most.
  for (let round = 0; id === 0x17; round++) {
    if (round === 2) throw new Error('a header encoded over and over');
    const header = decodeHeader(data, streamsInfo(r), Math.min(maxBytes, MAX_HEADER));
    r = new Reader(header, 0, header.length);
    id = r.byte();
  }
  if (id !== 0x01) throw new Error('a malformed header');
  let folders: Folder[] = [];
  for (;;) {
    const property = r.byte();
    if (property === 0x00) return;
    if (property === 0x02) skipProperties(r);
    else if (property === 0x03) streamsInfo(r);
    else if (property === 0x04) folders = streamsInfo(r).folders;
    else if (property === 0x05) {
      filesInfo(r, folders, visit);
      return;
    } else throw new Error('a malformed header');
  }
}

// The Unix mode of each file whose attributes carry one (flag 0x8000), from the attributes property (0x15).
function attributesOf(field: Reader, files: number): (number | undefined)[] {
  const defined = field.byte() ? Array<boolean>(files).fill(true) : field.bits(files);
  if (field.byte() !== 0) throw new Error('attributes stored elsewhere');
  return defined.map((has) => {
    if (!has) return undefined;
    if (field.p + 4 > field.end) throw new Error('a malformed header');
    const attributes = field.buf.readUInt32LE(field.p);
    field.skip(4);
    return attributes;
  });
}

function skipProperties(r: Reader): void {
  for (let type = r.number(); type !== 0; type = r.number()) r.skip(r.number());
}

// The header's one folder: a single LZMA coder over the first packed stream.
function decodeHeader(data: Buffer, streams: Streams, max: number): Buffer {
  const folder = streams.folders[0];
  if (folder?.encrypted) throw new Error('the header is encrypted: no file can be named');
  const coder = folder?.coders[0];
  if (!folder || !coder || streams.folders.length !== 1 || folder.coders.length !== 1)
    throw new Error('a malformed encoded header');
  if (coder.id !== LZMA) throw new Error(`the header is compressed with method ${coder.id}, not read`);
  const size = folder.sizes[0] ?? 0;
  if (size > max) throw new Error('a header larger than is read');
  const start = 32 + streams.packPos;
  const packed = streams.packSizes[0] ?? 0;
  if (start + packed > data.length) throw new Error('the header is past the end of the file');
  return lzmaDecode(data.subarray(start, start + packed), coder.props, size);
}

function streamsInfo(r: Reader): Streams {
  const streams: Streams = { packPos: 0, packSizes: [], folders: [] };
  for (;;) {
    const id = r.byte();
    if (id === 0x00) return streams;
    if (id === 0x06) Object.assign(streams, packInfo(r));
    else if (id === 0x07) streams.folders = unpackInfo(r);
    else if (id === 0x08) subStreamsInfo(r, streams.folders);
    else throw new Error('a malformed streams record');
  }
}

function packInfo(r: Reader): { packPos: number; packSizes: number[] } {
  const packPos = r.number();
  const streams = r.count();
  const packSizes: number[] = [];
  for (let id = r.byte(); id !== 0x00; id = r.byte()) {
    if (id === 0x09) for (let i = 0; i < streams; i++) packSizes.push(r.number());
    else if (id === 0x0a) r.digests(streams);
    else throw new Error('a malformed pack record');
  }
  return { packPos, packSizes };
}

function unpackInfo(r: Reader): Folder[] {
  if (r.byte() !== 0x0b) throw new Error('a malformed folder record');
  const folders = Array.from({ length: r.count() }, () => ({}) as Folder);
  if (r.byte() !== 0) throw new Error('folders stored elsewhere');
  for (let i = 0; i < folders.length; i++) folders[i] = folder(r);
  if (r.byte() !== 0x0c) throw new Error('a malformed folder record');
  for (const f of folders) for (let i = 0; i < f.outputs; i++) f.sizes.push(r.number());
  for (let id = r.byte(); id !== 0x00; id = r.byte()) {
    if (id !== 0x0a) throw new Error('a malformed folder record');
    r.digests(folders.length).forEach((defined, i) => {
      (folders[i] as Folder).crc = defined;
    });
  }
  return folders;
}

function folder(r: Reader): Folder {
  const coders = r.count();
  let inputs = 0;
  let outputs = 0;
  const list: Folder['coders'] = [];
  for (let i = 0; i < coders; i++) {
    const flags = r.byte();
    if (flags & 0x80) throw new Error('alternative coders');
    const at = r.p;
    r.skip(flags & 0x0f);
    const id = r.buf.toString('hex', at, r.p);
    const complex = (flags & 0x10) !== 0;
    inputs += complex ? r.count() : 1;
    outputs += complex ? r.count() : 1;
    let props: Buffer = Buffer.alloc(0);
    if (flags & 0x20) {
      const length = r.number();
      const propsAt = r.p;
      r.skip(length);
      props = r.buf.subarray(propsAt, r.p);
    }
    list.push({ id, props });
  }
  for (let i = 0; i < outputs - 1; i++) {
    r.number();
    r.number();
  }
  const packed = inputs - (outputs - 1);
  if (packed > 1) for (let i = 0; i < packed; i++) r.number();
  return {
    encrypted: list.some((c) => c.id === AES),
    outputs,
    crc: false,
    streams: 1,
    coders: list,
    sizes: [],
  };
}

function subStreamsInfo(r: Reader, folders: Folder[]): void {
  for (let id = r.byte(); id !== 0x00; id = r.byte()) {
    if (id === 0x0d) for (const f of folders) f.streams = r.count();
    else if (id === 0x09) for (const f of folders) for (let i = 1; i < f.streams; i++) r.number();
    else if (id === 0x0a)
      r.digests(folders.reduce((n, f) => n + (f.streams === 1 && f.crc ? 0 : f.streams), 0));
    else throw new Error('a malformed substreams record');
  }
}

function filesInfo(r: Reader, folders: readonly Folder[], visit: (entry: ArchiveEntry) => void): void {
  const files = r.count(8);
  let names: string[] = [];
  let empty: boolean[] = [];
  let attributes: (number | undefined)[] = [];
  for (let type = r.number(); type !== 0; type = r.number()) {
    const size = r.number();
    const end = r.p + size;
    r.skip(size);
    const field = new Reader(r.buf, end - size, end);
    if (type === 0x0e) empty = field.bits(files);
    else if (type === 0x11) {
      if (field.byte() !== 0) throw new Error('names stored elsewhere');
      names = r.buf.toString('utf16le', field.p, end).split('\0').slice(0, files);
    } else if (type === 0x15) attributes = attributesOf(field, files);
  }
  if (names.length !== files) throw new Error('files without names');
  // Files with content fill the folders in order, each folder `streams` of them.
  let index = 0;
  let left = folders[0]?.streams ?? 0;
  names.forEach((name, i) => {
    const entry = { name: name.replace(/\\/g, '/') };
    if (empty[i]) {
      visit({ ...entry, dir: true });
      return;
    }
    while (left === 0 && index + 1 < folders.length) left = (folders[++index] as Folder).streams;
    left--;
    // 7-Zip and libarchive restore a Unix mode (attributes 0x8000, the mode in the high half) on extraction.
    const attribute = attributes[i] ?? 0;
    const mode = attribute & 0x8000 ? attribute >>> 16 : 0;
    // A Unix symbolic link (S_IFLNK), which 7-Zip and libarchive create as one: its target (its content) is not read
    // here, but a file written through it is seen (attacker round 97). So is a Windows reparse point (attribute
    // FILE_ATTRIBUTE_REPARSE_POINT, 0x400: `7z a -snl` on Windows stores a symbolic link's or junction's reparse data as
    // its content, and 7-Zip writes it back as a link on extraction; attacker round 102).
    const linked = (mode & 0xf000) === 0xa000 || attribute & 0x400 ? { ...entry, link: true } : entry;
    const file = mode & 0o111 ? { ...linked, executable: true } : linked;
    visit(folders[index]?.encrypted ? { ...file, encrypted: true } : file);
  });
}
