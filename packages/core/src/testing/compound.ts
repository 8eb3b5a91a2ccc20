/** How {@link compoundFile} lays its streams out. */
export interface CompoundFileOptions {
  /** The large streams' sectors taken in turn (one of each, then the next of each): each stream is fragmented. */
  interleave?: boolean;
}

const SECTOR = 512;
const MINI = 64;
const CUTOFF = 4096;
const END = 0xfffffffe;
const FREE = 0xffffffff;
const FAT_SECTOR = 0xfffffffd;
const PER_FAT_SECTOR = SECTOR / 4;
// FAT sectors the header itself lists (MS-CFB 2.2); more would need DIFAT sectors.
const HEADER_DIFAT = 109;

/**
 * An OLE compound file (MS-CFB version 3, 512-byte sectors) holding `streams` under its root storage: streams of
 * 4096 bytes or more in regular sectors, smaller ones in the mini stream. For tests of what a reader finds in a
 * legacy Office file or an embedded object (`oleObject1.bin`: Acrobat's PDF in `CONTENTS`).
 *
 * @example
 * ```ts
 * const ole = compoundFile([['CONTENTS', pdf]], { interleave: true });
 * ```
 */
export function compoundFile(
  streams: readonly [string, Buffer][],
  options: CompoundFileOptions = {},
): Buffer {
  const pad = (b: Buffer, to: number) => Buffer.concat([b, Buffer.alloc((to - (b.length % to)) % to)]);
  // The mini stream: small streams one after another in 64-byte mini sectors, chained in the mini FAT.
  const miniFat: number[] = [];
  const miniParts: Buffer[] = [];
  const starts = new Map<number, number>();
  streams.forEach(([, bytes], i) => {
    if (bytes.length >= CUTOFF || bytes.length === 0) return;
    const first = miniFat.length;
    const n = Math.ceil(bytes.length / MINI);
    for (let k = 0; k < n; k++) miniFat.push(k < n - 1 ? first + k + 1 : END);
    miniParts.push(pad(bytes, MINI));
    starts.set(i, first);
  });
  const ministream = pad(Buffer.concat(miniParts), SECTOR);
  // Regular sectors from 0: the FAT (one sector), the directory (one), the mini FAT, the mini stream, then streams.
  const sectors: Buffer[] = [];
  const fat: number[] = [];
  const place = (chunks: Buffer[]): number => {
    const first = sectors.length;
    chunks.forEach((c, k) => {
      sectors.push(c);
      fat.push(k < chunks.length - 1 ? first + k + 1 : END);
    });
    return chunks.length > 0 ? first : END;
  };
  const split = (b: Buffer) => {
    const out: Buffer[] = [];
    for (let at = 0; at < b.length; at += SECTOR) out.push(pad(b.subarray(at, at + SECTOR), SECTOR));
    return out;
  };
  sectors.push(Buffer.alloc(SECTOR), Buffer.alloc(SECTOR)); // FAT and directory, filled in below
  fat.push(FAT_SECTOR, END);
  const miniFatBytes = Buffer.alloc(Math.max(1, Math.ceil((miniFat.length * 4) / SECTOR)) * SECTOR, 0xff);
  miniFat.forEach((v, k) => {
    miniFatBytes.writeUInt32LE(v, k * 4);
  });
  const miniFatStart = miniFat.length > 0 ? place(split(miniFatBytes)) : END;
  const miniStart = ministream.length > 0 ? place(split(ministream)) : END;
  const big = streams
    .map(([, b], i) => [i, split(b)] as const)
    .filter(([i]) => {
      const bytes = streams[i]?.[1] ?? Buffer.alloc(0);
      return bytes.length >= CUTOFF;
    });
  if (!options.interleave) for (const [i, chunks] of big) starts.set(i, place(chunks));
  else {
    // Round robin: sector k of every stream, then sector k + 1; each chain jumps over the others' sectors.
    const last = new Map<number, number>();
    const longest = Math.max(0, ...big.map(([, c]) => c.length));
    for (let k = 0; k < longest; k++)
      for (const [i, chunks] of big) {
        const chunk = chunks[k];
        if (!chunk) continue;
        const n = sectors.length;
        sectors.push(chunk);
        fat.push(END);
        const prev = last.get(i);
        if (prev === undefined) starts.set(i, n);
        else fat[prev] = n;
        last.set(i, n);
      }
  }
  // Sector 0 is the first FAT sector; a FAT longer than one sector maps goes on in sectors appended at the end
  // (each mapping itself), listed in the header's DIFAT.
  const fatSectors = [0];
  while (fat.length > fatSectors.length * PER_FAT_SECTOR) {
    fatSectors.push(sectors.length);
    sectors.push(Buffer.alloc(SECTOR));
    fat.push(FAT_SECTOR);
  }
  if (fatSectors.length > HEADER_DIFAT)
    throw new RangeError(
      `compoundFile: ${fat.length} sectors need DIFAT sectors, which this builder does not write`,
    );
  fatSectors.forEach((at, f) => {
    const fatBytes = Buffer.alloc(SECTOR, 0xff);
    for (let k = 0; k < PER_FAT_SECTOR && f * PER_FAT_SECTOR + k < fat.length; k++)
      fatBytes.writeUInt32LE(fat[f * PER_FAT_SECTOR + k] as number, k * 4);
    sectors[at] = fatBytes;
  });
  // The directory: the root (its children in a chain of right siblings), then one entry per stream.
  const entry = compoundEntry;
  const entries = [entry('Root Entry', 5, streams.length > 0 ? 1 : FREE, miniStart, ministream.length, FREE)];
  streams.forEach(([name, bytes], i) => {
    const right = i + 1 < streams.length ? i + 2 : FREE;
    entries.push(entry(name, 2, FREE, starts.get(i) ?? END, bytes.length, right));
  });
  if (entries.length > 4) throw new Error('compoundFile: more entries than one directory sector holds');
  sectors[1] = pad(Buffer.concat(entries), SECTOR);
  const header = compoundHeader(
    miniFatStart,
    miniFat.length > 0 ? miniFatBytes.length / SECTOR : 0,
    fatSectors,
  );
  return Buffer.concat([header, ...sectors]);
}

