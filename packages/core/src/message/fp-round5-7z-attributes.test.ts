import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';

// False-positive round 5 over attacker round 102's 7z reparse points (attribute FILE_ATTRIBUTE_REPARSE_POINT, 0x400,
// read as a link, and a file written through a link refused). Windows sets that attribute on much that is no link:
// files Data Deduplication optimized (0x400 with sparse, 0x200), OneDrive and Dropbox placeholders (0x400 with recall
// on data access, 0x400000, pinned 0x80000 or unpinned 0x100000), and OneDrive's folders themselves, whose files 7-Zip
// archives under them. 7-Zip (without -snl) stores the attributes Windows reports: none of these is written back as a
// link, so each archive must be listed.

/** A 7z of empty entries only (no streams), plain header: `[name, attributes, kind]`, folders and empty files. */
function emptyEntries(entries: readonly [string, number, 'dir' | 'file'][]): Buffer {
  const bits = (on: readonly boolean[]) => {
    const out = Buffer.alloc(Math.ceil(on.length / 8));
    on.forEach((b, i) => {
      if (b) out[i >> 3] = (out[i >> 3] as number) | (0x80 >> (i & 7));
    });
    return out;
  };
  // 7z's numbers: one byte below 0x80, else two (the first's top bit set, then the low byte).
  const size = (n: number) => (n < 0x80 ? [n] : [0x80 | (n >> 8), n & 0xff]);
  const property = (id: number, data: Buffer) =>
    Buffer.concat([Buffer.from([id, ...size(data.length)]), data]);
  const names = Buffer.concat([
    Buffer.from([0]),
    ...entries.map(([name]) => Buffer.from(`${name}\0`, 'utf16le')),
  ]);
  const attributes = Buffer.alloc(2 + 4 * entries.length);
  attributes[0] = 1; // all defined
  entries.forEach(([, a], i) => {
    attributes.writeUInt32LE(a, 2 + 4 * i);
  });
  const header = Buffer.concat([
    Buffer.from([0x01, 0x05, entries.length]),
    property(0x0e, bits(entries.map(() => true))),
    property(0x0f, bits(entries.map(([, , kind]) => kind === 'file'))),
    property(0x11, names),
    property(0x15, attributes),
    Buffer.from([0x00, 0x00]),
  ]);
  const start = Buffer.alloc(32);
  Buffer.from('377abcaf271c0004', 'hex').copy(start);
  start.writeBigUInt64LE(0n, 12);
  start.writeBigUInt64LE(BigInt(header.length), 20);
  start.writeUInt32LE(crc32(header), 28);
  start.writeUInt32LE(crc32(start.subarray(12, 32)), 8);
  return Buffer.concat([start, header]);
}

// `samples/archives/unix-exec.7z` (plain header: Invoice, notes.txt), Invoice's attributes as Windows reports them.
function withAttributes(attributes: number): Buffer {
  const archive = Buffer.from(
    readFileSync(new URL('../../../../samples/archives/unix-exec.7z', import.meta.url)),
  );
  const header = 32 + Number(archive.readBigUInt64LE(12));
  const at = archive.indexOf(Buffer.from('2080ed81', 'hex'), header);
  expect(at).toBeGreaterThan(0);
  archive.writeUInt32LE(attributes, at);
  archive.writeUInt32LE(crc32(archive.subarray(header)), 28);
  archive.writeUInt32LE(crc32(archive.subarray(12, 32)), 8);
  return archive;
}

describe('FP5 7z: Windows attributes that are no link', () => {
  it('lists a OneDrive folder (a reparse point, recall on data access) with the files 7-Zip stored under it', () => {
    const list = listArchive(
      emptyEntries([
        ['OneDrive', 0x400410, 'dir'],
        ['OneDrive/Documents', 0x400410, 'dir'],
        ['OneDrive/Documents/notes.txt', 0x500420, 'file'],
        ['OneDrive/Documents/Agenda', 0x80410, 'dir'],
        ['OneDrive/Documents/Agenda/todo.txt', 0x80420, 'file'],
      ]),
      '7z',
    );
    expect(list.unreadable).toBeUndefined();
    expect(list.names).toContain('OneDrive/Documents/Agenda/todo.txt');
  });
  it('lists a folder older 7-Zip stored as the junction it followed (0x410), with the files under it', () => {
    const list = listArchive(
      emptyEntries([
        ['project', 0x10, 'dir'],
        ['project/lib', 0x410, 'dir'],
        ['project/lib/readme.txt', 0x20, 'file'],
      ]),
      '7z',
    );
    expect(list.unreadable).toBeUndefined();
  });
  const files: Record<string, number> = {
    'a deduplicated file (0x620)': 0x620,
    'a OneDrive placeholder (0x400420)': 0x400420,
    'a Dropbox online-only file (0x501420)': 0x501420,
    'a sparse, compressed, not-indexed file (0x2a20)': 0x2a20,
  };
  for (const [name, attributes] of Object.entries(files))
    it(`lists ${name} beside another file`, () => {
      const list = listArchive(withAttributes(attributes), '7z');
      expect(list.unreadable).toBeUndefined();
      expect(list.names).toEqual(['Invoice', 'notes.txt']);
    });
});
