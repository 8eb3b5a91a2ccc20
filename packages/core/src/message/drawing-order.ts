import { xmlShownText } from './xml-shown.js';

// A slide's shapes (`<p:sp>`) and a Word document's floating drawings (`<wp:anchor>`, a text box's `<wps:wsp>`) are
// drawn where their positions put them, not in the order the XML writes them: four text boxes written `1488`,
// `6467`, `4539`, `0343` and placed at 1, 3, 0 and 2 inches show the card `4539 1488 0343 6467` (attacker round 120).
// The XML part is read as written; here the boxes holding a digit are also read as drawn: each box's centre is taken
// through its groups' transforms (offset, scale from the child frame, flips, rotation), boxes whose centres lie within
// half a box's height of a line's first are one line, read left to right, lines top to bottom, each box's text as
// shown (xml-shown.ts), joined as a table's cells (a bar: a card's own layout reads across them, a phone number beside
// a figure does not), lines kept apart. OpenDocument frames likewise, by `svg:x` and `svg:y`.

const TAGS =
  /<(\/?)(?:[\w.-]{1,64}:)?(sp|wsp|grpSp|wgp|anchor|xfrm|off|ext|chOff|chExt|positionH|positionV|posOffset|align|extent|p)(?=[\s/>])([^>]{0,8000})>/g;
const MAX_DEPTH = 32;
// Boxes with a digit read at most, and groups nested at most: a part with more is not read (not known as drawn).
const MAX_BOXES = 20_000;
const DIGIT = /\p{Nd}/u;

interface Frame {
  kind: 'shape' | 'group' | 'anchor';
  start: number;
  x: number;
  y: number;
  cx: number;
  cy: number;
  chx: number;
  chy: number;
  chcx: number;
  chcy: number;
  flipH: boolean;
  flipV: boolean;
  rot: number;
  // Which of the frame's transform fields are set (the first `xfrm` met in it is its own).
  xfrm: 'none' | 'open' | 'done';
  // Inside a shape: its text is that shape's.
  inShape: boolean;
}

interface Box {
  x: number;
  y: number;
  h: number;
  text: string;
  order: number;
}

/** What {@link drawnBoxesText} read: the boxes' text as drawn, or why it could not be. */
export interface DrawnBoxes {
  text?: string;
  unread?: string;
}

/**
 * The text of an Office part's positioned boxes holding a digit (slide shapes, floating drawings and text boxes), in
 * the order they are drawn: lines top to bottom, boxes left to right, joined by ` | `; no text when fewer than two
 * such boxes; `unread` when groups nest more than 32 deep or more than 20,000 boxes hold a digit. One pass over the
 * tags, each box's text read once (nested shapes within their outermost), one sort: linear in the part, bar the sort.
 *
 * @example
 * ```ts
 * // '4539 | 1488 | 0343 | 6467' for boxes written 1488, 6467, 4539, 0343 and placed so:
 * drawnBoxesText(slideXml).text;
 * ```
 */
