import { crc32 } from 'node:zlib';

/** One file of {@link rarFile}: stored (method "store"), so its bytes are readable in the archive. */
export interface RarEntry {
  name: string;
  data: Buffer | string;
  /** Mark the file encrypted (its data is written as is). */
  encrypted?: boolean;
  /** A folder (no data). */
  dir?: boolean;
  /** RAR 4 only: write the name as RAR's compressed Unicode (the ASCII name, a NUL, then the encoding). */
  unicode?: boolean;
  /**
   * RAR 4 only: the name field's bytes exactly as given (with `unicode`, flag 0x200 is set over them), to test how a
   * reader decodes a hand-made encoding; `name` is then unused.
   */
  rawName?: Buffer;
  /** RAR 5 only: a copy of the file of this name (a redirection record, `rar -oi`), no data of its own. */
  copyOf?: string;
  /** RAR 5 only: the file's data continues in the next volume (a multi-volume archive's first part). */
  continued?: boolean;
  /** Made on Unix with this mode (`0o755`: executable once extracted). */
  unixMode?: number;
}

/** Options of {@link rarFile}. */
export interface RarOptions {
  /** 4 (RAR 2.9–4.x, the default) or 5. */
  version?: 4 | 5;
  /** Mark the headers after the archive header encrypted (`rar -hp`): no file can be named. */
  encryptedHeaders?: boolean;
}

/**
 * A RAR archive of stored files built per the published format (correct header CRCs), to test readers
 * without the non-free `rar` tool.
 *
 * @example
 * ```ts
 * const rar = rarFile([{ name: 'invoice.exe', data: 'MZ' }], { version: 5 });
 * ```
 */
export function rarFile(entries: readonly RarEntry[], options: RarOptions = {}): Buffer {
  return options.version === 5 ? rar5(entries, options) : rar4(entries, options);
}

function rar4(entries: readonly RarEntry[], options: RarOptions): Buffer {
  const parts: Buffer[] = [Buffer.from('Rar!\x1a\x07\x00', 'latin1')];
  const main = Buffer.alloc(13);
  main.writeUInt8(0x73, 2);
  main.writeUInt16LE(options.encryptedHeaders ? 0x0080 : 0, 3);
  main.writeUInt16LE(13, 5);
  parts.push(rar4WithCrc(main));
  if (options.encryptedHeaders) return Buffer.concat([...parts, Buffer.alloc(48, 0xa5)]);
  for (const entry of entries) {
    const data = entry.dir ? Buffer.alloc(0) : bytesOf(entry.data);
    const name = entry.rawName ?? (entry.unicode ? unicodeName(entry.name) : Buffer.from(entry.name, 'utf8'));
    const head = Buffer.alloc(32 + name.length);
    head.writeUInt8(0x74, 2);
    let flags = 0x8000;
    if (entry.encrypted) flags |= 0x04;
    if (entry.unicode) flags |= 0x200;
    if (entry.dir) flags |= 0xe0;
    head.writeUInt16LE(flags, 3);
    head.writeUInt16LE(head.length, 5);
    head.writeUInt32LE(data.length, 7);
    head.writeUInt32LE(data.length, 11);
    head.writeUInt8(entry.unixMode === undefined ? 2 : 3, 15);
    head.writeUInt32LE(crc32(data), 16);
    head.writeUInt8(29, 24);
    head.writeUInt8(0x30, 25);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt32LE(
      entry.unixMode !== undefined ? 0o100000 | entry.unixMode : entry.dir ? 0x10 : 0x20,
      28,
    );
    name.copy(head, 32);
    parts.push(rar4WithCrc(head), data);
  }
  const end = Buffer.alloc(7);
  end.writeUInt8(0x7b, 2);
  end.writeUInt16LE(0x4000, 3);
  end.writeUInt16LE(7, 5);
  parts.push(rar4WithCrc(end));
  return Buffer.concat(parts);
}

