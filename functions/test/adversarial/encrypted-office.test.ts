import { randomBytes } from 'node:crypto';
import { compoundFile, wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { DOCX, docxOf } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Office documents encrypted with a password keep their macros, DDE fields and embedded objects as ciphertext, and
// a default password (Excel's `VelvetSweatshop`) opens some without a prompt: the guard delivered them unread. They
// are now refused as encrypted content (a password-protected zip's or PDF's), unless ALLOW_ENCRYPTED_ARCHIVES.
const stack = useLocalStack();
const kit = attackerKit(stack);
const ALLOW = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
const XLS = 'application/vnd.ms-excel';
const DOC = 'application/msword';
const verdictOf = async (name: string, file: Buffer, type = 'application/octet-stream', env = {}) =>
  (await kit.inbound(attachedFile(name, file, type)[0], env)).verdict;

// An OOXML package encrypted per MS-OFFCRYPTO (agile): EncryptionInfo (version 4.4, then its XML), the package's
// size and ciphertext.
const encryptedPackage = () => {
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

// A Word 97 FIB (wIdent, nFib 0xC1, flags at 0x0A: fWhichTblStm, and fEncrypted / fObfuscated when asked), then
// ciphertext; the RC4 CryptoAPI header leads the table stream.
const encryptedDoc = (obfuscated = false) => {
  const fib = Buffer.alloc(0x400);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(0xc1, 2);
  fib.writeUInt16LE(0x0300 | (obfuscated ? 0x8000 : 0), 0x0a);
  return compoundFile([
    ['WordDocument', Buffer.concat([fib, randomBytes(4096)])],
    ['1Table', Buffer.concat([Buffer.from([4, 0, 2, 0]), randomBytes(1024)])],
  ]);
};

// BIFF8 records: a globals substream (BOF, FILEPASS when encrypted, a sheet's BoundSheet8, EOF), then the sheet's.
const record = (type: number, body: Buffer = Buffer.alloc(0)) => {
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
const xls = (filePass?: Buffer, stream = 'Workbook') => {
  const boundSheet = Buffer.concat([Buffer.alloc(6), Buffer.from([6, 0]), Buffer.from('Sheet1')]);
  const globals = [bof(0x0005), ...(filePass ? [filePass] : []), record(0x0085, boundSheet), record(0x000a)];
  const sheet = [bof(0x0010), record(0x0200, Buffer.alloc(14)), record(0x000a)];
  return compoundFile([[stream, Buffer.concat([...globals, ...sheet])]]);
};
// FILEPASS: RC4 CryptoAPI (wEncryptionType 1, version 2.2 or 4.2, then the header Excel keys with VelvetSweatshop).
const RC4 = record(0x002f, Buffer.concat([Buffer.from([1, 0, 4, 0, 2, 0]), randomBytes(180)]));
const XOR = record(0x002f, Buffer.from([0, 0, 0x34, 0x12, 0x78, 0x56]));

describe('an Office Open XML package encrypted with a password', () => {
  for (const name of ['Invoice.xlsx', 'Invoice.docm', 'Invoice.docx', 'Invoice.pdf'])
    it(`bounces ${name}`, async () => {
      expect(await verdictOf(name, encryptedPackage())).toBe('BOUNCE');
    });
  it('bounces it inside a zip', async () => {
    const zip = zipFile([{ name: 'Invoice.xlsx', data: encryptedPackage() }]);
    expect(await verdictOf('Invoice.zip', zip, 'application/zip')).toBe('BOUNCE');
  });
  it('(control) ALLOW_ENCRYPTED_ARCHIVES=true delivers it', async () => {
    expect(await verdictOf('Invoice.xlsx', encryptedPackage(), 'application/octet-stream', ALLOW)).toBe(
      'DEFAULT',
    );
  });
  it('(control) delivers an ordinary .docx', async () => {
    expect(await verdictOf('Invoice.docx', docxOf('<w:p><w:r><w:t>Invoice</w:t></w:r></w:p>'), DOCX)).toBe(
      'DEFAULT',
    );
  });
});

describe('a Word 97-2003 document with fEncrypted', () => {
  it('bounces one encrypted with RC4, and one obfuscated with XOR', async () => {
    expect(await verdictOf('Invoice.doc', encryptedDoc(), DOC)).toBe('BOUNCE');
    expect(await verdictOf('Invoice.doc', encryptedDoc(true), DOC)).toBe('BOUNCE');
  });
  it('(control) ALLOW_ENCRYPTED_ARCHIVES=true delivers it', async () => {
    expect(await verdictOf('Invoice.doc', encryptedDoc(), DOC, ALLOW)).toBe('DEFAULT');
  });
  it('(control) delivers an ordinary .doc', async () => {
    expect(await verdictOf('Invoice.doc', wordBinary([{ text: 'Invoice\r' }]), DOC)).toBe('DEFAULT');
  });
});

describe('an Excel 97-2003 workbook whose globals carry a FILEPASS', () => {
  it('bounces one encrypted with RC4 (VelvetSweatshop opens it unprompted) and one with XOR', async () => {
    expect(await verdictOf('Invoice.xls', xls(RC4), XLS)).toBe('BOUNCE');
    expect(await verdictOf('Invoice.xls', xls(XOR), XLS)).toBe('BOUNCE');
    expect(await verdictOf('Invoice.xls', xls(XOR, 'Book'), XLS)).toBe('BOUNCE');
  });
  it('(control) ALLOW_ENCRYPTED_ARCHIVES=true delivers it', async () => {
    expect(await verdictOf('Invoice.xls', xls(RC4), XLS, ALLOW)).toBe('DEFAULT');
  });
  it('(control) delivers an ordinary .xls', async () => {
    expect(await verdictOf('Invoice.xls', xls(), XLS)).toBe('DEFAULT');
  });
});
