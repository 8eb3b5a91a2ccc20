import { resolveVars, type Style } from './css-cascade.js';
import type { StyleRule } from './css-rules.js';
import { cssEscapesDecoded, cssPlain, cssWithoutComments } from './css-values.js';
import { mediaHolds, type Reader } from './html-readers.js';
import {
  APART,
  attribute,
  type Element,
  elements,
  HTML_NS,
  type Parent,
  styleSheetText,
} from './html-tree.js';

// CSS generated content for the shown-text reading (html-shown.ts): the text of `::before`, `::after` and
// `::marker` boxes, the counters they show as CSS Lists 3 scopes them, the quotes of `open-quote` and `<q>`, and
// the bounds on all of it. A bound passed sets the caller's `notes.undecided` (the page is then unread).

// Bounds on the text stylesheets write (counters() joins every counter in scope).
const MAX_COUNTERS = 64;
export const MAX_WRITTEN = 1_000_000;
/** Generated boxes (`::before`, `::after`, markers, the quotes of `<q>`) one reader's view may hold. */
export const MAX_GENERATED = 50_000;

/** A counter instance: its name, the element whose reset began it, its value (shared by its whole scope). */
export interface Counter {
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
export function quoteOf(quotes: string | undefined, which: 0 | 1): string {
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
export function boxValue(
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

/**
 * Whether an element's box is a list item, which draws a marker and counts in `list-item` (CSS Lists 3): its
 * display has the `list-item` keyword (`block list-item`, on a `<div>` too), or it is an HTML `<li>` or
 * `<summary>` whose display the page leaves to the browser. An `<li>` made a block is not one (attacker round 45).
 */
export function isListItem(element: Element, display: string | undefined): boolean {
  const d = (display ?? '').trim().toLowerCase();
  const html = element.namespaceURI === HTML_NS;
  const byDefault = html && (element.tagName === 'li' || element.tagName === 'summary');
  if (d === '' || /^(?:revert|revert-layer)$/.test(d)) return byDefault;
  // Inherited from a parent that may be an item: read as one rather than miss its number.
  const parent = element.parentNode;
  if (d === 'inherit')
    return byDefault || (parent !== null && 'tagName' in parent && parent.tagName === 'li');
  return /(?:^|\s)list-item(?:\s|$)/.test(d);
}

// The counters in scope after an element (or its generated box) resets, increments and sets them (CSS Lists 3:
// a reset starts a counter whose scope is the element, its later siblings and their content; lists number
// their items with `list-item`). Counters are shared cells, so a later element in document order sees the
// value an earlier one left.
export function countersAfter(
  element: Element,
  get: ((p: string) => string | undefined) | Style,
  inherited: Counter[],
  notes: { undecided?: string },
  box = false,
): Counter[] {
  const value = typeof get === 'function' ? get : (p: string) => get.get(p);
  let counters = inherited;
  const html = element.namespaceURI === HTML_NS && !box;
  const resets = counterPairs(value('counter-reset'), 0, notes);
  const increments = counterPairs(value('counter-increment'), 1, notes);
  const sets = counterPairs(value('counter-set'), 0, notes);
  if (html && /^(?:ol|ul|menu)$/.test(element.tagName) && !resets.some(([n]) => n === 'list-item')) {
    if (attribute(element, 'reversed') !== undefined)
      notes.undecided = 'a reversed list numbered by counters';
    const start = Number.parseInt(attribute(element, 'start') ?? '', 10);
    resets.push(['list-item', Number.isFinite(start) ? clampInt(start - 1) : 0]);
  }
  if (html && isListItem(element, value('display'))) {
    if (!increments.some(([n]) => n === 'list-item')) increments.push(['list-item', 1]);
  }
  if (html && element.tagName === 'li') {
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
    if (counters.length >= MAX_COUNTERS) notes.undecided = 'counters nested too deep';
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
function counterPairs(
  value: string | undefined,
  fallback: number,
  notes: { undecided?: string },
): [string, number][] {
  const out: [string, number][] = [];
  if (!value || value === 'none') return out;
  const tokens = value.split(' ');
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i] as string;
    if (/^[+-]?\d+$/.test(name)) continue;
    if (name.includes('(')) {
      notes.undecided = 'a reversed counter';
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
export function contentText(
  value: string,
  element: Element,
  counters: Counter[],
  quotes: string | undefined,
  notes: { undecided?: string },
): string {
  if (value === 'none' || value === 'normal' || value === '') return '';
  const out: string[] = [];
  for (const m of value.matchAll(
    /"([^"]*)"|'([^']*)'|counter\(([^,()]+)(?:,([-\w]+))?\)|counters\(([^,()]+),(?:"([^"]*)"|'([^']*)')(?:,([-\w]+))?\)|attr\(([-\w]+)[^()]*\)|(open|close)-quote/g,
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
        notes.undecided = 'stylesheets write too much text';
        return '';
      }
      out.push(shown.map((c) => counterText(c.value, m[8] ?? 'decimal')).join(m[6] ?? m[7] ?? ''));
    } else if (m[9] !== undefined) out.push(attribute(element, m[9]) ?? '');
    else if (m[10] !== undefined) out.push(quoteOf(quotes, m[10] === 'open' ? 0 : 1));
  }
  return out.join('');
}

// The names `counter-reset`, `counter-increment` and `counter-set` list, and those `counter()` and `counters()` read.
const COUNTER_NAMES = /counter-(?:reset|increment|set)\s*:\s*([^;}]{0,4096})|counters?\(\s*([^,)]{1,256})/gi;
// Keywords, not names: their case does not matter.
const NOT_NAMES = new Set(['none', 'inherit', 'initial', 'unset', 'revert', 'revert-layer']);

/**
 * The text stylesheets write (`::before { content: "4111 1111 " attr(data-b) }`): every quoted string of every
 * `content`, `quotes` and `list-style(-type)` declaration, in order, of the `<style>` blocks, the stylesheets
 * the message carries as data: URLs and the inline styles, then every element's attributes that an `attr()`
 * there names, and the strings of custom properties when a `var()` there can bring them in. Generous: a string
 * that no rule ends up showing is read too. Empty when no stylesheet writes any. Undecided when a
 * `@counter-style` writes digits (its numbering is not worked out).
 */
export function generatedContent(document: Parent): { text: string; undecided?: string } {
  const strings: string[] = [];
  const variables: string[] = [];
  const attributes = new Set<string>();
  let usesVariables = false;
  let variablesNestDigits = false;
  let undecided: string | undefined;
  // Counter names as written: a browser tells `A` from `a`, the reading (lower case) does not (attacker round 46).
  const counterNames = new Map<string, string>();
  const noteNames = (value: string) => {
    for (const name of value.match(/-?[_a-zA-Z\u0080-\uffff][-\w\u0080-\uffff]*/g) ?? []) {
      if (NOT_NAMES.has(name.toLowerCase())) continue;
      const known = counterNames.get(name.toLowerCase());
      if (known !== undefined && known !== name) undecided = 'counter names that differ only in case';
      counterNames.set(name.toLowerCase(), name);
    }
  };
  // A value may come from custom properties (`counter-reset: var(--c)`, `quotes: var(--q)`), resolved before it is
  // used: their values are checked as the declarations' own would be (attacker round 48).
  const customSheets: string[] = [];
  let countersUseVariables = false;
  let quotesUseVariables = false;
  const read = (css: string) => {
    const plain = cssWithoutComments(css);
    const cased = cssEscapesDecoded(plain);
    for (const m of cased.matchAll(COUNTER_NAMES)) {
      const value = m[1] ?? m[2] ?? '';
      if (value.includes('var(')) countersUseVariables = true;
      noteNames(value);
    }
    if (cased.includes('--')) customSheets.push(cased);
    for (const m of css.matchAll(
      /(content|quotes|list-style(?:-type)?|(?<![-\w])--[-\w]+)\s*:\s*([^;}]{1,4096})/gi,
    )) {
      // Escapes decoded (`"\34 111"` is `4111`); one declaration's strings join as shown, declarations do not.
      const value = cssPlain(m[2] as string);
      const each = [...value.matchAll(/"([^"]*)"|'([^']*)'/g)].map((q) => q[1] ?? q[2] ?? '');
      const quoted = each.join('');
      const property = (m[1] as string).toLowerCase();
      // Nested quotes take the pair of their depth, which the reading does not work out: digits there are undecided.
      const nestedDigits = each.slice(2).some((q) => /\p{N}/u.test(q));
      if (property === 'quotes' && nestedDigits) undecided = 'nested quotes that write digits';
      if (property === 'quotes' && value.includes('var(')) quotesUseVariables = true;
      if (property.startsWith('--')) {
        variables.push(quoted);
        if (nestedDigits) variablesNestDigits = true;
        continue;
      }
      strings.push(quoted);
      if (value.includes('var(')) usesVariables = true;
      for (const a of value.matchAll(/attr\(([-\w]+)/g)) attributes.add(a[1] as string);
    }
    // An at-rule's name may be escaped (`@counter-st\79 le`): one only its decoded spelling names is not read.
    if (cased !== plain && /@counter-style/i.test(cased) && !/@counter-style/i.test(plain))
      undecided = 'a @counter-style written with escapes';
    // A counter style's symbols are shown in its counters' place: with digits among them, not worked out.
    for (const m of css.matchAll(/@counter-style[^{]{0,256}\{([^}]{0,4096})/gi)) {
      // A symbol written as an identifier with escaped digits (`symbols: \34 111\ 1111`) is digits once decoded.
      if ((m[1] as string).includes('\\')) undecided = 'a @counter-style written with escapes';
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
  if (countersUseVariables)
    for (const css of customSheets)
      for (const m of css.matchAll(/(?<![-\w])--[-\w]+\s*:\s*([^;}]{1,4096})/g)) noteNames(m[1] as string);
  if (quotesUseVariables && variablesNestDigits) undecided = 'nested quotes that write digits';
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
