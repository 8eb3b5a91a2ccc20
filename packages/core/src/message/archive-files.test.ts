import { describe, expect, it } from 'vitest';
import { tarArchive, tarEntry } from '../testing/tar.js';
import { zipFile } from '../testing/zip.js';
import { isZip, listArchive, listZip, UNIX_EXECUTABLE } from './archive-files.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);

describe('listZip: the files of a zip archive as a client shows them', () => {
  it('names every file, nested archives included, with the types their first bytes reveal', () => {
    const inner = zipFile([{ name: 'run.js', data: 'WScript.Echo(1)' }]);
    const zip = zipFile([
      { name: 'docs/', data: '' },
      { name: 'docs/invoice.pdf', data: MZ },
      { name: 'notes.txt', data: 'hello', method: 0 },
      { name: 'more.zip', data: inner },
    ]);
    expect(isZip(zip)).toBe(true);
    expect(listZip(zip)).toEqual({
      names: ['docs/', 'docs/invoice.pdf', 'notes.txt', 'more.zip', 'more.zip/run.js'],
      sniffedTypes: ['application/x-msdownload', 'application/zip'],
      encrypted: [],
    });
  });

  it('names encrypted files without reading them', () => {
    const zip = zipFile([
      { name: 'invoice.exe', data: MZ, encrypted: true },
      { name: 'readme.txt', data: 'password: 1234' },
    ]);
    expect(listZip(zip)).toMatchObject({ names: ['invoice.exe', 'readme.txt'], encrypted: ['invoice.exe'] });
    expect(listZip(zip).unreadable).toBeUndefined();
  });

  it('says what it could not list: a cut archive, an unknown compression, nesting past four levels', () => {
    const zip = zipFile([{ name: 'a.txt', data: 'x'.repeat(1000) }]);
    expect(listZip(zip.subarray(0, zip.length - 30)).unreadable).toMatch(/not a zip archive/);
    expect(listZip(zipFile([{ name: 'a.bin', data: 'x', method: 14 }])).unreadable).toMatch(
      /compression method 14/,
    );
    let nested = zipFile([{ name: 'deep.txt', data: 'x' }]);
    for (let i = 0; i < 5; i++) nested = zipFile([{ name: `level${i}.zip`, data: nested }]);
    expect(listZip(nested).unreadable).toMatch(/nested more than 4 deep/);
  });

  it('stops at its budget on files whose first compressed bytes inflate a thousandfold', () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const bomb = zipFile(Array.from({ length: 100 }, (_, i) => ({ name: `f${i}.bin`, data: zeros })));
    expect(bomb.length).toBeLessThan(200_000);
    const listed = listZip(bomb);
    expect(listed.unreadable).toMatch(/over the decoded bytes budget/);
    expect(listed.names.length).toBeLessThan(100);
  });
});

describe('listZip: one archive to every reader', () => {
  it('refuses a zip whose comment hides a second end record (two readers, two file lists)', () => {
    const real = zipFile([{ name: 'invoice.exe', data: MZ }]);
    const decoy = zipFile([{ name: 'invoice.pdf', data: '%PDF-1.7' }]);
    // The decoy's end record, in the real archive's comment, points at a directory that lists the decoy.
    const comment = decoy.subarray(decoy.length - 22);
    const withComment = Buffer.concat([
      real.subarray(0, real.length - 2),
      Buffer.from([comment.length, 0]),
      comment,
    ]);
    expect(listZip(withComment).unreadable).toMatch(/two end records/);
  });
});

describe('archives: files extracted with an execute bit', () => {
  const script = '#!/bin/sh\nopen -a Calculator\n';
  it('types an extensionless executable file of a Unix zip or a tar as a Unix executable, as Finder does', () => {
    const zip = zipFile([
      { name: 'docs/Invoice', data: script, unixMode: 0o755 },
      { name: 'notes.txt', data: 'hello', unixMode: 0o644 },
    ]);
    expect(listZip(zip).sniffedTypes).toEqual([UNIX_EXECUTABLE]);
    const tar = tarArchive(tarEntry('Invoice', Buffer.from(script), '0', { 100: '0000755\0' }));
    expect(listArchive(tar, 'tar').sniffedTypes).toEqual([UNIX_EXECUTABLE]);
  });

  it('leaves files with an extension, without an execute bit, or made elsewhere alone', () => {
    const zip = zipFile([
      { name: 'report.pdf', data: 'x', unixMode: 0o777 },
      { name: 'README', data: script, unixMode: 0o644 },
      { name: 'Invoice', data: script },
    ]);
    expect(listZip(zip).sniffedTypes).toEqual([]);
    const tar = tarArchive(
      tarEntry('README', Buffer.from(script)),
      tarEntry('bin/', Buffer.alloc(0), '5', { 100: '0000755\0' }),
      tarEntry('run', Buffer.alloc(0), '2', { 100: '0000777\0', 157: 'README' }),
    );
    expect(listArchive(tar, 'tar').sniffedTypes).toEqual([]);
  });

  it('reads the mode as UnZip does: any host but Windows and OS/2 file systems, any file type bits', () => {
    const made = (host: number, mode: number) =>
      listZip(zipFile([{ name: 'Invoice', data: script, madeBy: { host, mode } }]));
    expect(made(16, 0o100755).sniffedTypes).toEqual([UNIX_EXECUTABLE]);
    expect(made(3, 0o010755).sniffedTypes).toEqual([UNIX_EXECUTABLE]);
    for (const host of [0, 6, 11, 14]) expect(made(host, 0o100755).sniffedTypes).toEqual([]);
    expect(made(3, 0o120777).sniffedTypes).toEqual([]); // a symbolic link
  });
});

describe('archives: a path as extractors resolve it (attacker round 16)', () => {
  it('names a file `Invoice.vbs/.`, `Invoice.vbs//` or `Invoice.vbs/` with content as Invoice.vbs, as libarchive writes it', () => {
    for (const name of ['Invoice.vbs/.', 'Invoice.vbs//', 'Invoice.vbs/', 'docs/./Invoice.vbs'])
      expect(listZip(zipFile([{ name, data: 'MsgBox "x"' }])).names, name).toContain(
        name.startsWith('docs') ? 'docs/Invoice.vbs' : 'Invoice.vbs',
      );
    expect(listArchive(tarArchive(tarEntry('Invoice.vbs/.', Buffer.from('MsgBox'))), 'tar').names).toContain(
      'Invoice.vbs',
    );
  });

  it('keeps a folder a folder, and a plain name as it is', () => {
    expect(
      listZip(
        zipFile([
          { name: 'docs/', data: '' },
          { name: 'docs/a.txt', data: 'x' },
        ]),
      ).names,
    ).toEqual(['docs/', 'docs/a.txt']);
  });
});
