// Attacker round 102: a 7z entry carrying a Windows reparse point (attribute FILE_ATTRIBUTE_REPARSE_POINT, 0x400;
// `7z a -snl` on Windows stores a symbolic link's or junction's reparse data as the entry's content, and 7-Zip writes
// it back as a link on extraction) was listed as a plain file, so a file written through it (`Startup/CV.dotm` after
// a junction `Startup` to Word's STARTUP folder) went unseen. Round 97 read only the Unix S_IFLNK mode as a link.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';

// `unix-exec.7z` (plain header: Invoice 0755, notes.txt 0644), patched: Invoice's attributes and notes.txt's name.
function patched(attributes: string, second = 'notes.txt'): Buffer {
  const archive = Buffer.from(
    readFileSync(new URL('../../../../samples/archives/unix-exec.7z', import.meta.url)),
  );
  const header = 32 + Number(archive.readBigUInt64LE(12));
  const patch = (from: Buffer, to: Buffer) => {
    const at = archive.indexOf(from, header);
    expect(at).toBeGreaterThan(0);
    to.copy(archive, at);
  };
  patch(Buffer.from('2080ed81', 'hex'), Buffer.from(attributes, 'hex'));
  patch(Buffer.from('notes.txt', 'utf16le'), Buffer.from(second, 'utf16le'));
  archive.writeUInt32LE(crc32(archive.subarray(header)), 28);
  archive.writeUInt32LE(crc32(archive.subarray(12, 32)), 8);
  return archive;
}

describe('A102: a 7z reparse point is a link', () => {
  it('sees a file written through a reparse point (attributes 0x420, no Unix mode)', () => {
    const list = listArchive(patched('20040000', 'Invoice/x'), '7z');
    expect(list.unreadable).toMatch(/Invoice\/x: a path through the link Invoice/);
  });
  it('sees it through a directory junction (0x410) and in another case', () => {
    expect(listArchive(patched('10040000', 'INVOICE/x'), '7z').unreadable).toMatch(
      /a path through the link Invoice/,
    );
  });
  it('control: a plain Windows file (0x20) with a file beside it is listed', () => {
    const list = listArchive(patched('20000000'), '7z');
    expect(list.unreadable).toBeUndefined();
    expect(list).toMatchObject({ names: ['Invoice', 'notes.txt'] });
  });
  it('control: a reparse point with no file through it is listed (its target is not read)', () => {
    const list = listArchive(patched('20040000'), '7z');
    expect(list.unreadable).toBeUndefined();
  });
});
