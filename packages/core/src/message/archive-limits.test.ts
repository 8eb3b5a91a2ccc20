import { readdirSync, readFileSync } from 'node:fs';
import { crc32, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rarFile } from '../testing/rar.js';
import { zipFile } from '../testing/zip.js';
import { listArchive } from './archive-files.js';
import { archiveKindOf, claimedArchiveKind } from './archive-kind.js';

const DIR = new URL('../../../../samples/archives/', import.meta.url);
const FIXTURES = readdirSync(DIR, { withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map(({ name }) => [name, readFileSync(new URL(name, DIR))] as const);
const kindOf = (name: string, bytes: Buffer) => archiveKindOf(bytes) ?? claimedArchiveKind([name]) ?? 'zip';

describe('archive listers: hostile archives get a defined outcome, bounded', () => {
  it('every archive cut anywhere lists only files of the whole one, and says when it cannot go on', () => {
    for (const [name, bytes] of [
      ...FIXTURES,
      [
        't4.rar',
        rarFile([
          { name: 'a.exe', data: 'MZ' },
          { name: 'b.txt', data: 'x' },
        ]),
      ],
      [
        't5.rar',
        rarFile(
          [
            { name: 'a.exe', data: 'MZ' },
            { name: 'b.txt', data: 'x' },
          ],
          { version: 5 },
        ),
      ],
    ] as const) {
      const kind = kindOf(name, bytes);
      const whole = listArchive(bytes, kind, name);
      for (let cut = 1; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 97))) {
        const listed = listArchive(bytes.subarray(0, cut), kind, name);
        expect([name, cut, listed.names.filter((n) => !whole.names.includes(n))]).toEqual([name, cut, []]);
        // What a reader of the cut bytes can extract is what was listed: only the headers' end may be missing.
        if (listed.unreadable === undefined) expect(listed.names.length).toBeGreaterThan(0);
      }
    }
  });

  it('stops at 10,000 files', () => {
    const many = rarFile(Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, data: '' })));
    expect(listArchive(many, 'rar').unreadable).toMatch(/more than 10000 files/);
  });

  it('stops at four levels of archives inside archives, whatever their kinds', () => {
    let nested = rarFile([{ name: 'deep.exe', data: 'MZ' }]);
    nested = zipFile([{ name: 'l1.rar', data: nested }]);
    nested = gzipSync(nested);
    nested = rarFile([{ name: 'l3.zip.gz', data: nested }], { version: 5 });
    expect(listArchive(nested, 'rar').names).toEqual([
      'l3.zip.gz',
      'l3.zip.gz/l3.zip',
      'l3.zip.gz/l3.zip/l1.rar',
      'l3.zip.gz/l3.zip/l1.rar/deep.exe',
    ]);
    nested = zipFile([{ name: 'l4.rar', data: nested }]);
    expect(listArchive(nested, 'zip').unreadable).toMatch(/nested more than 4 deep/);
  });

  it('stops at its decoded bytes budget on a gzip bomb', () => {
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200_000);
    expect(listArchive(bomb, 'gzip', 'x.bin.gz').unreadable).toMatch(/over the decoded bytes budget/);
  });

  it('refuses counts larger than the header holds (7z)', () => {
    // A 7z signature header pointing at a plain header that claims 2^40 folders.
    const header = Buffer.from([0x01, 0x04, 0x07, 0x0b, 0xfc, 0, 0, 0, 0, 0x01, 0, 0]);
    const start = Buffer.alloc(32);
    start.write('7z\xbc\xaf\x27\x1c', 0, 'latin1');
    start.writeBigUInt64LE(0n, 12);
    start.writeBigUInt64LE(BigInt(header.length), 20);
    // Both checksums hold, as 7-Zip requires before it reads the header.
    start.writeUInt32LE(crc32(header), 28);
    start.writeUInt32LE(crc32(start.subarray(12, 32)), 8);
    expect(listArchive(Buffer.concat([start, header]), '7z').unreadable).toMatch(
      /count larger than the header/,
    );
  });
});
