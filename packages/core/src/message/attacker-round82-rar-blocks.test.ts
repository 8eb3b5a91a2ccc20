import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rarFile } from '../testing/rar.js';
import { listArchive } from './archive-files.js';

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60)]);

/**
 * A RAR 4 archive whose block at `at` (the archive header, 7; or a comment block put there) sets LONG_BLOCK (0x8000)
 * with a data size spanning the first file's block: unrar and libarchive read no data after an archive header, unrar
 * none after a comment block, so they read the file the walk skipped.
 */
function skippingFirst(type: 0x73 | 0x75): Buffer {
  const rar = rarFile([
    { name: 'invoice.exe', data: MZ },
    { name: 'notes.txt', data: 'hello' },
  ]);
  const main = 7;
  const first = main + 13;
  const span = rar.readUInt16LE(first + 5) + rar.readUInt32LE(first + 7);
  const block = Buffer.alloc(13);
  block.writeUInt8(type, 2);
  block.writeUInt16LE(0x8000, 3);
  block.writeUInt16LE(13, 5);
  block.writeUInt32LE(span, 7);
  block.writeUInt16LE(crc32(block.subarray(2)) & 0xffff, 0);
  // The archive header replaced, or a comment block inserted right after it.
  return type === 0x73
    ? Buffer.concat([rar.subarray(0, main), block, rar.subarray(first)])
    : Buffer.concat([rar.subarray(0, first), block, rar.subarray(first)]);
}

describe('A82-3: a RAR 4 block whose LONG_BLOCK data unrar does not skip', () => {
  it('refuses an archive header with a data size over a file (unrar and libarchive read the file)', () => {
    const listed = listArchive(skippingFirst(0x73), 'rar');
    expect(listed.unreadable).toMatch(/skip/);
  });

  it('refuses a comment block with a data size over a file (unrar reads the file, libarchive skips it)', () => {
    const listed = listArchive(skippingFirst(0x75), 'rar');
    expect(listed.unreadable).toMatch(/skip/);
  });

  it('(control) lists an archive whose archive header carries no data, and a comment block without LONG_BLOCK', () => {
    const rar = rarFile([{ name: 'notes.txt', data: 'hello' }]);
    expect(listArchive(rar, 'rar')).toEqual({ names: ['notes.txt'], sniffedTypes: [], encrypted: [] });
    const comment = Buffer.alloc(13);
    comment.writeUInt8(0x75, 2);
    comment.writeUInt16LE(13, 5);
    comment.writeUInt16LE(crc32(comment.subarray(2)) & 0xffff, 0);
    const withComment = Buffer.concat([rar.subarray(0, 20), comment, rar.subarray(20)]);
    expect(listArchive(withComment, 'rar')).toEqual({
      names: ['notes.txt'],
      sniffedTypes: [],
      encrypted: [],
    });
  });
});
