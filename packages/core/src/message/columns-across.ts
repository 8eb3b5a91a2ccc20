import { lengthPx } from './css-values.js';

// Columns of digits set side by side read across as rows (attacker round 112). A table row whose cells each hold a
// column of digits (`<td>4<br>1<br>0<br>6</td><td>5<br>4<br>3<br>4</td>…`), flex items, a grid's tracks, inline
// blocks and a multi-column box show a grid whose rows a reader reads across (`4539 1488 0343 6467`), while the
// shown readings read each column whole before the next. These are the rows, from the boxes' shown lines, read
// only where two boxes side by side each hold two lines or more with a digit: one more text for the detectors.

/**
 * Past this many characters of boxes' lines cut for reading across, a page is undecided (layout tables nested many
 * deep, each cell holding the rest of the page, are cut once a level).
 *
 * @example
 * ```ts
 * htmlShownTexts(deeplyNestedLayoutTables).undecided; // 'over 4194304 characters of boxes side by side to read across'
 * ```
 */
export const MAX_ACROSS_CHARS = 1 << 22;

// A line of more letters and digits than this is prose, not a line of a column of figures (what else it holds,
// white space, marks, zero-width characters, punctuation, is not counted: padding does not make a line prose).
const MAX_LINE = 64;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;
const DIGIT = /\p{Nd}/u;

/**
 * The lines of `text.slice(start, end)` cut at `breaks` (ascending offsets into `text`, where a line break, a
 * block's start or end, is drawn): each with its white space collapsed and trimmed, blank ones left out (a block
 * inside a block starts no empty line). A binary search finds the first break: O(log b + the lines' length).
 *
 * @example
 * ```ts
 * linesBetween('x 4 1 0 6', [3, 5, 7], 2, 9); // ['4', '1', '0', '6']
 * ```
 */
export function linesBetween(text: string, breaks: readonly number[], start: number, end: number): string[] {
  let low = 0;
  let high = breaks.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((breaks[mid] as number) <= start) low = mid + 1;
    else high = mid;
  }
  const lines: string[] = [];
  let from = start;
  for (let i = low; i <= breaks.length; i++) {
    const to = i < breaks.length ? Math.min(breaks[i] as number, end) : end;
    const line = text.slice(from, to).replace(/\s+/g, ' ').trim();
    if (line) lines.push(line);
    if (to >= end) break;
    from = to;
  }
  return lines;
}

/**
 * A run of lines set in columns of `perColumn` lines each (a multi-column box balances its lines over its columns;
 * a grid flowing by column fills each column's rows before the next).
 *
 * @example
 * ```ts
 * inColumns(['4', '1', '5', '4'], 2); // [['4', '1'], ['5', '4']]
 * ```
 */
export function inColumns(lines: readonly string[], perColumn: number): string[][] {
  const columns: string[][] = [];
  const step = Math.max(1, Math.floor(perColumn));
  for (let i = 0; i < lines.length; i += step) columns.push(lines.slice(i, i + step));
  return columns;
}

/**
 * The rows a reader reads across `columns` (boxes side by side, each its lines top to bottom): row `i` is line `i`
 * of every column, left to right, joined by a space (as the cells of a one-line table row are read: `453` beside `9`
 * is two groups); rows joined by a line break. Columns of different heights are read aligned
 * at the top, at the bottom (inline blocks sit on their last line, `valign=bottom`) and in the middle (a table
 * cell's default): each different reading once. Empty when fewer than two columns are columns of figures (two
 * lines or more, each of at most 64 letters and digits, holding a digit): prose and one-line cells (a calendar's days) are
 * not read again. Linear in the columns' lines.
 *
 * @example
 * ```ts
 * acrossRows([['4', '1', '0', '6'], ['5', '4', '3', '4'], ['3', '8', '4', '6'], ['9', '8', '3', '7']]);
 * // ['4 5 3 9\n1 4 8 8\n0 3 4 3\n6 4 6 7']
 * ```
 */
export function acrossRows(columns: readonly (readonly string[])[]): string[] {
  let figures = 0;
  let height = 0;
  for (const lines of columns) {
    const short = (l: string) => l.length <= MAX_LINE || (l.match(LETTER_OR_DIGIT)?.length ?? 0) <= MAX_LINE;
    if (lines.filter((l) => DIGIT.test(l) && short(l)).length >= 2) figures++;
    height = Math.max(height, lines.length);
  }
  if (figures < 2) return [];
  const readings = new Set<string>();
  for (const align of ['top', 'bottom', 'middle'] as const) {
    const rows: string[] = [];
    for (let i = 0; i < height; i++) {
      const pieces: string[] = [];
      for (const lines of columns) {
        const shift =
          align === 'top'
            ? 0
            : align === 'bottom'
              ? height - lines.length
              : Math.floor((height - lines.length) / 2);
        const line = lines[i - shift];
        if (line !== undefined) pieces.push(line);
      }
      rows.push(pieces.join(' '));
    }
    readings.add(rows.join('\n'));
  }
  return [...readings];
}

/**
 * How a container sets its content side by side ({@link acrossLayout}).
 *
 * @example
 * ```ts
 * const row: AcrossLayout = { kind: 'cells' }; // a table row
 * const flowed: AcrossLayout = { kind: 'lines', columns: 4 }; // `column-count: 4`
 * ```
 */
