import { type DefaultTreeAdapterMap, parseFragment } from 'parse5';
import { NO_DEADLINE, type ReadingDeadline } from '../mime/reading-deadline.js';
import { drawnBoxOrder, type Placement } from './box-order.js';
import {
  type AcrossLayout,
  acrossLayout,
  acrossRows,
  inColumns,
  linesBetween,
  MAX_ACROSS_CHARS,
} from './columns-across.js';
import { NO_RULES, NO_STYLE, type Style, StyleCascade, SVG_ATTRIBUTES } from './css-cascade.js';
import {
  animationUnsure,
  backgroundColor,
  filtered,
  fontAttributePx,
  offScreen,
  unmodelled,
} from './css-hiding.js';
import type { SheetNotes, StyleRule } from './css-rules.js';
import {
  transformHides,
  transformInDepth,
  transformList,
  transformMoves,
  transformScale,
} from './css-transforms.js';
import {
  cssCalls,
  fontShorthandSize,
  fontSizePx,
  fraction,
  invisibleOn,
  lengthPx,
  parseColor,
  type Rgba,
} from './css-values.js';
import {
  boxValue,
  type Counter,
  contentText,
  countersAfter,
  isListItem,
  MAX_GENERATED,
  MAX_WRITTEN,
  quoteOf,
} from './generated-content.js';
import { outlookCondition, type Reader } from './html-readers.js';
import { attribute, type Element, HTML_NS, MATHML_NS, type Node, type Parent, SVG_NS } from './html-tree.js';
import { shownItemOrder } from './item-order.js';
import { HTML_BLOCKS, tagLeavesGap } from './tag-gaps.js';
import { addWritten, mayShowCardAcross, type UprightBlock } from './upright-blocks.js';
import { uprightDigits, verticalWriting } from './vertical-writing.js';

const UPRIGHT_UNDECIDED = 'digits drawn upright in a vertical writing mode (its rows are not laid out)';

// Filter functions of one amount (a number or a percentage), as `fraction` reads it.
const AMOUNT_FILTERS = new Set([
  'opacity',
  'invert',
  'brightness',
  'contrast',
  'grayscale',
  'sepia',
  'saturate',
]);

// One page as each kind of reader is shown it (html-shown.ts): the tree walked depth-first, each element's state
// computed from the cascade and passed to its content, the text a reader sees kept, with what its stylesheets
// write (generated-content.ts) in place.

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

// SVG attributes that place text.
const SVG_PLACING = new Set(['x', 'y', 'dx', 'dy', 'rotate', 'textLength', 'transform']);

// Attributes that style or hide an element (besides the rules that match it).
const PRESENTATIONAL = new Set(['style', 'hidden', 'popover', 'color', 'size', 'bgcolor', 'type', 'dir']);

/** What an element passes down to its content. */
interface Inherited {
  fontPx: number;
  visible: boolean;
  color: Rgba;
  /** What the text is drawn on; undefined when not known (an image). */
  backdrop: Rgba | undefined;
  alpha: number;
  vars: Map<string, string>;
  /** Whether its colour stands out from its backdrop, once asked. */
  contrasted?: boolean;
  /** Styled by something the readers do not model (a mask, a blend, a clip, an offset, a value not read). */
  unsure?: boolean;
  /** Inside a right-to-left override: characters drawn in reverse order. */
  turned?: boolean;
  /** The `quotes` value in force. */
  quotes?: string;
  /** The string a list's items are marked with (`list-style-type: "…"`). */
  listStyle?: string;
  /** Under an ancestor that sets `perspective` or turns in 3D: turns and depth below it are projected. */
  inDepth?: boolean;
  /** How much `zoom` and transforms here and above shrink what is drawn (their factors multiplied). */
  scale: number;
  /**
   * A flex or grid container (this element only, never inherited): its children are boxes of their own, which its
   * layout may draw in another order than the markup's (attacker round 89).
   */
  itemsApart?: boolean;
  /** Laid out right to left (`dir="rtl"`, `direction: rtl`): its boxes are drawn from the right (attacker round 99). */
  rtl?: boolean;
  /**
   * An SVG `<text>` or `<tspan>` (this element only) placing its characters one by one by a list of `x`
   * coordinates: its own text is read in the order drawn (attacker round 104), also by lists of `dx`, `y` or `dy`
   * (attacker round 105).
   */
  charXs?: { of: Element; xs: readonly number[]; shifts?: CharShifts };
  /** Laid out in columns (a vertical `writing-mode`), inherited (attacker round 111). */
  vertical?: boolean;
  /** Its characters drawn upright in a vertical writing mode, inherited (attacker round 111). */
  upright?: boolean;
  /** Its text's line breaks drawn (`<pre>`, `white-space: pre`, `pre-line`…), inherited (attacker round 112). */
  pre?: boolean;
}

const ROOT: Inherited = {
  fontPx: 16,
  visible: true,
  color: BLACK,
  backdrop: WHITE,
  alpha: 1,
  vars: new Map(),
  contrasted: undefined,
  unsure: undefined,
  turned: undefined,
  quotes: undefined,
  listStyle: undefined,
  inDepth: undefined,
  scale: 1,
  itemsApart: undefined,
  rtl: undefined,
  charXs: undefined,
  vertical: undefined,
  upright: undefined,
  pre: undefined,
};
// Elements whose content no reader sees as text.
const UNSHOWN = new Set([
  'script',
  'style',
  'title',
  'noembed',
  'noframes',
  'iframe',
  'datalist',
  'template',
  'head',
]);
// SVG's titles, descriptions and metadata, MathML's annotations: for tools and assistive technology, never drawn
// (in their namespaces only: an HTML `<desc>` is an unknown element, drawn inline; attacker round 46).
const UNSHOWN_FOREIGN: Record<string, ReadonlySet<string>> = {
  [SVG_NS]: new Set(['title', 'desc', 'metadata']),
  [MATHML_NS]: new Set(['annotation', 'annotation-xml']),
};
// What a browser draws of a MathML or SVG container's children.
const FOREIGN_DRAWN: Record<string, Record<string, 'first' | 'none'>> = {
  [MATHML_NS]: { semantics: 'first', maction: 'first', mphantom: 'none' },
  [SVG_NS]: {
    switch: 'first',
    defs: 'none',
    symbol: 'none',
    clipPath: 'none',
    mask: 'none',
    pattern: 'none',
    marker: 'none',
    linearGradient: 'none',
    radialGradient: 'none',
    filter: 'none',
  },
};
// SVG `<text>`s side by side are columns (attacker round 112), a `<tspan>` put on a line of its own by `y` or `dy`
// a line of one.
const svgText = (element: Element) => element.tagName === 'text' && element.namespaceURI === SVG_NS;
const svgLine = (element: Element) =>
  element.tagName === 'tspan' &&
  element.namespaceURI === SVG_NS &&
  (attribute(element, 'y') !== undefined || attribute(element, 'dy') !== undefined);
