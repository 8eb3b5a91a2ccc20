import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';
import { archiveKindOf } from './archive-kind.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));

// Made with p7zip 16.02: `7z a` (LZMA header), `-mhc=off` (plain header), `-p` and `-p -mhe=on` (encrypted header).
describe('eachSevenZipEntry: the files of a 7z archive', () => {
  it('names the files of a plain header (7-Zip writes one for a single small file, or with -mhc=off)', () => {
    expect(archiveKindOf(fixture('invoice.7z'))).toBe('7z');
    expect(listArchive(fixture('invoice.7z'), '7z')).toEqual({
      names: ['invoice.exe'],
      sniffedTypes: [],
      encrypted: [],
    });
    expect(listArchive(fixture('report-plain.7z'), '7z').names).toEqual(['notes.txt', 'report.pdf']);
  });

  it('refuses an archive whose start or next header checksum fails (7-Zip refuses it and looks further on)', () => {
    const good = fixture('report-plain.7z');
    for (const at of [8, 28, 32 + Number(good.readBigUInt64LE(12))]) {
      const bad = Buffer.from(good);
      bad[at] = (bad[at] as number) ^ 0xff;
      expect(listArchive(bad, '7z').unreadable, String(at)).toMatch(/CRC/);
    }
  });

  it('marks a file whose attributes carry a Unix mode with execute bits executable (attribute 0x8000)', () => {
    // `7z a -mhc=off` on Linux (7-Zip 26.02): Invoice of mode 0755, notes.txt of 0644; 7-Zip and libarchive
    // restore the modes, and Finder runs an extensionless executable in Terminal.
    expect(listArchive(fixture('unix-exec.7z'), '7z').sniffedTypes).toEqual([
      'application/x-unix-executable',
    ]);
    expect(listArchive(fixture('report-plain.7z'), '7z').sniffedTypes).toEqual([]);
  });

  it('names the files of a password-protected archive with a plain header, as encrypted', () => {
    expect(listArchive(fixture('locked-plain.7z'), '7z')).toMatchObject({
      names: ['invoice.exe'],
      encrypted: ['invoice.exe'],
    });
  });

  it('decodes the LZMA header 7-Zip writes by default, and names the files inside', () => {
    expect(listArchive(fixture('report.7z'), '7z')).toEqual({
      names: ['notes.txt', 'report.pdf'],
      sniffedTypes: [],
      encrypted: [],
    });
    const many = listArchive(fixture('many.7z'), '7z');
    expect(many.names).toHaveLength(302);
    expect(many.names.slice(-2)).toEqual(['many/report-99.txt', 'many/zz-setup.exe']);
    // A password without -mhe: the header is compressed, not encrypted, so the names are read.
    expect(listArchive(fixture('locked.7z'), '7z')).toEqual({
      names: ['notes.txt', 'report.pdf'],
      sniffedTypes: [],
      encrypted: ['notes.txt', 'report.pdf'],
    });
  });

  it('cannot list an encrypted header (-mhe), nor a compressed header cut or damaged', () => {
    expect(listArchive(fixture('hidden.7z'), '7z').unreadable).toMatch(/header is encrypted/);
    const archive = Buffer.from(fixture('many.7z'));
    const packed = 32 + Number(archive.readBigUInt64LE(12)) - 40;
    archive.fill(0xff, packed, packed + 20);
    expect(listArchive(archive, '7z').unreadable).toBeDefined();
  });

  it('cannot list a header past the end of the file, or not a 7z at all', () => {
    const archive = fixture('invoice.7z');
    expect(listArchive(archive.subarray(0, archive.length - 10), '7z').unreadable).toMatch(/past the end/);
    expect(listArchive(Buffer.from('7z but no'), '7z').unreadable).toMatch(/not a 7z archive/);
  });
});