export type AcrossLayout =
  /** Its children are boxes side by side: a table row's cells, a flex row's items, a grid's items `perRow` a row. */
  | { kind: 'cells'; perRow?: number }
  /** Its lines flow into columns: `columns` of them balanced (multi-column), or `perColumn` lines each (a grid). */
  | { kind: 'lines'; columns?: number; perColumn?: number };

// At most this many columns or tracks are counted (a larger count is read as this).
const MAX_TRACKS = 1000;

/**
 * How an element (`tag`, an HTML element's name, and its computed style `get`) sets its content side by side, or
 * undefined: a table row (`<tr>`, `display: table-row`) and a flex row (`display: flex`, not a column) hold cells; a
 * grid holds cells in rows of its `grid-template-columns` tracks, or, flowing by column
 * (`grid-auto-flow: column`), fills its `grid-template-rows` tracks column by column; a multi-column box
 * (`column-count`, `columns` with a count) flows its lines into columns; one given only a column width, as many as
 * its own `width` (a length, `fontPx` the size of its `em`) holds. Where the width is not its own (a percentage, a
 * parent's), and a grid of tracks `auto-fill` repeats, the columns depend on layout: not laid out (undefined).
 *
 * @example
 * ```ts
 * const grid: Record<string, string> = {
 *   display: 'grid',
 *   'grid-auto-flow': 'column',
 *   'grid-template-rows': 'repeat(4, 1em)',
 * };
 * acrossLayout('div', (p) => grid[p]); // { kind: 'lines', perColumn: 4 }
 * acrossLayout('tr', () => undefined); // { kind: 'cells' }
 * ```
 */
export function acrossLayout(
  tag: string | undefined,
  get: (property: string) => string | undefined,
  fontPx = 16,
): AcrossLayout | undefined {
  const display = (get('display') ?? '').toLowerCase();
  if ((tag === 'tr' && display === '') || /(?:^|\s)table-row\b/.test(display)) return { kind: 'cells' };
  if (/(?:^|[\s-])flex\b/.test(display)) {
    const direction = `${get('flex-direction') ?? ''} ${get('flex-flow') ?? ''}`.toLowerCase();
    return /column/.test(direction) ? undefined : { kind: 'cells' };
  }
  if (/(?:^|[\s-])grid\b/.test(display)) {
    if (/column/i.test(get('grid-auto-flow') ?? '')) {
      const rows = trackCount(get('grid-template-rows'));
      return rows !== undefined && rows >= 2 ? { kind: 'lines', perColumn: rows } : undefined;
    }
    const columns = trackCount(get('grid-template-columns'));
    return columns !== undefined && columns >= 2 ? { kind: 'cells', perRow: columns } : undefined;
  }
  const columns = get('columns') ?? '';
  const count =
    /^\s*(\d{1,6})\s*$/.exec(get('column-count') ?? '')?.[1] ??
    /(?:^|\s)(\d{1,6})(?=\s|$)/.exec(columns)?.[1] ??
    columnsByWidth(get, columns, fontPx);
  if (count !== undefined && Number(count) >= 2)
    return { kind: 'lines', columns: Math.min(Number(count), MAX_TRACKS) };
  return undefined;
}

// The columns a box given only a column width draws where its own width is a length (`column-width: 1em` in a box
// `width: 4em`, `column-gap: 0`): as many as fit, `(width + gap) / (column width + gap)` (a gap is `1em` unless set).
function columnsByWidth(
  get: (property: string) => string | undefined,
  columns: string,
  fontPx: number,
): number | undefined {
  const ctx = { fontPx, percentOf: Number.NaN };
  const px = (value: string | undefined) => {
    const n = value === undefined ? undefined : lengthPx(value, ctx);
    return n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  const column =
    px(get('column-width')) ??
    px(
      columns
        .trim()
        .split(/\s+/)
        .find((v) => /[a-z]$/i.test(v)),
    );
  const width = px(get('width')) ?? px(get('max-width')) ?? px(get('inline-size'));
  if (column === undefined || width === undefined) return undefined;
  const gapValue = get('column-gap') ?? get('gap');
  const gap = gapValue === undefined || /^\s*normal\s*$/.test(gapValue) ? fontPx : (px(gapValue) ?? fontPx);
  return Math.max(1, Math.floor((width + gap) / Math.max(column + gap, 1)));
}

// The number of tracks a grid template lists (`1em 1em 1em`, `repeat(4, 1fr)`, `[a] 1fr [b] minmax(0, 1fr)`);
// undefined for `auto-fill`, `auto-fit`, `subgrid`, `masonry` or none.
function trackCount(template: string | undefined): number | undefined {
  if (template === undefined || /auto-fi|subgrid|masonry|none/i.test(template)) return undefined;
  let count = 0;
  const rest = template
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/repeat\(\s*(\d{1,6})\s*,((?:[^()]|\([^()]*\))*)\)/gi, (_, times: string, tracks: string) => {
      count += Number(times) * tokens(tracks);
      return ' ';
    });
  if (/\(/.test(rest.replace(/[\w-]+\([^()]*\)/g, ''))) return undefined;
  return Math.min(count + tokens(rest), MAX_TRACKS);
}

// Tokens separated by white space outside parentheses (`minmax(0, 1fr) 2em` is two).
function tokens(text: string): number {
  let count = 0;
  let depth = 0;
  let inToken = false;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    const space = depth === 0 && /\s/.test(c);
    if (!space && !inToken) count++;
    inToken = !space;
  }
  return count;
}
