import { type DefaultTreeAdapterMap, parse, parseFragment } from 'parse5';
import { NO_DEADLINE, type ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from '../mime/reading-deadline.js';
import {
  ancestorKeys,
  dataUrlText,
  MatchBudgetExceeded,
  matches,
  parseStylesheet,
  ruleKey,
  type StyleRule,
  unmodelledRule,
} from './css-rules.js';
import {
  cssPlain,
  declarations,
  fontShorthandSize,
  fontSizePx,
  fraction,
  invisibleOn,
  lengthPx,
  parseColor,
  type Rgba,
  transformHides,
} from './css-values.js';
import { HTML_BLOCKS, tagLeavesGap } from './tag-gaps.js';

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];
type Parent = DefaultTreeAdapterMap['parentNode'];

/** What {@link htmlShownTexts} read: one text per kind of reader, or why it could not. */
export interface ShownTexts {
  texts: string[];
  /** Set when the page could not be read as shown within its bounds (the caller counts it unread). */
  undecided?: string;
}

/** A kind of mail reader: its screen, its rendering engine's habits. */
interface Reader {
  /** Screen width for `@media`; undefined: media rules ignored (Outlook's Word engine). */
  width?: number;
  /** Dark mode: colours do not hide (clients repaint them), `prefers-color-scheme: dark` holds. */
  dark: boolean;
  /** Outlook for Windows: `<!--[if mso]>` content shown, `mso-hide:all` hides, alt text of blocked images. */
  outlook: boolean;
  /** Whether `<style>` blocks apply (some webmail views keep inline styles only). */
  stylesheets: boolean;
  /** Webmail shows a message inside its own standards-mode page, whatever the message's doctype. */
  standards?: boolean;
  /** Keeps what only layout would hide (transforms, clips, offsets), for a reader whose layout differs. */
  layoutShown?: boolean;
}

const READERS: readonly Reader[] = [
  { width: 1024, dark: false, outlook: false, stylesheets: true },
  { width: 375, dark: false, outlook: false, stylesheets: true },
  { width: 1024, dark: true, outlook: false, stylesheets: true },
  { outlook: true, dark: false, stylesheets: true },
  { width: 1024, dark: false, outlook: false, stylesheets: false },
  { width: 1024, dark: false, outlook: false, stylesheets: true, standards: true },
  { width: 1024, dark: false, outlook: false, stylesheets: true, layoutShown: true },
];

/** Bounds: selector matching steps over the whole page (the tree and the parse are linear). */
const MAX_MATCH_STEPS = 4_000_000;
const MAX_RULES = 5000;
const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/**
 * The text of an HTML body as its readers are shown it, one text per kind of reader (a desktop browser, a
 * phone, dark mode, Outlook for Windows, a webmail view without stylesheets; equal texts once): the page is
 * built as browsers build it (parse5: misnested tags, tables, SVG and MathML, character references), the
 * stylesheets and inline styles cascade onto it, and text a reader cannot see is left out — `display:none`,
 * `visibility:hidden`, a font under 4px, text the colour of what is behind it, transparent, clipped,
 * scaled or moved out of sight, `hidden`, scripts, closed `<details>`, Outlook's conditional comments and
 * `mso-hide:all` for Outlook alone. The detectors match these beside the full text ({@link htmlToText}):
 * a letter a page hides between two digit groups cannot split a number a reader sees whole. Linear parse;
 * selector matching and generated boxes are bounded, and a page over a bound, or still being read at the
 * `deadline`, is `undecided`.
 *
 * @example
 * ```ts
 * htmlShownTexts('<p>4111 1111<span style="display:none">x</span> 1111 1111</p>').texts[0]; // ' 4111 1111   1111 1111 '
 * ```
 */
export function htmlShownTexts(html: string, deadline: ReadingDeadline = NO_DEADLINE): ShownTexts {
  const document = parse(html, { scriptingEnabled: false });
  const notes: { undecided?: string } = {};
  const all = collectRules(document, notes);
  if (notes.undecided) return { texts: [], undecided: notes.undecided };
  const rules = all.filter((r) => !r.pseudo);
  const boxes = all.filter((r) => r.pseudo);
  if (rules.length > MAX_RULES || boxes.length > MAX_RULES)
    return { texts: [], undecided: `over ${MAX_RULES} style rules` };
  const page = new Page(possibleRules(rules, document), document.mode === 'quirks', deadline);
  page.generated = new Page(possibleRules(boxes, document), document.mode === 'quirks', deadline);
  // The text stylesheets write themselves (`content:` of ::before and ::after).
  const texts = new Set<string>();
  const generated = generatedContent(document);
  if (generated.text) texts.add(generated.text);
  if (generated.undecided) return { texts: [...texts], undecided: generated.undecided };
  try {
    for (const reader of READERS) {
      for (const text of page.read(document, reader)) texts.add(text);
      if (page.undecided) break;
    }
  } catch (error) {
    if (error instanceof MatchBudgetExceeded)
      return { texts: [...texts], undecided: 'styles too costly to match' };
    if (error instanceof ReadingTimeUp) return { texts: [...texts], undecided: TIME_RAN_OUT };
    throw error;
  }
  if (page.undecided) return { texts: [...texts], undecided: page.undecided };
  // Then, where the readers could not tell whether a short text shows (a style they do not model), the
  // reading without those texts: a letter hidden by such a style between two groups drops out.
  const unknown = rules.some((r) => unmodelledRule(r) && hidesSomething(r)) || externalSheets(document);
  const drop = (node: Node) => unknown || page.uncertain.has(node);
  if (unknown || page.uncertain.size > 0) texts.add(withoutSnippets(document, false, drop, page.uncertain));
  // A `::first-letter` rule can hide each element's first letter (`.c::first-letter { font-size: 0 }`).
  if (/first-letter/i.test(html)) texts.add(withoutSnippets(document, true, drop));
  return { texts: [...texts] };
}