const DIGIT = /\p{Nd}/u;
// HTML elements whose text keeps its line breaks (the browsers' own stylesheet: `white-space: pre`).
const PRE_TAGS = new Set(['pre', 'textarea', 'listing', 'xmp', 'plaintext']);
// Whether an element's text keeps its line breaks: its `white-space` (`pre`, `pre-wrap`, `pre-line`,
// `break-spaces`, or `white-space-collapse: preserve` / `preserve-breaks`), else its tag's, else its parent's.
function preLines(whiteSpace: string | undefined, element: Element, parent: boolean | undefined) {
  if (whiteSpace !== undefined && !/^(?:inherit|initial|unset|revert|revert-layer)$/.test(whiteSpace.trim()))
    return /pre|break-spaces|preserve/.test(whiteSpace) || undefined;
  if (PRE_TAGS.has(element.tagName) && element.namespaceURI === HTML_NS) return true;
  return parent;
}
// The attributes that make an SVG `switch` pass over a child.
const SWITCH_TESTS = new Set(['systemlanguage', 'requiredextensions', 'requiredfeatures']);
// What `drawnBoxOrder` reads a flex or grid item as (its place is `shownItemOrder`'s), and the set that reads every
// child of a container apart.
const ITEM: Placement = { kind: 'flow' };
const NOTHING: Placement = { kind: 'none' };
const ALL: ReadonlySet<Node> = new Set();
// A length in a `position` offset or a margin that is negative (`-80px`, `-5em`, `calc(-1 * 9em)`).
const NEGATIVE = /(?:^|[\s(,*])-\.?\d/;
// SVG containers whose children are drawn where their own content places them.
const SVG_GROUPS = new Set(['g', 'a', 'svg', 'switch', 'use', 'foreignObject', 'textPath', 'image']);
const unshown = (element: Element) =>
  UNSHOWN.has(element.tagName) || UNSHOWN_FOREIGN[element.namespaceURI]?.has(element.tagName) === true;

/** A page's text as each reader is shown it ({@link Page.read}, a reader at a time), and what it could not decide. */
export class Page {
  private readonly cascade: StyleCascade;
  /** The root element's font size, for `rem`, as the reader being read computed it. */
  private rootPx = 16;
  /** Text nodes some reader saw under a style it does not model. */
  readonly uncertain: Set<Node> = new Set();

  /** The page's `@keyframes` (name → whether a frame may hide text), from its stylesheets' notes. */
  private readonly keyframes: ReadonlyMap<string, boolean>;

  constructor(
    rules: StyleRule[],
    quirks: boolean,
    private readonly deadline: ReadingDeadline = NO_DEADLINE,
    sheets: SheetNotes = {},
  ) {
    this.cascade = new StyleCascade(rules, quirks, sheets.registered);
    this.keyframes = sheets.keyframes ?? new Map();
  }

  /** Matches the rules of generated boxes (`::before`, `::after`, `::marker`). */
  generated?: StyleCascade;
  /** Why the page could not be read as shown (counters past their bounds). */
  undecided?: string;
  /**
   * Whether the page's markup may float, place or move boxes, or lay them right to left (the caller scans it once):
   * only then are a container's children placed ({@link drawnBoxOrder}).
   */
  mayPlace = false;
  /** Set once a reading met boxes whose drawn order is not decided: the `boxesTurned` reader reads them turned. */
  boxesUnsure = false;

  /**
   * The page as this reader is shown it, then, when its stylesheets write text, the same with that text in
   * place: generated boxes (their strings, attributes, counters and quotes), quotes of `<q>`, string list
   * markers. Past {@link MAX_GENERATED} generated boxes the page is undecided and the reading stops.
   */
  read(document: Parent, reader: Reader): string[] {
    this.rootPx = 16;
    const out: string[] = [];
    // What the stylesheets write, and where in `out` (most pages write nothing: no second copy of the page).
    const written: { at: number; text: string }[] = [];
    let outChars = 0;
    let writtenChars = 0;
    let generatedBoxes = 0;
    const generate = (boxes = 1) => {
      generatedBoxes += boxes;
      if (generatedBoxes > MAX_GENERATED) this.undecided = `over ${MAX_GENERATED} generated boxes`;
    };
    // The outermost blocks in a vertical writing mode, and the one open (false-positive round 12: only blocks that
    // could show a card across their rows leave the page undecided).
    const vertical: UprightBlock[] = [];
    let verticalAt: UprightBlock | undefined;
    const write = (text: string, state?: Inherited) => {
      // Generated text in a vertical block counts with its digits (false-positive round 12).
      if (state !== undefined && verticalAt !== undefined)
        addWritten(verticalAt, text, uprightDigits(text, state));
      writtenChars += text.length;
      if (writtenChars > MAX_WRITTEN) this.undecided = 'stylesheets write too much text';
      else written.push({ at: outChars, text });
    };
    const both = (...texts: string[]) => {
      for (const text of texts) {
        out.push(text);
        outChars += text.length;
      }
    };
    // Depth-first; an element's entry is its computed state, applied to its children, and the counters in its
    // scope. A box written after an element's content is a step of its own, taken after its children.
    type Entry =
      | {
          node: Node;
          parent: Parent;
          state: Inherited;
          gone: boolean;
          foreign: boolean;
          boxless: boolean;
          counters: Counter[];
          apart?: boolean;
          /** A box of a row of boxes side by side (attacker round 112). */
          cell?: AcrossRow;
        }
      | { after: () => void }
      | { text: string };
    const stack: Entry[] = [];
    // Boxes side by side whose lines a reader reads across as rows (attacker round 112): where the page's text
    // breaks a line (offsets into it, ascending), while inside such a box; the rows of boxes; runs of lines set in
    // columns.
    type AcrossRow = { cells: { start: number; end: number }[]; perRow?: number };
    const breaks: number[] = [];
    let acrossOpen = 0;
    const rows: AcrossRow[] = [];
    const rowOf = new Map<Parent, AcrossRow>();
    const flowed: { start: number; end: number; layout: AcrossLayout }[] = [];
    // Texts without a digit under a style the readers do not model, inside such a box: the rows are read once more
    // without them (a decoy letter in a line, as the snippet reading drops it from the page).
    const unsureAt: { start: number; end: number }[] = [];
    const lineBreak = () => {
      if (acrossOpen > 0 && breaks.at(-1) !== outChars) breaks.push(outChars);
    };
    // The counters each parent's next child inherits from its previous siblings (a reset's scope goes on).
    const siblings = new Map<Parent, Counter[]>();
    const push = (
      parent: Parent,
      state: Inherited,
      gone: boolean,
      foreign: boolean,
      boxless: boolean,
      counters: Counter[],
      layout?: Style,
    ) => {
      const written = this.children(parent, reader);
      // A container setting its children or its lines side by side (attacker round 112).
      const across =
        layout === undefined
          ? undefined
          : acrossLayout(
              'tagName' in parent && parent.namespaceURI === HTML_NS ? parent.tagName : undefined,
              (p) => layout.get(p),
              state.fontPx,
            );
      let row: AcrossRow | undefined;
      if (across?.kind === 'cells') {
        row = { cells: [], perRow: across.perRow };
        rows.push(row);
      } else if (across?.kind === 'lines') {
        const start = outChars;
        acrossOpen++;
        stack.push({
          after: () => {
            lineBreak();
            acrossOpen--;
            flowed.push({ start, end: outChars, layout: across });
          },
        });
      }
      // A flex or grid container's items in the order a browser draws them (attacker round 90).
      let nodes =
        state.itemsApart && layout !== undefined && !reader.outlook && reader.stylesheets
          ? shownItemOrder(
              written,
              (p) => layout.get(p),
              (n) => this.itemStyle(n, state, reader),
            )
          : written;
      // Floated, placed and moved boxes in the order drawn, and in the other order where it is not decided
      // (attacker round 99).
      let apart: ReadonlySet<Node> | undefined;
      if (this.mayPlace && !reader.outlook && nodes.length > 1) {
        const order = drawnBoxOrder(
          nodes,
          (n) => this.placementOf(n, state.itemsApart === true, state, reader),
          state.rtl === true,
        );
        if (order.unsure) this.boxesUnsure = true;
        nodes = reader.boxesTurned && order.unsure ? [...order.nodes].reverse() : order.nodes;
        apart = reader.boxesTurned && order.unsure ? ALL : order.apart;
      }
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i] as Node;
        const entry = { node, parent, state, gone, foreign, boxless, counters, cell: row };
        stack.push(apart === ALL || apart?.has(node) ? { ...entry, apart: true } : entry);
      }
    };
    // The row of inline blocks and table cells under a parent that lays them out without a row of its own.
    const rowBeside = (parent: Parent) => {
      let row = rowOf.get(parent);
      if (row === undefined) {
        row = { cells: [] };
        rowOf.set(parent, row);
        rows.push(row);
      }
      return row;
    };
    push(document, ROOT, false, false, false, []);
    while (stack.length > 0 && generatedBoxes <= MAX_GENERATED) {
      const entry = stack.pop() as Entry;
      this.deadline.step();
      if ('after' in entry) {
        entry.after();
        continue;
      }
      if ('text' in entry) {
        write(entry.text);
        continue;
      }
      const { node, state, gone, foreign } = entry;
      if (node.nodeName === '#text') {
        if (state.unsure) this.uncertain.add(node);
        const written = (node as DefaultTreeAdapterMap['textNode']).value;
        const value =
          state.charXs !== undefined && entry.parent === state.charXs.of
            ? drawnByX(written, state.charXs.xs, state.charXs.shifts)
            : written;
        // Under `unicode-bidi: bidi-override; direction: rtl` the characters show in the other order.
        if (!gone && shows(state, reader)) {
          // Upright digits in columns read across as rows, which are not laid out (attacker round 111).
          if (uprightDigits(value, state)) {
            if (verticalAt === undefined) this.undecided ??= UPRIGHT_UNDECIDED;
            else verticalAt.upright = true;
          }
          if (acrossOpen > 0 && state.unsure && !DIGIT.test(value))
            unsureAt.push({ start: outChars, end: outChars + value.length });
          // Lines a `<pre>` draws break a box's lines too (attacker round 112).
          if (acrossOpen > 0 && state.pre && !state.turned && value.includes('\n'))
            for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1))
              breaks.push(outChars + at);
          both(state.turned ? [...value].reverse().join('') : value);
        }
        continue;
      }
      if (node.nodeName === '#comment') {
        // A CDATA section in SVG or MathML is text (parse5 keeps it as a comment inside text integration points).
        const cdata = /^\[CDATA\[([\s\S]*)\]\]$/.exec(
          (node as DefaultTreeAdapterMap['commentNode']).data,
        )?.[1];
        if (cdata !== undefined && !gone && foreign && shows(state, reader)) both(' ', cdata, ' ');
        continue;
      }
      if (!('tagName' in node)) continue;
      // An inline element is laid out with its neighbours (`4111 11<b>11</b>` shows `4111 1111`); a browser draws a
      // ruby annotation above its base, not between it and the next (annotationAbove).
      if (tagLeavesGap(node.tagName) && !annotationAbove(node, reader)) both(' ');
      const computed = this.compute(node, state, reader);
      if (computed.state.vertical && verticalAt === undefined) {
        const block: UprightBlock = { start: outChars, end: outChars, upright: false };
        verticalAt = block;
        stack.push({
          after: () => {
            block.end = outChars;
            verticalAt = undefined;
            vertical.push(block);
          },
        });
      }
      // A flex or grid item and a floated box are boxes of their own, which the layout may draw in another order
      // than the markup's (`row-reverse`, `order`, `float: right`): kept apart from their neighbours, so that the
      // detectors' reading of the groups in the other order has groups to turn (attacker round 89).
      const apart =
        entry.apart === true ||
        state.itemsApart === true ||
        /^(?:left|right|inline-start|inline-end)$/.test(computed.style.get('float') ?? '');
      if (apart) {
        both(' ');
        stack.push({ after: () => both(' ') });
      }
      // A box side by side with its siblings (a cell of a row, an inline block), and where its lines break: a
      // block, a flex or grid item, a `<br>` (attacker round 112). Only boxes that draw count (a `display: none`
      // decoy breaks no line).
      if (!entry.boxless && !computed.boxless) {
        const display = computed.style.get('display');
        const cell =
          entry.cell ??
          ((display !== undefined &&
            /^(?:inline-block|table-cell|inline-table|inline-flex|inline-grid)$/.test(display)) ||
          /^(?:left|right|inline-start|inline-end)$/.test(computed.style.get('float') ?? '') ||
          svgText(node)
            ? rowBeside(entry.parent)
            : undefined);
        const breaking =
          node.tagName === 'br' ||
          svgLine(node) ||
          state.itemsApart === true ||
          (display === undefined
            ? HTML_BLOCKS.has(node.tagName)
            : /^(?:block|list-item|flex|grid|table|flow-root|table-row|table-cell)$/.test(display));
        if (cell !== undefined) {
          const start = outChars;
          acrossOpen++;
          lineBreak();
          stack.push({
            after: () => {
              lineBreak();
              acrossOpen--;
              cell.cells.push({ start, end: outChars });
            },
          });
        } else if (breaking && acrossOpen > 0) {
          lineBreak();
          if (node.tagName !== 'br') stack.push({ after: lineBreak });
        }
      }
      const hidden = gone || computed.gone;
      const attributes = !hidden && shows(computed.state, reader) ? shownAttributes(node, reader) : '';
      if (attributes) both(attributes, ' ');
      // Elements without a box (display: none) neither count nor write.
      const boxless = entry.boxless || computed.boxless || unshown(node);
      let counters = entry.counters;
      if (!boxless && this.undecided === undefined) {
        const shown = !hidden && shows(computed.state, reader);
        const boxes = this.generated?.rulesMatching(node, reader) ?? NO_RULES;
        const inherited = siblings.get(entry.parent) ?? counters;
        counters = countersAfter(node, computed.style, inherited, this);
        if (counters !== inherited) siblings.set(entry.parent, counters);
        // Only the boxes a rule gives content are worked out (no rule: no box, nothing written).
        const box = (pseudo: 'before' | 'after' | 'marker') => {
          if (!boxes.some((r) => r.pseudo === pseudo)) return '';
          const get = (property: string) => boxValue(boxes, pseudo, property, reader, computed.state.vars);
          const content = get('content');
          if (content === undefined) return '';
          generate();
          const own = countersAfter(node, get, counters, this, true);
          return contentText(content, node, own, computed.state.quotes, this);
        };
        const html = node.namespaceURI === HTML_NS;
        const item = html && isListItem(node, computed.style.get('display'));
        const quoted = html && node.tagName === 'q' && computed.state.quotes !== undefined;
        if (item) generate();
        // A quoted `<q>` has two boxes: its open and close quotes.
        if (quoted) generate(2);
        const before = [
          // An item's marker: a ::marker rule's, a string list style's, or its number (`<ol start=4111>` draws
          // "4111." before its first item: attacker round 44). A bullet or letter list may show no number, but the
          // number read beside it adds no digits that could join a card but its own.
          item ? box('marker') || computed.state.listStyle || itemNumber(counters) : '',
          quoted ? quoteOf(computed.state.quotes, 0) : '',
          box('before'),
        ].join('');
        if (shown && before) write(before, computed.state);
        const close = quoted ? quoteOf(computed.state.quotes, 1) : '';
        if (boxes.some((r) => r.pseudo === 'after'))
          stack.push({
            after: () => {
              const text = `${close}${box('after')}`;
              if (shown && text) write(text, computed.state);
            },
          });
        else if (shown && close) stack.push({ text: close });
      }
      const srcdoc = node.tagName === 'iframe' ? attribute(node, 'srcdoc') : undefined;
      if (srcdoc !== undefined)
        push(
          parseFragment(srcdoc, { scriptingEnabled: false }),
          computed.state,
          hidden,
          false,
          boxless,
          counters,
        );
      else
        push(
          node,
          computed.state,
          hidden || unshown(node),
          foreign || node.namespaceURI !== HTML_NS,
          boxless,
          counters,
          computed.style,
        );
    }
    const page = out.join('');
    if (vertical.length > 0 && mayShowCardAcross(page, vertical)) this.undecided ??= UPRIGHT_UNDECIDED;
    let across = this.readAcross(page, breaks, rows, flowed);
    if (across !== undefined && unsureAt.length > 0) {
      // The same page, those texts blanked (offsets kept).
      const blanked: string[] = [];
      let from = 0;
      for (const { start, end } of unsureAt) {
        blanked.push(page.slice(from, start), ' '.repeat(end - start));
        from = end;
      }
      blanked.push(page.slice(from));
      const without = this.readAcross(blanked.join(''), breaks, rows, flowed);
      if (without !== undefined && without !== across) across = `${across} ; ${without}`;
    }
    if (written.length === 0) return across ? [page, across] : [page];
    // The same page with the written text in place, each piece apart from its neighbours by a space.
    const pieces: string[] = [];
    let from = 0;
    for (const { at, text } of written) {
      pieces.push(page.slice(from, at), ' ', text, ' ');
      from = at;
    }
    pieces.push(page.slice(from));
    return across ? [page, pieces.join(''), across] : [page, pieces.join('')];
  }

  // The rows a reader reads across boxes side by side (columns-across.ts): each row of cells, each run of lines set
  // in columns, cut into lines at `breaks`; the readings joined by ` ; ` (which joins no digit groups). Past
  // MAX_ACROSS_CHARS characters cut (layout tables nested in cells), the page is undecided.
  private readAcross(
    page: string,
    breaks: readonly number[],
    rows: readonly { cells: readonly { start: number; end: number }[]; perRow?: number }[],
    flowed: readonly { start: number; end: number; layout: AcrossLayout }[],
  ): string | undefined {
    const readings: string[] = [];
    let cut = 0;
    const lines = (start: number, end: number) => {
      cut += end - start;
      return cut > MAX_ACROSS_CHARS ? [] : linesBetween(page, breaks, start, end);
    };
    for (const row of rows) {
      if (row.cells.length < 2) continue;
      const cells = row.cells.map((c) => lines(c.start, c.end));
      const perRow = row.perRow ?? cells.length;
      for (let i = 0; i < cells.length; i += perRow) readings.push(...acrossRows(cells.slice(i, i + perRow)));
    }
    for (const { start, end, layout } of flowed) {
      const all = lines(start, end);
      if (layout.kind !== 'lines' || all.length < 2) continue;
      const perColumn = layout.perColumn ?? Math.ceil(all.length / (layout.columns ?? 1));
      readings.push(...acrossRows(inColumns(all, perColumn)));
    }
    if (cut > MAX_ACROSS_CHARS)
      this.undecided ??= `over ${MAX_ACROSS_CHARS} characters of boxes side by side to read across`;
    return readings.length > 0 ? readings.join(' ; ') : undefined;
  }

  // An element's children as this reader gets them: Outlook reads its conditional comments as markup and
  // skips what `<!--[if !mso]><!-->` … `<!--<![endif]-->` shows everyone else; a closed <details> shows its summary.
  // A flex or grid item's style, for its place among its siblings; undefined for what draws nothing.
  private itemStyle(
    node: Node,
    parent: Inherited,
    reader: Reader,
  ): ((p: string) => string | undefined) | undefined {
    if (node.nodeName === '#text')
      return /\S/.test((node as DefaultTreeAdapterMap['textNode']).value) ? () => undefined : undefined;
    if (!('tagName' in node)) return undefined;
    const style = this.cascade.styleOf(node, this.cascade.rulesMatching(node, reader), reader, parent.vars);
    return (p) => style.get(p);
  }

  // Where a container's child is drawn (box-order.ts): floated, taken out of the line to a known place, moved by what
  // is not worked out, or in the line.
  // A flex or grid item (`item`) is drawn where `shownItemOrder` puts it.
  private placementOf(node: Node, item: boolean, state: Inherited, reader: Reader, depth = 0): Placement {
    if (node.nodeName === '#text')
      return /\S/.test((node as DefaultTreeAdapterMap['textNode']).value) ? ITEM : NOTHING;
    if (!('tagName' in node)) return NOTHING;
    if (item) return ITEM;
    const number = (name: string) => {
      const value = attribute(node, name);
      if (value === undefined) return undefined;
      const list = value.trim().split(/[\s,]+/);
      const n = Number(list[0]);
      // A list of coordinates places each character: not worked out.
      return list.length > 1 || !Number.isFinite(n) ? Number.NaN : n;
    };
    if (node.namespaceURI === SVG_NS) {
      const get = this.itemStyle(node, state, reader);
      const transform = get?.('transform');
      if (transform !== undefined && transform !== 'none') return { kind: 'moved' };
      if (SVG_GROUPS.has(node.tagName)) return { kind: 'moved' };
      if (node.tagName !== 'text' && node.tagName !== 'tspan') return NOTHING;
      for (const name of ['dx', 'dy', 'rotate']) {
        const shift = number(name);
        if (shift !== undefined && shift !== 0) return { kind: 'moved' };
      }
      if (node.childNodes.some((c) => 'tagName' in c && c.tagName === 'textPath')) return { kind: 'moved' };
      const x = number('x');
      const y = number('y');
      if (Number.isNaN(x) || Number.isNaN(y)) return { kind: 'moved' };
      // A `<tspan>` without `x` goes on from the one before it.
      if (node.tagName === 'tspan' && x === undefined) return y === undefined ? ITEM : { kind: 'moved' };
      const anchor = attribute(node, 'text-anchor') ?? get?.('text-anchor') ?? 'start';
      return { kind: 'placed', x: x ?? 0, y: y ?? 0, anchor: anchor.trim().toLowerCase() };
    }
    if (node.namespaceURI !== HTML_NS) return ITEM;
    const get = this.itemStyle(node, state, reader) ?? (() => undefined);
    const float = get('float');
    const align = /^(?:table|img)$/.test(node.tagName) ? attribute(node, 'align')?.trim().toLowerCase() : '';
    if (/^(?:left|inline-start)$/.test(float ?? '') || (float === undefined && align === 'left'))
      return { kind: 'float', side: 'left' };
    if (/^(?:right|inline-end)$/.test(float ?? '') || (float === undefined && align === 'right'))
      return { kind: 'float', side: 'right' };
    const ctx = { fontPx: state.fontPx, percentOf: Number.NaN, rootPx: this.rootPx };
    const offset = (p: string) => {
      const v = get(p);
      if (v === undefined || v === 'auto' || /^(?:initial|unset|revert|revert-layer)$/.test(v))
        return undefined;
      const px = lengthPx(v, ctx);
      return px === undefined || Number.isNaN(px) ? Number.NaN : px;
    };
    const position = get('position') ?? '';
    // Offsets that move a box sideways (`top` alone moves it up or down, in its place in the line).
    const offsets = ['left', 'right', 'inset', 'inset-inline', 'inset-inline-start', 'inset-inline-end'];
    const transform = transformList(get);
    if (transform !== undefined && transformMoves(transform, { ...ctx, ...originOf(get) }))
      return { kind: 'moved' };
    const moves = [
      'offset-path',
      'margin',
      'margin-left',
      'margin-right',
      'margin-inline',
      'margin-inline-start',
      'margin-inline-end',
    ];
    for (const p of moves) {
      const v = get(p);
      if (v === undefined || /^(?:none|initial|unset|revert|revert-layer|0)$/.test(v)) continue;
      if (!p.startsWith('margin') || NEGATIVE.test(v)) return { kind: 'moved' };
    }
    if (/^(?:absolute|fixed)$/.test(position)) {
      const left = offset('left') ?? offset('inset-inline-start');
      const right = offset('right') ?? offset('inset-inline-end');
      const top = offset('top');
      const unknown = [left, right, top].some((v) => v !== undefined && Number.isNaN(v));
      if (unknown || offset('inset') !== undefined || offset('bottom') !== undefined)
        return { kind: 'moved' };
      // Without a horizontal offset a box is drawn where it would be in the line.
      if (left === undefined && right === undefined) return ITEM;
      return left !== undefined
        ? { kind: 'placed', y: top ?? 0, x: left }
        : { kind: 'placed', y: top ?? 0, fromRight: right as number };
    }
    if (/^(?:relative|sticky)$/.test(position) && offsets.some((p) => (offset(p) ?? 0) !== 0))
      return { kind: 'moved' };
    const display = get('display');
    if (node.tagName === 'br') return { kind: 'break' };
    if (
      display === undefined
        ? HTML_BLOCKS.has(node.tagName)
        : /^(?:block|list-item|table|flex|grid|flow-root)$/.test(display)
    )
      return { kind: 'break' };
    // An inline wrapper (`<b>`, `<a>`) of one box and nothing else is drawn where that box is: a float or a placed
    // box lies in the wrapper's containing block, not in the wrapper. Eight wrappers deep at most.
    if ((display === undefined || /^(?:inline|contents)$/.test(display)) && depth < 8) {
      const only = onlyChild(node);
      if (only !== undefined) {
        const inner = this.placementOf(only, false, state, reader, depth + 1);
        if (inner.kind === 'float' || inner.kind === 'placed' || inner.kind === 'moved') return inner;
      }
    }
    return ITEM;
  }

  private children(parent: Parent, reader: Reader): Node[] {
    const nodes = parent.childNodes as Node[];
    const closed =
      'tagName' in parent && parent.tagName === 'details' && attribute(parent, 'open') === undefined;
    if (closed) {
      const summary = nodes.find((n) => 'tagName' in n && n.tagName === 'summary');
      return summary ? [summary] : [];
    }
    // A browser that plays <audio> and <video> never shows what they hold (the fallback for one that does
    // not); Outlook's Word engine and webmail that strips them show it. So for an <object> with data, whose
    // fallback shows only where it does not load (attacker round 46); a closed <dialog> is hidden by the
    // browsers' own stylesheet (see `compute`).
    const browser = !reader.outlook && reader.stylesheets;
    if ('tagName' in parent && parent.namespaceURI === HTML_NS && browser) {
      const tag = parent.tagName;
      if (tag === 'audio' || tag === 'video') return [];
      if (tag === 'object' && attribute(parent, 'data') !== undefined) return [];
      // A drop-down <select> shows its selected option (else its first), not the others (attacker round 46); its
      // size is read as HTML reads a number (`1.5` is 1: attacker round 48).
      if (
        tag === 'select' &&
        attribute(parent, 'multiple') === undefined &&
        !((htmlInteger(attribute(parent, 'size')) ?? 1) > 1)
      )
        return shownOption(nodes);
    }
    // Containers a browser draws only a child of (MathML's `semantics` and `maction`, SVG's `switch`: the first)
    // or none of (SVG's definitions, drawn only where referenced; MathML's `mphantom`): attacker round 48.
    if ('tagName' in parent && browser) {
      const drawn = FOREIGN_DRAWN[parent.namespaceURI]?.[parent.tagName];
      if (drawn === 'none') return [];
      // Which child Firefox draws of an `maction` (its `selection`), and whether a `switch` child's test
      // (`systemLanguage`, …) holds for the reader, are not known here.
      if (
        (parent.tagName === 'maction' && !/^\s*1?\s*$/.test(attribute(parent, 'selection') ?? '')) ||
        (parent.tagName === 'switch' &&
          nodes.some((n) => 'tagName' in n && n.attrs.some((a) => SWITCH_TESTS.has(a.name.toLowerCase()))))
      )
        this.undecided ??= `an ${parent.tagName} whose drawn child is not known`;
      if (drawn === 'first') {
        const first = nodes.find((n) => 'tagName' in n);
        return first ? [first] : [];
      }
    }
    if (!reader.outlook || !nodes.some((n) => n.nodeName === '#comment')) return nodes;
    const out: Node[] = [];
    let skipping = false;
    for (const node of nodes) {
      if (node.nodeName === '#comment') {
        const data = (node as DefaultTreeAdapterMap['commentNode']).data;
        const opened = /^\[if ([^\]]*)\]>([\s\S]*)$/.exec(data);
        if (opened) {
          const shownToOutlook = outlookCondition(opened[1] as string);
          if ((opened[2] as string).startsWith('<!'))
            skipping = !shownToOutlook; // downlevel-revealed
          else if (shownToOutlook) {
            const inner = (opened[2] as string).replace(/<!\[endif\]\s*$/, '');
            out.push(...(parseFragment(inner, { scriptingEnabled: false }).childNodes as Node[]));
          }
        } else if (/^<!\[endif\]/.test(data)) skipping = false;
        continue;
      }
      if (!skipping) out.push(node);
    }
    return out;
  }

  private compute(
    element: Element,
    parent: Inherited,
    reader: Reader,
  ): { state: Inherited; gone: boolean; boxless: boolean; style: Style } {
    // Most elements of a page set nothing: they pass their parent's state on as it is.
    const rules = this.cascade.rulesMatching(element, reader);
    const svg = element.namespaceURI === SVG_NS;
    // Browsers' own stylesheet hides <rp> (the fallback parentheses of ruby), and draws an <rt> above the line.
    const rp =
      (element.tagName === 'rp' && element.namespaceURI === HTML_NS) || annotationAbove(element, reader);
    // And a closed <dialog>, which an author's `display` shows (attacker round 48).
    const closedDialog =
      element.tagName === 'dialog' &&
      element.namespaceURI === HTML_NS &&
      attribute(element, 'open') === undefined &&
      !reader.outlook &&
      reader.stylesheets;
    if (
      rules.length === 0 &&
      !rp &&
      !closedDialog &&
      !(PRE_TAGS.has(element.tagName) && element.namespaceURI === HTML_NS) &&
      !element.attrs.some(
        (a) => PRESENTATIONAL.has(a.name) || (svg && (SVG_ATTRIBUTES.has(a.name) || SVG_PLACING.has(a.name))),
      )
    )
      return {
        // A flex container's own items are apart; their content is not (itemsApart is never inherited).
        state: parent.itemsApart ? { ...parent, itemsApart: undefined } : parent,
        gone: false,
        boxless: false,
        style: NO_STYLE,
      };
    const style = this.cascade.styleOf(element, rules, reader, parent.vars);
    const get = (property: string) => style.get(property);
    const ctx = { fontPx: parent.fontPx, percentOf: parent.fontPx, rootPx: this.rootPx };
    let gone = false;
    const display = get('display');
    // `revert` takes the browsers' own value back: `none` for these.
    const own = display === undefined || display === 'revert' || display === 'revert-layer';
    if (display === 'none' || (own && (attribute(element, 'hidden') !== undefined || rp || closedDialog)))
      gone = true;
    const boxless = gone;
    if (get('content-visibility') === 'hidden') gone = true;
    if (reader.outlook && get('mso-hide') === 'all') gone = true;
    if (element.tagName === 'input' && /^\s*hidden\s*$/i.test(attribute(element, 'type') ?? '')) gone = true;
    // Hiding that depends on layout this reader does not model (an inline box ignores a transform, a clip
    // needs a position): gone for most readers, kept but unsure for one, so that wrongly hiding a number
    // cannot keep it from every reading.
    let risky = false;
    // A popover is shown only once opened (the browsers' own sheet hides `[popover]`; Outlook shows it), text
    // drawn as bullets (`-webkit-text-security`), an element whose `content` is an image (the image replaces
    // its text): attacker round 37.
    if (display === undefined && attribute(element, 'popover') !== undefined) risky = true;
    if (/^(?:disc|circle|square)$/.test(get('-webkit-text-security') ?? '')) risky = true;
    if (/(?:url|gradient|image-set|image)\(/.test(get('content') ?? '')) risky = true;
    let alpha = parent.alpha;
    const opacity = get('opacity');
    if (opacity !== undefined) {
      const own = fraction(opacity);
      if (own !== undefined) alpha *= own;
      // An amount not worked out (`calc(0.01)`, `min(0, 1)`), or inherited from a faded parent: unsure.
      else if (
        !/^(?:initial|unset|revert|revert-layer)$/.test(opacity) &&
        !(opacity === 'inherit' && alpha === 1)
      )
        risky = true;
    }
    const filter = get('filter') ?? '';
    for (const { name, args } of filter ? cssCalls(filter) : []) {
      // A filter function whose amount is not read (`invert(calc(calc(1)))`) may hide: unsure.
      if (AMOUNT_FILTERS.has(name) && fraction(args) === undefined) risky = true;
      if (name === 'opacity') alpha *= fraction(args) ?? 1;
      // Blurred past reading.
      if (name === 'blur' && (lengthPx(args, ctx) ?? 0) >= 8) risky = true;
    }
    if (alpha < 0.2) gone = true;
    // A var() of a custom property registered in a way not worked out, or set to a value its syntax refuses.
    if (style.unsure) risky = true;
    // Animated by keyframes that may hide it (or that are not on the page): a browser plays them, this does not.
    if (animationUnsure(get, this.keyframes)) risky = true;
    // Zoom and scale multiply down the tree: zoomed or scaled to a speck, here or with its ancestors. Only
    // shrinking counts: an enlarging transform may not apply (an inline box ignores it), so it offsets nothing.
    let scale = parent.scale;
    const zoom = get('zoom');
    if (zoom !== undefined && !/^(?:normal|reset|inherit|initial|unset|revert|revert-layer)$/.test(zoom)) {
      const own = fraction(zoom);
      if (own === undefined) risky = true;
      else if (own > 0) scale *= Math.min(1, own);
      else risky = true;
    }
    // `translate`, `rotate` and `scale` apply in that order, before `transform`: one matrix of them all.
    const transform = transformList(get);
    const backfaceHidden = get('backface-visibility') === 'hidden';
    const size = (p: string) => {
      const v = get(p);
      return v === undefined || v.includes('%') ? undefined : lengthPx(v, ctx);
    };
    // Taken out of sight (about its `transform-origin`), showing its back, or by a function, amount or depth
    // not worked out (`scale(calc(calc(0.05)))`, `translateZ(20px)`): unsure.
    if (
      transform &&
      transformHides(transform, {
        ...ctx,
        inDepth: !!parent.inDepth,
        backfaceHidden,
        ...originOf(get),
        box: { width: size('width'), height: size('height') },
      }) !== false
    )
      risky = true;
    if (transform) scale *= Math.min(1, transformScale(transform, ctx) ?? 1);
    if (scale < 0.2) risky = true;
    // Its back hidden inside a box turned in 3D (whose turn it shares): not worked out.
    if (backfaceHidden && parent.inDepth) risky = true;
    // `font-size-adjust` scales the font to an x-height: a small one draws the text too small to read
    // (0 draws nothing); the font's own x-height is not known here.
    const adjust = get('font-size-adjust');
    if (
      adjust !== undefined &&
      !/^(?:none|from-font|inherit|initial|unset|revert|revert-layer)$/.test(adjust)
    ) {
      const amount = fraction(adjust.split(' ').at(-1) ?? '');
      if (amount === undefined || amount * ctx.fontPx < 2.5) risky = true;
    }
    const clipPath = get('clip-path');
    if ((clipPath && clipPath !== 'none') || /^rect\(/.test(get('clip') ?? '')) risky = true;
    if (offScreen(get, ctx)) risky = true;
    // A box that clips its content (overflow, `contain: paint`) and is under 3px wide or high shows nothing.
    const overflow = get('overflow') ?? get('overflow-x') ?? get('overflow-y');
    const clips =
      (overflow && /hidden|clip|scroll|auto/.test(overflow)) ||
      /paint|strict|content/.test(get('contain') ?? '');
    if (clips) {
      for (const p of [
        'width',
        'height',
        'max-width',
        'max-height',
        'inline-size',
        'block-size',
        'max-inline-size',
        'max-block-size',
      ]) {
        const v = get(p);
        const px = v === undefined ? undefined : lengthPx(v, ctx);
        if (px !== undefined && px < 3) risky = true;
      }
      // Lines under 3px high clip their text away.
      const lineHeight = get('line-height');
      const linePx =
        lineHeight === undefined
          ? undefined
          : (lengthPx(lineHeight, ctx) ?? (fraction(lineHeight) ?? 1) * ctx.fontPx);
      if (linePx !== undefined && linePx < 3) risky = true;
      const indent = get('text-indent');
      if (indent && (/^\d{3,}%/.test(indent) || (lengthPx(indent, ctx) ?? 0) >= 1000)) risky = true;
    }
    const marker = get('list-style-type') ?? get('list-style');
    // Every field set here, in one order: states share one shape (a field added later makes each a new one).
    const state: Inherited = {
      ...parent,
      alpha,
      vars: style.vars,
      contrasted: undefined,
      unsure: parent.unsure,
      turned: parent.turned,
      // Inherited: the strings `<q>` and open-quote write, a list's string marker.
      quotes: get('quotes') ?? parent.quotes,
      listStyle:
        marker === undefined
          ? parent.listStyle
          : (/"([^"]*)"|'([^']*)'/.exec(marker)?.slice(1).join('') ?? ''),
      inDepth:
        parent.inDepth ||
        !/^(?:none|inherit|initial|unset|revert|revert-layer)?$/.test(get('perspective') ?? '') ||
        (transform !== undefined && transformInDepth(transform, ctx)) ||
        undefined,
      scale,
      itemsApart: /(?:^|[\s-])(?:flex|grid)\b/.test(get('display') ?? '') || undefined,
      rtl: parent.rtl,
      charXs: undefined,
      ...verticalWriting(get, parent),
      pre: preLines(get('white-space'), element, parent.pre),
    };
    // Its direction: `direction`, else the `dir` attribute (`auto` goes by its text: left as inherited).
    const direction =
      get('direction') ?? (element.namespaceURI === HTML_NS ? attribute(element, 'dir') : undefined);
    if (direction !== undefined && /^\s*rtl\s*$/i.test(direction)) state.rtl = true;
    else if (direction !== undefined && /^\s*ltr\s*$/i.test(direction)) state.rtl = undefined;
    // A box of its own (an inline block, a block) lays out its text as a paragraph of its own: an override around
    // it does not turn its characters (read so where boxes are turned, beside the readings that turn them).
    if (reader.boxesTurned && display !== undefined && !/^(?:inline|contents)$/.test(display))
      state.turned = undefined;
    if (unmodelled(get, ctx) || risky) state.unsure = true;
    // `isolate-override` is the same override inside an isolate.
    if (/(?:bidi|isolate)-override/.test(get('unicode-bidi') ?? ''))
      state.turned = get('direction') === 'rtl';
    // SVG text placed by coordinates (`x`, `dx`, `textLength`) need not show where the markup puts it.
    if (svg && element.attrs.some((a) => SVG_PLACING.has(a.name))) state.unsure = true;
    if (risky && !reader.layoutShown) gone = true;
    const visibility = get('visibility');
    if (visibility === 'hidden' || visibility === 'collapse') state.visible = false;
    else if (visibility === 'visible') state.visible = true;
    const font = get('font-size') ?? (get('font') ? fontShorthandSize(get('font') as string) : undefined);
    if (font !== undefined) state.fontPx = fontSizePx(font, parent.fontPx, this.rootPx) ?? parent.fontPx;
    if (element.tagName === 'html') this.rootPx = state.fontPx;
    const sizeAttribute = element.tagName === 'font' ? attribute(element, 'size') : undefined;
    if (sizeAttribute !== undefined && font === undefined) state.fontPx = fontAttributePx(sizeAttribute);
    // Its characters placed one by one by a list of `x`, or of `dx`, `y` or `dy` (attacker round 105) (Apple Mail,
    // Thunderbird draw SVG; Outlook's reader does not).
    if (svg && !reader.outlook && (element.tagName === 'text' || element.tagName === 'tspan')) {
      const xs = coordinateList(attribute(element, 'x'));
      const dx = coordinateList(attribute(element, 'dx'));
      const y = coordinateList(attribute(element, 'y'));
      const dy = coordinateList(attribute(element, 'dy'));
      if (dx !== undefined || y !== undefined || dy !== undefined)
        state.charXs = { of: element, xs: xs ?? [], shifts: { dx, y, dy, em: state.fontPx } };
      else if (xs !== undefined) state.charXs = { of: element, xs };
    }
    // A font drawn under the floor `shows` applies once zoomed or scaled (6px at zoom 0.25 is 1.5px).
    if (scale < 1 && state.fontPx >= 4 && state.fontPx * scale < 4) {
      state.unsure = true;
      if (!reader.layoutShown) gone = true;
    }
    const color =
      get('-webkit-text-fill-color') ??
      get('color') ??
      (element.tagName === 'font' ? attribute(element, 'color') : undefined);
    if (color !== undefined && color !== 'inherit' && color !== 'currentcolor')
      state.color = parseColor(color.toLowerCase()) ?? BLACK;
    // Filters repaint the text: inverted, brightened or flattened, it may vanish into its backdrop.
    if (/invert|brightness|contrast/.test(filter)) state.color = filtered(state.color, filter);
    // SVG text is painted with its fill.
    const fill = svg ? get('fill') : undefined;
    const stroked = /^(?:none|transparent)?$/.test(get('stroke') ?? '') === false;
    if ((fill === 'none' || fill === 'transparent') && !stroked) state.color = { ...state.color, a: 0 };
    else if (fill !== undefined && fill !== 'currentcolor' && fill !== 'inherit') {
      const painted = parseColor(fill);
      if (painted) state.color = painted;
      else state.unsure = true;
    }
    const fillOpacity = svg ? get('fill-opacity') : undefined;
    if (fillOpacity !== undefined) {
      const own = fraction(fillOpacity);
      if (own !== undefined) state.color = { ...state.color, a: state.color.a * own };
      else if (!/^(?:inherit|initial|unset|revert|revert-layer)$/.test(fillOpacity)) state.unsure = true;
    }
    const background = backgroundColor(
      get('background-color'),
      get('background'),
      attribute(element, 'bgcolor'),
    );
    if (background === null) state.backdrop = undefined;
    else if (background && background.a >= 0.5) state.backdrop = background;
    return { state, gone, boxless, style };
  }
}

