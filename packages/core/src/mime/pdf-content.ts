import { isPdfSpace as isSpace } from './pdf-bytes.js';
import { textString } from './pdf-encodings.js';
import { Font, type Glyphs, latin1Glyphs } from './pdf-fonts.js';
import { IDENTITY, type Matrix, multiply, norm, type Shown, type Visibility } from './pdf-layout.js';
import { type Dict, isDict, Keyword, type Lexer, MAX_NESTING, Name, Ref, type Value } from './pdf-lexer.js';
import { PdfObjects } from './pdf-objects.js';
import { PdfProblem } from './pdf-problem.js';

// What a PDF's content streams draw, for the PDF text reader (pdf-text.ts): the text operators run with the
// graphics state that decides where text lands and whether it is seen (matrices, clips, colours, opacity,
// optional content), each piece placed on the page (pdf-layout.ts lays the pieces out).

/** The text state a content stream sets (saved and restored with the graphics state by q and Q). */
interface TextState {
  font: Font | undefined;
  size: number;
  charSpace: number;
  wordSpace: number;
  /** Horizontal scaling, 1 = 100 %. */
  scale: number;
  leading: number;
  /** Text rendering mode (Tr: 3 is invisible) and the fill colour's operator and operands. */
  render: number;
  fill: string;
  /** The current transformation (cm, a form's /Matrix) and the text rise (Ts). */
  ctm: Matrix;
  rise: number;
  /** The font, size, render mode and fill as one key, made when first needed after one of them changes. */
  style?: string | undefined;
  /** The box the clip is within, in page space (x0, y0, x1, y1); none: the page. */
  clip?: Box | undefined;
  /** Fill and stroke opacity (ExtGState /ca, /CA) and whether the fill colour space paints nothing (/None). */
  fillAlpha?: number | undefined;
  strokeAlpha?: number | undefined;
  noneColour?: boolean;
  /** The stroke colour's operator and operands (as `fill` is the fill's). */
  stroke?: string;
  /** Drawn where nobody sees it: inside optional content that is off, or in a form drawn so. */
  unseen?: boolean;
}
export type Box = readonly [number, number, number, number];
// Glyphs drawn smaller than this (in points, the matrix's larger scale times the size) are not seen.
const MIN_SEEN_SIZE = 1;
const PAINT = new Set(['n', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*']);
const START_STATE: TextState = {
  font: undefined,
  size: 0,
  charSpace: 0,
  wordSpace: 0,
  scale: 1,
  leading: 0,
  render: 0,
  fill: '',
  ctm: IDENTITY,
  rise: 0,
};
const FILL_COLOUR = new Set(['g', 'rg', 'k', 'sc', 'scn', 'cs']);
const STROKE_COLOUR = new Set(['G', 'RG', 'K', 'SC', 'SCN', 'CS']);
// White, as the colour operators write it (fill and stroke): the page's own colour.
const WHITE = new Set(['g 1', 'rg 1 1 1', 'k 0 0 0 0', 'G 1', 'RG 1 1 1', 'K 0 0 0 0']);

/** A PDF's objects (pdf-objects.ts) with its content streams interpreted, its fonts and optional content read. */
export class PdfContent extends PdfObjects {
  /** Content bytes interpreted (a form drawn on many pages counts each time). */
  interpreted = 0;
  unknownGlyphs = 0;
  private readonly fonts = new Map<Dict, Font>();
  /** The optional content groups the document's default configuration turns off (their object numbers). */
  private offGroups = new Set<number>();

  /** The groups the catalog's default optional-content configuration turns off (/BaseState, /ON, /OFF). */
  protected readOptionalContent(catalog: Dict): void {
    const oc = this.dict(catalog.get('OCProperties') ?? null);
    const config = this.dict(oc.get('D') ?? null);
    const numbers = (v: Value | undefined) =>
      (this.array(v) ?? []).filter((r): r is Ref => r instanceof Ref).map((r) => r.num);
    this.offGroups = new Set(this.nameOf(config.get('BaseState')) === 'OFF' ? numbers(oc.get('OCGs')) : []);
    for (const n of numbers(config.get('ON'))) this.offGroups.delete(n);
    for (const n of numbers(config.get('OFF'))) this.offGroups.add(n);
  }

  /** True when optional content (a group, or a membership dictionary's policy over groups) is off. */
  contentOff(v: Value | undefined): boolean {
    if (v === undefined || v === null || this.offGroups.size === 0) return false;
    const dict = this.dict(v);
    if (this.nameOf(dict.get('Type')) !== 'OCMD') return v instanceof Ref && this.offGroups.has(v.num);
    const groups = this.resolve(dict.get('OCGs') ?? null);
    const list = (Array.isArray(groups) ? groups : [dict.get('OCGs') ?? null]).filter(
      (g): g is Ref => g instanceof Ref,
    );
    if (list.length === 0) return false;
    const off = list.map((g) => this.offGroups.has(g.num));
    const policy = this.nameOf(dict.get('P')) ?? 'AnyOn';
    if (policy === 'AllOn') return off.some(Boolean);
    if (policy === 'AnyOff') return !off.some(Boolean);
    if (policy === 'AllOff') return !off.every(Boolean);
    return off.every(Boolean);
  }

  /** Runs a content stream's text operators, drawing forms it names (each at most once on the stack). */
  protected interpret(
    data: Buffer,
    resources: Dict,
    shown: Shown,
    work: { bytes: number },
    drawing: Set<number>,
    depth: number,
    ctm: Matrix = IDENTITY,
    outer: { clip?: Box | undefined; unseen?: boolean } = {},
  ): void {
    if (depth > MAX_NESTING) throw new PdfProblem(`forms nested more than ${MAX_NESTING} deep`);
    work.bytes += data.length;
    // Interpreting the same form on many pages counts each time: a work bound, not only a decoding bound.
    this.interpreted += data.length;
    if (work.bytes > this.maxBytes + 1024 * 1024)
      throw new PdfProblem(`content over ${this.maxBytes + 1024 * 1024} bytes interpreted`);
    const lexer = this.lexer(data);
    const operands: Value[] = [];
    const num = (i: number) => {
      const v = operands[operands.length - i];
      return typeof v === 'number' && Number.isFinite(v) ? v : 0;
    };
    let state: TextState = { ...START_STATE, ctm, clip: outer.clip, unseen: outer.unseen === true };
    const saved: TextState[] = [];
    let tm = IDENTITY;
    let tlm = IDENTITY;
    const moveLine = (tx: number, ty: number) => {
      tlm = [
        tlm[0],
        tlm[1],
        tlm[2],
        tlm[3],
        tx * tlm[0] + ty * tlm[2] + tlm[4],
        tx * tlm[1] + ty * tlm[3] + tlm[5],
      ];
      tm = tlm;
    };
    // Character spacing wider than half the font spreads a string's glyphs apart (one may land off the page): each
    // glyph is then placed where it is drawn. (Spacing backwards is read as a string drawn right to left.)
    const show = (bytes: Buffer) => {
      if (bytes.length > 1 && state.charSpace > 0.5 * Math.abs(state.size))
        for (let i = 0; i < bytes.length; ) {
          const n = state.font ? state.font.codeLength(bytes[i] as number) : 1;
          showRun(bytes.subarray(i, i + n));
          i += n;
        }
      else showRun(bytes);
    };
    const showRun = (bytes: Buffer) => {
      // A string spread glyph by glyph is placed many times for one value lexed: each placing is a step too.
      this.deadline.step();
      const glyphs = state.font ? state.font.decode(bytes) : latin1Glyphs(bytes);
      this.unknownGlyphs += glyphs.unknown;
      if (state.font?.vertical) return showDown(glyphs);
      // Widths are in thousandths of the em, which a Type3 font's matrix may scale.
      const advance =
        ((glyphs.width / 1000) * state.size * (state.font?.emScale ?? 1) +
          glyphs.count * state.charSpace +
          glyphs.spaces * state.wordSpace) *
        state.scale;
      // Where the text is on the page: the text matrix, raised by the rise (Ts), through the current
      // transformation (cm), so text moved by either is placed where it shows.
      const before = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const start: [number, number] = [
        state.rise * before[2] + before[4],
        state.rise * before[3] + before[5],
      ];
      // The ink ends before the spacing after the last glyph (a glyph spaced far on is drawn where it starts).
      const inked = advance - (glyphs.count > 0 ? state.charSpace * state.scale : 0);
      const ink: Matrix = [tm[0], tm[1], tm[2], tm[3], tm[4] + inked * tm[0], tm[5] + inked * tm[1]];
      tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + advance * tm[0], tm[5] + advance * tm[1]];
      const after = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const inkAfter = state.ctm === IDENTITY ? ink : multiply(ink, state.ctm);
      const end: [number, number] = [
        state.rise * inkAfter[2] + inkAfter[4],
        state.rise * inkAfter[3] + inkAfter[5],
      ];
      const em = Math.abs(state.size) * (state.font?.emScale ?? 1);
      // The ink box: the baseline an em up and a quarter down.
      const hidden = visibility(after, em, inkBox(start, end, [em * after[2], em * after[3]]));
      const style = styleNow();
      // Glyphs that advance backwards (negative widths, Tc or Tw) are drawn right to left: shown end first.
      if (advance < 0)
        shown.place([...glyphs.text].reverse().join(''), end, start, after, state.size, style, hidden);
      else shown.place(glyphs.text, start, end, after, state.size, style, hidden);
    };
    // Vertical writing (/WMode 1): each glyph moves the pen down by its w1y (spacing, as the standard says, up),
    // and is drawn centred on the pen, an em below it.
    const showDown = (glyphs: Glyphs) => {
      const ty =
        (glyphs.height / 1000) * state.size +
        glyphs.count * state.charSpace +
        glyphs.spaces * state.wordSpace;
      const before = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + ty * tm[2], tm[5] + ty * tm[3]];
      const after = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      const start: [number, number] = [before[4], before[5]];
      const end: [number, number] = [after[4], after[5]];
      const em = Math.abs(state.size);
      const [hx, hy] = [(em / 2) * after[0] * state.scale, (em / 2) * after[1] * state.scale];
      const [dx, dy] = [-em * after[2], -em * after[3]];
      const xs = [start[0] - hx, start[0] + hx, end[0] + dx - hx, end[0] + dx + hx];
      const ys = [start[1] - hy, start[1] + hy, end[1] + dy - hy, end[1] + dy + hy];
      const area: Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      // Down the column is the writing direction: the line's frame turned a quarter.
      const column: Matrix = [-after[2], -after[3], after[0], after[1], after[4], after[5]];
      const hidden = visibility(after, em, area);
      const style = styleNow();
      if (ty > 0)
        shown.place([...glyphs.text].reverse().join(''), end, start, column, state.size, style, hidden, true);
      else shown.place(glyphs.text, start, end, column, state.size, style, hidden, true);
    };
    const styleNow = () => {
      state.style ??= `${state.font?.id ?? 0}|${state.size}|${state.render}|${state.fill}`;
      return state.style;
    };
    // Unseen: invisible (Tr 3, 7; no fill or stroke seen: opacity 0, the /None colour space), squashed flat or too
    // small to see on either axis (Tz, the matrices, a Type3 font's own matrix), inside optional content that is
    // off, or with its ink box wholly clipped away or off the page.
    const visibility = (after: Matrix, em: number, inkArea: Box): Visibility => {
      const wide = em * Math.abs(state.scale) * norm(after[0], after[1]);
      const tall = em * norm(after[2], after[3]);
      const fills = state.render === 0 || state.render === 2 || state.render === 4 || state.render === 6;
      const strokes = state.render === 1 || state.render === 2 || state.render === 5 || state.render === 6;
      const paints =
        (fills && state.fillAlpha !== 0 && !state.noneColour) || (strokes && state.strokeAlpha !== 0);
      const unseen =
        state.unseen === true ||
        !paints ||
        Math.min(wide, tall) < MIN_SEEN_SIZE ||
        (state.clip !== undefined && !overlaps(inkArea, state.clip)) ||
        !shown.sees(inkArea);
      // White is unseen on a white page and seen on a dark box (backgrounds are not modelled): read both ways.
      const white = (!fills || WHITE.has(state.fill)) && (!strokes || WHITE.has(state.stroke ?? ''));
      return unseen ? 'unseen' : white ? 'white' : 'seen';
    };
    // The box around the path being built, for a clip (`W n`); marked content's unseen state, to restore at EMC.
    let path: Box | undefined;
    let clipping = false;
    const marked: boolean[] = [];
    // `BDC` with a property list written inline: its /ActualText is what copy and search give (pdftotext shows it).
    const actualText = (props: Value | undefined) => {
      const actual = isDict(props) ? this.resolve(props.get('ActualText')) : undefined;
      if (!(actual instanceof Buffer)) return;
      const at = state.ctm === IDENTITY ? tm : multiply(tm, state.ctm);
      shown.place(textString(actual), [at[4], at[5]], [at[4], at[5]], at, state.size, 'ActualText');
    };
    let imageDict = false;
    for (;;) {
      const v = lexer.value();
      if (v === undefined) break;
      if (!(v instanceof Keyword)) {
        if (operands.length < 64) operands.push(v);
        continue;
      }
      const op = v.word;
      if (op === 'Tf') {
        const name = operands[operands.length - 2];
        const fonts = this.dict(resources.get('Font'));
        const ref = name instanceof Name ? fonts.get(name.name) : undefined;
        if (ref instanceof Ref && !this.objects.has(ref.num))
          throw new PdfProblem(`a page's font is object ${ref.num}, which is not in the file`);
        state.font = name instanceof Name ? this.font(this.dict(ref)) : undefined;
        state.size = num(1);
        state.style = undefined;
      } else if (op === 'BT') tm = tlm = IDENTITY;
      else if (op === 'Tc') state.charSpace = num(1);
      else if (op === 'Tr') {
        state.render = num(1);
        state.style = undefined;
      } else if (op === 'Ts') state.rise = num(1);
      else if (op === 'cm') state.ctm = multiply([num(6), num(5), num(4), num(3), num(2), num(1)], state.ctm);
      else if (FILL_COLOUR.has(op)) {
        state.fill = `${op} ${operands.map(String).join(' ')}`;
        state.style = undefined;
        if (op === 'cs') {
          // [/Separation /None …] paints nothing (ISO 32000 §8.6.6.4).
          const name = operands[operands.length - 1];
          const space = this.resolve(
            name instanceof Name ? this.dict(resources.get('ColorSpace')).get(name.name) : null,
          );
          state.noneColour =
            Array.isArray(space) &&
            this.nameOf(space[0]) === 'Separation' &&
            this.nameOf(space[1]) === 'None';
        } else if (op !== 'sc' && op !== 'scn') state.noneColour = false;
      } else if (STROKE_COLOUR.has(op)) state.stroke = `${op} ${operands.map(String).join(' ')}`;
      else if (op === 'Tw') state.wordSpace = num(1);
      else if (op === 'Tz') state.scale = num(1) / 100;
      else if (op === 'TL') state.leading = num(1);
      else if (op === 'Td') moveLine(num(2), num(1));
      else if (op === 'TD') {
        state.leading = -num(1);
        moveLine(num(2), num(1));
      } else if (op === 'Tm') {
        tm = tlm = [num(6), num(5), num(4), num(3), num(2), num(1)];
      } else if (op === 'T*') moveLine(0, -state.leading);
      else if (op === 'Tj' || op === "'" || op === '"') {
        if (op === '"') {
          state.wordSpace = num(3);
          state.charSpace = num(2);
        }
        if (op !== 'Tj') moveLine(0, -state.leading);
        const s = operands[operands.length - 1];
        if (s instanceof Buffer) show(s);
      } else if (op === 'TJ') {
        const items = operands[operands.length - 1];
        if (Array.isArray(items))
          for (const item of items) {
            if (item instanceof Buffer) show(item);
            else if (typeof item === 'number' && Number.isFinite(item)) {
              // Down the column in vertical writing, along the line otherwise.
              const t = (-item / 1000) * state.size;
              if (state.font?.vertical)
                tm = [tm[0], tm[1], tm[2], tm[3], tm[4] + t * tm[2], tm[5] + t * tm[3]];
              else
                tm = [
                  tm[0],
                  tm[1],
                  tm[2],
                  tm[3],
                  tm[4] + t * state.scale * tm[0],
                  tm[5] + t * state.scale * tm[1],
                ];
            }
          }
      } else if (op === 'gs') {
        const name = operands[operands.length - 1];
        const gs = this.dict(
          name instanceof Name ? this.dict(resources.get('ExtGState')).get(name.name) : null,
        );
        const ca = this.real(gs.get('ca'));
        const CA = this.real(gs.get('CA'));
        if (ca !== undefined) state.fillAlpha = ca;
        if (CA !== undefined) state.strokeAlpha = CA;
      } else if (op === 'BMC' || op === 'BDC') {
        marked.push(state.unseen === true);
        if (op === 'BDC') {
          const props = operands[operands.length - 1];
          actualText(props);
          if (this.nameOf(operands[operands.length - 2]) === 'OC') {
            const group =
              props instanceof Name ? this.dict(resources.get('Properties')).get(props.name) : props;
            if (this.contentOff(group)) state.unseen = true;
          }
        }
      } else if (op === 'EMC') {
        const before = marked.pop();
        if (before !== undefined) state.unseen = before;
      } else if (op === 'q') {
        if (saved.length < 256) saved.push({ ...state });
      } else if (op === 'Q') state = saved.pop() ?? state;
      else if (op === 'Do') {
        const name = operands[operands.length - 1];
        const ref = name instanceof Name ? this.dict(resources.get('XObject')).get(name.name) : undefined;
        // A form the file does not hold (or that the scan could not find): what it draws is not known.
        if (ref instanceof Ref && !this.objects.has(ref.num))
          throw new PdfProblem(`a page draws object ${ref.num}, which is not in the file`);
        if (ref instanceof Ref && !drawing.has(ref.num)) {
          const form = this.dict(ref);
          if (this.nameOf(form.get('Subtype')) === 'Form') {
            drawing.add(ref.num);
            const own = form.get('Resources');
            const m = this.numbers(form.get('Matrix'));
            const matrix: Matrix = m.length === 6 ? (m as unknown as Matrix) : IDENTITY;
            const placed = multiply(matrix, state.ctm);
            // A form draws only inside its /BBox, and nothing while its optional content is off.
            const box = this.numbers(form.get('BBox'));
            const bounds = box.length === 4 ? boxThrough(box as unknown as Box, placed) : undefined;
            this.interpret(
              this.stream(ref.num),
              own ? this.dict(own) : resources,
              shown,
              work,
              drawing,
              depth + 1,
              placed,
              {
                clip: bounds ? intersect(state.clip, bounds) : state.clip,
                unseen: state.unseen === true || this.contentOff(form.get('OC')),
              },
            );
            drawing.delete(ref.num);
          }
        }
      } else if (op === 're') {
        const [x, y, w, h] = [num(4), num(3), num(2), num(1)];
        const r: Box = [Math.min(x, x + w), Math.min(y, y + h), Math.max(x, x + w), Math.max(y, y + h)];
        path = union(path, boxThrough(r, state.ctm));
      } else if (op === 'm' || op === 'l')
        path = union(path, boxThrough([num(2), num(1), num(2), num(1)], state.ctm));
      else if (op === 'c' || op === 'v' || op === 'y') {
        // Control points included: the curve lies within them.
        for (let k = op === 'c' ? 6 : 4; k >= 2; k -= 2)
          path = union(path, boxThrough([num(k), num(k - 1), num(k), num(k - 1)], state.ctm));
      } else if (op === 'W' || op === 'W*') clipping = true;
      else if (PAINT.has(op)) {
        // A clip narrows what is seen to within its path's box (any shape: the box holds it).
        if (clipping && path) state.clip = intersect(state.clip, path);
        path = undefined;
        clipping = false;
      }
      // Image data follows `ID` only in an inline image (`BI` … `ID`): a stray `ID` is an unknown operator.
      else if (op === 'ID' && imageDict) skipInlineImage(lexer);
      imageDict = op === 'BI';
      operands.length = 0;
    }
  }

  private font(dict: Dict): Font | undefined {
    if (dict.size === 0) return undefined;
    let font = this.fonts.get(dict);
    if (!font) {
      font = new Font(dict, this);
      this.fonts.set(dict, font);
    }
    return font;
  }
}

