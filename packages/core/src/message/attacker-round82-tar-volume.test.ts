import { describe, expect, it } from 'vitest';
import { tarArchive, tarEntry, USTAR_MAGIC } from '../testing/tar.js';
import { listArchive } from './archive-files.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);
const NOTES = tarEntry('notes.txt', Buffer.from('hello\n'), '0', USTAR_MAGIC);

// Attacker round 82: a GNU volume label (type V) with a size. GNU tar skips that many bytes after it; libarchive
// before its 2024 rewrite of the tar reader (3.7.2, the bsdtar behind Windows 11's tar.exe and built-in extraction)
// reads the next header right after the label, so the file hidden in the label's "data" is extracted too.
describe('A82-4: a tar volume label whose size hides a file', () => {
  it('refuses a volume label with a size (over an executable, or over anything)', () => {
    const hidden = tarEntry('invoice.exe', MZ, '0', USTAR_MAGIC);
    const tar = tarArchive(tarEntry('backup', hidden, 'V', USTAR_MAGIC), NOTES);
    expect(listArchive(tar, 'tar').unreadable).toMatch(/volume label with a size/);
  });

  it('(control) lists a tar that starts with a volume label of no size (GNU tar -V)', () => {
    const tar = tarArchive(tarEntry('backup 2026-12', Buffer.alloc(0), 'V', USTAR_MAGIC), NOTES);
    expect(listArchive(tar, 'tar')).toEqual({ names: ['notes.txt'], sniffedTypes: [], encrypted: [] });
  });
});