// The element's `transform-origin`, when set.
function originOf(get: (property: string) => string | undefined): { origin?: string } {
  const origin = get('transform-origin') ?? get('-webkit-transform-origin');
  return origin === undefined || /^(?:initial|unset|revert|revert-layer)$/.test(origin) ? {} : { origin };
}

// Text of this state is seen: not hidden, not too small, and (outside dark mode) not the colour of its backdrop.
function shows(state: Inherited, reader: Reader): boolean {
  if (!state.visible || state.fontPx < 4) return false;
  if (reader.dark || !state.backdrop) return true;
  // Many text nodes share one state: the contrast is worked out once for it.
  state.contrasted ??= !invisibleOn(state.color, state.backdrop);
  return state.contrasted;
}

// Attribute text a reader sees: an input's value or placeholder, an option's label; Outlook, blocking
// images by default, shows their alt text.
function shownAttributes(element: Element, reader: Reader): string {
  const out: string[] = [];
  for (const a of element.attrs) {
    if (element.tagName === 'input' && (a.name === 'value' || a.name === 'placeholder')) out.push(a.value);
    // An option's label is drawn for its text; an optgroup's as the group's heading in the list (attacker round 90).
    else if ((element.tagName === 'option' || element.tagName === 'optgroup') && a.name === 'label')
      out.push(a.value);
    else if (reader.outlook && element.tagName === 'img' && a.name === 'alt') out.push(a.value);
  }
  return out.join(' ');
}