export function drawnBoxesText(xml: string): DrawnBoxes {
  if (!/xfrm|posOffset|anchor/.test(xml)) return {};
  const stack: Frame[] = [];
  const boxes: Box[] = [];
  // A Word anchor's position: which axis is being read, and each paragraph's number (a drawing placed relative to
  // its paragraph is on that paragraph's line).
  let axis: 'h' | 'v' | undefined;
  let paragraph = 0;
  let vertical = '';
  for (const m of xml.matchAll(TAGS)) {
    const closing = m[1] === '/';
    const local = m[2] as string;
    const attributes = m[3] ?? '';
    const at = m.index ?? 0;
    const end = at + m[0].length;
    const selfClosing = attributes.endsWith('/');
    const top = stack.at(-1);
    if (local === 'p') {
      // The body's paragraphs only (a text box's own are inside it).
      if (!closing && stack.length === 0) paragraph++;
      continue;
    }
    if (local === 'sp' || local === 'wsp' || local === 'grpSp' || local === 'wgp' || local === 'anchor') {
      if (!closing) {
        if (selfClosing) continue;
        const kind = local === 'anchor' ? 'anchor' : local === 'sp' || local === 'wsp' ? 'shape' : 'group';
        if (stack.length >= MAX_DEPTH) return { unread: `drawings nested more than ${MAX_DEPTH} deep` };
        stack.push(frame(kind, at, top?.inShape === true || top?.kind === 'shape'));
        if (kind === 'anchor') vertical = '';
        continue;
      }
      // A close tag with nothing of its kind open changes nothing.
      const index = findOpen(stack, local);
      if (index < 0) continue;
      const closed = stack[index] as Frame;
      stack.length = index;
      if (closed.kind !== 'shape' || closed.inShape) continue;
      // A Word drawing in the text's flow (`wp:inline`) is where the text is: read with it.
      if (local === 'wsp' && !stack.some((f) => f.kind === 'anchor')) continue;
      const text = xmlShownText(xml.slice(closed.start, end));
      if (!DIGIT.test(text)) continue;
      if (boxes.length >= MAX_BOXES) return { unread: `over ${MAX_BOXES} drawn boxes with digits` };
      const placed = placedCentre(closed, stack);
      boxes.push({ ...placed, text: text.replace(/\s+/g, ' ').trim(), order: boxes.length });
      continue;
    }
    if (top === undefined || closing) {
      if (local === 'xfrm' && closing && top?.xfrm === 'open') top.xfrm = 'done';
      if (closing && (local === 'positionH' || local === 'positionV')) axis = undefined;
      continue;
    }
    if (local === 'xfrm') {
      if (top.xfrm === 'none' && top.kind !== 'anchor') {
        top.xfrm = selfClosing ? 'done' : 'open';
        top.flipH = /\sflipH\s*=\s*["']\s*(?:1|true)/.test(` ${attributes}`);
        top.flipV = /\sflipV\s*=\s*["']\s*(?:1|true)/.test(` ${attributes}`);
        top.rot = number(/\srot\s*=\s*["']\s*(-?\d{1,12})/.exec(` ${attributes}`)?.[1]) / 60_000;
      }
      continue;
    }
    if (top.xfrm === 'open' && (local === 'off' || local === 'chOff')) {
      const x = number(coordinate(attributes, 'x'));
      const y = number(coordinate(attributes, 'y'));
      if (local === 'off') [top.x, top.y] = [x, y];
      else [top.chx, top.chy] = [x, y];
      continue;
    }
    if (top.xfrm === 'open' && (local === 'ext' || local === 'chExt')) {
      const cx = number(coordinate(attributes, 'cx'));
      const cy = number(coordinate(attributes, 'cy'));
      if (local === 'ext') [top.cx, top.cy] = [cx, cy];
      else [top.chcx, top.chcy] = [cx, cy];
      continue;
    }
    if (top.kind !== 'anchor') continue;
    // A Word anchor: its offset from its frame, or an alignment in it, and its extent (the child frame the same).
    if (local === 'positionH' || local === 'positionV') {
      axis = local === 'positionH' ? 'h' : 'v';
      if (axis === 'v') vertical = /relativeFrom\s*=\s*["']\s*(\w+)/.exec(attributes)?.[1] ?? '';
    } else if ((local === 'posOffset' || local === 'align') && axis !== undefined) {
      const next = xml.indexOf('<', end);
      const content = xml.slice(end, next < 0 ? xml.length : next).trim();
      const value = local === 'posOffset' ? number(content) : (ALIGNED[content] ?? 0);
      if (axis === 'h') top.x = value;
      // Placed relative to its paragraph or line: on that paragraph's line, so paragraphs stay apart.
      else top.y = value + (/^(?:paragraph|line)$/.test(vertical) ? paragraph * PARAGRAPH : 0);
    } else if (local === 'extent') {
      top.cx = number(coordinate(attributes, 'cx'));
      top.cy = number(coordinate(attributes, 'cy'));
      [top.chcx, top.chcy] = [top.cx, top.cy];
    }
  }
  if (boxes.length < 2) return {};
  return { text: drawnOrder(boxes) };
}

// An OpenDocument drawing shape or frame (a slide's, a drawing's, a text document's floating frame): placed by its
// `svg:x` and `svg:y`, or by a `draw:transform`'s translation when rotated or skewed.
const ODF_SHAPES =
  /<(\/?)(?:[\w.-]{1,64}:)?(frame|custom-shape|rect|ellipse|polygon|polyline|path|caption|circle|regular-polygon)(?=[\s/>])([^>]{0,8000})>/g;
const ODF_LENGTH = /^\s*(-?\d{1,12}(?:\.\d{1,12})?)\s*(cm|mm|in|pt|pc|px)?/i;
const MM: Record<string, number> = { cm: 10, mm: 1, in: 25.4, pt: 25.4 / 72, pc: 25.4 / 6, px: 25.4 / 96 };

/**
 * {@link drawnBoxesText} for an OpenDocument part (`content.xml` of an `.odp`, `.odg` or `.odt`): its top-level
 * drawing shapes and frames holding a digit, each placed by `svg:x`/`svg:y` (or a `draw:transform`'s translation),
 * read in the order drawn. Shapes inside a shape are read with it. Linear, bar one sort.
 *
 * @example
 * ```ts
 * // '4539 | 1488 | 0343 | 6467' for frames written 1488, 6467, 4539, 0343 and placed so:
 * odfDrawnBoxesText(contentXml).text;
 * ```
 */
export function odfDrawnBoxesText(xml: string): DrawnBoxes {
  if (!/svg:x|draw:transform/.test(xml)) return {};
  const boxes: Box[] = [];
  let depth = 0;
  let start = 0;
  let placed: { x: number; y: number; h: number } | undefined;
  for (const m of xml.matchAll(ODF_SHAPES)) {
    const closing = m[1] === '/';
    const attributes = m[3] ?? '';
    const at = m.index ?? 0;
    if (!closing) {
      if (attributes.endsWith('/')) continue;
      if (depth++ > 0) continue;
      start = at;
      placed = odfPlace(attributes);
      continue;
    }
    if (depth === 0) continue;
    if (--depth > 0 || placed === undefined) continue;
    const text = xmlShownText(xml.slice(start, at + m[0].length));
    if (!DIGIT.test(text)) continue;
    if (boxes.length >= MAX_BOXES) return { unread: `over ${MAX_BOXES} drawn boxes with digits` };
    boxes.push({ ...placed, text: text.replace(/\s+/g, ' ').trim(), order: boxes.length });
  }
  if (boxes.length < 2) return {};
  return { text: drawnOrder(boxes) };
}

// A shape's centre and height in millimetres, from its attributes.
function odfPlace(attributes: string): { x: number; y: number; h: number } {
  const value = (name: string) =>
    odfLength(new RegExp(`(?:^|\\s)svg:${name}\\s*=\\s*["']([^"']{0,64})`).exec(attributes)?.[1]);
  let x = value('x');
  let y = value('y');
  const transform = /(?:^|\s)draw:transform\s*=\s*["']([^"']{0,1000})/.exec(attributes)?.[1];
  const translate = transform
    ? /translate\s*\(\s*([^\s,)]{1,64})[\s,]+([^\s,)]{1,64})/.exec(transform)
    : null;
  if (translate) {
    x = odfLength(translate[1]);
    y = odfLength(translate[2]);
  }
  const w = value('width');
  const h = value('height');
  return { x: x + w / 2, y: y + h / 2, h: Math.abs(h) };
}

function odfLength(text: string | undefined): number {
  const m = ODF_LENGTH.exec(text ?? '');
  if (!m) return 0;
  return Number(m[1]) * (MM[(m[2] ?? 'mm').toLowerCase()] ?? 1);
}

// An alignment's rough place in a frame (a page about 8.5 inches wide, in EMU).
const ALIGNED: Record<string, number> = {
  left: 0,
  inside: 0,
  top: 0,
  center: 3_886_200,
  right: 7_772_400,
  outside: 7_772_400,
  bottom: 7_772_400,
};
// Paragraphs' lines kept apart (far more than a page).
const PARAGRAPH = 1e12;

function frame(kind: Frame['kind'], start: number, inShape: boolean): Frame {
  return {
    kind,
    start,
    x: 0,
    y: 0,
    cx: 0,
    cy: 0,
    chx: 0,
    chy: 0,
    chcx: 0,
    chcy: 0,
    flipH: false,
    flipV: false,
    rot: 0,
    xfrm: 'none',
    inShape,
  };
}

function findOpen(stack: readonly Frame[], local: string): number {
  const kind = local === 'anchor' ? 'anchor' : local === 'sp' || local === 'wsp' ? 'shape' : 'group';
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]?.kind === kind) return i;
  return -1;
}

// A shape's centre and height in the page's frame: its own box's centre, taken through each group around it (an
// anchor is a group whose child frame is its own extent), innermost first.
function placedCentre(shape: Frame, groups: readonly Frame[]): { x: number; y: number; h: number } {
  // A shape without a transform of its own fills its group's child frame (a Word text box its anchor's extent).
  const parent = groups.at(-1);
  if (shape.xfrm === 'none' && parent) {
    [shape.x, shape.y, shape.cx, shape.cy] = [parent.chx, parent.chy, parent.chcx, parent.chcy];
  }
  let x = shape.x + shape.cx / 2;
  let y = shape.y + shape.cy / 2;
  let h = Math.abs(shape.cy);
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] as Frame;
    if (g.kind === 'shape') continue;
    const sx = g.chcx > 0 && g.cx > 0 ? g.cx / g.chcx : 1;
    const sy = g.chcy > 0 && g.cy > 0 ? g.cy / g.chcy : 1;
    x = g.x + (x - g.chx) * sx;
    y = g.y + (y - g.chy) * sy;
    h *= sy;
    const mx = g.x + g.cx / 2;
    const my = g.y + g.cy / 2;
    if (g.flipH) x = 2 * mx - x;
    if (g.flipV) y = 2 * my - y;
    if (g.rot % 360 !== 0) {
      const r = (g.rot * Math.PI) / 180;
      const [dx, dy] = [x - mx, y - my];
      x = mx + dx * Math.cos(r) - dy * Math.sin(r);
      y = my + dx * Math.sin(r) + dy * Math.cos(r);
    }
  }
  return { x, y, h };
}

// Lines kept apart (a semicolon line between them joins no digit groups, as a CSV's does not).
const LINE_APART = '\n;\n';

function drawnOrder(boxes: Box[]): string {
  const byY = [...boxes].sort((a, b) => a.y - b.y || a.order - b.order);
  const lines: Box[][] = [];
  let line: Box[] = [];
  let first: Box | undefined;
  for (const box of byY) {
    if (first && Math.abs(box.y - first.y) <= Math.max(first.h, box.h) / 2) line.push(box);
    else {
      if (line.length > 0) lines.push(line);
      line = [box];
      first = box;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines
    .map((l) =>
      l
        .sort((a, b) => a.x - b.x || a.order - b.order)
        .map((b) => b.text)
        .join(' | '),
    )
    .join(LINE_APART);
}

const COORDINATES: Record<string, RegExp> = Object.fromEntries(
  ['x', 'y', 'cx', 'cy'].map((name) => [name, new RegExp(`(?:^|\\s)${name}\\s*=\\s*["']\\s*(-?\\d{1,15})`)]),
);

function coordinate(attributes: string, name: 'x' | 'y' | 'cx' | 'cy'): string | undefined {
  return COORDINATES[name]?.exec(attributes)?.[1];
}

function number(text: string | undefined): number {
  const n = Number(text ?? 0);
  return Number.isFinite(n) ? n : 0;
}
