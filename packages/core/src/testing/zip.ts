import { deflateRawSync } from 'node:zlib';

/** One file of {@link zipFile}: its name, content, and how it is stored. */
export interface ZipEntry {
  name: string;
  data: Buffer | string;
  /** Deflate (8, default) or store (0); any other number is written as is, with the data stored. */
  method?: number;
  /** Mark the entry encrypted (general-purpose flag bit 0); the data is written as is. */
  encrypted?: boolean;
  /** Extra fields written as they are, after the name in both headers (`0x7075`, a Unicode path…). */
  extra?: Buffer;
  /** A Unix symbolic link (made by Unix, mode `lrwxrwxrwx`): `data` is the path it points to. */
  symlink?: boolean;
  /** A regular file made by Unix with this mode (`0o755`: executable once extracted). */
  unixMode?: number;
  /** The host that made it (version made by, high byte) and the high half of its external attributes, as given. */
  madeBy?: { host: number; mode: number };
}

/**
 * A zip archive of the given files (no CRCs: readers that check them will refuse it), to test
 * readers of Office documents and archives.
 *
 * @example
 * ```ts
 * const docx = zipFile([{ name: 'word/document.xml', data: '<w:t>hello</w:t>' }]);
 * ```
 */
export function zipFile(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const raw = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    const method = entry.method ?? 8;
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const fields = [entry.encrypted ? 1 : 0, method, data.length, raw.length, name.length] as const;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeFields(local, 6, ...fields);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.symlink || entry.unixMode !== undefined ? 0x0314 : 20, 4);
    if (entry.symlink) central.writeUInt32LE(0xa1ff0000, 38);
    else if (entry.unixMode !== undefined)
      central.writeUInt32LE(((0o100000 | entry.unixMode) << 16) >>> 0, 38);
    if (entry.madeBy) {
      central.writeUInt16LE((entry.madeBy.host << 8) | 20, 4);
      central.writeUInt32LE((entry.madeBy.mode << 16) >>> 0, 38);
    }
    central.writeUInt16LE(20, 6);
    writeFields(central, 8, ...fields);
    central.writeUInt32LE(offset, 42);
    const extra = entry.extra ?? Buffer.alloc(0);
    local.writeUInt16LE(extra.length, 28);
    central.writeUInt16LE(extra.length, 30);
    locals.push(local, name, extra, data);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// The fields local and central headers share, in the same layout from `at` (flags, method, sizes, name length).
function writeFields(
  header: Buffer,
  at: number,
  flags: number,
  method: number,
  size: number,
  raw: number,
  name: number,
) {
  header.writeUInt16LE(flags, at);
  header.writeUInt16LE(method, at + 2);
  header.writeUInt32LE(size, at + 12);
  header.writeUInt32LE(raw, at + 16);
  header.writeUInt16LE(name, at + 20);
}

/**
 * `zip` with `prefix` before it, its directory's local offsets and the end record's directory offset moved
 * along (as a self-extractor's stub, or a hidden first archive or local header, would sit before a zip).
 *
 * @example
 * ```ts
 * const hidden = zipAfter(Buffer.from('stub'), zipFile([{ name: 'a.txt', data: 'x' }]));
 * ```
 */
export function zipAfter(prefix: Buffer, zip: Buffer): Buffer {
  const out = Buffer.concat([prefix, zip]);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = out.readUInt16LE(end + 10);
  const offset = out.readUInt32LE(end + 16) + prefix.length;
  out.writeUInt32LE(offset, end + 16);
  for (let p = offset, i = 0; i < count; i++) {
    out.writeUInt32LE(out.readUInt32LE(p + 42) + prefix.length, p + 42);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

/**
 * The archive with its directory entries at the indexes in `drop` left out, their local headers and data kept in
 * place: a file a streaming extractor (which walks the local headers) extracts and the directory does not list.
 *
 * @example
 * ```ts
 * const hidden = zipUnlisted(zipFile([{ name: 'a.csv', data: 'a' }, { name: 'b.exe', data: 'MZ' }]), [1]);
 * ```
 */
export function zipUnlisted(zip: Buffer, drop: readonly number[]): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  const offset = zip.readUInt32LE(end + 16);
  const kept: Buffer[] = [];
  for (let p = offset, i = 0; i < count; i++) {
    const length = 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    if (!drop.includes(i)) kept.push(zip.subarray(p, p + length));
    p += length;
  }
  const directory = Buffer.concat(kept);
  const record = Buffer.from(zip.subarray(end));
  record.writeUInt16LE(kept.length, 8);
  record.writeUInt16LE(kept.length, 10);
  record.writeUInt32LE(directory.length, 12);
  return Buffer.concat([zip.subarray(0, offset), directory, record]);
}
