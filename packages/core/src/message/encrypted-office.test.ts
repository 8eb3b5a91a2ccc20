import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/index.js';
import { encryptedOfficeParts, globalsHavePassword } from './encrypted-office.js';

const MAX = 1 << 20;
// A BIFF record: type, length, body.
const record = (type: number, body: Buffer = Buffer.alloc(0)) => {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(type, 0);
  header.writeUInt16LE(body.length, 2);
  return Buffer.concat([header, body]);
};
const BOF = record(0x0809, Buffer.from('0006050000000000c1c00000060300', 'hex').subarray(0, 16));
const EOF = record(0x000a);
// FILEPASS, RC4 CryptoAPI (wEncryptionType 1, then version and the encryption header, not read here).
const FILEPASS = record(0x002f, Buffer.concat([Buffer.from([1, 0, 2, 0, 2, 0]), randomBytes(48)]));
const XOR_FILEPASS = record(0x002f, Buffer.from([0, 0, 0x34, 0x12, 0x78, 0x56]));
const globals = (...records: Buffer[]) => Buffer.concat([BOF, ...records, EOF]);
const sheet = Buffer.concat([BOF, record(0x0200, Buffer.alloc(14)), EOF]);

// A Word 97 FIB's first bytes: wIdent, nFib, then flags at 0x0A.
const fib = (flags: number, ident = 0xa5ec) => {
  const b = Buffer.alloc(0x200);
  b.writeUInt16LE(ident, 0);
  b.writeUInt16LE(0xc1, 2);
  b.writeUInt16LE(flags, 0x0a);
  return b;
};

describe('globalsHavePassword', () => {
  it('finds a FILEPASS right after the BOF, RC4 or XOR', () => {
    expect(globalsHavePassword(globals(FILEPASS, record(0x00e1, Buffer.alloc(2))))).toBe(true);
    expect(globalsHavePassword(globals(XOR_FILEPASS))).toBe(true);
  });
  it('finds one after a WriteProtect record, headers walked over encrypted bodies', () => {
    expect(globalsHavePassword(globals(record(0x0086), FILEPASS, record(0x0085, randomBytes(40))))).toBe(
      true,
    );
  });
  it('finds nothing in an ordinary workbook, nor past the globals EOF, nor in a stream without a BOF', () => {
    expect(globalsHavePassword(Buffer.concat([globals(record(0x00e1, Buffer.alloc(2))), sheet]))).toBe(false);
    expect(globalsHavePassword(Buffer.concat([globals(), BOF, FILEPASS, EOF]))).toBe(false);
    expect(globalsHavePassword(Buffer.concat([record(0x0086), FILEPASS]))).toBe(false);
  });
  it('does not read a FILEPASS type out of a record body', () => {
    const body = Buffer.alloc(8);
    body.writeUInt16LE(0x002f, 0);
    expect(globalsHavePassword(globals(record(0x00e1, body)))).toBe(false);
  });
  it('stops at a record cut short', () => {
    expect(globalsHavePassword(Buffer.concat([BOF, Buffer.from([0x2f])]))).toBe(false);
  });
});

describe('encryptedOfficeParts', () => {
  it('names an OOXML package encrypted with a password (EncryptionInfo and EncryptedPackage)', () => {
    const ole = compoundFile([
      ['EncryptionInfo', randomBytes(200)],
      ['EncryptedPackage', randomBytes(6000)],
    ]);
    expect(encryptedOfficeParts(ole, MAX)).toEqual(['package']);
    // Either stream alone, whatever its case.
    expect(encryptedOfficeParts(compoundFile([['encryptedpackage', randomBytes(64)]]), MAX)).toEqual([
      'package',
    ]);
  });
  it('names an encrypted Word document (fEncrypted, with or without fObfuscated; Word 95 too)', () => {
    for (const flags of [0x0100, 0x8300]) {
      const doc = compoundFile([
        ['WordDocument', fib(flags)],
        ['1Table', randomBytes(600)],
      ]);
      expect(encryptedOfficeParts(doc, MAX)).toEqual(['text']);
    }
    expect(encryptedOfficeParts(compoundFile([['WordDocument', fib(0x0100, 0xa5dc)]]), MAX)).toEqual([
      'text',
    ]);
  });
  it('names an Excel workbook whose globals carry a FILEPASS (Workbook, or Excel 95 Book)', () => {
    expect(encryptedOfficeParts(compoundFile([['Workbook', globals(FILEPASS)]]), MAX)).toEqual(['workbook']);
    expect(encryptedOfficeParts(compoundFile([['Book', globals(XOR_FILEPASS)]]), MAX)).toEqual(['workbook']);
  });
  it('names nothing in ordinary documents', () => {
    expect(
      encryptedOfficeParts(compoundFile([['Workbook', Buffer.concat([globals(), sheet])]]), MAX),
    ).toEqual([]);
    expect(
      encryptedOfficeParts(
        compoundFile([
          ['WordDocument', fib(0x0200)],
          ['1Table', Buffer.alloc(600)],
        ]),
        MAX,
      ),
    ).toEqual([]);
    expect(encryptedOfficeParts(compoundFile([['CONTENTS', Buffer.from('%PDF-1.7')]]), MAX)).toEqual([]);
  });
  it('names an encrypted package without reading it; throws when a workbook is past the bound', () => {
    expect(encryptedOfficeParts(compoundFile([['EncryptedPackage', randomBytes(9000)]]), 4096)).toEqual([
      'package',
    ]);
    const book = compoundFile([['Workbook', globals(record(0x00e1, Buffer.alloc(9000)))]]);
    expect(() => encryptedOfficeParts(book, 4096)).toThrow(/streams of more than/);
  });
});