/**
 * One 128-byte directory entry of a compound file (MS-CFB 2.6): `type` 5 for the root, 2 for a stream; `child` and
 * `right` link the tree (`0xffffffff` for none); `start` is the first sector and `size` the stream's length.
 *
 * @example
 * ```ts
 * const root = compoundEntry('Root Entry', 5, 1, 0xfffffffe, 0, 0xffffffff);
 * ```
 */
export function compoundEntry(
  name: string,
  type: number,
  child: number,
  start: number,
  size: number,
  right: number,
): Buffer {
  const e = Buffer.alloc(128);
  const n = Buffer.from(`${name}\0`, 'utf16le');
  n.copy(e, 0);
  e.writeUInt16LE(n.length, 64);
  e.writeUInt8(type, 66);
  e.writeUInt8(1, 67);
  e.writeUInt32LE(FREE, 68);
  e.writeUInt32LE(right, 72);
  e.writeUInt32LE(child, 76);
  e.writeUInt32LE(start, 116);
  e.writeUInt32LE(size, 120);
  return e;
}

/**
 * A compound file's 512-byte header (MS-CFB 2.2, version 3): the FAT in `fatSectors` (default one, sector 0; at
 * most 109, the header's own DIFAT); the directory from sector 1; no DIFAT sectors; the mini FAT from
 * `miniFatStart` (`0xfffffffe` for none), `miniFatSectors` long.
 *
 * @example
 * ```ts
 * const header = compoundHeader(0xfffffffe, 0); // then the FAT sector, the directory, the streams' sectors
 * ```
 */
export function compoundHeader(
  miniFatStart: number,
  miniFatSectors: number,
  fatSectors: readonly number[] = [0],
): Buffer {
  const header = Buffer.alloc(SECTOR, 0xff);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
  header.fill(0, 8, 76);
  header.writeUInt16LE(0x3e, 24);
  header.writeUInt16LE(3, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(9, 30);
  header.writeUInt16LE(6, 32);
  header.writeUInt32LE(fatSectors.length, 44);
  header.writeUInt32LE(1, 48); // the directory's first sector
  header.writeUInt32LE(CUTOFF, 56);
  header.writeUInt32LE(miniFatStart, 60);
  header.writeUInt32LE(miniFatSectors, 64);
  header.writeUInt32LE(END, 68); // no DIFAT sectors
  header.writeUInt32LE(0, 72);
  fatSectors.forEach((at, k) => {
    header.writeUInt32LE(at, 76 + k * 4);
  });
  return header;
}
