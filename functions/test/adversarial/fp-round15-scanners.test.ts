import { pdfFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 15, closed with evidence: scan-to-email and fax-to-email messages from the embedded SMTP stacks
// of multifunction printers and fax gateways (no MIME-Version, unquoted names with spaces, `BASE64` in capitals, one
// endless base64 line, no closing boundary, bare LF line ends, TIFF-FX `application=faxbw`, a lone PDF part, 8.3
// names in capitals, XPS and OpenXPS scans) are delivered from outside at the defaults, tagged.
const kit = attackerKit(useLocalStack());
const pdf = pdfFile(['Scanned page 1']);
const tiff = Buffer.concat([Buffer.from('49492a0008000000', 'hex'), Buffer.alloc(300, 7)]);
const jpeg = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600', 'hex'),
  Buffer.alloc(300, 3),
  Buffer.from('ffd9', 'hex'),
]);
const xps = zipFile([
  { name: '[Content_Types].xml', data: '<Types/>' },
  { name: '_rels/.rels', data: '<Relationships/>' },
  { name: 'FixedDocSeq.fdseq', data: '<FixedDocumentSequence/>' },
  { name: 'Documents/1/FixedDoc.fdoc', data: '<FixedDocument/>' },
  { name: 'Documents/1/Pages/1.fpage', data: '<FixedPage><Glyphs UnicodeString="Scan"/></FixedPage>' },
  { name: 'Documents/1/Resources/Images/1.tif', data: Buffer.from('49492a00', 'hex') },
]);
const b = (x: Buffer, w = 76) => x.toString('base64').replace(new RegExp(`.{${w}}`, 'g'), '$&\r\n');
const head = (extra: string[]) =>
  [
    'From: "MFP-4510" <scanner@partner.example>',
    'To: bob@corp.example',
    'Subject: Scanned from MFP-4510',
    'Date: Mon, 7 Dec 2026 10:00:00 +0000',
    ...extra,
  ].join('\r\n');
const cases: Record<string, string> = {
  'no mime-version, unquoted name with spaces': `${head(['Message-ID: <s1@mfp>', 'Content-Type: multipart/mixed; boundary=SCAN_BOUNDARY'])}\r\n\r\n--SCAN_BOUNDARY\r\nContent-Type: application/pdf; name=Scan 2026-12-07 10.15.pdf\r\nContent-Transfer-Encoding: BASE64\r\n\r\n${b(pdf)}\r\n--SCAN_BOUNDARY--\r\n`,
  'one long base64 line': `${head(['Message-ID: <s2@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nScan attached\r\n--b\r\nContent-Type: application/pdf; name="scan.pdf"\r\nContent-Disposition: attachment; filename="scan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf.toString('base64')}${Buffer.alloc(3000, 1).toString('base64')}\r\n--b--\r\n`,
  'no final boundary': `${head(['Message-ID: <s3@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/pdf; name="DOC001.PDF"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(pdf)}\r\n`,
  'tiff-fx faxbw': `${head(['Message-ID: <s4@fax>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFax from +81312345678, 2 pages\r\n--b\r\nContent-Type: image/tiff; application=faxbw; name="fax.tif"\r\nContent-Disposition: attachment; filename="fax.tif"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(tiff)}\r\n--b--\r\n`,
  'only attachment, single part pdf': `${head(['Message-ID: <s5@mfp>', 'MIME-Version: 1.0', 'Content-Type: application/pdf; name="scan.pdf"', 'Content-Disposition: attachment; filename="scan.pdf"', 'Content-Transfer-Encoding: base64'])}\r\n\r\n${b(pdf, 72)}`,
  'jpeg scans with 8.3 names': `${head(['Message-ID: <s6@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: image/jpeg; name="IMG00001.JPG"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(jpeg)}\r\n--b\r\nContent-Type: image/jpeg; name="IMG00002.JPG"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(jpeg)}\r\n--b--\r\n`,
  'bare CR free LF endings with 8bit sjis text': `${head(['Message-ID: <s7@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\n\n--b\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\nscan\n--b\nContent-Type: application/pdf; name="scan.pdf"\nContent-Transfer-Encoding: base64\n\n${b(pdf).replace(/\r\n/g, '\n')}\n--b--\n`,
  'application/x-pdf': `${head(['Message-ID: <s8@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/x-pdf; name="scan.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(pdf)}\r\n--b--\r\n`,
  'pdf declared octet no name': `${head(['Message-ID: <s9@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(pdf)}\r\n--b--\r\n`,
  'xps scan': `${head(['Message-ID: <s10@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/vnd.ms-xpsdocument; name="scan.xps"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(xps)}\r\n--b--\r\n`,
  'mime-version with comment and uuencoded body': `${head(['Message-ID: <s11@mfp>', 'MIME-Version: 1.0 (produced by ScanMail 2.1)', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nDocument scanned.\r\n--b\r\nContent-Type: application/pdf; name="scan.pdf"\r\nContent-Disposition: attachment; filename="scan.pdf"; size=${pdf.length}; creation-date="Mon, 07 Dec 2026 10:00:00 +0000"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(pdf)}\r\n--b--\r\n`,
  'quoted-printable pdf name sjis raw in MIME': `${head(['Message-ID: <s12@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/pdf; name="=?Shift_JIS?B?g1iDTIODg5M=?=.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(pdf)}\r\n--b--\r\n`,
  'oxps scan': `${head(['Message-ID: <s13@mfp>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'])}\r\n\r\n--b\r\nContent-Type: application/oxps; name="scan.oxps"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b(xps)}\r\n--b--\r\n`,
};
describe('FP15 scanner and fax mail is delivered, tagged', () => {
  for (const [n, m] of Object.entries(cases))
    it(n, async () => {
      const { verdict, delivered } = await kit.inbound(
        Buffer.from(m, 'latin1'),
        {},
        'scanner@partner.example',
      );
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).toContain('outside the organization');
    });
});
