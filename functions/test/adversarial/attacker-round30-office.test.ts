import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 30 (office documents, outbound-policy's DLP). Each card below is what Word, Excel or
// LibreOffice shows: white digits and a letter the colour of its backdrop (a Word paragraph's or cell's shading,
// an OpenDocument paragraph's or page's background, an .xlsx cell's fill), or an OpenDocument field whose text
// is hidden or replaced by a condition. Each went out before the fix.

const stack = useLocalStack();
const kit = attackerKit(stack);

const ODT = 'application/vnd.oasis.opendocument.text';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const docx = (body: string) =>
  outboundFile(
    'letter.docx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>` },
    ]),
    DOCX,
  );
const color = (hex: string) => `<w:rPr><w:color w:val="${hex}"/></w:rPr>`;
// White groups and a letter in `letter` between them.
const wordRuns = (letter: string) =>
  `<w:r>${color('FFFFFF')}<w:t xml:space="preserve">Card: 4111 1111</w:t></w:r><w:r>${color(letter)}<w:t>x</w:t></w:r><w:r>${color('FFFFFF')}<w:t xml:space="preserve"> 1111 1111</w:t></w:r>`;
const SHD = '<w:shd w:val="clear" w:color="auto" w:fill="000000"/>';
const shadedParagraph = (letter: string) => docx(`<w:p><w:pPr>${SHD}</w:pPr>${wordRuns(letter)}</w:p>`);
const shadedCell = (letter: string) =>
  docx(`<w:tbl><w:tr><w:tc><w:tcPr>${SHD}</w:tcPr><w:p>${wordRuns(letter)}</w:p></w:tc></w:tr></w:tbl>`);

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"';
const odt = (auto: string, body: string, styles?: string) =>
  outboundFile(
    'note.odt',
    zipFile([
      { name: 'mimetype', data: ODT, method: 0 },
      {
        name: 'content.xml',
        data: `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content ${NS}><office:automatic-styles>${auto}</office:automatic-styles><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
      },
      ...(styles
        ? [
            {
              name: 'styles.xml',
              data: `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles ${NS}>${styles}</office:document-styles>`,
            },
          ]
        : []),
    ]),
    ODT,
  );
const spans = (letter: string) =>
  `<style:style style:name="TW" style:family="text"><style:text-properties fo:color="#ffffff"/></style:style><style:style style:name="TL" style:family="text"><style:text-properties fo:color="${letter}"/></style:style>`;
const B =
  '<text:p text:style-name="P1"><text:span text:style-name="TW">Card: 4111 1111</text:span><text:span text:style-name="TL">x</text:span><text:span text:style-name="TW"> 1111 1111</text:span></text:p>';
const BLACK_PAGE =
  '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:background-color="#000000"/></style:page-layout></office:automatic-styles><office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>';
const darkPage = (letter: string) =>
  odt(`${spans(letter)}<style:style style:name="P1" style:family="paragraph"/>`, B, BLACK_PAGE);
const darkParagraph = (letter: string) =>
  odt(
    `${spans(letter)}<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:background-color="#000000"/></style:style>`,
    B,
  );

const STYLES =
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF000000"/><bgColor indexed="64"/></patternFill></fill></fills><cellXfs count="2"><xf fontId="0" fillId="0"/><xf fontId="0" fillId="2" applyFill="1"/></cellXfs></styleSheet>';
const filledCell = (letter: string) =>
  outboundFile(
    'cards.xlsx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: '<worksheet><sheetData><row r="1"><c r="A1" s="1" t="s"><v>0</v></c></row></sheetData></worksheet>',
      },
      {
        name: 'xl/sharedStrings.xml',
        data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><rPr><color rgb="FFFFFFFF"/></rPr><t xml:space="preserve">4111 1111</t></r><r><rPr><color rgb="${letter}"/></rPr><t>x</t></r><r><rPr><color rgb="FFFFFFFF"/></rPr><t xml:space="preserve"> 1111 1111</t></r></si></sst>`,
      },
      { name: 'xl/styles.xml', data: STYLES },
    ]),
    XLSX,
  );

describe('attacker round 30: a card an office document shows and the DLP did not read (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    "a black letter on a Word paragraph's black shading": shadedParagraph('000000'),
    "a black letter on a Word table cell's black shading": shadedCell('000000'),
    'a black letter on an OpenDocument page with a black background (styles.xml)': darkPage('#000000'),
    "a black letter on an OpenDocument paragraph's black background": darkParagraph('#000000'),
    'an OpenDocument letter in hidden text (text:hidden-text)': odt(
      '',
      '<text:p>Card: 4111 1111<text:hidden-text text:condition="ooow:1==1" text:string-value="x">x</text:hidden-text> 1111 1111</text:p>',
    ),
    'an OpenDocument conditional text whose shown value is empty': odt(
      '',
      '<text:p>Card: 4111 1111<text:conditional-text text:condition="ooow:1==1" text:string-value-if-true="" text:string-value-if-false="x" text:current-value="false">x</text:conditional-text> 1111 1111</text:p>',
    ),
    "a black rich-text letter on an .xlsx cell's black fill (styles.xml)": filledCell('FF000000'),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });

  it('still sends documents whose letters show on their backdrops (controls)', async () => {
    for (const [i, message] of [
      shadedParagraph('FF0000'),
      shadedCell('FF0000'),
      darkPage('#ff0000'),
      darkParagraph('#ff0000'),
      filledCell('FFFF0000'),
      odt(
        '',
        '<text:p>Card: 4111 1111<text:conditional-text text:condition="ooow:1==1" text:string-value-if-true="x" text:string-value-if-false="y" text:current-value="true">x</text:conditional-text> 1111 1111</text:p>',
      ),
    ].entries())
      expect([i, await kit.outbound(message)]).toEqual([i, 'DEFAULT']);
  });
});
