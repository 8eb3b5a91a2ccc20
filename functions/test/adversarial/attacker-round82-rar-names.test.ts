import { rarFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 82: a RAR 4 file name in RAR's compact Unicode encoding (flag 0x200) whose "copy from the byte name"
// run reads past the byte name into the encoding's own bytes. unrar, WinRAR, 7-Zip and libarchive (Windows 11's
// built-in extraction) copy from the whole name field and extract `invoJ]J.exe`; the guard copied NULs there, listed
// `invoJ]J` (no extension) and delivered the archive.
const stack = useLocalStack();
const kit = attackerKit(stack);

// An empty byte name; the encoding writes `invo` and three characters, then a run with correction 0x1B over the
// field's bytes 7 to 10 (the flags byte 0x13 and those three characters) that spells `.` and `ext`.
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

const hiding = (ext: string, data: string) =>
  rarFile([
    { name: 'march.txt', data: 'total 10\r\n' },
    { name: '', rawName: tailSpelled(ext), unicode: true, data },
  ]);

describe('A82-1: a RAR 4 Unicode name that spells its extension out of its own encoding', () => {
  attachmentTests(kit, {
    'a script (invoOXJ.js)': attachedFile('figures.rar', hiding('js', 'WScript.Echo("wmflow-82-1")')),
    'a VBScript (invo[GX.vbs)': attachedFile('figures.rar', hiding('vbs', 'MsgBox "wmflow-82-1"')),
    'a shortcut (invoQSP.lnk)': attachedFile('figures.rar', hiding('lnk', 'L\0\0\0wmflow-82-1')),
    'the same RAR inside a RAR': attachedFile(
      'figures.rar',
      rarFile([{ name: 'inner.rar', data: hiding('js', 'WScript.Echo("wmflow-82-1")') }]),
    ),
  });

  it('(control) delivers a RAR of text files with Unicode names, one written as RAR writes a run', async () => {
    const run = Buffer.concat([
      Buffer.from('Marz.txt\0', 'latin1'),
      Buffer.from([0x00, 0x0c, 0x4d, 0xe4, 0x04]),
    ]);
    const [message] = attachedFile(
      'figures.rar',
      rarFile([
        { name: '', rawName: run, unicode: true, data: 'total 10\r\n' },
        { name: 'счёт.txt', data: 'total 12\r\n', unicode: true },
      ]),
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
