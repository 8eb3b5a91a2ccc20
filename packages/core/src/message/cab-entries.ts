import { isUtf8 } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import { DecodedBudgetError } from '../mime/decoded-budget.js';
import type { ArchiveEntry } from './archive-entry.js';

// A Microsoft cabinet (.cab): the CFFILE records name the files; a folder's data (its CFDATA blocks,
// stored or MSZIP) is decoded once when a file in it is read, within the budget. LZX and Quantum folders
// are not decoded: their files are named, not read.

const HEADER = 36;
const NAME_IS_UTF = 0x80;
const A_EXEC = 0x40;

/**
 * Calls `visit` for each file of a cabinet; throws when it cannot be listed whole.
 *
 * @example
 * ```ts
 * eachCabEntry(cab, 1 << 20, (entry) => console.log(entry.name));
 * ```
 */
export function eachCabEntry(cab: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  if (cab.length < HEADER || cab.toString('latin1', 0, 4) !== 'MSCF') throw new Error('not a cabinet');
  // cabextract searches the whole file for cabinets (libmspack's search, made for self-extractors) and extracts every
  // one it finds, resuming after each one's size (cbCabinet): a cabinet after it, which Explorer and 7-Zip ignore, is
  // extracted too (attacker round 82). Bytes after the cabinet that hold no cabinet signature (an Authenticode
  // signature, padding) are left as they are.
  if (cab.indexOf('MSCF', Math.max(4, cab.readUInt32LE(8)), 'latin1') >= 0)
    throw new Error('another cabinet after the first, which cabextract extracts too');
  const folders = cab.readUInt16LE(26);
  const files = cab.readUInt16LE(28);
  const flags = cab.readUInt16LE(30);
  const filesAt = cab.readUInt32LE(16);
  let folderAt = HEADER;
  let folderReserve = 0;
  let dataReserve = 0;
  if (flags & 0x4) {
    if (cab.length < HEADER + 4) throw new Error('truncated header');
    folderReserve = cab[HEADER + 2] as number;
    dataReserve = cab[HEADER + 3] as number;
    folderAt += 4 + cab.readUInt16LE(HEADER);
  }
  // The previous and next cabinet's names (flags 1, 2): two C strings each.
  for (let i = 0; i < ((flags & 1) + ((flags >> 1) & 1)) * 2; i++) folderAt = stringEnd(cab, folderAt) + 1;
  const decoded = new Map<number, Buffer>();
  const budget = { left: maxBytes };
  const folderData = (index: number): Buffer | undefined => {
    if (index >= folders) return undefined;
    const at = folderAt + index * (8 + folderReserve);
    if (at + 8 > cab.length) throw new Error('truncated folder table');
    if (!decoded.has(index)) decoded.set(index, readFolder(cab, at, dataReserve, budget));
    return decoded.get(index);
  };
  let p = filesAt;
  for (let i = 0; i < files; i++) {
    if (p + 16 > cab.length) throw new Error('truncated file table');
    const size = cab.readUInt32LE(p);
    const offset = cab.readUInt32LE(p + 4);
    const folder = cab.readUInt16LE(p + 8);
    const attributes = cab.readUInt16LE(p + 14);
    const end = stringEnd(cab, p + 16);
    const raw = cab.subarray(p + 16, end);
    // cabextract decodes an overlong form (`E0 80 AE` is a `.` to it): a name flagged UTF-8 that is not
    // valid UTF-8 is not the same name to all.
    if (attributes & NAME_IS_UTF && !isUtf8(raw))
      throw new Error(`a file name flagged UTF-8 that is not UTF-8`);
    const name = raw.toString(attributes & NAME_IS_UTF ? 'utf8' : 'latin1').replace(/\\/g, '/');
    p = end + 1;
    const content = () => {
      const data = folderData(folder);
      if (!data) throw new Error(`${name}: in a folder that is not read`);
      if (offset + size > data.length) throw new Error(`${name}: past the end of its folder`);
      return data.subarray(offset, offset + size);
    };
    // Folders compressed otherwise than MSZIP, and files continued from or into another cabinet: named.
    const readable = folder < folders && [0, 1].includes(compression(cab, folderAt, folder, folderReserve));
    // _A_EXEC: cabextract extracts the file with execute bits.
    const entry = attributes & A_EXEC ? { name, executable: true } : { name };
    visit(readable ? { ...entry, head: (max) => content().subarray(0, max), bytes: content } : entry);
  }
}

function compression(cab: Buffer, folderAt: number, index: number, reserve: number): number {
  const at = folderAt + index * (8 + reserve) + 6;
  if (at + 2 > cab.length) throw new Error('truncated folder table');
  return cab.readUInt16LE(at) & 0x0f;
}

function stringEnd(cab: Buffer, at: number): number {
  const end = cab.indexOf(0, at);
  if (end < 0 || end - at > 1024) throw new Error('a name without its end');
  return end;
}

// A folder's data blocks, stored or MSZIP ("CK" and a deflate block that may refer to the previous 32 KiB).
function readFolder(cab: Buffer, at: number, reserve: number, budget: { left: number }): Buffer {
  let p = cab.readUInt32LE(at);
  const blocks = cab.readUInt16LE(at + 4);
  const type = cab.readUInt16LE(at + 6) & 0x0f;
  const out: Buffer[] = [];
  let window: Buffer = Buffer.alloc(0);
  for (let i = 0; i < blocks; i++) {
    if (p + 8 + reserve > cab.length) throw new Error('truncated data block');
    const packed = cab.readUInt16LE(p + 4);
    const start = p + 8 + reserve;
    if (start + packed > cab.length) throw new Error('truncated data block');
    const data = cab.subarray(start, start + packed);
    p = start + packed;
    let block: Buffer;
    if (type === 0) block = data;
    else {
      if (data.toString('latin1', 0, 2) !== 'CK') throw new Error('a bad MSZIP block');
      const options = { maxOutputLength: Math.max(1, Math.min(budget.left, 0x8000)) };
      try {
        block = inflateRawSync(
          data.subarray(2),
          window.length ? { ...options, dictionary: window } : options,
        );
      } catch (error) {
        // The budget ran out inside a block: the listing's bound, as below (a review of attacker round 122).
        if (error instanceof RangeError) throw new DecodedBudgetError('over the decoded bytes budget');
        throw new Error((error as Error).message);
      }
      window = block;
    }
    budget.left -= block.length;
    if (budget.left < 0) throw new DecodedBudgetError('over the decoded bytes budget');
    out.push(block);
  }
  return Buffer.concat(out);
}
