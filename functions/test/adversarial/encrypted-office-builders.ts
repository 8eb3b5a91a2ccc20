import { randomBytes } from 'node:crypto';
import { compoundFile } from '@wmflow/core/testing';

// Builders for Office documents encrypted with a password (the guard's and the DLP's tests): what stays in the
// clear is as Office writes it, the rest is random bytes standing for ciphertext.

/**
 * An OOXML package encrypted per MS-OFFCRYPTO (agile): EncryptionInfo (version 4.4, then its XML), the package's
 * size and ciphertext.
 */
export const encryptedPackage = (): Buffer => {
  const info = Buffer.concat([
    Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]),
    Buffer.from(
      '<?xml version="1.0"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>',
    ),
  ]);
  const size = Buffer.alloc(8);
  size.writeUInt32LE(20_000, 0);
  return compoundFile([
    ['EncryptionInfo', info],
    ['EncryptedPackage', Buffer.concat([size, randomBytes(20_016)])],
  ]);
};

/**
 * A Word 97 FIB (wIdent, nFib 0xC1, flags at 0x0A: fWhichTblStm, and fEncrypted / fObfuscated when asked), then
 * ciphertext; the RC4 CryptoAPI header leads the table stream.
 */
export const encryptedDoc = (obfuscated = false): Buffer => {
  const fib = Buffer.alloc(0x400);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(0xc1, 2);
  fib.writeUInt16LE(0x0300 | (obfuscated ? 0x8000 : 0), 0x0a);
  return compoundFile([
    ['WordDocument', Buffer.concat([fib, randomBytes(4096)])],
    ['1Table', Buffer.concat([Buffer.from([4, 0, 2, 0]), randomBytes(1024)])],
  ]);
};

/** A BIFF8 record: its type, its body's length, its body. */
export const record = (type: number, body: Buffer = Buffer.alloc(0)): Buffer => {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(type, 0);
  header.writeUInt16LE(body.length, 2);
  return Buffer.concat([header, body]);
};
const bof = (kind: number) => {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(0x0600, 0);
  body.writeUInt16LE(kind, 2);
  return record(0x0809, body);
};

/**
 * A BIFF8 workbook: a globals substream (BOF, `filePass` when encrypted, a sheet's BoundSheet8, EOF), then the
 * sheet's, in a `stream` (`Workbook`, or Excel 5/95's `Book`).
 */
export const xls = (filePass?: Buffer, stream = 'Workbook'): Buffer => {
  const boundSheet = Buffer.concat([Buffer.alloc(6), Buffer.from([6, 0]), Buffer.from('Sheet1')]);
  const globals = [bof(0x0005), ...(filePass ? [filePass] : []), record(0x0085, boundSheet), record(0x000a)];
  const sheet = [bof(0x0010), record(0x0200, Buffer.alloc(14)), record(0x000a)];
  return compoundFile([[stream, Buffer.concat([...globals, ...sheet])]]);
};

/** FILEPASS: RC4 CryptoAPI (wEncryptionType 1, version 2.2 or 4.2, then the header Excel keys with VelvetSweatshop). */
export const RC4 = record(0x002f, Buffer.concat([Buffer.from([1, 0, 4, 0, 2, 0]), randomBytes(180)]));
/** FILEPASS: XOR obfuscation (wEncryptionType 0, a key and a verifier). */
export const XOR = record(0x002f, Buffer.from([0, 0, 0x34, 0x12, 0x78, 0x56]));
