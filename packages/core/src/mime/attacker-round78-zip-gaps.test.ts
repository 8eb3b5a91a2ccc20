// Attacker round 78: a zip whose directory leaves out a file that a local header still frames. Windows Explorer,
// 7-Zip and Python list the central directory; a streaming extractor (Java's ZipInputStream and so `jar x` reading
// the archive as a stream, libarchive reading a stream) walks the local headers one after the other and extracts
// the left-out file too. The walk listed only the directory, so an `invoice.exe` framed between two listed CSVs was
// neither named nor sniffed. Every byte from the start of the archive to its directory must now belong to a listed
// file (its local header, data and data descriptor), each right after the one before.
import { describe, expect, it } from 'vitest';
import { zipUnlisted as withoutListing, zipFile } from '../testing/zip.js';
import { eachZipEntry } from './zip-entries.js';

function read(zip: Buffer): string[] | string {
  const names: string[] = [];
  try {
    eachZipEntry(zip, 1 << 20, (entry) => {
      entry.bytes();
      names.push(entry.name);
    });
    return names;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A zip written as a streaming writer writes it (`jar`, Python on a pipe, Info-ZIP's `zip -`): each local header
 * with flag 8 and zero sizes, the sizes in a data descriptor after the data (with its signature or without, or
 * with 8-byte sizes).
 */
function streamedZip(
  entries: readonly { name: string; data: string }[],
  descriptor: 'signed' | 'bare' | 'zip64' = 'signed',
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = Buffer.from(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 6);
    local.writeUInt16LE(name.length, 26);
    // Info-ZIP's `zip -` marks each local header zip64 (an extra field 0x0001) and writes 8-byte descriptor sizes.
    const extra = Buffer.alloc(descriptor === 'zip64' ? 20 : 0);
    if (descriptor === 'zip64') {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(16, 2);
    }
    local.writeUInt16LE(extra.length, 28);
    const sizes = descriptor === 'zip64' ? Buffer.alloc(16) : Buffer.alloc(8);
    if (descriptor === 'zip64') {
      sizes.writeBigUInt64LE(BigInt(data.length), 0);
      sizes.writeBigUInt64LE(BigInt(data.length), 8);
    } else {
      sizes.writeUInt32LE(data.length, 0);
      sizes.writeUInt32LE(data.length, 4);
    }
    // Signature (optional), CRC (0, as zipFile writes it), then the sizes.
    const described = Buffer.concat([
      descriptor === 'bare' ? Buffer.alloc(0) : Buffer.from([0x50, 0x4b, 0x07, 0x08]),
      Buffer.alloc(4),
      sizes,
    ]);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 8);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, extra, data, described);
    centrals.push(central, name);
    offset += 30 + name.length + extra.length + data.length + described.length;
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

/** An Info-ZIP Unicode Path extra field (0x7075, version 1; the CRC of the header name left 0). */
function unicodePath(path: string): Buffer {
  const name = Buffer.from(path);
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + name.length, 2);
  field[4] = 1;
  return Buffer.concat([field, name]);
}

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), Buffer.alloc(58)]);
const three = zipFile([
  { name: 'a.csv', data: 'a,b\r\n1,2' },
  { name: 'invoice.exe', data: MZ },
  { name: 'b.csv', data: 'c,d\r\n3,4' },
]);

describe('eachZipEntry: a local header the directory does not list (attacker round 78)', () => {
  it('refuses a file framed between two listed ones and left out of the directory', () => {
    expect(read(withoutListing(three, [1]))).toMatch(/directory does not list/);
  });

  it('refuses a file framed after the last listed one, before the directory', () => {
    expect(read(withoutListing(three, [2]))).toMatch(/between the last listed file and the directory/);
  });

  it('refuses an archive whose directory lists nothing but whose files come before it', () => {
    expect(read(withoutListing(three, [0, 1, 2]))).toMatch(/between the last listed file and the directory/);
  });

  it('refuses two directory entries that point at the same local header', () => {
    const one = zipFile([{ name: 'a.csv', data: 'a,b' }]);
    const end = one.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const offset = one.readUInt32LE(end + 16);
    const entry = one.subarray(offset, end);
    const record = Buffer.from(one.subarray(end));
    record.writeUInt16LE(2, 8);
    record.writeUInt16LE(2, 10);
    record.writeUInt32LE(entry.length * 2, 12);
    expect(read(Buffer.concat([one.subarray(0, offset), entry, entry, record]))).toMatch(
      /directory does not list/,
    );
  });

  it('refuses a local header naming another file under an entry whose bytes are never read (a symbolic link)', () => {
    const link = zipFile([{ name: 'notes', data: MZ, symlink: true, method: 0 }]);
    link.write('a.exe', link.indexOf('notes'), 'latin1');
    const names: string[] = [];
    expect(() => eachZipEntry(link, 1 << 20, (entry) => names.push(entry.name))).toThrow(
      /names it otherwise/,
    );
  });

  it('refuses a local header unencrypted under a directory entry marked encrypted', () => {
    const locked = zipFile([{ name: 'scan.pdf', data: MZ, encrypted: true, method: 0 }]);
    locked.writeUInt16LE(0, 6);
    expect(() => eachZipEntry(locked, 1 << 20, () => {})).toThrow(/encryption differs/);
  });

  it('refuses stored data of unknown size (flag 8) that holds a data descriptor signature', () => {
    // libarchive, reading a stream, ends the file at a planted descriptor that fits the bytes before it and reads
    // what follows as the next local header.
    const planted = streamedZip([{ name: 'a.csv', data: 'a,b PK\x07\x08 then a local header' }]);
    expect(read(planted)).toMatch(/holding a data descriptor's signature/);
  });

  it('refuses two Unicode Path fields naming the file differently (unzip takes the last, 7-Zip the first)', () => {
    const two = zipFile([
      {
        name: 'scan.pdf',
        data: MZ,
        extra: Buffer.concat([unicodePath('scan.pdf'), unicodePath('scan.exe')]),
      },
    ]);
    expect(read(two)).toMatch(/two Unicode Path names/);
  });

  it("refuses a local header's Unicode Path naming the file otherwise than the directory's", () => {
    const zip = zipFile([{ name: 'scan.pdf', data: MZ, extra: unicodePath('scan.pdf') }]);
    // The first copy of the field is the local header's.
    zip.write('scan.exe', zip.indexOf('scan.pdf', 40, 'latin1'), 'latin1');
    expect(read(zip)).toMatch(/Unicode Path name differs/);
  });

  it('(control) reads whole archives: stored and deflated, and written with data descriptors of every form', () => {
    expect(read(three)).toEqual(['a.csv', 'invoice.exe', 'b.csv']);
    const files = [
      { name: 'a.csv', data: 'a,b' },
      { name: '__init__.py', data: '' },
      { name: 'b.csv', data: 'c,d' },
    ];
    for (const form of ['signed', 'bare', 'zip64'] as const)
      expect(read(streamedZip(files, form)), form).toEqual(['a.csv', '__init__.py', 'b.csv']);
    expect(read(zipFile([{ name: 'a.csv', data: 'a,b', method: 0 }]))).toEqual(['a.csv']);
    expect(read(zipFile([]))).toEqual([]);
    const twice = Buffer.concat([unicodePath('scan.pdf'), unicodePath('scan.pdf')]);
    expect(read(zipFile([{ name: 'scan.pdf', data: '%PDF-1.7', extra: twice }]))).toEqual(['scan.pdf']);
  });
});
