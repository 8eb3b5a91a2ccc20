import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/compound.js';
import { zipFile } from '../testing/index.js';
import { unpackText } from './packed-text.js';

const MAX = 1 << 22;
const PACKAGE = compoundFile([
  ['EncryptionInfo', randomBytes(200)],
  ['EncryptedPackage', randomBytes(6000)],
]);
// A Word 97 FIB with fEncrypted (flags 0x0100) and fWhichTblStm, then ciphertext.
const fib = Buffer.alloc(0x400);
fib.writeUInt16LE(0xa5ec, 0);
fib.writeUInt16LE(0xc1, 2);
fib.writeUInt16LE(0x0300, 0x0a);
const DOC = compoundFile([['WordDocument', Buffer.concat([fib, randomBytes(2048)])]]);

describe('unpackText: Office documents encrypted with a password', () => {
  it('names an encrypted OOXML package read as an Office document as encrypted, not as an unread zip', () => {
    const out = unpackText('office', PACKAGE, MAX);
    expect(out.unread).toBeUndefined();
    expect(out.encrypted).toEqual(['(Office document encrypted with a password: package)']);
  });
  it('names one read for its strings (any name) as encrypted, its strings still read', () => {
    for (const [file, part] of [
      [PACKAGE, 'package'],
      [DOC, 'text'],
    ] as const) {
      const out = unpackText('strings', file, MAX);
      expect(out.unread).toBeUndefined();
      expect(out.encrypted).toEqual([`(Office document encrypted with a password: ${part})`]);
      expect(out.pieces.length).toBeGreaterThan(0);
    }
  });
  it('names one inside a zip by its entry, whatever the entry is named', () => {
    const zip = zipFile([
      { name: 'a.docx', data: PACKAGE },
      { name: 'b.dat', data: DOC },
    ]);
    const out = unpackText('zip', zip, MAX);
    expect(out.unread).toBeUndefined();
    expect(out.encrypted).toEqual([
      'a.docx (Office document encrypted with a password: package)',
      'b.dat (Office document encrypted with a password: text)',
    ]);
  });
  it('(control) an ordinary compound file is not encrypted; one named .docx is still no zip', () => {
    const ole = compoundFile([['WordDocument', Buffer.alloc(0x400)]]);
    expect(unpackText('strings', ole, MAX).encrypted).toEqual([]);
    expect(unpackText('office', ole, MAX).unread).toMatch(/not a zip/);
  });
  it('is unread when the compound file of an Office document cannot be followed within the budget', () => {
    const out = unpackText(
      'strings',
      compoundFile([['WordDocument', Buffer.concat([fib, randomBytes(9000)])]]),
      4096,
    );
    expect(out.unread).toMatch(/whether the Office document is encrypted is not known/);
    expect(out.encrypted).toEqual([]);
  });
});
