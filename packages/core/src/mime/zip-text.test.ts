import { describe, expect, it } from 'vitest';
import { eachTarEntry } from '../message/tar-entries.js';
import { rarFile } from '../testing/rar.js';
import { tarArchive, tarEntry, USTAR_MAGIC } from '../testing/tar.js';
import { zipFile } from '../testing/zip.js';
import { archiveTexts, zipTexts } from './zip-text.js';

describe('zipTexts', () => {
  it('reads files by name or first bytes (an archive inside, for the caller to open), and skips binaries', () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100_000)]);
    const zip = zipFile([
      { name: 'dir/', data: '' },
      { name: 'a.csv', data: 'x,1' },
      { name: 'notes', data: 'plain words' },
      { name: 'p.png', data: png },
      { name: 'inner.dat', data: zipFile([{ name: 'b.txt', data: 'y' }]) },
      { name: 'old.xls', data: Buffer.from('d0cf11e0a1b11ae1', 'hex') },
      { name: 'xl/sharedStrings.bin', data: Buffer.from([0x9f, 0x01, 0x00]) },
    ]);
    // The budget counts what the binaries' heads inflate to as well (the PNG's zeros: 100,000 bytes).
    const { texts, skipped } = zipTexts(zip, 200_000);
    expect(texts.map((t) => [t.name, t.kind, t.bytes.length])).toEqual([
      ['a.csv', 'text', 3],
      ['notes', 'text', 11],
      ['inner.dat', 'zip', zipFile([{ name: 'b.txt', data: 'y' }]).length],
      ['old.xls', 'strings', 8],
      ['xl/sharedStrings.bin', 'strings', 3],
    ]);
    expect(skipped).toEqual(['p.png']);
  });
  it('throws on what it cannot read: encrypted text, more than the budget, not a zip', () => {
    expect(() => zipTexts(zipFile([{ name: 'a.txt', data: 'x', encrypted: true }]), 1000)).toThrow(
      /encrypted/,
    );
    expect(() => zipTexts(zipFile([{ name: 'a.txt', data: 'x'.repeat(5000) }]), 1000)).toThrow(/budget/);
    expect(() => zipTexts(Buffer.from('not a zip at all, not at all'), 1000)).toThrow(/not a zip/);
  });
  it('names encrypted files in the list it is given, and reads the others', () => {
    const encrypted: string[] = [];
    const zip = zipFile([
      { name: 'a.txt', data: 'x', encrypted: true },
      { name: 'b.txt', data: 'hello' },
      { name: 'c.pdf', data: '%PDF', encrypted: true },
    ]);
    expect(zipTexts(zip, 1000, encrypted).texts.map((t) => t.name)).toEqual(['b.txt']);
    expect(encrypted).toEqual(['a.txt', 'c.pdf']);
    expect(() => zipTexts(zipFile([{ name: 'a.txt', data: 'x'.repeat(5000) }]), 1000, [])).toThrow(/budget/);
  });

  it('lists an archive of a kind it does not open (a RAR, by its bytes or its name) as unopened, and reads the others', () => {
    const rar = rarFile([{ name: 'cards.csv', data: 'x' }]);
    const zip = zipFile([
      { name: 'export.dat', data: rar },
      { name: 'b.txt', data: 'hello' },
      { name: 'old.7z', data: Buffer.alloc(64, 1) },
    ]);
    const read = zipTexts(zip, 1000);
    expect(read.texts.map((t) => t.name)).toEqual(['b.txt']);
    expect(read.unopened).toEqual([
      'export.dat: a rar file, which is not read',
      'old.7z: a 7z file, which is not read',
    ]);
    expect(read.skipped).toEqual([]);
  });

  it('lists an Apple iWork document’s data (.iwa) as unopened, once, whatever the inner zip, and reads the rest', () => {
    // A `.numbers` file: its cells are in Snappy-compressed records; a preview image and a plist beside them.
    const snappy = Buffer.concat([Buffer.from([0x00, 0x20, 0x00, 0x00]), Buffer.from('4111111111111111')]);
    const numbers = zipFile([
      { name: 'Index/Document.iwa', data: snappy },
      { name: 'Index/Tables/DataList.IWA', data: snappy },
      { name: 'Metadata/Properties.plist', data: Buffer.from('62706c6973743030d10102000000000008', 'hex') },
      { name: 'preview.jpg', data: Buffer.from('ffd8ffe000104a464946', 'hex') },
      { name: 'notes.txt', data: 'plain words' },
    ]);
    const read = zipTexts(numbers, 10_000);
    // Its metadata is a binary property list, which is not read either.
    expect(read.unopened).toEqual([
      'Metadata/Properties.plist: a binary property list (such as a Safari web archive), which is not read',
      'Index/Document.iwa and 1 more: Apple iWork document data (Snappy-compressed records), which is not read',
    ]);
    expect(read.texts.map((t) => t.name)).toEqual(['notes.txt']);
    expect(read.skipped).toEqual(['preview.jpg']);
    // An iWork '13 package keeps them in an inner Index.zip, which the caller opens in turn: the same answer.
    const inner = zipTexts(zipFile([{ name: 'Index.zip', data: numbers }]), 10_000);
    expect(inner.texts.map((t) => [t.name, t.kind])).toEqual([['Index.zip', 'zip']]);
  });

  it('reads the files of a tar the same way (archiveTexts), not its links and folders', () => {
    const tar = tarArchive(
      tarEntry('dir/', Buffer.alloc(0), '5', USTAR_MAGIC),
      tarEntry('dir/a.csv', Buffer.from('x,1'), '0', USTAR_MAGIC),
      tarEntry('dir/link.csv', Buffer.alloc(0), '2', { ...USTAR_MAGIC, 157: 'dir/a.csv' }),
      tarEntry('dir/p.png', Buffer.from('89504e470d0a1a0a0000', 'hex'), '0', USTAR_MAGIC),
    );
    const { texts, skipped } = archiveTexts(eachTarEntry, tar, 1000);
    expect(texts.map((t) => [t.name, t.kind, t.bytes.toString()])).toEqual([['dir/a.csv', 'text', 'x,1']]);
    expect(skipped).toEqual(['dir/p.png']);
  });

  it('reads a zip entry marked as a Unix link as the file Windows extracts, and counts iWork data so marked (round 33)', () => {
    const snappy = Buffer.concat([Buffer.from([0x00, 0x20, 0x00, 0x00]), Buffer.from('4111111111111111')]);
    const zip = zipFile([
      { name: 'cards.txt', data: 'Card 4111 1111 1111 1111', symlink: true },
      { name: 'Index/Document.iwa', data: snappy, method: 0, symlink: true },
    ]);
    const read = zipTexts(zip, 10_000);
    expect(read.texts.map((t) => [t.name, t.kind, t.bytes.toString()])).toEqual([
      ['cards.txt', 'text', 'Card 4111 1111 1111 1111'],
    ]);
    expect(read.unopened).toEqual([
      'Index/Document.iwa: Apple iWork document data (Snappy-compressed records), which is not read',
    ]);
  });

  it('reads binary entries of no known format for their strings, skips images, and lists binary property lists as unopened (round 33)', () => {
    const zip = zipFile([
      { name: 'STATEMENT.PRN', data: 'CARD 4111 1111 1111 1111\r\n\x1a' },
      { name: 'logo.png', data: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') },
      {
        name: 'booking.webarchive',
        data: Buffer.from('bplist00\xd1\x01\x02_\x10\x0fWebMainResource', 'latin1'),
      },
    ]);
    const read = zipTexts(zip, 10_000);
    expect(read.texts.map((t) => [t.name, t.kind])).toEqual([['STATEMENT.PRN', 'strings']]);
    expect(read.skipped).toEqual(['logo.png']);
    expect(read.unopened).toEqual([
      'booking.webarchive: a binary property list (such as a Safari web archive), which is not read',
    ]);
  });
});
