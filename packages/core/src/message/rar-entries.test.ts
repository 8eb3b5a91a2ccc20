import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rarFile } from '../testing/rar.js';
import { listArchive } from './archive-files.js';
import { archiveKindOf } from './archive-kind.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
const FILES = [
  { name: 'docs', data: '', dir: true },
  { name: 'docs\\invoice.pdf', data: MZ },
  { name: 'notes.txt', data: 'hello' },
  { name: 'locked.doc', data: 'x', encrypted: true },
];

describe('eachRarEntry: the files of a RAR archive as unrar lists them', () => {
  for (const version of [4, 5] as const) {
    it(`RAR ${version}: names every file, reads stored ones, names encrypted ones without reading them`, () => {
      const rar = rarFile(FILES, { version });
      expect(archiveKindOf(rar)).toBe('rar');
      expect(listArchive(rar, 'rar')).toEqual({
        names: ['docs', 'docs/invoice.pdf', 'notes.txt', 'locked.doc'],
        sniffedTypes: ['application/x-msdownload'],
        encrypted: ['locked.doc'],
      });
    });

    it(`RAR ${version}: encrypted headers hide every name, so the archive cannot be listed`, () => {
      const listed = listArchive(rarFile(FILES, { version, encryptedHeaders: true }), 'rar');
      expect(listed.names).toEqual([]);
      expect(listed.unreadable).toMatch(/headers are encrypted/);
    });

    it(`RAR ${version}: a damaged header (bad CRC) or a cut archive cannot be listed`, () => {
      const rar = rarFile(FILES, { version });
      const damaged = Buffer.from(rar);
      damaged[damaged.indexOf('notes.txt')] = 0x4e;
      expect(listArchive(damaged, 'rar').unreadable).toMatch(/bad header CRC/);
      expect(listArchive(rar.subarray(0, rar.length - 3), 'rar').unreadable).toBeDefined();
    });

    it(`RAR ${version}: a RAR inside is listed too`, () => {
      const inner = rarFile([{ name: 'run.js', data: 'WScript.Echo(1)' }], { version });
      const outer = rarFile([{ name: 'inner.rar', data: inner }], { version });
      expect(listArchive(outer, 'rar').names).toEqual(['inner.rar', 'inner.rar/run.js']);
    });
  }

  it('RAR 4: a recovery or old service block announcing data without LONG_BLOCK cannot be listed (unrar skips it)', () => {
    const rar = rarFile([{ name: 'notes.txt', data: 'hello' }], { version: 4 });
    // After the marker (7 bytes) and the archive header (13): a block of type 0x77 or 0x78, flags 0, size 11,
    // announcing 64 bytes of data.
    const block = (type: number, flags: number) => {
      const b = Buffer.alloc(11);
      b[2] = type;
      b.writeUInt16LE(flags, 3);
      b.writeUInt16LE(11, 5);
      b.writeUInt32LE(64, 7);
      b.writeUInt16LE(crc32(b.subarray(2)) & 0xffff, 0);
      return b;
    };
    const at = 7 + 13;
    for (const type of [0x77, 0x78]) {
      const withBlock = Buffer.concat([rar.subarray(0, at), block(type, 0), rar.subarray(at)]);
      expect(listArchive(withBlock, 'rar').unreadable, type.toString(16)).toMatch(/unrar skips/);
    }
    // With LONG_BLOCK every reader skips the data: listed (64 bytes of it must be there).
    const long = Buffer.concat([
      rar.subarray(0, at),
      block(0x78, 0x8000),
      Buffer.alloc(64),
      rar.subarray(at),
    ]);
    expect(listArchive(long, 'rar').names).toEqual(['notes.txt']);
  });

  it('RAR 4: decodes Unicode names (flag 0x200)', () => {
    const rar = rarFile([{ name: 'счёт.exe', data: MZ, unicode: true }]);
    expect(listArchive(rar, 'rar').names).toEqual(['счёт.exe']);
  });

  it('a part that says RAR and is not one cannot be listed', () => {
    expect(listArchive(Buffer.from('%PDF-1.7'), 'rar').unreadable).toMatch(/not a RAR archive/);
  });
});
