import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 93, A93-1: an .xlsx cell shows its value through its number format, and a custom format may
// write digits of its own (`"4111 1111 1111 "0000` draws the cell holding 1111 as `4111 1111 1111 1111`). The
// format is an attribute of xl/styles.xml, which the DLP read as no text, and the value alone is no card:
// outbound-policy sent the workbook while Excel and LibreOffice show the card. Such cells are now read as drawn.
const kit = attackerKit(useLocalStack());
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const xmlEscaped = (code: string) =>
  code.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

// A workbook of one sheet whose cells (`<c>` elements) use cell format 1, number format `code`.
const workbook = (code: string, cells: string, shared = '') =>
  zipFile([
    {
      name: '[Content_Types].xml',
      data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${NS}><sheets><sheet name="Pay" sheetId="1"/></sheets></workbook>`,
    },
    {
      name: 'xl/styles.xml',
      data: `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="${xmlEscaped(code)}"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`,
    },
    ...(shared ? [{ name: 'xl/sharedStrings.xml', data: `<sst ${NS}>${shared}</sst>` }] : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>${cells}</row></sheetData></worksheet>`,
    },
  ]);
const send = (code: string, cells: string, shared = '<si><t>Card</t></si>') =>
  kit.outbound(outboundFile('pay.xlsx', workbook(code, cells, shared), XLSX));

describe('A93-1: a card drawn by an Excel number format', () => {
  const cases: Record<string, [string, string, string?]> = {
    'quoted groups before the value': ['"4111 1111 1111 "0000', '<c r="B1" s="1"><v>1111</v></c>'],
    'backslash-escaped digits': [
      '\\4\\1\\1\\1 \\1\\1\\1\\1 0000 0000',
      '<c r="B1" s="1"><v>11111111</v></c>',
    ],
    'a currency symbol of digits': ['[$4111 1111-409] 0000 0000', '<c r="B1" s="1"><v>11111111</v></c>'],
    'groups after the value': ['0000" 1111 1111 1111"', '<c r="B1" s="1"><v>4111</v></c>'],
    'a value rounded to the card': ['"4111 1111 1111 "0000', '<c r="B1" s="1"><v>1110.6</v></c>'],
    'a value scaled by a thousands comma': ['"4111 1111 1111 "0000,', '<c r="B1" s="1"><v>1111000</v></c>'],
    'the negative section': ['0;"4111 1111 1111 "0000', '<c r="B1" s="1"><v>-1111</v></c>'],
    'a conditional section': ['[>0]"4111 1111 1111 1111";0', '<c r="B1" s="1"><v>7</v></c>'],
    'a text section around a shared string': [
      '0;0;0;"4111 1111 1111 "@',
      '<c r="B1" s="1" t="s"><v>1</v></c>',
      '<si><t>Card</t></si><si><t>1111</t></si>',
    ],
    'a text section around an inline string': [
      '0;0;0;"4111 1111 "@',
      '<c r="B1" s="1" t="inlineStr"><is><t>1111 1111</t></is></c>',
    ],
    'General beside written digits': ['"4111 1111 1111 "General', '<c r="B1" s="1"><v>1111</v></c>'],
    'an unstyled cell under a default format': ['"4111 1111 1111 "0000', '<c r="B1"><v>1111</v></c>'],
  };
  for (const [name, [code, cells, shared]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      const book = name.startsWith('an unstyled')
        ? zipFile([
            {
              name: 'xl/styles.xml',
              data: `<styleSheet ${NS}><numFmts><numFmt numFmtId="164" formatCode="${xmlEscaped(code)}"/></numFmts><cellXfs><xf numFmtId="164"/></cellXfs></styleSheet>`,
            },
            {
              name: 'xl/worksheets/sheet1.xml',
              data: `<worksheet ${NS}><sheetData><row r="1">${cells}</row></sheetData></worksheet>`,
            },
          ])
        : workbook(code, cells, shared ?? '<si><t>Card</t></si>');
      expect(await kit.outbound(outboundFile('pay.xlsx', book, XLSX))).toBe('BOUNCE');
    });
  it('bounces a date format writing digits (not drawn here: unread), saying it could not be checked', async () => {
    const verdict = await kit.outboundVerdict(
      outboundFile('pay.xlsx', workbook('"4111 1111 1111 "yyyy', '<c r="B1" s="1"><v>78000</v></c>'), XLSX),
    );
    expect(verdict?.type).toBe('BOUNCE');
    expect(JSON.stringify(verdict)).toMatch(/could not be checked/);
  });
});

describe('benign controls', () => {
  const cases: Record<string, [string, string]> = {
    'an invoice amount in euros': ['[$€-407] #,##0.00', '<c r="B1" s="1"><v>4111.5</v></c>'],
    'an order number with a prefix': ['"Order "000000', '<c r="B1" s="1"><v>411111</v></c>'],
    'a phone number format': ['"+1 "(000) 000-0000', '<c r="B1" s="1"><v>2125550123</v></c>'],
    'a date in a locale': ['[$-409]mmmm d, yyyy', '<c r="B1" s="1"><v>46000</v></c>'],
    'a fraction': ['# ?/16', '<c r="B1" s="1"><v>3.5</v></c>'],
    'a percentage': ['0.0%', '<c r="B1" s="1"><v>0.125</v></c>'],
    'a year label': ['"FY2026 "#,##0', '<c r="B1" s="1"><v>1250000</v></c>'],
  };
  for (const [name, [code, cells]] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await send(code, cells)).toBe('DEFAULT');
    });
});

// The same in an OpenDocument spreadsheet: a data style's `number:text` beside its `number:number`, drawn by
// LibreOffice from the cell's `office:value` (the cell's `text:p` is what the file says it showed, not what it shows).
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ods = (style: string, value: string) =>
  zipFile([
    { name: 'mimetype', data: ODS },
    {
      name: 'content.xml',
      data: `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:automatic-styles>${style}<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/></office:automatic-styles><office:body><office:spreadsheet><table:table table:name="Pay"><table:table-row><table:table-cell table:style-name="ce1" office:value-type="float" office:value="${value}"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`,
    },
  ]);
const sendOds = (style: string, value: string) =>
  kit.outbound(outboundFile('pay.ods', ods(style, value), ODS));

describe('A93-1: a card drawn by an OpenDocument data style', () => {
  it('bounces groups written before the value', async () => {
    const style =
      '<number:number-style style:name="N1"><number:text>4111 1111 1111 </number:text><number:number number:min-integer-digits="4"/></number:number-style>';
    expect(await sendOds(style, '1111')).toBe('BOUNCE');
  });
  it('bounces groups written after a value rounded to its decimals', async () => {
    const style =
      '<number:number-style style:name="N1"><number:number number:min-integer-digits="4"/><number:text> 1111 1111 1111</number:text></number:number-style>';
    expect(await sendOds(style, '4110.7')).toBe('BOUNCE');
  });
  it('bounces a date style writing digits (not drawn here: unread)', async () => {
    const style =
      '<number:date-style style:name="N1"><number:text>4111 1111 1111 </number:text><number:year number:style="long"/></number:date-style>';
    expect(await sendOds(style, '1111')).toBe('BOUNCE');
  });
  it('sends an invoice under a currency style and a numbered label', async () => {
    const style =
      '<number:currency-style style:name="N1"><number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/><number:text> </number:text><number:currency-symbol>€</number:currency-symbol></number:currency-style><number:number-style style:name="N2"><number:text>Order 2026-</number:text><number:number number:min-integer-digits="6"/></number:number-style>';
    expect(await sendOds(style, '41111.5')).toBe('DEFAULT');
  });
});
