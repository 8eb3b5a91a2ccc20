import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const DDE = "=cmd|' /c calc'!A0";

// A51-1: CSV cells Excel reads as a DDE formula that DDE_CELL (dde-links.ts:11) does not match.
describe('A51-1: CSV DDE formulas the cell pattern misses', () => {
  it('bounces a .csv whose `sep=#` line makes # the separator', async () => {
    const csv = Buffer.from(`sep=#\r\nItem#Total\r\nA#${DDE}\r\n`);
    expect(await verdict('Invoice.csv', csv, 'text/csv')).toBe('BOUNCE');
  });
  it('bounces a .csv whose quoted formula has a comma before the DDE reference', async () => {
    const csv = Buffer.from(`Item,Total\r\nA,"=IF(1,cmd|' /c calc'!A0)"\r\n`);
    expect(await verdict('Invoice.csv', csv, 'text/csv')).toBe('BOUNCE');
  });
  it('bounces a .csv whose formula has a quote before the DDE reference', async () => {
    const csv = Buffer.from(`Item,Total\r\nA,=""&cmd|' /c calc'!A0\r\n`);
    expect(await verdict('Invoice.csv', csv, 'text/csv')).toBe('BOUNCE');
  });
  it('bounces a UTF-16 (big-endian, with BOM) .csv with a DDE formula', async () => {
    const le = Buffer.from(`Item\tTotal\r\nA\t${DDE}\r\n`, 'utf16le');
    const csv = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    expect(await verdict('Invoice.csv', csv, 'text/csv')).toBe('BOUNCE');
  });
});

// A51-2: spreadsheet text is read only for a message part named .csv/.tsv/.tab (part-archive.ts:29, :95): inside an
// archive, visitEntry (archive-files.ts:313) never reads it.
describe('A51-2: a DDE .csv inside a zip', () => {
  it('bounces a zip holding a .csv with a DDE formula', async () => {
    const file = zipFile([{ name: 'Invoice.csv', data: `Item,Total\r\nA,${DDE}\r\n` }]);
    expect(await verdict('Invoice.zip', file, 'application/zip')).toBe('BOUNCE');
  });
});

// A51-3: Excel 2003 XML (SpreadsheetML, `<?mso-application progid="Excel.Sheet"?>`, opened by Excel as .xml and
// as .xls) holds its formulas in ss:Formula; it is read as a Word markup document (word-markup.ts:16 matches
// mso-application), whose reader looks only for Word fields and w:binData.
const spreadsheetMl = (formula: string) =>
  Buffer.from(
    `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table><Row><Cell ss:Formula="${formula}"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>`,
  );
describe('A51-3: Excel 2003 XML spreadsheets', () => {
  it('bounces an Excel 2003 .xml whose cell formula is a DDE reference', async () => {
    expect(await verdict('Invoice.xml', spreadsheetMl("=cmd|' /c calc'!A0"), 'text/xml')).toBe('BOUNCE');
  });
  it('bounces the same named .xls', async () => {
    expect(
      await verdict('Invoice.xls', spreadsheetMl("=cmd|' /c calc'!A0"), 'application/vnd.ms-excel'),
    ).toBe('BOUNCE');
  });
  it('(control) delivers an Excel 2003 .xml with an ordinary formula', async () => {
    expect(await verdict('Invoice.xml', spreadsheetMl('=SUM(R1C1:R2C1)'), 'text/xml')).toBe('DEFAULT');
  });
});

// A51-4 (speculative): a DDE reference written straight into an .xlsx sheet's formula (<f>), with no externalLink
// part; hasDdeLink (dde-links.ts:14) looks only for ddeLink elements.
describe('A51-4: a DDE formula in an .xlsx sheet', () => {
  it('bounces an .xlsx whose sheet formula is cmd|...', async () => {
    const file = zipFile([
      {
        name: 'xl/workbook.xml',
        data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets><calcPr fullCalcOnLoad="1"/></workbook>',
      },
      {
        name: 'xl/worksheets/sheet1.xml',
        data: `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>cmd|' /c calc'!A0</f></c></row></sheetData></worksheet>`,
      },
    ]);
    expect(
      await verdict(
        'Invoice.xlsx',
        file,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ),
    ).toBe('BOUNCE');
  });
});
