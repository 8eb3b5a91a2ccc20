import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 29 (office documents, outbound-policy's DLP). Each card below is what Word, Excel or
// LibreOffice shows, and no single reading of the DLP held it: an OpenDocument letter hidden by its style, an
// .xlsx rich-text letter in white, a letter the colour of a Word page's background, a list label or a formula
// in an attribute quoted or prefixed otherwise, an .xlsx string written with `_xHHHH_` escapes. Each case went
// out before the fix.

const stack = useLocalStack();
const kit = attackerKit(stack);

const ODT = 'application/vnd.oasis.opendocument.text';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const odf = (type: string, name: string, content: string) =>
  outboundFile(
    name,
    zipFile([
      { name: 'mimetype', data: type, method: 0 },
      { name: 'content.xml', data: `<?xml version="1.0" encoding="UTF-8"?>\n${content}` },
    ]),
    type,
  );
// A text document whose automatic style T1 has `props`, on the letter between the card's groups.
const odt = (props: string, span = 'text:style-name="T1"') =>
  odf(
    ODT,
    'note.odt',
    `<office:document-content><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties ${props}/></style:style></office:automatic-styles><office:body><office:text><text:p>Card: 4111 1111<text:span ${span}>x</text:span> 1111 1111</text:p></office:text></office:body></office:document-content>`,
  );
const ods = (cell: string) =>
  odf(
    ODS,
    'calc.ods',
    `<office:document-content><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row>${cell}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`,
  );
const xlsx = (strings: string) =>
  outboundFile(
    'cards.xlsx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
      },
      {
        name: 'xl/sharedStrings.xml',
        data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>${strings}</si></sst>`,
      },
    ]),
    XLSX,
  );
// A shared string with a rich-text run of `props` on the letter between the groups.
const richLetter = (props: string) =>
  xlsx(
    `<r><t xml:space="preserve">4111 1111</t></r><r><rPr>${props}</rPr><t>x</t></r><r><t xml:space="preserve"> 1111 1111</t></r>`,
  );
const docx = (document: string, numbering?: string) =>
  outboundFile(
    'letter.docx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: document },
      ...(numbering ? [{ name: 'word/numbering.xml', data: numbering }] : []),
    ]),
    DOCX,
  );
const darkPage = (letter: string) =>
  docx(
    `<w:document xmlns:w="${W}"><w:background w:color="000000"/><w:body><w:p><w:r><w:t xml:space="preserve">Card: 4111 1111</w:t></w:r><w:r><w:rPr>${letter}</w:rPr><w:t>x</w:t></w:r><w:r><w:t xml:space="preserve"> 1111 1111</w:t></w:r></w:p></w:body></w:document>`,
  );
const ITEM = `<w:document xmlns:w="${W}"><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>is the card</w:t></w:r></w:p></w:body></w:document>`;
// A list whose first item's label is `4111 1111 1111 1111`, its level written `level`.
const listed = (level: string, prefix = 'w') =>
  docx(
    ITEM,
    `<${prefix}:numbering xmlns:${prefix}="${W}"><${prefix}:abstractNum ${prefix}:abstractNumId="0">${level}</${prefix}:abstractNum></${prefix}:numbering>`,
  );

describe('attacker round 29: a card an office document shows and the DLP did not read (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'an OpenDocument letter hidden by its style (text:display="none")': odt('text:display="none"'),
    'an OpenDocument letter in white': odt('fo:color="#ffffff"'),
    'an OpenDocument letter of half a point': odt('fo:font-size="0.5pt"'),
    'an OpenDocument letter in a style defined elsewhere (styles.xml)': odt(
      'fo:font-weight="bold"',
      'text:style-name="Hidden"',
    ),
    'an .xlsx rich-text letter in white (ARGB)': richLetter('<color rgb="FFFFFFFF"/>'),
    'an .xlsx rich-text letter in theme colour 0 (white)': richLetter('<color theme="0"/>'),
    'an .xlsx rich-text letter in palette white (indexed 9)': richLetter('<color indexed="9"/>'),
    'an .xlsx rich-text letter in a theme colour the file defines elsewhere':
      richLetter('<color theme="5"/>'),
    'a black letter on a Word page with a black background': darkPage('<w:color w:val="000000"/>'),
    'a Word list label quoted with single quotes': listed(
      "<w:lvl w:ilvl='0'><w:start w:val='1111'/><w:numFmt w:val='decimal'/><w:lvlText w:val='4111 1111 1111 %1'/></w:lvl>",
    ),
    'a Word list level with a line break after its name': listed(
      '<w:lvl\n  w:ilvl="0"><w:start w:val="1111"/><w:numFmt w:val="decimal"/><w:lvlText w:val="4111 1111 1111 %1"/></w:lvl>',
    ),
    "a Word list label under another prefix for Word's namespace": listed(
      '<n:lvl n:ilvl="0"><n:start n:val="1"/><n:numFmt n:val="bullet"/><n:lvlText n:val="4111 1111 1111 1111"/></n:lvl>',
      'n',
    ),
    'an OpenDocument formula quoted with single quotes': ods(
      `<table:table-cell table:formula='of:="4111 1111 "&amp;"1111 1111"' office:value-type="string"/>`,
    ),
    'an .xlsx string of _xHHHH_ escapes': xlsx(
      '<t>_x0034__x0031__x0031__x0031_ _x0031__x0031__x0031__x0031_ _x0031__x0031__x0031__x0031_ _x0031__x0031__x0031__x0031_</t>',
    ),
    'an .xlsx string with an escaped NUL between the groups': xlsx('<t>4111 1111_x0000_ 1111 1111</t>'),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });

  it('still sends documents whose letters show (controls)', async () => {
    for (const message of [
      odt('fo:color="#ff0000" fo:font-weight="bold"'),
      odt('fo:color="#ffffff" fo:background-color="#000000"'),
      richLetter('<color rgb="FFFF0000"/><b/>'),
      richLetter('<color theme="1"/>'),
      darkPage('<w:color w:val="FF0000"/>'),
      xlsx('<t>Ref _x005F_x0034_ 4111 1111x 1111 1111</t>'),
      ods(`<table:table-cell table:formula='of:=SUM(A1:A3)' office:value-type="float"/>`),
    ])
      expect(await kit.outbound(message)).toBe('DEFAULT');
  });
});
