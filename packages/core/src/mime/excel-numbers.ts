import { streamsNamed } from './compound-file.js';

// Excel keeps a cell's number as an IEEE double (BIFF8 `NUMBER`, a `FORMULA`'s cached result; an .xlsb sheet's
// `BrtCellReal` and `BrtFmlaNum`), not as text: a card typed into a cell (a 15-digit American Express number is kept
// exactly) or exported as a number by another program is not among the file's strings, while Excel shows it in the
// formula bar, or in the cell under a number format (`0`, `0000 000000 00000`). Attacker round 60.

const MAX_WORKBOOKS = 4;
// Integers of 12 to 19 digits: the lengths a card is printed at (an .xlsx keeps the same values as digits).
const SMALLEST = 1e11;
const LARGEST = 1e19;

/**
 * The whole numbers of 12 to 19 digits kept in the cells of each Excel 97 workbook (`Workbook`, or Excel 5's
 * `Book`, stream) of a compound file, one a line, as the formula bar shows them; none when it holds no workbook
 * this can read. Linear in the file's size: at most `maxBytes` of streams are read.
 *
 * @example
 * ```ts
 * excelNumberTexts(xls, 2 * xls.length); // ['378282246310005'] for a cell holding that number
 * ```
 */
export function excelNumberTexts(file: Buffer, maxBytes: number): string[] {
  const texts: string[] = [];
  for (const book of streamsNamed(file, maxBytes, (name) => WORKBOOK.test(name), MAX_WORKBOOKS)) {
    try {
      const text = biffNumbers(book.bytes());
      if (text) texts.push(text);
    } catch {
      // A stream that cannot be read (past the budget, a broken chain): no reading from it.
    }
  }
  return texts;
}
const WORKBOOK = /^(?:workbook|book)$/i;

// BIFF records: a 16-bit type, a 16-bit length, the data. NUMBER (0x0203: row, column, format, the double) and
// FORMULA (0x0006: the same, a cached result that is a number unless its last two bytes are 0xFFFF).
function biffNumbers(stream: Buffer): string {
  const lines: string[] = [];
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = stream.readUInt16LE(at);
    const data = at + 4;
    const end = data + stream.readUInt16LE(at + 2);
    if (end > stream.length) break;
    if (
      end - data >= 14 &&
      (type === 0x0203 || (type === 0x0006 && stream.readUInt16LE(data + 12) !== 0xffff))
    )
      addNumber(lines, stream.readDoubleLE(data + 6));
    at = end;
  }
  return lines.join('\n');
}

/**
 * The whole numbers of 12 to 19 digits kept in an .xlsb sheet's cells (`BrtCellReal`, `BrtFmlaNum`), one a line.
 * Records: a type and a size, each in 7-bit groups (MS-XLSB 2.1.4). Linear in the part's size.
 *
 * @example
 * ```ts
 * xlsbNumberText(sheet1Bin); // '378282246310005'
 * ```
 */
export function xlsbNumberText(part: Buffer): string {
  const lines: string[] = [];
  let at = 0;
  const varint = (bytes: number): number | undefined => {
    let value = 0;
    for (let i = 0; i < bytes; i++) {
      if (at >= part.length) return undefined;
      const b = part[at++] as number;
      value |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return value;
    }
    return value;
  };
  while (at < part.length) {
    const type = varint(2);
    const size = varint(4);
    if (type === undefined || size === undefined || at + size > part.length) break;
    // BrtCellReal (5) and BrtFmlaNum (9): column, style, then the double.
    if ((type === 5 || type === 9) && size >= 16) addNumber(lines, part.readDoubleLE(at + 8));
    at += size;
  }
  return lines.join('\n');
}

function addNumber(lines: string[], value: number): void {
  if (Number.isInteger(value) && Math.abs(value) >= SMALLEST && Math.abs(value) < LARGEST)
    lines.push(BigInt(value).toString());
}
