import { streamsNamed } from './compound-file.js';
import { type ExcelFormatted, excelDrawnCell, excelFormatWritesDigits } from './excel-formats.js';

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

const MAX_DRAWN_CELLS = 100_000;

/**
 * What the cells of each Excel 97 (BIFF8) or Excel 5 (BIFF5) workbook of a compound file show that its strings do
 * not: each sheet row's numbers (NUMBER, RK, MULRK, a FORMULA's cached number) in column order, joined by spaces,
 * one row a line (as an .xlsx row reads: four cells `4111` `1111` `1111` `1111` read as one card); and every cell
 * whose format (a FORMAT record, through the cell's XF) writes digits of its own, drawn through it as Excel draws
 * it (excel-formats.ts), one a line (attacker round 98). `unread` when a format cannot be drawn, a text cell is
 * under a format writing digits, or more than 100,000 cells are so formatted. `numbers`: each workbook's
 * {@link excelNumberTexts} reading, from the same walk of its records. Linear in the streams read (at most
 * `maxBytes`).
 *
 * @example
 * ```ts
 * excelCellTexts(xls, 2 * xls.length); // { text: '4111 1111 1111 1111', numbers: [] } for 1111 under `"4111 1111 1111 "0000`
 * ```
 */
export function excelCellTexts(file: Buffer, maxBytes: number): ExcelCells {
  const texts: string[] = [];
  const numbers: string[] = [];
  for (const book of streamsNamed(file, maxBytes, (name) => WORKBOOK.test(name), MAX_WORKBOOKS)) {
    let bytes: Buffer;
    try {
      bytes = book.bytes();
    } catch {
      continue;
    }
    const read = biffCells(bytes);
    if (read.text) texts.push(read.text);
    if (read.numbers) numbers.push(read.numbers);
    if (read.unread) return { text: texts.join('\n'), unread: read.unread, numbers };
  }
  return { text: texts.join('\n'), numbers };
}

/** What {@link excelCellTexts} reads: the cells' texts, and the whole numbers of 12 to 19 digits by workbook. */
export interface ExcelCells extends ExcelFormatted {
  numbers: string[];
}

// The records walked once: FORMAT (0x041E) and XF (0x00E0) records of the globals, then the cells, each row's
// numbers on a line and each cell under a format writing digits drawn; the long whole numbers as biffNumbers reads.
function biffCells(stream: Buffer): ExcelFormatted & { numbers: string } {
  const formats = new Map<number, string>();
  // Each XF's format code, when it writes digits (XFs are numbered in the order they come).
  const xfs: (string | undefined)[] = [];
  let biff8 = true;
  const rows: string[] = [];
  const drawn: string[] = [];
  const numbers: string[] = [];
  let row: string[] = [];
  let rowNumber = -1;
  let cells = 0;
  const endRow = () => {
    if (row.length > 0) rows.push(row.join(' '));
    row = [];
  };
  const cell = (r: number, xf: number, value: number): string | undefined => {
    if (r !== rowNumber) {
      endRow();
      rowNumber = r;
    }
    // As the formula bar shows it: a fraction to 15 significant digits (`0.1+0.2` is 0.3, not 0.30000000000000004).
    const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
    row.push(text);
    addNumber(numbers, value);
    const code = xfs[xf];
    if (code === undefined) return undefined;
    if (++cells > MAX_DRAWN_CELLS) return 'too many formatted cells to draw';
    const shown = excelDrawnCell(code, text, false);
    if (typeof shown !== 'string') return shown.unread;
    if (shown) drawn.push(shown);
    return undefined;
  };
  const done = (unread?: string) => {
    endRow();
    const text = [...rows, ...drawn].join('\n');
    return { text, numbers: numbers.join('\n'), ...(unread ? { unread } : {}) };
  };
  for (let at = 0; at + 4 <= stream.length; ) {
    const type = stream.readUInt16LE(at);
    const data = at + 4;
    const size = stream.readUInt16LE(at + 2);
    const end = data + size;
    if (end > stream.length) break;
    at = end;
    let unread: string | undefined;
    if (type === 0x0809 && size >= 2) {
      biff8 = stream.readUInt16LE(data) >= 0x0600;
      endRow();
      rowNumber = -1;
    } else if (type === 0x041e && size >= 3) {
      const code = biffString(stream, data + 2, end, biff8);
      if (code !== undefined && excelFormatWritesDigits(code)) formats.set(stream.readUInt16LE(data), code);
    } else if (type === 0x00e0 && size >= 4) xfs.push(formats.get(stream.readUInt16LE(data + 2)));
    else if (type === 0x0203 && size >= 14)
      unread = cell(stream.readUInt16LE(data), stream.readUInt16LE(data + 4), stream.readDoubleLE(data + 6));
    else if (type === 0x0006 && size >= 14 && stream.readUInt16LE(data + 12) !== 0xffff)
      unread = cell(stream.readUInt16LE(data), stream.readUInt16LE(data + 4), stream.readDoubleLE(data + 6));
    else if (type === 0x027e && size >= 10)
      unread = cell(
        stream.readUInt16LE(data),
        stream.readUInt16LE(data + 4),
        rkValue(stream.readUInt32LE(data + 6)),
      );
    else if (type === 0x00bd && size >= 12) {
      const r = stream.readUInt16LE(data);
      for (let k = data + 4; k + 6 <= end - 2 && !unread; k += 6)
        unread = cell(r, stream.readUInt16LE(k), rkValue(stream.readUInt32LE(k + 2)));
    } else if ((type === 0x00fd || type === 0x0204 || type === 0x00d6) && size >= 6) {
      // A text cell (LABELSST, LABEL, RSTRING) under a format writing digits: its text section may draw them
      // around the string, which is not matched to the cell here.
      const code = xfs[stream.readUInt16LE(data + 4)];
      const shown = code === undefined ? '' : excelDrawnCell(code, '', true);
      if (shown !== '') unread = 'an Excel text cell under a number format that writes digits';
    }
    if (unread) return done(unread);
  }
  return done();
}

// A FORMAT record's code: BIFF8 an XLUnicodeString (a 16-bit count, a flags byte whose bit 0 says UTF-16LE), BIFF5
// an 8-bit count and 8-bit characters.
function biffString(stream: Buffer, from: number, end: number, biff8: boolean): string | undefined {
  if (!biff8) {
    const n = stream[from] as number;
    return from + 1 + n <= end ? stream.toString('latin1', from + 1, from + 1 + n) : undefined;
  }
  if (from + 3 > end) return undefined;
  const n = stream.readUInt16LE(from);
  const wide = ((stream[from + 2] as number) & 1) === 1;
  const start = from + 3;
  const stop = Math.min(end, start + (wide ? 2 * n : n));
  return stream.toString(wide ? 'utf16le' : 'latin1', start, stop);
}

// An RK number (MS-XLS 2.5.218): bit 1 an integer in the top 30 bits, else the top 30 bits of a double; bit 0
// divides by 100.
function rkValue(rk: number): number {
  let value: number;
  if (rk & 2) value = (rk | 0) >> 2;
  else {
    const b = Buffer.alloc(8);
    b.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    value = b.readDoubleLE(0);
  }
  return rk & 1 ? value / 100 : value;
}