/** The list-item counter's value as a decimal list draws it (`4111. `), or nothing without one. */
function itemNumber(counters: readonly Counter[]): string {
  const counter = counters.findLast((c) => c.name === 'list-item');
  return counter ? `${counter.value}. ` : '';
}

// An element's one child element when it holds nothing else drawn (white space and comments aside).
function onlyChild(element: Element): Element | undefined {
  let only: Element | undefined;
  for (const child of element.childNodes) {
    if ('tagName' in child) {
      if (only !== undefined) return undefined;
      only = child;
    } else if (child.nodeName === '#text' && /\S/.test((child as DefaultTreeAdapterMap['textNode']).value))
      return undefined;
  }
  return only;
}

// A number as HTML reads one (`size="1.5"` is 1): leading white space, a `+`, digits; undefined without digits.
function htmlInteger(value: string | undefined): number | undefined {
  const digits = /^[\t\n\f\r ]*\+?(\d+)/.exec(value ?? '')?.[1];
  return digits === undefined ? undefined : Number(digits);
}

// The option a drop-down shows: the last marked selected, else the first (options in groups counted).
function shownOption(nodes: readonly Node[]): Node[] {
  const options: Element[] = [];
  for (const node of nodes) {
    if (!('tagName' in node)) continue;
    if (node.tagName === 'option') options.push(node);
    else if (node.tagName === 'optgroup')
      for (const child of node.childNodes)
        if ('tagName' in child && child.tagName === 'option') options.push(child);
  }
  const shown = options.findLast((o) => attribute(o, 'selected') !== undefined) ?? options[0];
  return shown ? [shown] : [];
}

