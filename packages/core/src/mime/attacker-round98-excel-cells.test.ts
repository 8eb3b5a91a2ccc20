import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/compound.js';
import { excelCellTexts } from './excel-numbers.js';

// Attacker round 98, A98-2 (excel-numbers.ts): an .xls workbook's cells as Excel shows them where its strings do
// not hold them: rows of numbers, and numbers drawn through FORMAT records that write digits.
const record = (type: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};
const bof = (version: number) => {
  const data = Buffer.alloc(16);
  data.writeUInt16LE(version, 0);
  return record(0x0809, data);
};
const format8 = (id: number, code: string) => {
  const data = Buffer.alloc(5);
  data.writeUInt16LE(id, 0);
  data.writeUInt16LE(code.length, 2);
  return record(0x041e, Buffer.concat([data, Buffer.from(code, 'latin1')]));
};
const format5 = (id: number, code: string) => {
  const data = Buffer.alloc(3);
  data.writeUInt16LE(id, 0);
  data[2] = code.length;
  return record(0x041e, Buffer.concat([data, Buffer.from(code, 'latin1')]));
};
const xf = (formatId: number) => {
  const data = Buffer.alloc(20);
  data.writeUInt16LE(formatId, 2);
  return record(0x00e0, data);
};
const numberCell = (row: number, xfIndex: number, value: number) => {
  const data = Buffer.alloc(14);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(xfIndex, 4);
  data.writeDoubleLE(value, 6);
  return record(0x0203, data);
};
const rkCell = (row: number, xfIndex: number, rk: number) => {
  const data = Buffer.alloc(10);
  data.writeUInt16LE(row, 0);
  data.writeUInt16LE(xfIndex, 4);
  data.writeUInt32LE(rk >>> 0, 6);
  return record(0x027e, data);
};
const book = (records: Buffer[], name = 'Workbook') =>
  compoundFile([[name, Buffer.concat([...records, record(0x000a, Buffer.alloc(0))])]]);

describe('excelCellTexts', () => {
  it('reads each row’s numbers in order, a line a row, and each sheet apart', () => {
    const file = book([
      bof(0x0600),
      xf(0),
      bof(0x0600),
      numberCell(0, 0, 4111),
      numberCell(0, 0, 1111),
      rkCell(0, 0, (1111 << 2) | 2),
      rkCell(0, 0, (111100 << 2) | 3),
      numberCell(1, 0, 2026.5),
      numberCell(1, 0, 0.1 + 0.2),
      bof(0x0600),
      numberCell(0, 0, 7),
    ]);
    expect(excelCellTexts(file, 1 << 20)).toEqual({
      text: '4111 1111 1111 1111\n2026.5 0.3\n7',
      numbers: [],
    });
  });

  it('decodes an RK double (its top 30 bits) and an RK integer’s sign', () => {
    const high = Buffer.alloc(8);
    high.writeDoubleLE(1.25);
    const file = book([bof(0x0600), xf(0), rkCell(0, 0, high.readUInt32LE(4)), rkCell(0, 0, (-8 << 2) | 2)]);
    expect(excelCellTexts(file, 1 << 20).text).toBe('1.25 -8');
  });

  it('draws numbers through BIFF8 and BIFF5 formats that write digits, by the cell’s XF', () => {
    for (const [version, format] of [
      [0x0600, format8],
      [0x0500, format5],
    ] as const) {
      const file = book(
        [
          bof(version),
          format(164, '"4111 1111 1111 "0000'),
          xf(0),
          xf(164),
          numberCell(0, 1, 1111),
          numberCell(1, 0, 5),
        ],
        version === 0x0500 ? 'Book' : 'Workbook',
      );
      expect(excelCellTexts(file, 1 << 20)).toEqual({ text: '1111\n5\n4111 1111 1111 1111', numbers: [] });
    }
  });

  it('leaves formats that write no digit undrawn', () => {
    const file = book([bof(0x0600), format8(164, '#,##0.00 [$€-407]'), xf(164), numberCell(0, 0, 1234.5)]);
    expect(excelCellTexts(file, 1 << 20)).toEqual({ text: '1234.5', numbers: [] });
  });

  it('says unread a format it cannot draw, and a text cell under a text section writing digits', () => {
    const dated = book([bof(0x0600), format8(164, '"4111 "dd/mm'), xf(164), numberCell(0, 0, 46000)]);
    expect(excelCellTexts(dated, 1 << 20).unread).toMatch(/date/);
    const label = Buffer.alloc(10);
    const text = book([
      bof(0x0600),
      format8(164, '0;0;0;"4111 1111 1111 "@'),
      xf(164),
      record(0x00fd, label),
    ]);
    expect(excelCellTexts(text, 1 << 20).unread).toMatch(/text cell/);
    const plain = book([
      bof(0x0600),
      format8(164, '0;0;0;"4111 1111 1111 "@'),
      xf(0),
      xf(164),
      record(0x00fd, label),
    ]);
    expect(excelCellTexts(plain, 1 << 20)).toEqual({ text: '', numbers: [] });
  });

  it('reads nothing from a file that holds no workbook', () => {
    expect(excelCellTexts(Buffer.from('4111 1111 1111 1111'), 1 << 20)).toEqual({ text: '', numbers: [] });
    expect(excelCellTexts(compoundFile([['WordDocument', Buffer.alloc(64)]]), 1 << 20)).toEqual({
      text: '',
      numbers: [],
    });
  });
});
