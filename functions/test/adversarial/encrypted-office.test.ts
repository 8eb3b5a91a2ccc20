import { wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { encryptedDoc, encryptedPackage, RC4, XOR, xls } from './encrypted-office-builders.js';
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