// A browser draws a ruby annotation (`<ruby>4<rt>a</rt>1<rt>b</rt></ruby>`) small above its base text, which reads
// on as one line (4111…: attacker round 66): read out of the line by browser readers. Outlook shows it in line, and
// the reader that keeps what layout moves reads it in line too, so its text is still read.
function annotationAbove(element: Element, reader: Reader): boolean {
  return (
    element.tagName === 'rt' && element.namespaceURI === HTML_NS && !reader.outlook && !reader.layoutShown
  );
}

// At most this many coordinates of an `x` list are read (a longer list is read up to here).
const MAX_COORDINATES = 10_000;

// An SVG `x` list of two coordinates or more (`x="0 10 20"`, commas too), undefined otherwise or when one is not a
// number.
function coordinateList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const list = value.trim().split(/[\s,]+/, MAX_COORDINATES);
  if (list.length < 2) return undefined;
  const xs = list.map(Number);
  return xs.every(Number.isFinite) ? xs : undefined;
}

/** Lists of `dx`, `y` and `dy` that place an SVG text's characters beside its `x` list, and its font size in pixels. */
export interface CharShifts {
  dx?: readonly number[];
  y?: readonly number[];
  dy?: readonly number[];
  em?: number;
}

/**
 * An SVG text's characters in the order a list of `x` coordinates draws them (attacker round 104): white space
 * handled as SVG's default does (line breaks removed, tabs as spaces, the ends trimmed, runs collapsed), the `i`-th
 * character at the `i`-th coordinate, characters past the list following the one before them; a stable sort, so
 * characters at one place keep their order. O(n log n) in the text.
 *
 * With lists of `dx` shifts, `y` coordinates or `dy` shifts (attacker round 105) the `i`-th character is also shifted
 * by the `i`-th `dx`, drawn at the `i`-th `y` (or the one before it's) shifted by the `i`-th `dy`, and each character
 * not placed by an `x` follows the one before it by its advance, which depends on the font. Characters are read in
 * rows, top to bottom (a row holds the characters less than half an `em` below its first), each from left to right;
 * the order in a row is worked out for an advance of a quarter of `em` (the font size in pixels) and of a whole `em`,
 * the narrowest and widest glyphs. Where the two differ (a pair of characters trades places in between), both readings
 * are kept, joined by ` ; ` (which joins no digit groups). Rows are joined by a line break.
 *
 * @example
 * ```ts
 * drawnByX('1234', [30, 20, 10, 0]); // '4321'
 * drawnByX('1411', [10], { dx: [0, -100, 100] }); // '4111'
 * drawnByX('abcd', [0, 10, 0, 10], { y: [20, 20, 0, 0] }); // 'cd\nab'
 * ```
 */