// The rules that can match somewhere: each class, id and type they name is in the page (framework stylesheets
// bring hundreds of rules for classes a message does not use). Keys compared in lower case, so quirks too.
function possibleRules(rules: StyleRule[], document: Parent): StyleRule[] {
  if (rules.length === 0) return rules;
  const present = new Set<string>(['*']);
  for (const element of elements(document)) for (const key of ownKeys(element)) present.add(key);
  return rules.filter(
    (rule) => present.has(ruleKey(rule)) && ancestorKeys(rule).every((k) => present.has(k)),
  );
}

/** Longest text, in characters other than white space, that the snippet reading drops when it has no digit. */
export const SNIPPET_CHARS = 16;

/**
 * The page's text with the short texts that could be hidden letters left out — a text of at most
 * {@link SNIPPET_CHARS} characters without a digit (`x`, `junk`) that is all an inline element holds
 * (`<span …>x</span>`, `<i>x</i>`), whatever hides it or not: a style hides text an element at a time, so a
 * letter a page hides between two digit groups with CSS no reader here models still drops out, and no
 * stylesheet can hide the digits from this reading. Blocks and table cells keep their texts apart (the labels
 * and amounts of an invoice never join), and so does prose (`order <b>5000</b> of <b>3</b>`: `of` is no
 * element's whole text). With a `::first-letter` rule on the page, each element's first letter is left out too.
 */
