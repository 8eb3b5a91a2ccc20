import { compoundFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 98, A98-2: round 93's number formats that write digits, in a legacy .xls (Excel 97-2003, which
// Excel still saves and opens). The format is a BIFF8 FORMAT record of the workbook's globals, a cell's XF points at
// it, and the cell keeps only its value (NUMBER, RK, MULRK, a FORMULA's cached number): `"4111 1111 1111 "0000` draws
// 1111 as the card in Excel and LibreOffice, while the value alone is no card, and round 60 read only whole numbers
// of 12 to 19 digits. Outbound-policy sent each workbook. Cells whose XF's format writes a digit are now drawn as
// in an .xlsx (excel-formats.ts).
const kit = attackerKit(useLocalStack());
const XLS = 'application/vnd.ms-excel';

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
// FORMAT: its number, then an XLUnicodeString (count, flags, characters: 8-bit or UTF-16LE).
const format = (id: number, code: string, wide = false) => {
  const chars = Buffer.from(code, wide ? 'utf16le' : 'latin1');
  const data = Buffer.alloc(5);
  data.writeUInt16LE(id, 0);
  data.writeUInt16LE(code.length, 2);
  data[4] = wide ? 1 : 0;
  return record(0x041e, Buffer.concat([data, chars]));
};
// XF: font, format number, then the rest (20 bytes in all).
const xf = (formatId: number) => {
  const data = Buffer.alloc(20);
  data.writeUInt16LE(formatId, 2);
  return record(0x00e0, data);
};
const cellHead = (row: number, column: number, xfIndex: number, size: number) => {
  const data = Buffer.alloc(size);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(column, 2);
  data.writeUInt16LE(xfIndex, 4);
  return data;
};
const numberCell = (value: number, xfIndex = 16, column = 1) => {
  const data = cellHead(0, column, xfIndex, 14);
  data.writeDoubleLE(value, 6);
  return record(0x0203, data);
};
// An RK value: an integer shifted left two with bit 1 set (bit 0: divided by 100).
const rk = (n: number, by100 = false) => ((n << 2) | 2 | (by100 ? 1 : 0)) >>> 0;
const rkCell = (value: number, by100 = false) => {
  const data = cellHead(0, 1, 16, 10);
  data.writeUInt32LE(rk(value, by100), 6);
  return record(0x027e, data);
};
const mulrk = (values: number[], xfIndex = 16) => {
  const data = Buffer.alloc(6 + values.length * 6);
  data.writeUInt16LE(0, 0);
  data.writeUInt16LE(0, 2);
  values.forEach((v, i) => {
    data.writeUInt16LE(xfIndex, 4 + i * 6);
    data.writeUInt32LE(rk(v), 6 + i * 6);
  });
  data.writeUInt16LE(values.length - 1, 4 + values.length * 6);
  return record(0x00bd, data);
};
const formulaCell = (value: number) => {
  const data = cellHead(0, 1, 16, 22);
  data.writeDoubleLE(value, 6);
  return record(0x0006, data);
};
// The globals: 16 XFs of the General format (as Excel writes its style XFs), then XF 16 of format 164 `code`.
const xls = (code: string, cells: Buffer[], wide = false) =>
  compoundFile([
    [
      'Workbook',
      Buffer.concat([
        bof(0x0005),
        format(164, code, wide),
        ...Array.from({ length: 16 }, () => xf(0)),
        xf(164),
        EOF_RECORD,
        bof(0x0010),
        ...cells,
        EOF_RECORD,
      ]),
    ],
  ]);
const send = (book: Buffer) => kit.outbound(outboundFile('pay.xls', book, XLS));

describe('A98-2: a card drawn by an .xls number format', () => {
  const cases: Record<string, Buffer> = {
    'quoted groups before a NUMBER': xls('"4111 1111 1111 "0000', [numberCell(1111)]),
    'backslash-escaped digits': xls('\\4\\1\\1\\1 \\1\\1\\1\\1 0000 0000', [numberCell(11111111)]),
    'a format written in UTF-16': xls('"4111 1111 1111 "0000', [numberCell(1111)], true),
    'an RK cell': xls('"4111 1111 1111 "0000', [rkCell(1111)]),
    'an RK cell divided by 100, rounded': xls('"4111 1111 1111 "0000', [rkCell(111060, true)]),
    'a MULRK row of cells': xls('"4111 1111 1111 "0000', [mulrk([1111, 2026, 7])]),
    'a row of four General cells': xls('0', [mulrk([4111, 1111, 1111, 1111], 15)]),
    'a FORMULA’s cached number': xls('0000" 1111 1111 1111"', [formulaCell(4111)]),
    'a currency of digits': xls('[$4111 1111-409] 0000 0000', [numberCell(11111111)]),
  };
  for (const [name, book] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await send(book)).toBe('BOUNCE');
    });
});

describe('A98-2: refused, not drawn', () => {
  it('bounces a text cell under a format whose text section writes digits (the string is not matched)', async () => {
    const label = Buffer.alloc(10);
    label.writeUInt16LE(16, 4);
    expect(await send(xls('0;0;0;"4111 1111 1111 "@', [record(0x00fd, label)]))).toBe('BOUNCE');
  });
  it('bounces a date format beside written digits', async () => {
    expect(await send(xls('"4111 1111 "dd/mm', [numberCell(46000)]))).toBe('BOUNCE');
  });
});

describe('A98-2 controls: .xls formats that write no card', () => {
  it('delivers an invoice amount, an order number and a phone format', async () => {
    for (const [code, value] of [
      ['[$€-407] #,##0.00', 1234.5],
      ['"Order "000000', 417],
      ['"+1 "(000) 000-0000', 4155550100],
      ['"FY2026 "#,##0', 88120344],
    ] as const)
      expect(await send(xls(code, [numberCell(value), rkCell(2026)]))).toBe('DEFAULT');
  });
  it('delivers a numeric table: years, date serials, prices, phone numbers and order numbers by row', async () => {
    const table = [0, 1, 2, 3].map((r) => {
      const values = [2026 + r, 46000.25 + r, 1499.99, 4155550100 + r, 88120344 + r];
      const data = Buffer.alloc(6 + values.length * 6);
      data.writeUInt16LE(r, 0);
      values.forEach((v, i) => {
        data.writeUInt16LE(15, 4 + i * 6);
        data.writeUInt32LE(Number.isInteger(v) && v < 2 ** 29 ? rk(v) : 0, 6 + i * 6);
      });
      return record(0x00bd, data);
    });
    const doubles = [1499.99, 4155550100, 46000.25].map((v) => numberCell(v, 15, 7));
    expect(await send(xls('"Order "000000', [...table, ...doubles, numberCell(417)]))).toBe('DEFAULT');
  });
  it('delivers four-digit codes in a row that make no card (no issuer, or Luhn fails)', async () => {
    expect(
      await send(xls('0', [mulrk([1234, 5678, 9012, 3456], 15), mulrk([4111, 1111, 1111, 1112], 15)])),
    ).toBe('DEFAULT');
  });
});
