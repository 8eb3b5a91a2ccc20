import { describe, expect, it } from 'vitest';
import { excelFormattedTexts, excelFormatWritesDigits } from './excel-formats.js';

// False-positive round 4: Arabic Excel's calendar codes (`B1` Gregorian, `B2` Hijri) before a date write no digit;
// round 93 (.xlsx) and round 98 (.xls) read `B2dd/mm/yyyy` as a date beside a written 2 and refused it as unread.
describe('Excel calendar codes', () => {
  it('are no written digits', () => {
    for (const code of [
      'B2dd/mm/yyyy',
      'B1dd/mm/yyyy',
      '[$-1010401]B2dd/mm/yyyy;@',
      'B2yyyy/mm/dd hh:mm',
      'B2mmmm',
    ])
      expect(excelFormatWritesDigits(code), code).toBe(false);
  });
  it('leave quoted, escaped and other written digits written', () => {
    for (const code of [
      '"4111 1111 "B2dd/mm',
      '\\4\\1\\1\\1 B1dd/mm',
      '"B2"dd/mm',
      '\\B2dd',
      'B2',
      'B20000',
      '"x"B3dd',
    ])
      expect(excelFormatWritesDigits(code), code).toBe(true);
  });
  it('an .xlsx date under B2dd/mm/yyyy is read, not unread', () => {
    const styles =
      '<numFmts><numFmt numFmtId="164" formatCode="B2dd/mm/yyyy"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';
    expect(excelFormattedTexts(styles, ['<c r="A1" s="1"><v>46363</v></c>'], '')).toEqual({ text: '' });
  });
});
