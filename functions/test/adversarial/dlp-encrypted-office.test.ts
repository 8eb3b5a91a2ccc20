import { compoundFile, wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { encryptedDoc, encryptedPackage, RC4, XOR, xls } from './encrypted-office-builders.js';
import { DOCX, docxOf } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Outbound DLP and Office documents encrypted with a password (an OOXML EncryptedPackage, a Word document's
// fEncrypted, an Excel workbook's FILEPASS): their text is ciphertext, so they are what a password-protected zip
// is, whatever their name: bounced by default (not knowing is not allowing), sent unread with
// ALLOW_ENCRYPTED_ARCHIVES. Before, an encrypted OOXML named .docx bounced as an unread zip even with the flag, and
// one named .dat or .doc, and an encrypted .doc or .xls, were read as strings (nothing found) and sent.

const stack = useLocalStack();
const kit = attackerKit(stack);
const ALLOW = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
const CARD = '4111 1111 1111 1111';
const DOC = 'application/msword';
const XLS = 'application/vnd.ms-excel';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const xlsxOf = (cell: string) =>
  zipFile([{ name: 'xl/sharedStrings.xml', data: `<sst><si><t>${cell}</t></si></sst>` }]);
// An outgoing message carrying `inner` as an attached message.
const forwarded = (inner: Buffer) =>
  mail(
    ['From: Bob <bob@corp.example>', MIXED],
    withPart(
      `Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner.toString('latin1')}`,
    ),
  );

const ENCRYPTED: Record<string, Buffer> = {
  'an encrypted OOXML package named .docx': outboundFile('Invoice.docx', encryptedPackage(), DOCX),
  'an encrypted OOXML package named .xlsx': outboundFile('Invoice.xlsx', encryptedPackage(), XLSX),
  'an encrypted OOXML package named .dat': outboundFile('Invoice.dat', encryptedPackage()),
  'an encrypted OOXML package named .doc': outboundFile('Invoice.doc', encryptedPackage(), DOC),
  'a Word document encrypted with RC4': outboundFile('Invoice.doc', encryptedDoc(), DOC),
  'a Word document obfuscated with XOR, named .bin': outboundFile('Invoice.bin', encryptedDoc(true)),
  'an Excel workbook encrypted with RC4 (VelvetSweatshop)': outboundFile('Invoice.xls', xls(RC4), XLS),
  'an Excel 5 workbook obfuscated with XOR, named .xlsx': outboundFile(
    'Invoice.xlsx',
    xls(XOR, 'Book'),
    XLSX,
  ),
  'an encrypted .docx inside a zip': outboundFile(
    'Invoice.zip',
    zipFile([{ name: 'Invoice.docx', data: encryptedPackage() }]),
    'application/zip',
  ),
  'an encrypted .doc and .xls inside a zip': outboundFile(
    'Invoice.zip',
    zipFile([
      { name: 'a/Invoice.doc', data: encryptedDoc() },
      { name: 'b/Invoice.xls', data: xls(RC4) },
    ]),
    'application/zip',
  ),
  'an encrypted .xlsx in an attached message': forwarded(
    outboundFile('Invoice.xlsx', encryptedPackage(), XLSX),
  ),
  'an encrypted .doc in an attached message': forwarded(outboundFile('Invoice.doc', encryptedDoc(), DOC)),
};

describe('outbound-policy: Office documents encrypted with a password', () => {
  for (const [what, message] of Object.entries(ENCRYPTED)) {
    it(`bounces ${what} at its defaults (its content cannot be read)`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
    it(`(control) ALLOW_ENCRYPTED_ARCHIVES=true sends ${what}`, async () => {
      expect(await kit.outbound(message, ALLOW)).toBe('DEFAULT');
    });
  }

  it('with ALLOW_ENCRYPTED_ARCHIVES=true, still reads the files beside it', async () => {
    const zip = zipFile([
      { name: 'Invoice.docx', data: encryptedPackage() },
      { name: 'readme.txt', data: `Card for the booking: ${CARD}` },
    ]);
    expect(await kit.outbound(outboundFile('Invoice.zip', zip, 'application/zip'), ALLOW)).toBe('BOUNCE');
  });

  it('(control) a compound file named .docx that is no encrypted document is still unread, flag or not', async () => {
    const ole = outboundFile('Invoice.docx', compoundFile([['Contents', Buffer.from('hello')]]), DOCX);
    expect(await kit.outbound(ole)).toBe('BOUNCE');
    expect(await kit.outbound(ole, ALLOW)).toBe('BOUNCE');
  });
});

describe('outbound-policy: ordinary Office documents (controls)', () => {
  it('bounces a .doc or .xlsx holding a card, flag or not', async () => {
    const doc = outboundFile('Invoice.doc', wordBinary([{ text: `Card ${CARD}\r` }]), DOC);
    const sheet = outboundFile('Invoice.xlsx', xlsxOf(`Card ${CARD}`), XLSX);
    const docx = outboundFile('Invoice.docx', docxOf(`<w:p><w:r><w:t>Card ${CARD}</w:t></w:r></w:p>`), DOCX);
    for (const message of [doc, sheet, docx]) {
      expect(await kit.outbound(message)).toBe('BOUNCE');
      expect(await kit.outbound(message, ALLOW)).toBe('BOUNCE');
    }
  });

  it('sends a .doc, .xls, .xlsx or .docx without sensitive data', async () => {
    expect(await kit.outbound(outboundFile('Invoice.doc', wordBinary([{ text: 'Invoice\r' }]), DOC))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(outboundFile('Invoice.xls', xls(), XLS))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('Invoice.xlsx', xlsxOf('Invoice'), XLSX))).toBe('DEFAULT');
    expect(
      await kit.outbound(
        outboundFile('Invoice.docx', docxOf('<w:p><w:r><w:t>Invoice</w:t></w:r></w:p>'), DOCX),
      ),
    ).toBe('DEFAULT');
  });
});
