import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';
import { archiveKindOf } from './archive-kind.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));

// Made with gcab 1.5: `gcab -c` (stored) and `gcab -cz` (MSZIP).
describe('eachCabEntry: the files of a cabinet', () => {
  it('reads _A_EXEC (cabextract extracts with execute bits) and refuses a name flagged UTF-8 that is not UTF-8', () => {
    const cab = Buffer.from(fixture('invoice.cab'));
    const at = cab.indexOf('notes.txt', cab.readUInt32LE(16), 'latin1');
    const exec = Buffer.from(cab);
    exec.write('notes_txt', at, 'latin1');
    exec.writeUInt16LE(exec.readUInt16LE(at - 2) | 0x40, at - 2);
    expect(listArchive(exec, 'cab').sniffedTypes).toContain('application/x-unix-executable');
    // E0 80 AE is an overlong `.`: cabextract reads `notes.txt`, others a name without an extension.
    const overlong = Buffer.from(cab);
    overlong.writeUInt16LE(overlong.readUInt16LE(at - 2) | 0x80, at - 2);
    Buffer.from([0xe0, 0x80, 0xae]).copy(overlong, at + 4);
    expect(listArchive(overlong, 'cab').unreadable).toMatch(/flagged UTF-8 that is not UTF-8/);
  });

  it('names the files of stored and MSZIP cabinets and sniffs their content', () => {
    for (const name of ['invoice.cab', 'invoice-mszip.cab']) {
      expect(archiveKindOf(fixture(name))).toBe('cab');
      expect(listArchive(fixture(name), 'cab')).toEqual({
        names: ['invoice.exe', 'notes.txt'],
        sniffedTypes: ['application/x-msdownload'],
        encrypted: [],
      });
    }
  });

  it('cannot list a cut cabinet, a damaged MSZIP block, or a file past its folder', () => {
    const cab = fixture('invoice-mszip.cab');
    expect(listArchive(cab.subarray(0, 70), 'cab').unreadable).toBeDefined();
    const damaged = Buffer.from(cab);
    damaged.write('XX', cab.indexOf('CK'), 'latin1');
    expect(listArchive(damaged, 'cab').unreadable).toMatch(/MSZIP/);
    const stored = Buffer.from(fixture('invoice.cab'));
    stored.writeUInt32LE(1 << 20, 0x2c);
    expect(listArchive(stored, 'cab').unreadable).toMatch(/past the end of its folder/);
    expect(listArchive(Buffer.from('MSCF'), 'cab').unreadable).toMatch(/not a cabinet/);
  });

  it('names the files of a folder compressed otherwise (LZX) without reading them', () => {
    const lzx = Buffer.from(fixture('invoice.cab'));
    lzx.writeUInt16LE(3, 36 + 6);
    expect(listArchive(lzx, 'cab')).toEqual({
      names: ['invoice.exe', 'notes.txt'],
      sniffedTypes: [],
      encrypted: [],
    });
  });
});
