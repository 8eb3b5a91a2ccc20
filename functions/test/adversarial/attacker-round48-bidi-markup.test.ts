import { wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-3: bidi-order.ts decides whether a page "may run right to left" from its raw markup with
// /rtl|bidi|\\[0-9a-f]|data:|@import/i. Markup that sets a right-to-left direction without those letters in a row
// is missed, and the card drawn `4111 1111 1111 1111` (logical `1111 1111 1111 4111`) is not read:
//  - a character reference in an attribute value: `dir="&#114;tl"` is `dir="rtl"` to every HTML parser (Chromium,
//    Outlook's Word engine), as is `style="direction:&#x72;tl"`;
//  - a CSS escape of a non-hex letter: `direction: rt\l` is `direction: rtl` (CSS Syntax 4.3.7: `\` then a
//    non-hex code point is that code point), which the `\\[0-9a-f]` guard does not cover.
// In a right-to-left paragraph the spaces between digit groups resolve to R (UBA N1, EN treated as R), so the groups
// are drawn in the other order (as round 46's fixtures checked in Chromium).
const stack = useLocalStack();
const kit = attackerKit(stack);
const html = (page: string) =>
  kit.outbound(
    mail(
      ['From: Alice <alice@corp.example>', 'Subject: details', 'Content-Type: text/html; charset=utf-8'],
      page,
    ),
  );
const card = '1111 1111 1111 4111';
// The card as drawn; used by the controls showing each file is read.
const drawn = '4111 1111 1111 1111';

describe('A48-3: right-to-left markup the detector does not see', () => {
  for (const [what, page] of [
    ['dir by decimal reference', `<html><body><p dir="&#114;tl">${card}</p></body></html>`],
    ['dir by hex reference', `<html><body><p dir="r&#x74;l">${card}</p></body></html>`],
    ['dir wholly by references', `<html><body><p dir="&#82;&#84;&#76;">${card}</p></body></html>`],
    ['style direction by reference', `<html><body><p style="direction:&#114;tl">${card}</p></body></html>`],
    [
      'CSS escape of a non-hex letter',
      `<html><head><style>p{direction:rt\\l}</style></head><body><p>${card}</p></body></html>`,
    ],
    [
      'CSS escape in a style attribute',
      `<html><body><p style="direction: r\\t\\l">${card}</p></body></html>`,
    ],
  ] as const)
    it(`bounces a page whose direction is set by ${what}`, async () => {
      expect(await html(page)).toBe('BOUNCE');
    });
  it('(control) the same page left to right sends', async () => {
    expect(await html(`<html><body><p>${card}</p></body></html>`)).toBe('DEFAULT');
  });
  it('(held) plain dir=rtl bounces', async () => {
    expect(await html(`<html><body><p dir="rtl">${card}</p></body></html>`)).toBe('BOUNCE');
  });
});

// A48-4: right-to-left paragraphs in attachments whose markup has no "rtl"/"bidi": an OpenDocument paragraph style
// `style:writing-mode="rl-tb"` (LibreOffice, Word opening .odt: right-to-left paragraph), an Excel cell
// `<alignment readingOrder="2"/>` (right-to-left context) — digit groups drawn in the other order.
describe('A48-4: right-to-left attachments without rtl/bidi in their markup', () => {
  it('(control) the files are read: the card written in drawn order bounces in each', async () => {
    const rtf = `{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0\\pard\\rtlpar\\qr ${drawn}\\par}`;
    expect(await kit.outbound(outboundFile('note.rtf', Buffer.from(rtf), 'application/rtf'))).toBe('BOUNCE');
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>${drawn}</t></is></c></row></sheetData></worksheet>`;
    const xlsx = zipFile([
      {
        name: 'xl/workbook.xml',
        data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
      },
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ]);
    expect(
      await kit.outbound(
        outboundFile('note.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      ),
    ).toBe('BOUNCE');
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      {
        name: 'content.xml',
        data: `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>${drawn}</text:p></office:text></office:body></office:document-content>`,
      },
    ]);
    expect(await kit.outbound(outboundFile('note.odt', odt, 'application/vnd.oasis.opendocument.text'))).toBe(
      'BOUNCE',
    );
  });
  it('bounces an .odt whose paragraph style is rl-tb', async () => {
    const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:text-align="end" style:writing-mode="rl-tb"/></style:style></office:automatic-styles>
<office:body><office:text><text:p text:style-name="P1">${card}</text:p></office:text></office:body></office:document-content>`;
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'content.xml', data: content },
      {
        name: 'META-INF/manifest.xml',
        data: '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
      },
    ]);
    expect(await kit.outbound(outboundFile('note.odt', odt, 'application/vnd.oasis.opendocument.text'))).toBe(
      'BOUNCE',
    );
  });
  it('bounces an .xlsx whose cell reads right to left (readingOrder=2)', async () => {
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>${card}</t></is></c></row></sheetData></worksheet>`;
    const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="0" applyAlignment="1"><alignment horizontal="right" readingOrder="2"/></xf></cellXfs></styleSheet>`;
    const xlsx = zipFile([
      {
        name: '[Content_Types].xml',
        data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
      },
      {
        name: 'xl/workbook.xml',
        data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
      },
      { name: 'xl/styles.xml', data: styles },
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
    ]);
    expect(
      await kit.outbound(
        outboundFile('note.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .rtf whose paragraph is right to left (\\rtlpar)', async () => {
    const rtf = `{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0\\pard\\rtlpar\\qr ${card}\\par}`;
    expect(await kit.outbound(outboundFile('note.rtf', Buffer.from(rtf), 'application/rtf'))).toBe('BOUNCE');
  });
  it('(held?) bounces a .docx whose paragraph is right to left (w:bidi)', async () => {
    const doc = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:t>${card}</w:t></w:r></w:p></w:body></w:document>`;
    const docx = zipFile([{ name: 'word/document.xml', data: doc }]);
    expect(
      await kit.outbound(
        outboundFile(
          'note.docx',
          docx,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces a .docx whose paragraph style, in styles.xml, is right to left', async () => {
    const doc = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:pStyle w:val="R"/></w:pPr><w:r><w:t>${card}</w:t></w:r></w:p></w:body></w:document>`;
    const styles =
      '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="R"><w:pPr><w:bidi/></w:pPr></w:style></w:styles>';
    const docx = zipFile([
      { name: 'word/document.xml', data: doc },
      { name: 'word/styles.xml', data: styles },
    ]);
    expect(
      await kit.outbound(
        outboundFile(
          'note.docx',
          docx,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .odt whose writing mode is spelled by character references', async () => {
    const content = `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:paragraph-properties style:writing-mode="&#114;l-tb"/></style:style></office:automatic-styles><office:body><office:text><text:p text:style-name="P1">${card}</text:p></office:text></office:body></office:document-content>`;
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'content.xml', data: content },
    ]);
    expect(await kit.outbound(outboundFile('note.odt', odt, 'application/vnd.oasis.opendocument.text'))).toBe(
      'BOUNCE',
    );
  });
  it('(control) a left-to-right page full of references sends', async () => {
    expect(await html(`<html><body><p title="a&amp;b">Tom&#39;s order &amp; ${card}</p></body></html>`)).toBe(
      'DEFAULT',
    );
  });
  it('bounces a Word 97 document (the direction of its paragraphs is not read)', async () => {
    const doc = wordBinary([{ text: `Card ${card}` }]);
    expect(await kit.outbound(outboundFile('note.doc', doc, 'application/msword'))).toBe('BOUNCE');
  });
  it('(control) the same .odt left to right sends', async () => {
    const content = `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>${card}</text:p></office:text></office:body></office:document-content>`;
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'content.xml', data: content },
    ]);
    expect(await kit.outbound(outboundFile('note.odt', odt, 'application/vnd.oasis.opendocument.text'))).toBe(
      'DEFAULT',
    );
  });
});
