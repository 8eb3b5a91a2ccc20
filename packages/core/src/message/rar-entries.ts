import { crc32 } from 'node:zlib';
import { type ArchiveEntry, storedEntry } from './archive-entry.js';
import { hasOverlongAscii } from './overlong-utf8.js';
import { STREAM_SERVICE, visitStream } from './rar-streams.js';
import { eachRar5Entry } from './rar5-entries.js';

// RAR 1.5–4.x (the "RAR 4" format) and RAR 5 headers walked as `unrar l` lists them. Only stored files
// (method "store") are read; compressed ones are named. Encrypted headers (`rar -hp`) hide every name: such
// an archive cannot be listed. Header CRCs are checked: a reader stops at a bad one.

const RAR4 = Buffer.from('Rar!\x1a\x07\x00', 'latin1');
const RAR5 = Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
const FILE = 0x74;
const SERVICE = 0x7a;
const END = 0x7b;
// RAR 2.x's sub-block (`SUB_HEAD`), whose type 0x103 is a file's NTFS stream (`STREAM_HEAD`).
const OLD_SERVICE = 0x77;

/**
 * Calls `visit` for each file of a RAR 4 or RAR 5 archive; throws when the archive cannot be listed whole.
 *
 * @example
 * ```ts
 * eachRarEntry(rar, 1 << 20, (entry) => console.log(entry.name, entry.encrypted));
 * ```
 */
export function eachRarEntry(rar: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  if (rar.subarray(0, RAR5.length).equals(RAR5)) {
    eachRar5Entry(rar, RAR5.length, maxBytes, visit);
    return;
  }
  if (!rar.subarray(0, RAR4.length).equals(RAR4)) throw new Error('not a RAR archive');
  let p = RAR4.length;
  // The file an NTFS stream (an `STM` service header, or RAR 2.x's stream block) after it belongs to.
  let file: string | undefined;
  while (p < rar.length) {
    if (p + 7 > rar.length) throw new Error('truncated header');
    const type = rar[p + 2] as number;
    const flags = rar.readUInt16LE(p + 3);
    const size = rar.readUInt16LE(p + 5);
    if (size < 7 || p + size > rar.length) throw new Error('truncated header');
    if ((crc32(rar.subarray(p + 2, p + size)) & 0xffff) !== rar.readUInt16LE(p)) {
      throw new Error(`bad header CRC at ${p}`);
    }
    // The archive header's "block headers are encrypted" flag.
    if (type === 0x73 && flags & 0x0080) throw new Error('the headers are encrypted: no file can be named');
    if (type === END) return;
    const extra = dataSize(rar, p, type, flags, size);
    const start = p + size;
    if (type === FILE) {
      const entry = fileEntry(rar, p, flags, start);
      file = entry.name;
      visit(entry);
    }
    if (type === SERVICE) serviceStream(rar, p, flags, start, file, visit);
    if (type === OLD_SERVICE) oldStream(rar, p, file, visit);
    // A 64-bit packed size (flag 0x100) is out of reach of a 25 MB message: the bounds check catches it.
    p = start + extra;
  }
  throw new Error('no end of archive block');
}

// A file or service header is followed by its packed data whether or not it sets LONG_BLOCK (0x8000), as
// unrar and 7-Zip read it; other blocks carry data only with that flag.
function dataSize(rar: Buffer, p: number, type: number, flags: number, size: number): number {
  // unrar skips the data a recovery (0x78) or old service (0x77) block announces whatever its flags; 7-Zip and
  // libarchive only with LONG_BLOCK: announced without it, the next block is not the same to all.
  if ((type === 0x77 || type === 0x78) && !(flags & 0x8000) && size >= 11 && rar.readUInt32LE(p + 7) !== 0)
    throw new Error(`a block at ${p} whose data unrar skips and other readers do not`);
  // The other way round: unrar skips no data after an archive header (0x73) or a comment block (0x75) whatever their
  // flags, libarchive none after an archive header; the walk skipped what LONG_BLOCK announces (attacker round 82: an
  // archive header whose data spanned `invoice.exe`'s block, which unrar and libarchive list).
  if ((type === 0x73 || type === 0x75) && flags & 0x8000 && size >= 11 && rar.readUInt32LE(p + 7) !== 0)
    throw new Error(`a block at ${p} whose data other readers skip and unrar does not`);
  if (type !== FILE && type !== SERVICE) return flags & 0x8000 && size >= 11 ? rar.readUInt32LE(p + 7) : 0;
  if (size < 32 + (flags & 0x100 ? 8 : 0)) throw new Error(`truncated file header at ${p}`);
  return rar.readUInt32LE(p + 7) + (flags & 0x100 ? rar.readUInt32LE(p + 32) * 2 ** 32 : 0);
}

function fileEntry(rar: Buffer, p: number, flags: number, start: number): ArchiveEntry {
  const size = rar.readUInt16LE(p + 5);
  if (size < 32) throw new Error(`truncated file header at ${p}`);
  const packed = rar.readUInt32LE(p + 7);
  const method = rar[p + 25];
  const nameSize = rar.readUInt16LE(p + 26);
  const at = p + 32 + (flags & 0x100 ? 8 : 0);
  if (at + nameSize > p + size) throw new Error(`truncated file header at ${p}`);
  const name = fileName(rar.subarray(at, at + nameSize), (flags & 0x200) !== 0).replace(/\\/g, '/');
  const entry = {
    name,
    ...((flags & 0xe0) === 0xe0 ? { dir: true } : {}),
    ...(flags & 0x04 ? { encrypted: true } : {}),
    // Made on Unix (host 3): the attributes are its mode, which unrar restores.
    ...(rar[p + 15] === 3 && (rar.readUInt32LE(p + 28) & 0o111) !== 0 ? { executable: true } : {}),
    // A Unix symbolic link (S_IFLNK): its data is the path it points to, which unrar creates as a link (attacker
    // round 97; unrar before 6.12 let a target's `..\` through, CVE-2022-30333).
    ...(rar[p + 15] === 3 && (rar.readUInt32LE(p + 28) & 0xf000) === 0xa000 ? { link: true } : {}),
  };
  // Split files (flags 1, 2) hold a piece of the file: named, not read.
  if (entry.dir || entry.encrypted || method !== 0x30 || flags & 0x03) {
    if (start + packed > rar.length) throw new Error(`${name}: truncated`);
    return entry;
  }
  return storedEntry(rar, start, packed, entry);
}

