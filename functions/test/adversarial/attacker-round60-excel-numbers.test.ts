import { compoundFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 60, A60-2 (medium, DLP, careless insider): a card typed into an Excel cell, or exported into one as a
// number by a billing system, is kept as an IEEE double: in a legacy .xls workbook a BIFF8 NUMBER record (or a
// FORMULA's cached result), in an .xlsb sheet a BrtCellReal (or BrtFmlaNum) record. An American Express number
// (15 digits) is kept exactly, as is a 16-digit card another program wrote. Excel shows it in the formula bar, and
// in the cell under a number format (`0`, `0000 000000 00000`) or once the column is widened; the recipient reads
// the card. The DLP read such files for their strings only (8-bit and UTF-16 runs, a Word document's text), so a
// number never was text and left undetected, while the same value in an .xlsx (`<v>378282246310005</v>`) or an
// .ods (round 55) bounced. The cells' whole numbers of 12 to 19 digits are now read as digits, one a line
// (excel-numbers.ts). Each attack was sent (DEFAULT) before the fix; each control is as before.
const stack = useLocalStack();
const kit = attackerKit(stack);

const AMEX = 378282246310005;
const VISA = 4111111111111111;

// A BIFF8 record: type, length, data.
const record = (type: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};
const bof = (kind: number) => {
  const data = Buffer.alloc(16);
  data.writeUInt16LE(0x0600, 0);
  data.writeUInt16LE(kind, 2);
  return record(0x0809, data);
};
const EOF_RECORD = record(0x000a, Buffer.alloc(0));
// A NUMBER cell (row, column, format 15, the value).
const numberCell = (row: number, value: number) => {
  const data = Buffer.alloc(14);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(1, 2);
  data.writeUInt16LE(0x0f, 4);
  data.writeDoubleLE(value, 6);
  return record(0x0203, data);
};
// A FORMULA cell whose cached result is `value` (`=378282246310000+5`: the parsed formula is not read).
const formulaCell = (row: number, value: number) => {
  const data = Buffer.alloc(22);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(1, 2);
  data.writeUInt16LE(0x0f, 4);
  data.writeDoubleLE(value, 6);
  return record(0x0006, data);
};
// A LABEL-free workbook: the globals, then one sheet of the given cells.
const xls = (cells: Buffer[]) =>
  compoundFile([['Workbook', Buffer.concat([bof(0x0005), EOF_RECORD, bof(0x0010), ...cells, EOF_RECORD])]]);

// An .xlsb record: its type and size in 7-bit groups (both under 128 here), then its data.
const xlsbRecord = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
const xlsbNumber = (type: 5 | 9, value: number) => {
  const data = Buffer.alloc(type === 5 ? 16 : 18);
  data.writeDoubleLE(value, 8);
  return xlsbRecord(type, data);
};
const xlsb = (sheet: Buffer) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'xl/workbook.bin', data: Buffer.alloc(8) },
    { name: 'xl/worksheets/sheet1.bin', data: sheet },
  ]);
// BrtRowHdr, BrtBeginSheetData-like padding before the cells, as Excel writes them.
const ROW = xlsbRecord(0, Buffer.alloc(17));

describe('A60-2: a card kept as a number in a binary Excel workbook', () => {
  it('bounces cards.xls: an American Express number in a NUMBER cell', async () => {
    expect(await kit.outbound(outboundFile('cards.xls', xls([numberCell(0, AMEX)])))).toBe('BOUNCE');
  });
  it('bounces cards.xls: a 16-digit card another program wrote as a number', async () => {
    expect(await kit.outbound(outboundFile('cards.xls', xls([numberCell(0, VISA)])))).toBe('BOUNCE');
  });
  it('bounces cards.xls: the card as a formula’s cached result', async () => {
    expect(await kit.outbound(outboundFile('cards.xls', xls([formulaCell(0, AMEX)])))).toBe('BOUNCE');
  });
  it('bounces cards.xlsb: an American Express number in a BrtCellReal cell', async () => {
    expect(
      await kit.outbound(outboundFile('cards.xlsb', xlsb(Buffer.concat([ROW, xlsbNumber(5, AMEX)])))),
    ).toBe('BOUNCE');
  });
  it('bounces cards.xlsb: the card as a formula’s number (BrtFmlaNum)', async () => {
    expect(
      await kit.outbound(outboundFile('cards.xlsb', xlsb(Buffer.concat([ROW, xlsbNumber(9, VISA)])))),
    ).toBe('BOUNCE');
  });
  it('(control) sends workbooks of order numbers, amounts, phone numbers, barcodes and a Luhn-failing number', async () => {
    // An order number, an amount, a 12-digit phone number, an EAN-13 barcode, a 16-digit number failing Luhn.
    const values = [20261206, 1234.56, 442079460958, 4006381333931, 4111111111111112];
    expect(await kit.outbound(outboundFile('orders.xls', xls(values.map((v, i) => numberCell(i, v)))))).toBe(
      'DEFAULT',
    );
    const sheet = Buffer.concat([ROW, ...values.map((v) => xlsbNumber(5, v))]);
    expect(await kit.outbound(outboundFile('orders.xlsb', xlsb(sheet)))).toBe('DEFAULT');
  });
});