/** The smallest upright box around `box`'s corners through `m`. */
export function boxThrough(box: Box, m: Matrix): Box {
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x, y]) => [
    (x as number) * m[0] + (y as number) * m[2] + m[4],
    (x as number) * m[1] + (y as number) * m[3] + m[5],
  ]);
  const xs = corners.map((c) => c[0] as number);
  const ys = corners.map((c) => c[1] as number);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function union(a: Box | undefined, b: Box): Box {
  return a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b;
}

export function intersect(a: Box | undefined, b: Box): Box {
  return a ? [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])] : b;
}

function overlaps(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The box a run of glyphs inks: its baseline from start to end, an em up and a quarter em down. */
function inkBox(start: [number, number], end: [number, number], up: [number, number]): Box {
  // The baseline's ends moved an em up (ux, uy) and a quarter down: the box's corners are among these extremes.
  const [ux, uy] = up;
  return [
    Math.min(start[0], end[0]) + Math.min(0, ux, -0.25 * ux),
    Math.min(start[1], end[1]) + Math.min(0, uy, -0.25 * uy),
    Math.max(start[0], end[0]) + Math.max(0, ux, -0.25 * ux),
    Math.max(start[1], end[1]) + Math.max(0, uy, -0.25 * uy),
  ];
}

// After `ID`, an inline image's data runs to the first `EI` followed by white space (or the end) and then by
// text-like bytes, as pdf.js finds it: the byte before it may be anything (`\x80EI`), so no content after a
// short image is skipped.
function skipInlineImage(lexer: Lexer): void {
  const b = lexer.b;
  let i = lexer.pos + 1;
  for (;;) {
    const at = b.indexOf('EI', i, 'latin1');
    if (at < 0 || at >= lexer.end) {
      lexer.pos = lexer.end;
      return;
    }
    const after = b[at + 2];
    if (after === undefined || at + 2 >= lexer.end || (isSpace(after) && textLike(b, at + 3, lexer.end))) {
      lexer.pos = at + 2;
      return;
    }
    i = at + 2;
  }
}

// The 10 bytes after an inline image's `EI`: content (printable ASCII and line breaks), not image data.
function textLike(b: Buffer, from: number, end: number): boolean {
  for (let k = from; k < Math.min(end, from + 10); k++) {
    const c = b[k] as number;
    if (c !== 0x0a && c !== 0x0d && (c < 0x20 || c > 0x7f)) return false;
  }
  return true;
}