/**
 * A service header (NEWSUB_HEAD): an `STM` one is a stream of the file before it, its name (UTF-16LE) after the
 * header's own name and before the salt, visited as a file (see rar-streams.ts); the others hold no file.
 */
function serviceStream(
  rar: Buffer,
  p: number,
  flags: number,
  start: number,
  file: string | undefined,
  visit: (entry: ArchiveEntry) => void,
): void {
  const size = rar.readUInt16LE(p + 5);
  const nameSize = rar.readUInt16LE(p + 26);
  const at = p + 32 + (flags & 0x100 ? 8 : 0);
  if (at + nameSize > p + size) throw new Error(`truncated service header at ${p}`);
  if (rar.toString('latin1', at, at + nameSize) !== STREAM_SERVICE) return;
  const subEnd = p + size - (flags & 0x400 ? 8 : 0);
  if (subEnd <= at + nameSize) return; // no stream name: unrar skips it
  const sub = rar.subarray(at + nameSize, subEnd);
  const stream = sub.toString('utf16le', 0, sub.length & ~1);
  const packed = rar.readUInt32LE(p + 7);
  const stored = rar[p + 25] === 0x30 && !(flags & 0x07);
  const entry: ArchiveEntry = stored
    ? storedEntry(rar, start, packed, { name: '' })
    : { name: '', ...(flags & 0x04 ? { encrypted: true } : {}) };
  visitStream(file, stream, entry, visit);
}

/** RAR 2.x's stream block: its type (0x103), then the stream's name at 26 (its size at 24), as unrar reads it. */
function oldStream(
  rar: Buffer,
  p: number,
  file: string | undefined,
  visit: (entry: ArchiveEntry) => void,
): void {
  const size = rar.readUInt16LE(p + 5);
  if (size < 26 || rar.readUInt16LE(p + 11) !== 0x103) return;
  const nameSize = rar.readUInt16LE(p + 24);
  if (26 + nameSize > size) throw new Error(`truncated stream block at ${p}`);
  visitStream(file, rar.toString('latin1', p + 26, p + 26 + nameSize), { name: '' }, visit);
}

// Flag 0x200: a byte name, a NUL, then RAR's compact Unicode encoding; without the NUL, UTF-8. unrar and
// 7-Zip show the byte name (to its NUL) when the encoding decodes to nothing.
function fileName(raw: Buffer, unicode: boolean): string {
  const nul = raw.indexOf(0);
  const bytes = raw.toString('latin1', 0, nul < 0 ? raw.length : nul);
  if (!unicode) return bytes;
  // 7-Zip before 21.02 reads the UTF-8 name without refusing overlong forms (attacker round 62).
  if (nul < 0 && hasOverlongAscii(raw))
    throw new Error('a file name with an overlong UTF-8 form of an ASCII character');
  if (nul < 0) return raw.toString('utf8');
  return decodeUnicode(raw, raw.subarray(nul + 1)) || bytes;
}

// A run copied "from the byte name" (mode 3) reads the whole name field, as unrar (EncodeFileName::Decode), 7-Zip
// (DecodeUnicodeFileName) and libarchive do: past the byte name's NUL it copies the NUL and the encoding's own bytes
// (attacker round 82: a run that spelt `.exe` out of them was read as NULs, so no extension). 7-Zip and libarchive
// stop at as many characters as the field has bytes (7-Zip at 1,024 at most), unrar cuts a run there but writes the
// characters after it: a name that reaches that length with more to decode, or a run past it, is not the same to all.
function decodeUnicode(field: Buffer, enc: Buffer): string {
  const limit = Math.min(field.length, 0x400);
  const past = () => new Error('a RAR Unicode file name that runs past its field');
  const high = enc[0] ?? 0;
  const out: number[] = [];
  let p = 1;
  let flags = 0;
  let bits = 0;
  while (p < enc.length) {
    if (out.length >= limit) throw past();
    if (bits === 0) {
      flags = enc[p++] as number;
      bits = 8;
    }
    bits -= 2;
    const mode = (flags >> bits) & 3;
    if (mode === 0) out.push(enc[p++] ?? 0);
    else if (mode === 1) out.push((enc[p++] ?? 0) + (high << 8));
    else if (mode === 2) {
      out.push((enc[p] ?? 0) + ((enc[p + 1] ?? 0) << 8));
      p += 2;
    } else {
      const length = enc[p++] ?? 0;
      const correction = length & 0x80 ? (enc[p++] ?? 0) : 0;
      const count = (length & 0x7f) + 2;
      if (out.length + count > limit) throw past();
      for (let i = 0; i < count; i++) {
        const c = field[out.length] ?? 0;
        out.push(length & 0x80 ? ((c + correction) & 0xff) + (high << 8) : c);
      }
    }
  }
  return String.fromCharCode(...out);
}
