import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/compound.js';
import { excelCellTexts, excelNumberTexts, xlsbNumberText } from './excel-numbers.js';

const record = (type: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
};
const cell = (type: number, value: number, length = 14, tail = -1) => {
  const data = Buffer.alloc(length);
  data.writeDoubleLE(value, 6);
  if (tail >= 0) data.writeUInt16LE(tail, 12);
  return record(type, data);
};

describe('excelNumberTexts (attacker round 60)', () => {
  it('reads the whole numbers of 12 to 19 digits of NUMBER cells and numeric FORMULA results, nothing else', () => {
    const stream = Buffer.concat([
      cell(0x0203, 378282246310005),
      cell(0x0006, 4111111111111111, 22),
      cell(0x0006, 4111111111111111, 22, 0xffff), // a string result: its bytes are no number
      cell(0x0203, 1234.5),
      cell(0x0203, 20261206),
      cell(0x0203, 1.5e20),
      record(0x0203, Buffer.alloc(4)), // too short: skipped
    ]);
    expect(excelNumberTexts(compoundFile([['Workbook', stream]]), 1 << 20)).toEqual([
      '378282246310005\n4111111111111111',
    ]);
    expect(excelNumberTexts(compoundFile([['BOOK', stream]]), 1 << 20)).toHaveLength(1);
  });
  it("excelCellTexts reads the same long numbers in its one walk of the workbook's records", () => {
    const stream = Buffer.concat([
      cell(0x0203, 378282246310005),
      cell(0x0006, 4111111111111111, 22),
      cell(0x0006, 5555555555554444, 22, 0xffff),
      cell(0x0203, 1234.5),
      cell(0x0203, 1.5e20),
    ]);
    const books = compoundFile([
      ['Workbook', stream],
      ['Book', cell(0x0203, 6011000990139424)],
    ]);
    const cells = excelCellTexts(books, 1 << 20);
    expect(cells.numbers).toEqual(excelNumberTexts(books, 1 << 20));
    expect(cells.numbers).toEqual(['378282246310005\n4111111111111111', '6011000990139424']);
    expect(excelCellTexts(Buffer.from('not a compound file'), 1 << 20).numbers).toEqual([]);
  });
  it('reads nothing from a file with no workbook, or that is no compound file', () => {
    expect(
      excelNumberTexts(compoundFile([['WordDocument', cell(0x0203, 378282246310005)]]), 1 << 20),
    ).toEqual([]);
    expect(excelNumberTexts(Buffer.from('not a compound file'), 1 << 20)).toEqual([]);
  });
  it('stops at a record running past the stream', () => {
    const cut = cell(0x0203, 378282246310005).subarray(0, 10);
    expect(excelNumberTexts(compoundFile([['Workbook', cut]]), 1 << 20)).toEqual([]);
  });
});

describe('xlsbNumberText (attacker round 60)', () => {
  const rec = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const real = (type: number, value: number) => {
    const data = Buffer.alloc(16);
    data.writeDoubleLE(value, 8);
    return rec(type, data);
  };
  it('reads BrtCellReal and BrtFmlaNum numbers, with two-byte record types and sizes', () => {
    const long = Buffer.concat([Buffer.from([0x80, 0x01, 0x81, 0x01]), Buffer.alloc(129)]); // type 128, size 129
    const part = Buffer.concat([
      real(5, 378282246310005),
      long,
      real(9, 4111111111111111),
      real(2, 378282246310005),
    ]);
    expect(xlsbNumberText(part)).toBe('378282246310005\n4111111111111111');
  });
  it('stops at a cut record', () => {
    expect(xlsbNumberText(Buffer.from([5, 16, 0, 0]))).toBe('');
    expect(xlsbNumberText(Buffer.from([0x85]))).toBe('');
  });
});
