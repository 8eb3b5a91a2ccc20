import { describe, expect, it } from 'vitest';
import { rarFile } from '../testing/rar.js';
import { listArchive } from './archive-files.js';

// Attacker round 82: a RAR 4 Unicode name (flag 0x200) whose "copy from the byte name" run (mode 3) reads past the
// byte name's NUL. unrar (EncodeFileName::Decode), 7-Zip (DecodeUnicodeFileName) and libarchive copy from the whole
// name field, the NUL and the encoding's own bytes included, so the run spells `.exe` out of the encoding; the walk
// copied NULs there (a "correction" added to them made control characters) and listed `invoJ]J` with no extension.

/**
 * A name field with an empty byte name, then an encoding that writes `invo`, three characters and a mode-3 run with
 * correction 0x1B over the field's bytes 7 to 10: the flags byte 0x13 and the three characters, so the run spells
 * `.` and `ext` (each character written as `ext[i] - 0x1B`).
 */
function tailSpelled(ext: string): Buffer {
  const shifted = [...ext.padEnd(3, 'e')].map((c) => c.charCodeAt(0) - 0x1b);
  return Buffer.from([
    0x00,
    0x00,
    0x00,
    ...Buffer.from('invo'),
    0x13,
    ...shifted,
    0x80 | (ext.length - 1),
    0x1b,
  ]);
}

const hidden = (ext: string, data: string | Buffer = 'x') =>
  listArchive(rarFile([{ name: '', rawName: tailSpelled(ext), unicode: true, data }]), 'rar');

describe('A82-1: a RAR 4 Unicode name whose copied run reads past the byte name', () => {
  it('lists the name unrar, 7-Zip and libarchive extract (invoJ]J.exe)', () => {
    expect(hidden('exe').names).toEqual(['invoJ]J.exe']);
  });

  it('lists a script and a shortcut so spelt by their extensions', () => {
    expect(hidden('js', 'WScript.Echo(82)').names).toEqual(['invoOXJ.js']);
    expect(hidden('lnk').names).toEqual(['invoQSP.lnk']);
    expect(hidden('vbs', 'MsgBox 82').names).toEqual(['invo[GX.vbs']);
  });

  it('refuses a run that copies past the end of the name field (readers cut it in different places)', () => {
    const raw = Buffer.from([...Buffer.from('ab'), 0x00, 0x00, 0xc0, 0x7f]);
    const listed = listArchive(rarFile([{ name: '', rawName: raw, unicode: true, data: 'x' }]), 'rar');
    expect(listed.unreadable).toMatch(/past its field/);
  });

  it('refuses characters written after the name field is full (unrar goes on, 7-Zip and libarchive stop)', () => {
    // Byte name `ab`; a run copying the field's 7 bytes, then a `c`.
    const raw = Buffer.from([...Buffer.from('ab'), 0x00, 0x00, 0xc0, 0x05, 0x63]);
    const listed = listArchive(rarFile([{ name: '', rawName: raw, unicode: true, data: 'x' }]), 'rar');
    expect(listed.unreadable).toMatch(/past its field/);
  });

  it('(control) decodes a Unicode name as RAR writes it: characters, then a run over the byte name', () => {
    // Byte name `Marz.pdf`; the encoding writes `M`, `ä`, then copies `rz.pdf` from the byte name.
    const raw = Buffer.concat([
      Buffer.from('Marz.pdf\0', 'latin1'),
      Buffer.from([0x00, 0x0c, 0x4d, 0xe4, 0x04]),
    ]);
    const rar = rarFile(
      [
        { name: '', rawName: raw, unicode: true, data: '%PDF-1.4' },
        { name: 'счёт.txt', data: 'total 10', unicode: true },
      ],
      {},
    );
    expect(listArchive(rar, 'rar')).toMatchObject({ names: ['März.pdf', 'счёт.txt'] });
    expect(listArchive(rar, 'rar').unreadable).toBeUndefined();
  });
});
