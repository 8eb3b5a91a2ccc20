// The streams of an OLE compound file (MS-CFB: legacy Office documents, an embedded object's `oleObject1.bin`),
// read as a viewer of the object reads them: a stream is a chain of sectors in the file allocation table (FAT), or
// of 64-byte mini sectors in the mini stream when it is smaller than the cutoff, so its bytes need not be
// contiguous in the file. What the DLP looks for in them is a PDF an Acrobat object embeds (`CONTENTS`).

const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const DIRECTORY_ENTRY = 128;
const STREAM = 2;
const ROOT = 5;

/** One stream of a compound file: its name and size, and its bytes read on demand. */
export interface CompoundStream {
  name: string;
  size: number;
  bytes(): Buffer;
  /** Where its bytes lie in the file (`[start, end)` offsets, one a sector), once `bytes()` has read them. */
  spans: [number, number][];
}

/** True when `bytes` start as a compound file does. */
export function isCompoundFile(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.subarray(0, 8).equals(SIGNATURE);
}

/**
 * The streams of `file` whose name `wanted` accepts, at most `max`: none when it is not a compound file or its
 * directory cannot be read (a reader of one stream kind gives no reading then).
 *
 * @example
 * ```ts
 * streamsNamed(doc, 2 * doc.length, (name) => name === 'WordDocument', 4);
 * ```
 */
export function streamsNamed(
  file: Buffer,
  maxBytes: number,
  wanted: (name: string) => boolean,
  max: number,
): CompoundStream[] {
  if (!isCompoundFile(file)) return [];
  try {
    return compoundStreams(file, maxBytes)
      .filter((s) => wanted(s.name))
      .slice(0, max);
  } catch {
    return [];
  }
}

/**
 * The streams of a compound file. Throws when its tables cannot be followed (a chain that loops, leaves the file,
 * or a header it does not frame), or when reading the streams would take more than `maxBytes`: the caller then
 * does not know what they hold. Linear in the file's size and `maxBytes`.
 *
 * @example
 * ```ts
 * for (const stream of compoundStreams(oleObjectBin, 10 * 1024 * 1024))
 *   if (stream.name === 'CONTENTS') readPdf(stream.bytes());
 * ```
 */
export function compoundStreams(file: Buffer, maxBytes: number): CompoundStream[] {
  if (!isCompoundFile(file)) throw new Error('not a compound file');
  const shift = file.readUInt16LE(30);
  const miniShift = file.readUInt16LE(32);
  if ((shift !== 9 && shift !== 12) || miniShift !== 6) throw new Error('a sector size it does not frame');
  const size = 1 << shift;
  const sectors = Math.floor((file.length - size) / size);
  const sector = (n: number): Buffer => {
    if (n >= sectors) throw new Error(`sector ${n} is past the end of the file`);
    return file.subarray((n + 1) * size, (n + 2) * size);
  };
  // The FAT's sectors: 109 in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  const fatCount = file.readUInt32LE(44);
  if (fatCount > sectors) throw new Error('more FAT sectors than the file holds');
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++)
    fatSectors.push(file.readUInt32LE(76 + i * 4));
  let difat = file.readUInt32LE(68);
  for (let hops = 0; fatSectors.length < fatCount; hops++) {
    if (difat >= END_OF_CHAIN || hops > sectors) throw new Error('the DIFAT chain ends early or loops');
    const s = sector(difat);
    for (let i = 0; i < size / 4 - 1 && fatSectors.length < fatCount; i++)
      fatSectors.push(s.readUInt32LE(i * 4));
    difat = s.readUInt32LE(size - 4);
  }
  const fat = Buffer.concat(fatSectors.map(sector));
  const entries = (table: Buffer, count: number) => (n: number) => {
    if (n >= count || n * 4 + 4 > table.length)
      throw new Error(`a chain names sector ${n}, which is not in the table`);
    return table.readUInt32LE(n * 4);
  };
  const fatNext = entries(fat, sectors);
  let read = 0;
  // A chain of sectors (or mini sectors) from `start`, concatenated: each at most once, so a loop is an error.
  // `numbers`, when given, receives the sectors' numbers in order.
  const chain = (
    start: number,
    next: (n: number) => number,
    at: (n: number) => Buffer,
    limit: number,
    numbers?: number[],
  ): Buffer => {
    const parts: Buffer[] = [];
    let length = 0;
    for (let n = start; n !== END_OF_CHAIN; n = next(n)) {
      if (n === FREE || parts.length > limit) throw new Error('a chain is broken or loops');
      const part = at(n);
      parts.push(part);
      numbers?.push(n);
      length += part.length;
      read += part.length;
      if (read > maxBytes) throw new Error(`streams of more than ${maxBytes} bytes`);
    }
    return Buffer.concat(parts, length);
  };
  const directory = chain(file.readUInt32LE(48), fatNext, sector, sectors);
  const cutoff = file.readUInt32LE(56);
  const listed: { name: string; type: number; start: number; size: number }[] = [];
  for (let at = 0; at + DIRECTORY_ENTRY <= directory.length; at += DIRECTORY_ENTRY) {
    const type = directory[at + 66] as number;
    if (type !== STREAM && type !== ROOT) continue;
    const nameBytes = Math.min(64, directory.readUInt16LE(at + 64));
    const name = directory.toString('utf16le', at, at + Math.max(0, nameBytes - 2));
    listed.push({
      name,
      type,
      start: directory.readUInt32LE(at + 116),
      size: directory.readUInt32LE(at + 120),
    });
  }
  const root = listed.find((e) => e.type === ROOT);
  let mini: { stream: Buffer; next: (n: number) => number; sectors: number[] } | undefined;
  const miniStream = () => {
    if (mini) return mini;
    if (!root) throw new Error('no root entry for the mini stream');
    const rootSectors: number[] = [];
    const stream =
      root.start === END_OF_CHAIN
        ? Buffer.alloc(0)
        : chain(root.start, fatNext, sector, sectors, rootSectors);
    const miniFatStart = file.readUInt32LE(60);
    const table =
      miniFatStart >= END_OF_CHAIN ? Buffer.alloc(0) : chain(miniFatStart, fatNext, sector, sectors);
    mini = { stream, next: entries(table, stream.length >> miniShift), sectors: rootSectors };
    return mini;
  };
  const miniSize = 1 << miniShift;
  return listed
    .filter((e) => e.type === STREAM)
    .map((e) => {
      const stream: CompoundStream = {
        name: e.name,
        size: e.size,
        spans: [],
        bytes: () => {
          if (e.size === 0) return Buffer.alloc(0);
          const numbers: number[] = [];
          if (e.size >= cutoff) {
            const read = chain(e.start, fatNext, sector, sectors, numbers).subarray(0, e.size);
            stream.spans = numbers.map((n) => [(n + 1) * size, (n + 2) * size]);
            return read;
          }
          const m = miniStream();
          const count = m.stream.length >> miniShift;
          const at = (n: number) => {
            if (n >= count) throw new Error(`mini sector ${n} is past the mini stream`);
            return m.stream.subarray(n << miniShift, (n + 1) << miniShift);
          };
          const read = chain(e.start, m.next, at, count, numbers).subarray(0, e.size);
          // A mini sector lies in a sector of the root's chain, at its offset in that sector.
          stream.spans = numbers.map((n) => {
            const offset = n << miniShift;
            const start = ((m.sectors[offset >> shift] as number) + 1) * size + (offset & (size - 1));
            return [start, start + miniSize];
          });
          return read;
        },
      };
      return stream;
    });
}
