import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';
import { archiveKindOf } from './archive-kind.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));

// Made with p7zip 16.02: `7z a`, `-mhc=off` (plain header), `-p -mhe=on` (encrypted header).
describe('eachSevenZipEntry: the files of a 7z archive whose header is plain', () => {
  it('names the files of a plain header (7-Zip writes one for a single small file, or with -mhc=off)', () => {
    expect(archiveKindOf(fixture('invoice.7z'))).toBe('7z');
    expect(listArchive(fixture('invoice.7z'), '7z')).toEqual({
      names: ['invoice.exe'],
      sniffedTypes: [],
      encrypted: [],
    });
    expect(listArchive(fixture('report-plain.7z'), '7z').names).toEqual(['notes.txt', 'report.pdf']);
  });

  it('names the files of a password-protected archive with a plain header, as encrypted', () => {
    expect(listArchive(fixture('locked-plain.7z'), '7z')).toMatchObject({
      names: ['invoice.exe'],
      encrypted: ['invoice.exe'],
    });
  });

  it('cannot list a compressed header (7-Zip’s default) nor an encrypted one', () => {
    expect(listArchive(fixture('docs.7z'), '7z').unreadable).toMatch(/header is compressed/);
    expect(listArchive(fixture('hidden.7z'), '7z').unreadable).toMatch(/header is encrypted/);
  });

  it('cannot list a header past the end of the file, or not a 7z at all', () => {
    const archive = fixture('invoice.7z');
    expect(listArchive(archive.subarray(0, archive.length - 10), '7z').unreadable).toMatch(/past the end/);
    expect(listArchive(Buffer.from('7z but no'), '7z').unreadable).toMatch(/not a 7z archive/);
  });
});