export function drawnByX(text: string, xs: readonly number[], shifts?: CharShifts): string {
  const chars = [
    ...text
      .replace(/[\r\n]+/g, '')
      .replace(/\t/g, ' ')
      .trim()
      .replace(/ {2,}/g, ' '),
  ];
  if (shifts !== undefined) {
    const { dx = [], y: ys = [], dy = [], em = 16 } = shifts;
    // The `i`-th character drawn at `at + advances * advance`, on the line `y`.
    let at = 0;
    let advances = 0;
    let line = 0;
    const placed = chars.map((c, i) => {
      const x = xs[i];
      if (x !== undefined) {
        at = x;
        advances = 0;
      } else if (i > 0) advances++;
      at += dx[i] ?? 0;
      line = (ys[i] ?? line) + (dy[i] ?? 0);
      return { c, at, advances, line, i };
    });
    // Rows, top to bottom.
    placed.sort((a, b) => a.line - b.line || a.i - b.i);
    const rows: (typeof placed)[] = [];
    for (const p of placed) {
      const row = rows.at(-1);
      if (row !== undefined && p.line - (row[0] as (typeof placed)[number]).line < em / 2) row.push(p);
      else rows.push([p]);
    }
    const order = (row: typeof placed, advance: number) =>
      [...row]
        .sort((a, b) => a.at + a.advances * advance - (b.at + b.advances * advance) || a.i - b.i)
        .map((p) => p.c)
        .join('');
    return rows
      .map((row) => {
        const narrow = order(row, em / 4);
        const wide = order(row, em);
        return narrow === wide ? narrow : `${narrow} ; ${wide}`;
      })
      .join('\n');
  }
  let last = 0;
  let lastAt = 0;
  const placed = chars.map((c, i) => {
    const x = xs[i];
    if (x !== undefined) {
      last = x;
      lastAt = i;
      return { c, x, i };
    }
    return { c, x: last + (i - lastAt) * 1e-6, i };
  });
  placed.sort((a, b) => a.x - b.x || a.i - b.i);
  return placed.map((p) => p.c).join('');
}