function withoutSnippets(
  document: Parent,
  firstLetters: boolean,
  droppable: (node: Node) => boolean,
  uncertain: ReadonlySet<Node> = new Set(),
): string {
  const out: string[] = [];
  const stack: (Node | typeof BREAK)[] = [...document.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node | typeof BREAK;
    if (node === BREAK) {
      out.push(APART);
      continue;
    }
    if (node.nodeName === '#text') {
      let text = (node as DefaultTreeAdapterMap['textNode']).value;
      const parent = node.parentNode as Parent;
      if (firstLetters && parent.childNodes[0] === node) text = text.replace(/^\s*\S/u, '');
      // Any text without a digit under a style the readers cannot work out; elsewhere only short ones.
      const digitFree = !/\d/.test(text);
      const snippet = digitFree && (text.replace(/\s+/g, '').length <= SNIPPET_CHARS || uncertain.has(node));
      if (!snippet || !droppable(node) || !wholeOfInline(parent)) out.push(text);
      continue;
    }
    if (!('tagName' in node) || node.tagName === 'script' || node.tagName === 'style') continue;
    if (node.tagName === 'input') out.push(' ', attribute(node, 'value') ?? '', ' ');
    const block = HTML_BLOCKS.has(node.tagName);
    if (block) {
      out.push(APART);
      stack.push(BREAK);
    } else if (tagLeavesGap(node.tagName)) out.push(' ');
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
  return out.join('');
}

const BREAK = Symbol('block end');
// An inline element whose whole text is this one snippet (white space aside; empty elements beside it do not
// count). Looks at no more than 64 nodes under it.
function wholeOfInline(parent: Parent): boolean {
  if (!('tagName' in parent) || HTML_BLOCKS.has(parent.tagName)) return false;
  let texts = 0;
  let seen = 0;
  const stack: Node[] = [...parent.childNodes];
  while (stack.length > 0) {
    if (++seen > 64) return false;
    const node = stack.pop() as Node;
    if (node.nodeName === '#text') {
      if ((node as DefaultTreeAdapterMap['textNode']).value.trim() !== '' && ++texts > 1) return false;
    } else if ('tagName' in node) stack.push(...node.childNodes);
  }
  return texts === 1;
}

/**
 * The text stylesheets write (`::before { content: "4111 1111 " attr(data-b) }`): every quoted string of every
 * `content`, `quotes` and `list-style(-type)` declaration, in order, of the `<style>` blocks, the stylesheets
 * the message carries as data: URLs and the inline styles, then every element's attributes that an `attr()`
 * there names, and the strings of custom properties when a `var()` there can bring them in. Generous: a string
 * that no rule ends up showing is read too. Empty when no stylesheet writes any. Undecided when a
 * `@counter-style` writes digits (its numbering is not worked out).
 */
function generatedContent(document: Parent): { text: string; undecided?: string } {
  const strings: string[] = [];
  const variables: string[] = [];
  const attributes = new Set<string>();
  let usesVariables = false;
  let undecided: string | undefined;
  const read = (css: string) => {
    for (const m of css.matchAll(/(content|quotes|list-style(?:-type)?|--[-\w]+)\s*:\s*([^;}]{1,4096})/gi)) {
      // Escapes decoded (`"\34 111"` is `4111`); one declaration's strings join as shown, declarations do not.
      const value = cssPlain(m[2] as string);
      const quoted = [...value.matchAll(/"([^"]*)"|'([^']*)'/g)].map((q) => q[1] ?? q[2] ?? '').join('');
      if ((m[1] as string).startsWith('--')) {
        variables.push(quoted);
        continue;
      }
      strings.push(quoted);
      if (value.includes('var(')) usesVariables = true;
      for (const a of value.matchAll(/attr\(([-\w]+)/g)) attributes.add(a[1] as string);
    }
    // A counter style's symbols are shown in its counters' place: with digits among them, not worked out.
    for (const m of css.matchAll(/@counter-style[^{]{0,256}\{([^}]{0,4096})/gi)) {
      for (const d of cssPlain(m[1] as string).matchAll(
        /(?:^|;)(?:symbols|additive-symbols|prefix|suffix|negative|pad)\s*:([^;]*)/g,
      ))
        if (/\p{N}/u.test((d[1] as string).replace(/(?<![\w"'])\d+(?![\w"'])/g, '')))
          undecided = 'a @counter-style that writes digits';
    }
  };
  for (const element of elements(document)) {
    const style = attribute(element, 'style');
    if (style) read(style);
    const css = styleSheetText(element);
    if (css !== undefined) read(css);
  }
  if (usesVariables) strings.push(...variables);
  if (strings.every((x) => x === '') && attributes.size === 0) return { text: '', undecided };
  const out = [...strings];
  if (attributes.size > 0)
    for (const element of elements(document))
      out.push(
        element.attrs
          .filter((a) => attributes.has(a.name))
          .map((a) => a.value)
          .join(''),
      );
  return { text: out.join(APART), undecided };
}

// The text of a <style> element, or of a <link> to a stylesheet the message carries itself (a data: URL).
function styleSheetText(element: Element): string | undefined {
  if (element.tagName === 'style')
    return element.childNodes.map((n) => ('value' in n ? n.value : '')).join('');
  if (
    element.tagName === 'link' &&
    element.namespaceURI === HTML_NS &&
    /\bstylesheet\b/i.test(attribute(element, 'rel') ?? '')
  )
    return dataUrlText(attribute(element, 'href') ?? '');
  return undefined;
}

// Every <style> element's rules in document order (not those in a template), with its media attribute.
function collectRules(document: Parent, notes: { undecided?: string }): StyleRule[] {
  const rules: StyleRule[] = [];
  for (const element of elements(document)) {
    // A <style> in inline SVG applies to the whole page, as an HTML one does.
    // A <link> to a stylesheet the message carries itself (a data: URL) applies as a <style> would.
    const css = styleSheetText(element);
    if (css === undefined) continue;
    const media = attribute(element, 'media')?.trim().toLowerCase();
    rules.push(...parseStylesheet(css, rules.length, media && media !== 'all' ? media : undefined, notes));
  }
  return rules;
}

// Every element under `root`, in document order, without recursion (a page may nest 100,000 deep).
function* elements(root: Parent): Generator<Element> {
  const stack: Node[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (!('tagName' in node)) continue;
    yield node;
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
}

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';
// SVG presentation attributes read as the properties of the same name, and those that place text.
const SVG_ATTRIBUTES = new Set([
  'display',
  'visibility',
  'opacity',
  'font-size',
  'fill',
  'fill-opacity',
  'stroke',
  'transform',
  'clip-path',
  'mask',
  'filter',
]);
const SVG_PLACING = new Set(['x', 'y', 'dx', 'dy', 'rotate', 'textLength', 'transform']);
// Bounds on the text stylesheets write (counters() joins every counter in scope).
const MAX_COUNTERS = 64;
const MAX_WRITTEN = 1_000_000;
/** Generated boxes (`::before`, `::after`, markers, the quotes of `<q>`) one reader's view may hold. */
const MAX_GENERATED = 50_000;

/** A counter instance: its name, the element whose reset began it, its value (shared by its whole scope). */
interface Counter {
  name: string;
  origin: Element;
  value: number;
}

const clampInt = (n: number) => Math.max(-2147483648, Math.min(2147483647, Math.trunc(n)));

// A counter's value in a list style: letters and Roman numerals within their ranges, symbols, otherwise decimal
// (the digits of other numeral systems read as these do).
function counterText(value: number, style: string): string {
  if (style === 'none') return '';
  if (/^(?:disc|circle|square|disclosure-open|disclosure-closed)$/.test(style)) return '\u2022';
  if (/^(?:lower|upper)-(?:alpha|latin)$|^lower-greek$/.test(style) && value >= 1) {
    let text = '';
    for (let n = value; n > 0; n = Math.floor((n - 1) / 26))
      text = String.fromCharCode(97 + ((n - 1) % 26)) + text;
    return text;
  }
  if (/^(?:lower|upper)-roman$/.test(style) && value >= 1 && value <= 3999) {
    let text = '';
    let n = value;
    for (const [k, r] of ROMAN) for (; n >= k; n -= k) text += r;
    return text;
  }
  if (style === 'decimal-leading-zero' && value >= 0 && value < 10) return `0${value}`;
  return String(value);
}
const ROMAN: [number, string][] = [
  [1000, 'm'],
  [900, 'cm'],
  [500, 'd'],
  [400, 'cd'],
  [100, 'c'],
  [90, 'xc'],
  [50, 'l'],
  [40, 'xl'],
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
];

// The opening (0) or closing (1) string of a `quotes` value, outermost level.
function quoteOf(quotes: string | undefined, which: 0 | 1): string {
  if (!quotes) return '';
  let strings = quoteStrings.get(quotes);
  if (!strings) {
    strings = [...quotes.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
    if (quoteStrings.size >= 1024) quoteStrings.clear();
    quoteStrings.set(quotes, strings);
  }
  return strings[which] ?? '';
}
const quoteStrings = new Map<string, string[]>();

// The value a generated box's rules give a property (the last of the highest precedence), custom properties
// resolved as the element's.
function boxValue(
  rules: StyleRule[],
  pseudo: string,
  property: string,
  reader: Reader,
  vars: Map<string, string>,
): string | undefined {
  let chosen: { value: string; important: boolean } | undefined;
  for (const rule of rules) {
    if (rule.pseudo !== pseudo || (rule.media !== undefined && !mediaHolds(rule.media, reader))) continue;
    const d = rule.decls.get(property);
    if (d && (!chosen || d.important || !chosen.important)) chosen = d;
  }
  return chosen && resolveVars(chosen.value, vars);
}

const NO_RULES: StyleRule[] = [];
// Keeps pieces apart: no separator joins digit groups across it.
const APART = ' \u00b6 ';
const NO_DECLARATIONS: ReturnType<typeof declarations> = new Map();
const NO_STYLE: Style = Object.assign(new Map<string, string>(), { vars: new Map<string, string>() });
// Attributes that style or hide an element (besides the rules that match it).
const PRESENTATIONAL = new Set(['style', 'hidden', 'color', 'size', 'bgcolor', 'type']);
const FILTER_WORDS = 64;

function keyBits(key: string): [number, number] {
  let h1 = 2166136261;
  let h2 = 5381;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2, 33) ^ c;
  }
  const bits = FILTER_WORDS * 32;
  return [(h1 >>> 0) % bits, (h2 >>> 0) % bits];
}

function addKey(filter: Uint32Array, key: string): void {
  for (const bit of keyBits(key)) filter[bit >>> 5] = (filter[bit >>> 5] as number) | (1 << (bit & 31));
}

// True when every bit the rule's ancestors need is set in the filter.
function passesFilter(filter: Uint32Array, bits: Int32Array): boolean {
  for (let i = 0; i < bits.length; i++) {
    const bit = bits[i] as number;
    if (((filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

/** An element's computed declarations: property → value, and the custom properties its content inherits. */
type Style = Map<string, string> & { vars: Map<string, string> };

// The keys a rule may be filed under that fit this element: `*`, its type, its id, its classes.
function ownKeys(element: Element): string[] {
  const keys = ['*', element.tagName];
  const id = attribute(element, 'id');
  if (id) keys.push(`#${id.toLowerCase()}`);
  for (const c of (attribute(element, 'class') ?? '').split(/[ \t\r\n\f]+/))
    if (c) keys.push(`.${c.toLowerCase()}`);
  return keys;
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

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
const FONT_SIZES = [10, 10, 13, 16, 18, 24, 32, 48];

class Page {
  private readonly byKey = new Map<string, StyleRule[]>();
  private readonly matched = [new Map<Element, StyleRule[]>(), new Map<Element, StyleRule[]>()];
  private readonly budget;
  private readonly quirks: boolean;

  private readonly needs = new Map<StyleRule, Int32Array>();
  /** The root element's font size, for `rem`, as the reader being read computed it. */
  private rootPx = 16;
  /** Text nodes some reader saw under a style it does not model. */
  readonly uncertain = new Set<Node>();
  private readonly styles = new Map<Element, Map<string, Style>>();
  private readonly inline = new Map<Element, ReturnType<typeof declarations>>();
  private readonly filters = new Map<Element, Uint32Array>();

  constructor(
    rules: StyleRule[],
    quirks: boolean,
    private readonly deadline: ReadingDeadline = NO_DEADLINE,
  ) {
    for (const rule of rules) {
      this.needs.set(rule, Int32Array.from(ancestorKeys(rule).flatMap(keyBits)));
      const key = ruleKey(rule);
      const list = this.byKey.get(key);
      if (list) list.push(rule);
      else this.byKey.set(key, [rule]);
    }
    this.quirks = quirks;
    this.budget = { steps: 0, max: MAX_MATCH_STEPS, quirks };
  }

  /** Matches the rules of generated boxes (`::before`, `::after`, `::marker`). */
  generated?: Page;
  /** Why the page could not be read as shown (counters past their bounds). */
  undecided?: string;

  /** The rules that match an element for this reader, in cascade order. */
  rulesMatching(element: Element, reader: Reader): StyleRule[] {
    return reader.stylesheets ? this.rulesFor(element, this.quirks && !reader.standards) : NO_RULES;
  }

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
    const write = (text: string) => {
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
        }
      | { after: () => void }
      | { text: string };
    const stack: Entry[] = [];
    // The counters each parent's next child inherits from its previous siblings (a reset's scope goes on).
    const siblings = new Map<Parent, Counter[]>();
    const push = (
      parent: Parent,
      state: Inherited,
      gone: boolean,
      foreign: boolean,
      boxless: boolean,
      counters: Counter[],
    ) => {
      const nodes = this.children(parent, reader);
      for (let i = nodes.length - 1; i >= 0; i--)
        stack.push({ node: nodes[i] as Node, parent, state, gone, foreign, boxless, counters });
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
        const value = (node as DefaultTreeAdapterMap['textNode']).value;
        // Under `unicode-bidi: bidi-override; direction: rtl` the characters show in the other order.
        if (!gone && shows(state, reader)) both(state.turned ? [...value].reverse().join('') : value);
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
      // An inline element is laid out with its neighbours (`4111 11<b>11</b>` shows `4111 1111`).
      if (tagLeavesGap(node.tagName)) both(' ');
      const computed = this.compute(node, state, reader);
      const hidden = gone || computed.gone;
      const attributes = !hidden && shows(computed.state, reader) ? shownAttributes(node, reader) : '';
      if (attributes) both(attributes, ' ');
      // Elements without a box (display: none) neither count nor write.
      const boxless = entry.boxless || computed.boxless || UNSHOWN.has(node.tagName);
      let counters = entry.counters;
      if (!boxless && this.undecided === undefined) {
        const shown = !hidden && shows(computed.state, reader);
        const boxes = this.generated?.rulesMatching(node, reader) ?? NO_RULES;
        const inherited = siblings.get(entry.parent) ?? counters;
        counters = this.count(node, computed.style, inherited);
        if (counters !== inherited) siblings.set(entry.parent, counters);
        // Only the boxes a rule gives content are worked out (no rule: no box, nothing written).
        const box = (pseudo: 'before' | 'after' | 'marker') => {
          if (!boxes.some((r) => r.pseudo === pseudo)) return '';
          const get = (property: string) => boxValue(boxes, pseudo, property, reader, computed.state.vars);
          const content = get('content');
          if (content === undefined) return '';
          generate();
          const own = this.count(node, get, counters, true);
          return this.writes(content, node, own, computed.state.quotes);
        };
        const html = node.namespaceURI === HTML_NS;
        const item =
          html && node.tagName === 'li' && /^(?:list-item)?$/.test(computed.style.get('display') ?? '');
        const quoted = html && node.tagName === 'q' && computed.state.quotes !== undefined;
        if (item && computed.state.listStyle) generate();
        // A quoted `<q>` has two boxes: its open and close quotes.
        if (quoted) generate(2);
        const before = [
          item ? box('marker') || (computed.state.listStyle ?? '') : '',
          quoted ? quoteOf(computed.state.quotes, 0) : '',
          box('before'),
        ].join('');
        if (shown && before) write(before);
        const close = quoted ? quoteOf(computed.state.quotes, 1) : '';
        if (boxes.some((r) => r.pseudo === 'after'))
          stack.push({
            after: () => {
              const text = `${close}${box('after')}`;
              if (shown && text) write(text);
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
          hidden || UNSHOWN.has(node.tagName),
          foreign || node.namespaceURI !== HTML_NS,
          boxless,
          counters,
        );
    }
    const page = out.join('');
    if (written.length === 0) return [page];
    // The same page with the written text in place, each piece apart from its neighbours by a space.
    const pieces: string[] = [];
    let from = 0;
    for (const { at, text } of written) {
      pieces.push(page.slice(from, at), ' ', text, ' ');
      from = at;
    }
    pieces.push(page.slice(from));
    return [page, pieces.join('')];
  }

  // The counters in scope after an element (or its generated box) resets, increments and sets them (CSS Lists 3:
  // a reset starts a counter whose scope is the element, its later siblings and their content; lists number
  // their items with `list-item`). Counters are shared cells, so a later element in document order sees the
  // value an earlier one left.
  private count(
    element: Element,
    get: ((p: string) => string | undefined) | Style,
    inherited: Counter[],
    box = false,
  ): Counter[] {
    const value = typeof get === 'function' ? get : (p: string) => get.get(p);
    let counters = inherited;
    const html = element.namespaceURI === HTML_NS && !box;
    const resets = this.pairs(value('counter-reset'), 0);
    const increments = this.pairs(value('counter-increment'), 1);
    const sets = this.pairs(value('counter-set'), 0);
    if (html && /^(?:ol|ul|menu)$/.test(element.tagName) && !resets.some(([n]) => n === 'list-item')) {
      if (attribute(element, 'reversed') !== undefined)
        this.undecided = 'a reversed list numbered by counters';
      const start = Number.parseInt(attribute(element, 'start') ?? '', 10);
      resets.push(['list-item', Number.isFinite(start) ? clampInt(start - 1) : 0]);
    }
    if (html && element.tagName === 'li') {
      if (!increments.some(([n]) => n === 'list-item')) increments.push(['list-item', 1]);
      const given = Number.parseInt(attribute(element, 'value') ?? '', 10);
      if (Number.isFinite(given)) sets.push(['list-item', clampInt(given)]);
    }
    if (resets.length + increments.length + sets.length === 0) return counters;
    const reset = (name: string, start: number): Counter => {
      if (counters === inherited) counters = [...inherited];
      const k = counters.findLastIndex((c) => c.name === name);
      const innermost = counters[k];
      if (innermost && (innermost.origin === element || innermost.origin.parentNode === element.parentNode))
        counters.splice(k, 1);
      const counter = { name, origin: element, value: start };
      if (counters.length >= MAX_COUNTERS) this.undecided = 'counters nested too deep';
      else counters.push(counter);
      return counter;
    };
    const find = (name: string) => counters.findLast((c) => c.name === name) ?? reset(name, 0);
    for (const [name, n] of resets) reset(name, n);
    for (const [name, n] of increments) {
      const c = find(name);
      c.value = clampInt(c.value + n);
    }
    for (const [name, n] of sets) find(name).value = n;
    return counters;
  }

  // `a 4111 b`: each counter named, with its number or the default.
  private pairs(value: string | undefined, fallback: number): [string, number][] {
    const out: [string, number][] = [];
    if (!value || value === 'none') return out;
    const tokens = value.split(' ');
    for (let i = 0; i < tokens.length; i++) {
      const name = tokens[i] as string;
      if (/^[+-]?\d+$/.test(name)) continue;
      if (name.includes('(')) {
        this.undecided = 'a reversed counter';
        continue;
      }
      const next = tokens[i + 1];
      if (next !== undefined && /^[+-]?\d+$/.test(next)) {
        out.push([name, clampInt(Number(next))]);
        i++;
      } else out.push([name, fallback]);
    }
    return out;
  }

  // What a `content` value writes: its strings, attributes, counters and quotes, in order.
  private writes(value: string, element: Element, counters: Counter[], quotes: string | undefined): string {
    if (value === 'none' || value === 'normal' || value === '') return '';
    const out: string[] = [];
    for (const m of value.matchAll(
      /"([^"]*)"|'([^']*)'|counter\(([^,)]+)(?:,([-\w]+))?\)|counters\(([^,)]+),(?:"([^"]*)"|'([^']*)')(?:,([-\w]+))?\)|attr\(([-\w]+)[^)]*\)|(open|close)-quote/g,
    )) {
      if (m[1] !== undefined || m[2] !== undefined) out.push(m[1] ?? m[2] ?? '');
      else if (m[3] !== undefined) {
        const counter = counters.findLast((c) => c.name === m[3]);
        out.push(counterText(counter?.value ?? 0, m[4] ?? 'decimal'));
      } else if (m[5] !== undefined) {
        const all = counters.filter((c) => c.name === m[5]);
        const shown = all.length > 0 ? all : [{ value: 0 }];
        // Checked before it is built: each level joins the whole separator.
        if (shown.length * ((m[6] ?? m[7] ?? '').length + 12) > MAX_WRITTEN / 16) {
          this.undecided = 'stylesheets write too much text';
          return '';
        }
        out.push(shown.map((c) => counterText(c.value, m[8] ?? 'decimal')).join(m[6] ?? m[7] ?? ''));
      } else if (m[9] !== undefined) out.push(attribute(element, m[9]) ?? '');
      else if (m[10] !== undefined) out.push(quoteOf(quotes, m[10] === 'open' ? 0 : 1));
    }
    return out.join('');
  }

  // A Bloom filter of the keys (type, #id, .class, lower case) of an element's ancestors, as browsers keep
  // one: a fixed size per element, so a deep page costs linear time; a full filter only lets more rules through.
  private ancestorFilter(element: Element): Uint32Array {
    const chain: Element[] = [];
    let node = element.parentNode as Parent | null;
    let filter: Uint32Array | undefined;
    while (node && 'tagName' in node) {
      filter = this.filters.get(node);
      if (filter) break;
      chain.push(node);
      node = node.parentNode as Parent | null;
    }
    let current = filter ?? new Uint32Array(FILTER_WORDS);
    for (let k = chain.length - 1; k >= 0; k--) {
      const ancestor = chain[k] as Element;
      // The filter of the ancestor's children: its own filter plus its keys.
      current = Uint32Array.from(current);
      for (const key of ownKeys(ancestor)) addKey(current, key);
      this.filters.set(ancestor, current);
    }
    return current;
  }

  // An element's children as this reader gets them: Outlook reads its conditional comments as markup and
  // skips what `<!--[if !mso]><!-->` … `<!--<![endif]-->` shows everyone else; a closed <details> shows its summary.
  private children(parent: Parent, reader: Reader): Node[] {
    const nodes = parent.childNodes as Node[];
    const closed =
      'tagName' in parent && parent.tagName === 'details' && attribute(parent, 'open') === undefined;
    if (closed) {
      const summary = nodes.find((n) => 'tagName' in n && n.tagName === 'summary');
      return summary ? [summary] : [];
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
    const rules = reader.stylesheets ? this.rulesFor(element, this.quirks && !reader.standards) : NO_RULES;
    const svg = element.namespaceURI === SVG_NS;
    // Browsers' own stylesheet hides <rp> (the fallback parentheses of ruby).
    const rp = element.tagName === 'rp' && element.namespaceURI === HTML_NS;
    if (
      rules.length === 0 &&
      !rp &&
      !element.attrs.some(
        (a) => PRESENTATIONAL.has(a.name) || (svg && (SVG_ATTRIBUTES.has(a.name) || SVG_PLACING.has(a.name))),
      )
    )
      return { state: parent, gone: false, boxless: false, style: NO_STYLE };
    const style = this.styleOf(element, rules, reader, parent.vars);
    const get = (property: string) => style.get(property);
    const ctx = { fontPx: parent.fontPx, percentOf: parent.fontPx, rootPx: this.rootPx };
    let gone = false;
    const display = get('display');
    if (display === 'none' || (display === undefined && (attribute(element, 'hidden') !== undefined || rp)))
      gone = true;
    const boxless = gone;
    if (get('content-visibility') === 'hidden') gone = true;
    if (reader.outlook && get('mso-hide') === 'all') gone = true;
    if (element.tagName === 'input' && /^\s*hidden\s*$/i.test(attribute(element, 'type') ?? '')) gone = true;
    // Hiding that depends on layout this reader does not model (an inline box ignores a transform, a clip
    // needs a position): gone for most readers, kept but unsure for one, so that wrongly hiding a number
    // cannot keep it from every reading.
    let risky = false;
    let alpha = parent.alpha;
    const opacity = get('opacity');
    if (opacity !== undefined) alpha *= fraction(opacity) ?? 1;
    const filter = get('filter') ?? '';
    for (const m of filter.matchAll(/opacity\(([^)]*)\)/g)) alpha *= fraction(m[1] as string) ?? 1;
    if (alpha < 0.2) gone = true;
    // Blurred past reading, or zoomed to a speck.
    const blur = /blur\(([^)]*)\)/.exec(filter)?.[1];
    if (blur !== undefined && (lengthPx(blur, ctx) ?? 0) >= 8) risky = true;
    const zoom = get('zoom');
    if (zoom !== undefined && (fraction(zoom) ?? 1) < 0.2) risky = true;
    for (const [property, wrap] of [
      ['transform', ''],
      ['scale', 'scale'],
      ['translate', 'translate'],
      ['rotate', 'rotate3d'],
    ] as const) {
      const value = get(property);
      if (value === undefined || value === 'none') continue;
      const text = wrap
        ? `${wrap}(${property === 'rotate' && !/\d\s+\S/.test(value) ? `0 0 1 ${value}` : value.replace(/ /g, ',')})`
        : value;
      if (transformHides(text, ctx)) risky = true;
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
    };
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
    const size = get('font-size') ?? (get('font') ? fontShorthandSize(get('font') as string) : undefined);
    if (size !== undefined) state.fontPx = fontSizePx(size, parent.fontPx, this.rootPx) ?? parent.fontPx;
    if (element.tagName === 'html') this.rootPx = state.fontPx;
    const sizeAttribute = element.tagName === 'font' ? attribute(element, 'size') : undefined;
    if (sizeAttribute !== undefined && size === undefined) state.fontPx = fontAttributePx(sizeAttribute);
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
    if (svg && get('fill-opacity') !== undefined)
      state.color = { ...state.color, a: state.color.a * (fraction(get('fill-opacity') as string) ?? 1) };
    const background = backgroundColor(
      get('background-color'),
      get('background'),
      attribute(element, 'bgcolor'),
    );
    if (background === null) state.backdrop = undefined;
    else if (background && background.a >= 0.5) state.backdrop = background;
    return { state, gone, boxless, style };
  }

  // Property → value for this element: matching rules by specificity and order, then the inline style,
  // `!important` rules over both; presentational attributes under them all. Custom properties resolved.
  // Readers whose rules for this element are the same (no media rule among them, the same stylesheet and
  // quirks settings) share one cascade; custom properties make it depend on the parent's, so those do not.
  private styleOf(
    element: Element,
    rules: StyleRule[],
    reader: Reader,
    inherited: Map<string, string>,
  ): Style {
    if (inherited.size > 0) return this.cascade(element, rules, reader, inherited);
    const media = rules.some((r) => r.media !== undefined);
    const key = `${reader.stylesheets}|${this.quirks && !reader.standards}|${media ? `${reader.width}|${reader.dark}` : ''}`;
    let cached = this.styles.get(element);
    if (!cached) {
      cached = new Map();
      this.styles.set(element, cached);
    }
    let style = cached.get(key);
    if (!style) {
      style = this.cascade(element, rules, reader, inherited);
      cached.set(key, style);
    }
    return style;
  }

  private cascade(
    element: Element,
    rules: StyleRule[],
    reader: Reader,
    inherited: Map<string, string>,
  ): Style {
    const chosen = new Map<string, { value: string; important: boolean }>();
    const put = (property: string, d: { value: string; important: boolean }) => {
      const had = chosen.get(property);
      if (!had || d.important || !had.important) chosen.set(property, d);
    };
    // SVG presentation attributes (`display="none"`, `font-size="0"`) under every rule.
    if (element.namespaceURI === SVG_NS)
      for (const a of element.attrs) {
        if (!SVG_ATTRIBUTES.has(a.name)) continue;
        const value = a.value.trim().toLowerCase();
        put(a.name, {
          value: /^[\d.]+$/.test(value) && a.name === 'font-size' ? `${value}px` : value,
          important: false,
        });
      }
    for (const rule of rules) {
      if (rule.media !== undefined && !mediaHolds(rule.media, reader)) continue;
      for (const [property, d] of rule.decls) put(property, d);
    }
    for (const [property, d] of this.inlineStyle(element)) put(property, d);
    let vars = inherited;
    for (const [property, d] of chosen) {
      if (!property.startsWith('--')) continue;
      if (vars === inherited) vars = new Map(inherited);
      vars.set(property, d.value);
    }
    const values = new Map<string, string>();
    for (const [property, d] of chosen) {
      if (!property.startsWith('--')) values.set(property, resolveVars(d.value, vars));
    }
    return Object.assign(values, { vars });
  }

  // The `style` attribute's declarations, read once for all readers.
  private inlineStyle(element: Element): ReturnType<typeof declarations> {
    let decls = this.inline.get(element);
    if (!decls) {
      const text = attribute(element, 'style');
      decls = text ? declarations(cssPlain(text)) : NO_DECLARATIONS;
      this.inline.set(element, decls);
    }
    return decls;
  }

  private rulesFor(element: Element, quirks: boolean): StyleRule[] {
    const cache = this.matched[quirks ? 1 : 0] as Map<Element, StyleRule[]>;
    const cached = cache.get(element);
    if (cached) return cached;
    if (this.byKey.size === 0) return NO_RULES;
    this.budget.quirks = quirks;
    // Browsers' ancestor filter: a rule needing an ancestor of a class, id or type the element's ancestors do
    // not have is passed over without walking them.
    const above = this.ancestorFilter(element);
    const found = new Set<StyleRule>();
    for (const key of ownKeys(element)) {
      for (const rule of this.byKey.get(key) ?? []) {
        if (found.has(rule)) continue;
        if (!passesFilter(above, this.needs.get(rule) as Int32Array)) continue;
        if (matches(rule.selector, element, this.budget)) found.add(rule);
      }
    }
    const list = [...found].sort((a, b) => a.specificity - b.specificity || a.order - b.order);
    cache.set(element, list);
    return list;
  }
}

// Styles that can hide text in ways no reader here works out: masks, blends, text painted by its background,
// positioned or indented boxes, clipping boxes, filters and transforms not read, values that do not parse.
function unmodelled(
  get: (p: string) => string | undefined,
  ctx: { fontPx: number; percentOf: number },
): boolean {
  for (const p of ['mask', 'mask-image', '-webkit-mask', '-webkit-mask-image', '-webkit-text-stroke']) {
    const v = get(p);
    if (v !== undefined && v !== 'none') return true;
  }
  const blend = get('mix-blend-mode');
  if (blend !== undefined && blend !== 'normal') return true;
  if (/text/.test(get('background-clip') ?? get('-webkit-background-clip') ?? '')) return true;
  // A box laid over others, or moved by an offset.
  const position = get('position') ?? '';
  if (/absolute|fixed/.test(position)) return true;
  if (
    /relative|sticky/.test(position) &&
    ['left', 'top', 'right', 'bottom', 'inset'].some((p) => nonZero(get(p), ctx))
  )
    return true;
  const indent = get('text-indent');
  if (indent !== undefined && lengthPx(indent, ctx) !== 0) return true;
  if ((lengthPx(get('letter-spacing') ?? '0', ctx) ?? -1) < 0) return true;
  // A clipping box narrow or short enough to cut digits off (a wrapper 600px wide is not).
  const overflow = get('overflow') ?? get('overflow-x') ?? get('overflow-y');
  if (overflow && /hidden|clip/.test(overflow)) {
    for (const p of ['width', 'height', 'max-width', 'max-height', 'inline-size', 'block-size']) {
      const v = get(p);
      if (v === undefined) continue;
      const px = lengthPx(v, ctx);
      if (px === undefined || px < 100) return true;
    }
  }
  const filter = get('filter');
  if (filter && /(?:drop-shadow|hue-rotate|saturate|sepia|grayscale|url)\(/.test(filter)) return true;
  const transform = get('transform');
  if (transform && transformHides(transform, ctx) === undefined) return true;
  for (const p of ['color', '-webkit-text-fill-color']) {
    const v = get(p);
    if (v !== undefined && !/^(?:inherit|currentcolor|initial|unset)$/.test(v) && !parseColor(v)) return true;
  }
  const size = get('font-size');
  if (
    size !== undefined &&
    !/^(?:inherit|initial|unset)$/.test(size) &&
    fontSizePx(size, ctx.fontPx) === undefined
  )
    return true;
  return /url\(|gradient\(/.test(get('background') ?? get('background-image') ?? '');
}

function nonZero(value: string | undefined, ctx: { fontPx: number; percentOf: number }): boolean {
  return value !== undefined && value !== 'auto' && value.split(' ').some((v) => lengthPx(v, ctx) !== 0);
}

// A rule's declarations include one that can hide text.
function hidesSomething(rule: StyleRule): boolean {
  return [...rule.decls.keys()].some((p) => HIDING_PROPERTIES.test(p));
}
const HIDING_PROPERTIES =
  /^(?:display|visibility|opacity|font|font-size|color|-webkit-text-fill-color|transform|scale|translate|rotate|clip|clip-path|filter|height|width|max-height|max-width|line-height|text-indent|position|left|top|right|bottom|inset|margin.*|mask.*|-webkit-mask.*|mix-blend-mode|zoom|content-visibility|overflow.*)$/;

// A stylesheet the message does not carry (a <link> to a URL, an @import of one): its rules are not known.
function externalSheets(document: Parent): boolean {
  for (const element of elements(document)) {
    if (element.tagName === 'link' && /\bstylesheet\b/i.test(attribute(element, 'rel') ?? '')) {
      if (!/^\s*data:/i.test(attribute(element, 'href') ?? '')) return true;
    }
    if (element.tagName === 'style') {
      const css = element.childNodes.map((n) => ('value' in n ? n.value : '')).join('');
      if (/@import\s+(?:url\(\s*)?["']?(?!data:)/i.test(css)) return true;
    }
  }
  return false;
}

// A colour through `invert()`, `brightness()` and `contrast()`, applied in order.
function filtered(color: Rgba, filter: string): Rgba {
  let { r, g, b } = color;
  for (const m of filter.matchAll(/(invert|brightness|contrast)\(([^)]*)\)/g)) {
    const k = fraction(m[2] as string) ?? 1;
    const each = (c: number) =>
      m[1] === 'invert' ? c + (255 - 2 * c) * k : m[1] === 'brightness' ? c * k : (c - 127.5) * k + 127.5;
    [r, g, b] = [r, g, b].map((c) => Math.max(0, Math.min(255, each(c)))) as [number, number, number];
  }
  return { r, g, b, a: color.a };
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
    else if (element.tagName === 'option' && a.name === 'label') out.push(a.value);
    else if (reader.outlook && element.tagName === 'img' && a.name === 'alt') out.push(a.value);
  }
  return out.join(' ');
}

function offScreen(
  get: (p: string) => string | undefined,
  ctx: { fontPx: number; percentOf: number },
): boolean {
  const far = (v: string | undefined) =>
    v?.split(' ').some((part) => {
      const px = lengthPx(part, ctx);
      return px !== undefined && (px <= -500 || px >= 5000);
    });
  const positioned = /absolute|fixed|relative/.test(get('position') ?? '');
  if (positioned && ['left', 'top', 'right', 'bottom', 'inset'].some((p) => far(get(p)))) return true;
  return ['margin-left', 'margin-top', 'margin', 'text-indent'].some((p) => {
    const v = get(p);
    return v?.split(' ').some((part) => (lengthPx(part, ctx) ?? 0) <= -500);
  });
}

// A background's colour; null when an image (or a gradient) is drawn and its colour is not known.
function backgroundColor(
  color?: string,
  shorthand?: string,
  attributeValue?: string,
): Rgba | null | undefined {
  if (shorthand && /url\(|gradient\(/.test(shorthand)) return null;
  const value = color ?? shorthand;
  if (value) {
    for (const token of value.split(/ (?![^(]*\))/)) {
      const parsed = parseColor(token);
      if (parsed) return parsed;
    }
    return undefined;
  }
  return attributeValue ? parseColor(attributeValue.trim().toLowerCase()) : undefined;
}

function fontAttributePx(value: string): number {
  const v = value.trim();
  const n = /^[+-]/.test(v) ? 3 + Number(v) : Number(v);
  return FONT_SIZES[Math.max(1, Math.min(7, Number.isFinite(n) ? Math.round(n) : 3))] as number;
}

function resolveVars(value: string, vars: Map<string, string>): string {
  let out = value;
  for (let round = 0; round < 8 && out.includes('var('); round++) {
    out = out.replace(
      /var\((--[\w-]+)(?:,([^()]*))?\)/g,
      (_, name: string, fallback?: string) => vars.get(name) ?? fallback?.trim() ?? '',
    );
  }
  return out;
}

// A media query list for this reader: `screen`, `print`, widths, `prefers-color-scheme`, `orientation`.
function mediaHolds(media: string, reader: Reader): boolean {
  if (reader.width === undefined) return false;
  return media.split(',').some((query) => {
    const q = query.trim();
    const negated = q.startsWith('not ');
    const holds = queryHolds(q.replace(/^(?:not|only) /, ''), reader, reader.width as number);
    return negated ? !holds : holds;
  });
}

function queryHolds(query: string, reader: Reader, width: number): boolean {
  for (const part of query.split(/ and /)) {
    const p = part.trim().replace(/^\(|\)$/g, '');
    if (p === 'screen' || p === 'all' || p === '') continue;
    if (p === 'print' || p === 'speech') return false;
    const m = /^(min-|max-)?(device-)?(width|height|aspect-ratio|resolution)\s*:\s*(.+)$/.exec(p);
    if (m) {
      const px = lengthPx((m[4] as string).trim(), { fontPx: 16, percentOf: 0 });
      if (m[3] !== 'width' || px === undefined) continue;
      if (m[1] === 'min-' && width < px) return false;
      if (m[1] === 'max-' && width > px) return false;
      if (!m[1] && width !== px) return false;
      continue;
    }
    if (p.startsWith('prefers-color-scheme')) {
      if (p.endsWith('dark') !== reader.dark) return false;
      continue;
    }
    if (p.startsWith('orientation')) {
      if (p.endsWith('portrait') !== width < 768) return false;
    }
  }
  return true;
}

// `mso`, `gte mso 9`, `!mso`, `(mso)|(IE)`, `mso & !IE`: true for Outlook's Word engine (not IE).
function outlookCondition(expression: string): boolean {
  const tokens =
    expression.toLowerCase().match(/!|&|\||\(|\)|(?:[lg]te? )?(?:mso|ie|vml)(?: [\d.]+)?|\S+/g) ?? [];
  let i = 0;
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '!') return !primary();
    if (t === '(') {
      const v = or();
      i++;
      return v;
    }
    return t !== undefined && /mso|vml/.test(t);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === '&') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === '|') {
      i++;
      v = and() || v;
    }
    return v;
  };
  return or();
}
