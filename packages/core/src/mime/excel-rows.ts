import { decodeXml, sharedStrings, tagsDropped } from './excel-formats.js';

// An .xlsx sheet keeps a text cell's text in the workbook's shared strings (`xl/sharedStrings.xml`), in the order the
// workbook first met each string, and only the string's index in the cell (`<c t="s"><v>2</v></c>`). Each part is read
// as a page of its own, so a row whose cells are text, or text beside numbers, was never read as Excel shows it: a card
// in four cells `4539` `1488` `0343` `6467` (the third a text, for its leading zero) read `4539 1488 6467` in the sheet
// and `0343` alone in the strings (attacker round 120). Here each row is read as shown: its cells in column order,
// each as its text (a shared string looked up, an inline string, a formula's text, a number as stored), joined as a
// table's cells, rows kept apart; and once more without what Excel does not show (a hidden column or row, a cell
// formatted `;;;`, a cell in a white font).

// Cells joined as a table's: the card scan reads groups across cells in a card's own layout only (`4539 | 1488 | 0343
// | 6467`), as round 71's bars, not a phone number's digits beside an extension's (`+49 30 7046 6376 | 7287`).
const CELL_JOIN = ' | ';
// Rows kept apart (a semicolon line between them joins no digit groups, as a CSV's does not): a row's last figures
// and the next row's first are not one number.
const ROW_APART = '\n;\n';
/** Characters of a cell's text read in its row: a longer text keeps its first and last halves of this, apart. */
const CELL_CHARS = 64;
const HALF = CELL_CHARS / 2;
// Excel's last column is XFD (16,384).
const MAX_COLUMN = 16_384;
// A cell's, a row's and a column's start tag, any prefix.
const TAGS = /<(?:[\w.-]{1,64}:)?(c|row|col)(?=[\s/>])([^>]{0,8000})>/g;
const CLOSE = /<\/(?:[\w.-]{1,64}:)?c>/g;
const NEXT = /<(?:[\w.-]{1,64}:)?(?:c|row)(?=[\s/>])/g;
const VALUE = /<(?:[\w.-]{1,64}:)?v\b[^>]{0,1000}>([^<]*)/;
const REF = /(?:^|\s)r\s*=\s*["']\s*([A-Za-z]{1,3})/;
const TYPE = /(?:^|\s)t\s*=\s*["']\s*([\w]{1,16})/;
const STYLE = /(?:^|\s)s\s*=\s*["']\s*(\d{1,9})/;
const HIDDEN = /(?:^|\s)hidden\s*=\s*["']\s*(?:1|true)\b/i;
const ZERO_WIDTH = /(?:^|\s)width\s*=\s*["']\s*0*(?:\.0*)?\s*["']/;
const MIN = /(?:^|\s)min\s*=\s*["']\s*(\d{1,9})/;
const MAX = /(?:^|\s)max\s*=\s*["']\s*(\d{1,9})/;

/** The rows of an .xlsx workbook's sheets as Excel shows them: {@link excelRowTexts}'s result. */
export interface ExcelRows {
  /** Every cell's text, one line a row (rows kept apart by a semicolon line), sheets likewise. */
  all: string;
  /** The same without hidden columns and rows, cells formatted `;;;` and cells in a white font, when that differs. */
  shown?: string;
}

/**
 * The rows of an .xlsx workbook's sheets as Excel shows them, given the sheets' XML, its shared strings part and
 * its `xl/styles.xml` (or `''`): each row's cells in column order, joined by ` | `, each as its text (a shared string
 * looked up, an inline string, a number or formula result as stored); a cell's text of more than 64 characters keeps
 * its first and last 32. One pass over each sheet (one sort of a row whose cells are written out of column order),
 * so linear in the parts; the text is at most a few times the sheets' size.
 *
 * @example
 * ```ts
 * const sheet = '<row r="1"><c r="A1"><v>4539</v></c><c r="B1" t="s"><v>0</v></c></row>';
 * excelRowTexts([sheet], '<sst><si><t>1488</t></si></sst>', ''); // { all: '4539 | 1488\n;\n' }
 * ```
 */
export function excelRowTexts(sheets: readonly string[], shared: string, styles: string): ExcelRows {
  let strings: string[] | undefined;
  const blank = blankFormats(styles);
  const all: string[] = [];
  const shown: string[] = [];
  let differs = false;
  for (const sheet of sheets) {
    // Hidden columns, as a difference array over Excel's columns (one prefix sum: linear in `<col>`s plus 16,384).
    const marks = new Int32Array(MAX_COLUMN + 2);
    let anyHidden = false;
    let row: { col: number; text: string; hidden: boolean }[] = [];
    let rowHidden = false;
    let hiddenCols: Uint8Array | undefined;
    const flush = () => {
      if (row.length === 0) return;
      if (row.some((c, i) => i > 0 && c.col < (row[i - 1]?.col ?? 0))) row.sort((a, b) => a.col - b.col);
      all.push(row.map((c) => c.text).join(CELL_JOIN));
      const kept = rowHidden ? [] : row.filter((c) => !c.hidden && !hiddenCols?.[c.col]);
      if (kept.length !== row.length) differs = true;
      if (kept.length > 0) shown.push(kept.map((c) => c.text).join(CELL_JOIN));
      row = [];
    };
    let close = -1;
    let next = -1;
    let col = 0;
    for (const m of sheet.matchAll(TAGS)) {
      const kind = m[1];
      const attributes = m[2] ?? '';
      if (kind === 'col') {
        if (HIDDEN.test(attributes) || ZERO_WIDTH.test(attributes)) {
          const min = Math.min(Math.max(Number(MIN.exec(attributes)?.[1] ?? 1), 1), MAX_COLUMN);
          const max = Math.min(Math.max(Number(MAX.exec(attributes)?.[1] ?? min), min), MAX_COLUMN);
          marks[min] = (marks[min] ?? 0) + 1;
          marks[max + 1] = (marks[max + 1] ?? 0) - 1;
          anyHidden = true;
        }
        continue;
      }
      if (kind === 'row') {
        flush();
        if (anyHidden && hiddenCols === undefined) hiddenCols = prefixSums(marks);
        rowHidden = HIDDEN.test(attributes);
        col = 0;
        continue;
      }
      const ref = REF.exec(attributes)?.[1];
      col = ref ? columnNumber(ref) : col + 1;
      if (attributes.endsWith('/')) continue;
      const from = (m.index ?? 0) + m[0].length;
      if (close !== sheet.length && close < from) {
        CLOSE.lastIndex = from;
        close = CLOSE.exec(sheet)?.index ?? sheet.length;
      }
      if (next !== sheet.length && next < from) {
        NEXT.lastIndex = from;
        next = NEXT.exec(sheet)?.index ?? sheet.length;
      }
      const inner = sheet.slice(from, Math.min(close, next));
      const type = TYPE.exec(attributes)?.[1] ?? 'n';
      const raw = decodeXml(VALUE.exec(inner)?.[1] ?? '');
      let text: string;
      if (type === 's') {
        strings ??= sharedStrings(shared);
        text = strings[Number(raw.trim())] ?? '';
      } else if (type === 'inlineStr') text = tagsDropped(inner);
      else if (type === 'b') text = raw.trim() === '1' ? 'TRUE' : raw.trim() === '0' ? 'FALSE' : raw;
      else text = raw;
      if (text.trim() === '') continue;
      if (text.length > CELL_CHARS) text = `${text.slice(0, HALF)} \u00b6 ${text.slice(-HALF)}`;
      const style = Number(STYLE.exec(attributes)?.[1] ?? 0);
      const format = blank.get(style);
      const isText = type === 's' || type === 'inlineStr' || type === 'str';
      const hidden = format === 'all' || (format === 'numbers' && !isText);
      row.push({ col, text, hidden });
    }
    if (anyHidden && hiddenCols === undefined) hiddenCols = prefixSums(marks);
    flush();
    all.push('');
    shown.push('');
  }
  const out: ExcelRows = { all: all.join(ROW_APART) };
  if (differs) out.shown = shown.join(ROW_APART);
  return out;
}

// Column letters (`A`, `AB`, `XFD`) as a number from 1.
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return Math.min(n, MAX_COLUMN);
}

function prefixSums(marks: Int32Array): Uint8Array {
  const hidden = new Uint8Array(marks.length);
  let depth = 0;
  for (let i = 0; i < marks.length; i++) {
    depth += marks[i] ?? 0;
    hidden[i] = depth > 0 ? 1 : 0;
  }
  return hidden;
}

/**
 * The cell formats (`cellXfs`, by index) that show nothing: a number format `;;;` hides every value (`'all'`), `;;`
 * numbers only (`'numbers'`: a text shows through its missing fourth section); a white font (`rgb` FFFFFF, or theme
 * colour 0, the background's) hides every value on the sheet's white, and is left out of the shown reading whatever
 * the cell's fill (the full reading keeps it).
 */
function blankFormats(styles: string): Map<number, 'all' | 'numbers'> {
  const out = new Map<number, 'all' | 'numbers'>();
  if (!styles.includes('cellXfs')) return out;
  const codes = new Map<string, 'all' | 'numbers'>();
  if (styles.includes(';;'))
    for (const m of styles.matchAll(/<(?:[\w.-]{1,64}:)?numFmt\b([^>]{0,8000})>/g)) {
      const id = /(?:^|\s)numFmtId\s*=\s*["']\s*(\d{1,9})/.exec(m[1] ?? '')?.[1];
      const code = /(?:^|\s)formatCode\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(m[1] ?? '');
      const text = decodeXml(code?.[1] ?? code?.[2] ?? '').replace(/\s/g, '');
      if (id === undefined || !/^;{2,}$/.test(text)) continue;
      codes.set(id, text.length >= 3 ? 'all' : 'numbers');
    }
  const white = whiteFonts(styles);
  if (codes.size === 0 && white.size === 0) return out;
  const cellXfs = section(styles, 'cellXfs');
  let index = 0;
  for (const m of cellXfs.matchAll(/<(?:[\w.-]{1,64}:)?xf\b([^>]{0,8000})>/g)) {
    const attributes = m[1] ?? '';
    const id = /(?:^|\s)numFmtId\s*=\s*["']\s*(\d{1,9})/.exec(attributes)?.[1] ?? '0';
    const font = Number(/(?:^|\s)fontId\s*=\s*["']\s*(\d{1,9})/.exec(attributes)?.[1] ?? 0);
    const blank = white.has(font) ? 'all' : codes.get(id);
    if (blank !== undefined) out.set(index, blank);
    index++;
  }
  return out;
}

// The fonts (`<fonts>`, by index) whose colour is white: each font's first `<color>` before the next font tag, the
// font tags and colours each found once and walked together (linear).
function whiteFonts(styles: string): Set<number> {
  const out = new Set<number>();
  const fonts = section(styles, 'fonts');
  if (fonts === '') return out;
  const tags = [...fonts.matchAll(/<(\/?)(?:[\w.-]{1,64}:)?font\b[^>]{0,8000}>/g)];
  const colors = [...fonts.matchAll(/<(?:[\w.-]{1,64}:)?color\b([^>]{0,8000})>/g)];
  let c = 0;
  let index = 0;
  for (const [i, tag] of tags.entries()) {
    if (tag[1] === '/') continue;
    const from = (tag.index ?? 0) + tag[0].length;
    const to = tags[i + 1]?.index ?? fonts.length;
    while (c < colors.length && (colors[c]?.index ?? 0) < from) c++;
    const color = (colors[c]?.index ?? fonts.length) < to ? colors[c]?.[1] : undefined;
    if (color && WHITE.test(color)) out.add(index);
    index++;
  }
  return out;
}
const WHITE = /(?:^|\s)(?:rgb\s*=\s*["']\s*(?:[0-9a-f]{2})?ffffff\b|theme\s*=\s*["']\s*0\s*["'])/i;

// The content of a styles part's first element so named (`cellXfs`, `fonts`), or ''.
function section(styles: string, local: string): string {
  const open = new RegExp(`<(?:[\\w.-]{1,64}:)?${local}\\b`).exec(styles);
  if (!open) return '';
  const end = new RegExp(`<\\/(?:[\\w.-]{1,64}:)?${local}>`, 'g');
  end.lastIndex = open.index;
  return styles.slice(open.index, end.exec(styles)?.index ?? styles.length);
}
