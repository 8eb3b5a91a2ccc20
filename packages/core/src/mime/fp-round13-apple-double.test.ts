import { describe, expect, it } from 'vitest';
import { isAppleDoubleCompanion } from './apple-forks.js';

// False-positive round 13: the Finder's `__MACOSX/…/._<file>` companions are read by their bytes, not as the file
// their name claims; anything a viewer or an archive tool would open in one keeps the old reading.
function appleDouble(fork: Buffer, options: { magic?: number; id?: number; length?: number } = {}): Buffer {
  const head = Buffer.alloc(38);
  head.writeUInt32BE(options.magic ?? 0x00051607, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.write('Mac OS X        ', 8, 'latin1');
  head.writeUInt16BE(1, 24);
  head.writeUInt32BE(options.id ?? 2, 26);
  head.writeUInt32BE(38, 30);
  head.writeUInt32BE(options.length ?? fork.length, 34);
  return Buffer.concat([head, fork]);
}
const FORK = Buffer.concat([
  Buffer.alloc(256),
  Buffer.from('This resource fork intentionally left blank', 'latin1'),
]);
const companion = (name: string, bytes: Buffer) =>
  isAppleDoubleCompanion(name, bytes.subarray(0, 4096), () => bytes);

describe('isAppleDoubleCompanion', () => {
  it('takes the Finder companion of a PDF, a Word document or a zip, and macOS tar’s', () => {
    for (const name of ['__MACOSX/Docs/._plan.pdf', '__MACOSX/._Report.docx', './._inner.zip', '._a.gz'])
      expect(companion(name, appleDouble(FORK))).toBe(true);
  });
  it('does not take a file not named ._<file>, and does not read it whole', () => {
    let read = false;
    const bytes = appleDouble(FORK);
    const answer = isAppleDoubleCompanion('Docs/plan.pdf', bytes, () => {
      read = true;
      return bytes;
    });
    expect([answer, read]).toEqual([false, false]);
    expect(companion('Docs/_.plan.pdf', bytes)).toBe(false);
  });
  it('does not take an AppleSingle file, a data fork, or an entry past the end', () => {
    expect(companion('._a.pdf', appleDouble(FORK, { magic: 0x00051600 }))).toBe(false);
    expect(companion('._a.pdf', appleDouble(FORK, { id: 1 }))).toBe(false);
    expect(companion('._a.pdf', appleDouble(FORK, { length: FORK.length + 1 }))).toBe(false);
    expect(companion('._a.pdf', appleDouble(FORK).subarray(0, 30))).toBe(false);
  });
  it('does not take one holding what a viewer or an archive tool opens', () => {
    for (const inside of [
      'PK\x05\x06',
      'PK\x03\x04',
      '%PDF-1.7',
      '1 0 obj',
      'Rar!',
      '7z\xbc\xaf',
      'MSCF',
      '\x1f\x8b',
      'ustar',
    ])
      expect(companion('._a.pdf', appleDouble(Buffer.concat([FORK, Buffer.from(inside, 'latin1')])))).toBe(
        false,
      );
  });
});
