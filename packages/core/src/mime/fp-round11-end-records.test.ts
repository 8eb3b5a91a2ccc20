import { describe, expect, it } from 'vitest';
import { listZip } from '../message/archive-files.js';
import { zipFile } from '../testing/zip.js';

// False-positive round 11: an end record's signature before the last one is refused only where a reader could take
// it (its comment reaching the end of the file, or the last record's not reaching it). A zip stored as the last file
// of a zip (Info-ZIP stores a .zip as it is) holds one no reader takes.
const MZ = Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode', 'latin1');

describe('fp-round11: a second end record', () => {
  it('inside a zip stored as the last file: listed, the inner zip too', () => {
    const inner = zipFile([{ name: 'IMG_0001.jpg', data: Buffer.from('ffd8ffe000104a464946', 'hex') }]);
    const outer = zipFile([
      { name: 'notes.txt', data: 'minutes' },
      { name: 'photos.zip', data: inner, method: 0 },
    ]);
    const files = listZip(outer);
    expect(files.unreadable).toBeUndefined();
    expect(files.names).toEqual(['notes.txt', 'photos.zip', 'photos.zip/IMG_0001.jpg']);
  });

  it('(control) the last record with a comment not reaching the end, an earlier one: refused', () => {
    const inner = zipFile([{ name: 'invoice.exe', data: MZ }]);
    const outer = zipFile([{ name: 'photos.zip', data: inner, method: 0 }]);
    // The outer record says a 5-byte comment that is not there: a reader checking it passes it over.
    const lying = Buffer.from(outer);
    lying.writeUInt16LE(5, lying.length - 2);
    expect(listZip(lying).unreadable).toMatch(/two end records/);
  });

  it('(control) an earlier record whose comment reaches the end (the decoy hidden in a comment): refused', () => {
    const real = zipFile([{ name: 'invoice.exe', data: MZ }]);
    const decoy = zipFile([{ name: 'invoice.pdf', data: '%PDF-1.7' }]);
    const comment = decoy.subarray(decoy.length - 22);
    const hidden = Buffer.concat([
      real.subarray(0, real.length - 2),
      Buffer.from([comment.length, 0]),
      comment,
    ]);
    expect(listZip(hidden).unreadable).toMatch(/two end records/);
  });
});