/**
 * Writes a hand-made RAR 4 header's CRC (the low 16 bits of the CRC32 of the header after its first two bytes) into
 * those two bytes, and returns the header.
 *
 * @example
 * ```ts
 * const head = rar4WithCrc(Buffer.from([0, 0, 0x7b, 0x00, 0x40, 7, 0])); // an end-of-archive block
 * ```
 */
export function rar4WithCrc(head: Buffer): Buffer {
  head.writeUInt16LE(crc32(head.subarray(2)) & 0xffff, 0);
  return head;
}

// The ASCII name, a NUL, then RAR's encoding with every character as a "high byte + low byte" pair (mode 2).
function unicodeName(name: string): Buffer {
  const out = [...Buffer.from(name.replace(/[^\x20-\x7e]/g, '_'), 'latin1'), 0, 0];
  const codes = [...name].map((c) => c.charCodeAt(0));
  for (let i = 0; i < codes.length; i += 4) {
    const group = codes.slice(i, i + 4);
    out.push(group.reduce((flags, _, j) => flags | (2 << (6 - 2 * j)), 0));
    for (const code of group) out.push(code & 0xff, code >> 8);
  }
  return Buffer.from(out);
}

function rar5(entries: readonly RarEntry[], options: RarOptions): Buffer {
  const parts: Buffer[] = [Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1')];
  if (options.encryptedHeaders) {
    parts.push(rar5Header([4, 0, 0, 0, 15, ...Array<number>(16).fill(7)]));
    return Buffer.concat([...parts, Buffer.alloc(64, 0xa5)]);
  }
  parts.push(rar5Header([1, 0, 0]));
  for (const entry of entries) {
    const data = entry.dir ? Buffer.alloc(0) : bytesOf(entry.data);
    const name = Buffer.from(entry.name, 'utf8');
    // Encryption record: type 1, version 0, flags 0, KDF count, salt and IV.
    const extra = entry.encrypted ? [...rarVint(36), 1, 0, 0, 15, ...Array<number>(32).fill(9)] : [];
    if (entry.copyOf !== undefined) {
      // Redirection record: type 5, kind 4 (file copy), flags, the target's name.
      const target = [...Buffer.from(entry.copyOf, 'utf8')];
      const record = [5, 4, 0, ...rarVint(target.length), ...target];
      extra.push(...rarVint(record.length), ...record);
    }
    const fields = [
      2,
      ...rarVint(0x2 | (extra.length ? 0x1 : 0) | (entry.continued ? 0x10 : 0)),
      ...(extra.length ? rarVint(extra.length) : []),
      ...rarVint(data.length),
      ...rarVint(entry.dir ? 0x1 : 0),
      ...rarVint(data.length),
      ...rarVint(entry.unixMode ?? 0x20),
      ...rarVint(0),
      ...rarVint(1),
      ...rarVint(name.length),
      ...name,
      ...extra,
    ];
    parts.push(rar5Header(fields), data);
  }
  parts.push(rar5Header([5, 0, 0]));
  return Buffer.concat(parts);
}

/**
 * One RAR 5 header, for tests that hand-make headers {@link rarFile} does not write (service headers, quick-open
 * records, redirections): its CRC32 (of what follows), its size as a {@link rarVint}, then `fields` (type, flags
 * and the rest, each already encoded).
 *
 * @example
 * ```ts
 * const end = rar5Header([5, 0, 0]); // the end-of-archive header
 * ```
 */
export function rar5Header(fields: readonly number[]): Buffer {
  const body = Buffer.from([...rarVint(fields.length), ...fields]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(body), 0);
  return Buffer.concat([crc, body]);
}

/**
 * A RAR 5 variable-length integer: 7 bits a byte, low bits first, the high bit set on every byte but the last.
 *
 * @example
 * ```ts
 * rarVint(300); // [0xac, 0x02]
 * ```
 */
export function rarVint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    out.push((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    v = Math.floor(v / 0x80);
  } while (v > 0);
  return out;
}

function bytesOf(data: Buffer | string): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
}
