import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 93, A93-2: a workbook's sheet names are drawn on its tabs (Excel, LibreOffice), but they are
// attributes (`<sheet name="…"/>` in xl/workbook.xml, `table:name` in an .ods content.xml), read as no text: a card
// written as a sheet's name (31 characters fit), or over the names of the tabs side by side, was sent. The tabs'
// names are now read as one row, in the order they are drawn.
const kit = attackerKit(useLocalStack());
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const SS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const xlsx = (names: string[]) =>
  zipFile([
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${SS}><sheets>${names.map((n, i) => `<sheet name="${n}" sheetId="${i + 1}"/>`).join('')}</sheets></workbook>`,
    },
    ...names.map((_, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: `<worksheet ${SS}><sheetData/></worksheet>`,
    })),
  ]);
const ods = (names: string[]) =>
  zipFile([
    { name: 'mimetype', data: ODS },
    {
      name: 'content.xml',
      data: `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>${names.map((n) => `<table:table table:name="${n}"><table:table-row><table:table-cell/></table:table-row></table:table>`).join('')}</office:spreadsheet></office:body></office:document-content>`,
    },
  ]);

describe('A93-2: a card in a workbook’s sheet names', () => {
  const cases: Record<string, [string, Buffer, string]> = {
    'one .xlsx sheet named with the card': ['a.xlsx', xlsx(['4539 1488 0343 6467']), XLSX],
    'the card over two .xlsx tabs': ['a.xlsx', xlsx(['4539 1488', '0343 6467']), XLSX],
    'the card over four .xlsx tabs': ['a.xlsx', xlsx(['4539', '1488', '0343', '6467']), XLSX],
    'an IBAN as an .xlsx sheet name': ['a.xlsx', xlsx(['DE89 3704 0044 0532 0130 00']), XLSX],
    'one .ods sheet named with the card': ['a.ods', ods(['4539-1488-0343-6467']), ODS],
    'the card over two .ods tabs': ['a.ods', ods(['4539 1488', '0343 6467']), ODS],
  };
  for (const [name, [file, bytes, type]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes, type))).toBe('BOUNCE');
    });
});

describe('benign controls', () => {
  const cases: Record<string, [string, Buffer, string]> = {
    'tabs named by year': ['a.xlsx', xlsx(['2023', '2024', '2025', '2026']), XLSX],
    'tabs named by order number and date': [
      'a.xlsx',
      xlsx(['Order 4111-1111', '2026-12-07', 'Summary']),
      XLSX,
    ],
    'an .ods of monthly tabs': ['a.ods', ods(['Jan 2026', 'Feb 2026', 'Mar 2026']), ODS],
  };
  for (const [name, [file, bytes, type]] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(outboundFile(file, bytes, type))).toBe('DEFAULT');
    });
});
