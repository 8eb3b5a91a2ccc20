import { PdfProblem } from './pdf-problem.js';

// Where a PDF's text is drawn, and the text as a reader sees it: drawing order, and lines top to bottom with
// pieces left to right where that differs (pdf-text.ts places each piece its content streams show).

/** Most pieces of text placed apart in one PDF (each is kept to lay its page out as shown). */
export const MAX_PDF_PIECES = 500_000;

/** How a piece is seen: `white` is seen on a dark background only, `unseen` nowhere. */
export type Visibility = 'seen' | 'white' | 'unseen';
// A gap wider than this (in em) is a column's, not a word's: a line with one is a table's row. Its cells stay one
// space apart (a card written in four boxes, or a comb field, is one number a viewer shows), but a number does
// not run on from one row into the next: rows break with seven spaces before the line feed, more separators than
// the card finder bridges (an invoice register's last cell and the next row's first are not one number).
const WIDE_GAP = 2;
const ROW_BREAK = '       \n';

export type Matrix = readonly [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `a` then `b`, as PDF composes matrices (row vectors: a point times a, then times b). */
export function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}

// A vector's length (Math.hypot guards against overflow, which a text matrix's scale never nears, at many times the cost).
export function norm(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

/**
 * The text shown so far, laid out by where each piece is drawn: a line break where it moves across the line,
 * a space where it leaves a gap or goes back along it, joined where it follows on. Pieces drawn apart (table
 * cells, a digit placed away from a number) are not glued into one word, nor a word drawn glyph by glyph split.
 */
export class Shown {
  private readonly parts: string[] = [];
  private end: [number, number] | undefined;
  private style = '';
  /** True once the line being drawn has a column gap: a table's row, which a number does not wrap out of. */
  private wideLine = false;
  /** Each run of joined pieces where it is drawn on the page (along: x, across: y). */
  private readonly placed: {
    text: string;
    along: number;
    across: number;
    to: number;
    em: number;
    style: string;
    hidden: Visibility;
    /** Written down a column (along: down the page, across: x), laid out in columns right to left. */
    vertical: boolean;
  }[] = [];

  /**
   * `pieces`: how many more separate pieces the document may place (shared by all its pages and forms); `box`:
   * the page's (x0, y0, x1, y1), outside which a piece is not seen.
   */
  constructor(
    private readonly pieces: { left: number },
    private readonly box?: readonly [number, number, number, number],
  ) {}

  /**
   * A piece of text drawn from `start` to `end` with the matrix `tm` (text matrix times the current
   * transformation) and font size `size`; `style` (font, render mode, fill colour) changing between two pieces
   * separates them as a gap does: a digit drawn invisible, in another colour or font, is not glued to its neighbour.
   * `hidden`: drawn where nobody sees it (invisible, clipped away, off the page, squashed to nothing, too small).
   * The page is also read without its hidden pieces. `vertical`: written top to bottom, `tm` turned to run down
   * the column.
   */
  place(
    text: string,
    start: [number, number],
    end: [number, number],
    tm: Matrix,
    size: number,
    style: string,
    hidden: Visibility = 'seen',
    vertical = false,
  ): void {
    const em = Math.abs(size) || 1;
    let joined = false;
    if (this.end && this.parts.length > 0) {
      // Along and across the line's direction, in em of this font (the matrix's scale in each direction).
      const along = norm(tm[0], tm[1]) || 1;
      const across = norm(tm[2], tm[3]) || 1;
      const dx = start[0] - this.end[0];
      const dy = start[1] - this.end[1];
      const forward = (dx * tm[0] + dy * tm[1]) / along / along / em;
      const sideways = (dy * tm[3] + dx * tm[2]) / across / across / em;
      if (Math.abs(sideways) > 0.5) {
        this.parts.push(this.wideLine ? ROW_BREAK : '\n');
        this.wideLine = false;
      } else if (forward > WIDE_GAP) {
        this.parts.push(' ');
        this.wideLine = true;
      } else if (forward > 0.2 || forward < -0.3 || (style !== this.style && text !== ''))
        this.parts.push(' ');
      else joined = true;
    }
    if (text !== '' || this.end) this.end = end;
    if (text === '') return;
    this.style = style;
    this.parts.push(text);
    const scale = norm(tm[0], tm[1]) || 1;
    // The page's own frame, x along and y across (down and x for a column): not the first piece's, which a
    // rotated or zero-scale decoy drawn first would set.
    const [ux, uy] = vertical ? [0, -1] : [1, 0];
    const last = this.placed.at(-1);
    const unseen = hidden;
    if (joined && last && last.hidden === unseen && last.vertical === vertical) {
      last.text += text;
      last.to = end[0] * ux + end[1] * uy;
      return;
    }
    if (--this.pieces.left < 0)
      throw new PdfProblem(`more than ${MAX_PDF_PIECES} pieces of text placed apart`);
    this.placed.push({
      text,
      along: start[0] * ux + start[1] * uy,
      across: -start[0] * uy + start[1] * ux,
      to: end[0] * ux + end[1] * uy,
      em: em * scale,
      style,
      hidden: unseen,
      vertical,
    });
  }

  /** Whether ink in `area` (x0, y0, x1, y1) is on the page: its box (when known) and the area overlap. */
  sees(area: readonly [number, number, number, number]): boolean {
    const box = this.box;
    return (
      box === undefined || (area[0] <= box[2] && box[0] <= area[2] && area[1] <= box[3] && box[1] <= area[3])
    );
  }

  /**
   * The text in drawing order and, where that differs, as the page shows it: lines top to bottom, pieces left to
   * right (a number drawn end first, a line left for a footer and come back to, read as one).
   */
  text(): string {
    const drawn = this.parts.join('');
    if (this.placed.length < 2) return drawn;
    const same = (t: string) => t.replace(/\s+/g, ' ').trim();
    const asShown = this.layout(this.placed);
    const readings = [drawn];
    if (same(asShown) !== same(drawn)) readings.push(asShown);
    // Without what is drawn unseen: a hidden digit between two groups does not break the number a reader sees.
    // White is left out, and, where there is white, also kept (a white number on a dark box is seen).
    const add = (pieces: Shown['placed']) => {
      const seen = this.layout(pieces);
      if (readings.every((r) => same(r) !== same(seen))) readings.push(seen);
    };
    if (this.placed.some((p) => p.hidden !== 'seen')) {
      add(this.placed.filter((p) => p.hidden === 'seen'));
      if (this.placed.some((p) => p.hidden === 'white'))
        add(this.placed.filter((p) => p.hidden !== 'unseen'));
    }
    // Readings apart, as rows are: the end of one reading and the start of the next are not one number, nor one
    // stretch of fours (which would hide a card among them).
    return readings.join(ROW_BREAK);
  }

  // Lines top to bottom (a new line where a piece sits over half an em off the line), pieces left to right; then
  // the columns of vertical writing, right to left, pieces top to bottom.
  private layout(placed: Shown['placed']): string {
    const down = placed.filter((p) => p.vertical);
    if (down.length === 0) return this.lines(placed);
    const across = placed.filter((p) => !p.vertical);
    return across.length === 0 ? this.lines(down) : `${this.lines(across)}${ROW_BREAK}${this.lines(down)}`;
  }

  private lines(placed: Shown['placed']): string {
    const byHeight = [...placed].sort((p, q) => q.across - p.across);
    const lines: (typeof byHeight)[] = [];
    for (const p of byHeight) {
      const line = lines.at(-1);
      if (line && Math.abs((line[0] as (typeof byHeight)[number]).across - p.across) <= 0.5 * p.em)
        line.push(p);
      else lines.push([p]);
    }
    const wide: boolean[] = [];
    const shown = lines.map((line) => {
      let text = '';
      let end = Number.NEGATIVE_INFINITY;
      let style: string | undefined;
      let columns = false;
      for (const p of line.sort((x, y) => x.along - y.along)) {
        const gap = p.along - end;
        const apart = gap > 0.2 * p.em || p.along < end - 0.3 * p.em || p.style !== style;
        if (text !== '' && gap > WIDE_GAP * p.em) columns = true;
        if (text !== '' && apart) text += ' ';
        text += p.text;
        end = Math.max(end, p.to);
        style = p.style;
      }
      wide.push(columns);
      return text;
    });
    // Lines of a table (either with a column gap) are rows: the break between them is not a wrapped number's.
    return shown
      .map((line, i) => (i === 0 ? line : `${wide[i - 1] || wide[i] ? ROW_BREAK : '\n'}${line}`))
      .join('');
  }
}
