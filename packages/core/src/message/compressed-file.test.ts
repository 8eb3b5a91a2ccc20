import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';
import { archiveKindOf, claimedArchiveKind, innerFileName } from './archive-kind.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));

describe('compressed files: the one file inside, named after the compressed file', () => {
  it('bzip2, xz and zstd (made with their tools) hold the file their name says', () => {
    for (const [name, kind] of [
      ['invoice.exe.bz2', 'bzip2'],
      ['invoice.exe.xz', 'xz'],
      ['invoice.exe.zst', 'zstd'],
    ] as const) {
      expect(archiveKindOf(fixture(name))).toBe(kind);
      expect(listArchive(fixture(name), kind, name)).toEqual({
        names: ['invoice.exe'],
        sniffedTypes: [],
        encrypted: [],
      });
    }
  });

  it('cannot list a compressed file whose name does not say what it holds, or that is not what it says', () => {
    expect(listArchive(fixture('invoice.exe.xz'), 'xz', 'attachment').unreadable).toMatch(/is not known/);
    expect(listArchive(Buffer.from('plain text'), 'bzip2', 'a.exe.bz2').unreadable).toMatch(
      /not a bzip2 file/,
    );
  });

  it('names the inner file as gzip and 7-Zip do: the extension cut, .tgz and the like giving .tar', () => {
    expect(innerFileName('Invoice.EXE.gz')).toBe('Invoice.EXE');
    expect(innerFileName('backup.tgz')).toBe('backup.tar');
    expect(innerFileName('backup.tar.bz2')).toBe('backup.tar');
    expect(innerFileName('.gz')).toBeUndefined();
    expect(innerFileName('report.pdf')).toBeUndefined();
  });

  it('recognises archives by their first bytes, and claims by name or declared type', () => {
    expect(archiveKindOf(Buffer.from('BZh91AY&SY'))).toBe('bzip2');
    expect(archiveKindOf(Buffer.from('BZh hello'))).toBeUndefined();
    expect(archiveKindOf(Buffer.from('\x1f\x9d\x90', 'latin1'))).toBe('compress');
    expect(archiveKindOf(Buffer.from('\x1f\x9d\x00', 'latin1'))).toBeUndefined();
    expect(archiveKindOf(Buffer.from('\x60\xea\x00\x00', 'latin1'))).toBeUndefined();
    expect(archiveKindOf(Buffer.from('\x20\x00-lh5-', 'latin1'))).toBe('lzh');
    expect(archiveKindOf(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(claimedArchiveKind(['a.TAR.GZ'])).toBe('gzip');
    expect(claimedArchiveKind(['a.pdf'], 'application/x-rar-compressed')).toBe('rar');
    expect(claimedArchiveKind(['a.pdf'], 'application/pdf')).toBeUndefined();
  });

  it('recognises ACE, ARJ and LHA and says it does not read them', () => {
    expect(listArchive(Buffer.alloc(20), 'ace').unreadable).toMatch(/ace archives are not read/);
  });
});
