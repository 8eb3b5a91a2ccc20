import type { StyleRule } from './css-rules.js';
import { cssEscapesDecoded } from './css-values.js';

// Selectors as the shown-text reading matches them (html-shown.ts): type, class, id, attribute, structural
// pseudo-classes, `:is()`/`:not()`/`:where()` lists parsed once, the four combinators. Parsing is linear;
// matching is counted against a budget.

/** One element as the matcher sees it (a parse5 element). */
export interface MatchElement {
  tagName: string;
  attrs: { name: string; value: string }[];
  parentNode: unknown;
  childNodes: unknown[];
}

/** One compound selector, and how it joins the one to its left (`' '`, `>`, `+`, `~`). */
export interface Compound {
  tag?: string;
  ids: string[];
  classes: string[];
  attrs: { name: string; op: string; value: string; insensitive: boolean }[];
  pseudos: Pseudo[];
  combinator?: string;
}

/** A pseudo-class, with the selectors of `:not()`, `:is()`… parsed once (undefined: one that cannot match). */
export interface Pseudo {
  name: string;
  arg: string;
  selectors?: (Compound[] | undefined)[];
}

// Deeper selector lists (`:is(:is(…))`) leave the page undecided, as deeper blocks do.
const MAX_NESTING = 32;

export function splitList(prelude: string): string[] {
  const out: string[] = [];
  let from = 0;
  let depth = 0;
  for (let i = 0; i < prelude.length; i++) {
    const c = prelude[i];
    if (c === '\\') i++;
    else if (c === '"' || c === "'") i = closingQuote(prelude, i);
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(prelude.slice(from, i));
      from = i + 1;
    }
  }
  out.push(prelude.slice(from));
  return out.map((s) => s.trim()).filter(Boolean);
}

// The `]` that ends an attribute selector whose inside starts at `from`: not one in a string, nor an escaped one.
function closingBracket(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"' || c === "'") i = closingQuote(text, i);
    else if (c === ']') return i;
  }
  return -1;
}

// The quote that closes the string whose quote is at `at` (escapes inside skipped); the end if none.
function closingQuote(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== text[at]) i += text[i] === '\\' ? 2 : 1;
  return i;
}

// A complex selector, compounds left to right; undefined for one this reading does not match (pseudo-elements).
export function parseSelector(
  text: string,
  notes: { undecided?: string },
  nesting = 0,
): Compound[] | undefined {
  if (nesting > MAX_NESTING) {
    notes.undecided = 'a selector nested too deep';
    return undefined;
  }
  const compounds: Compound[] = [];
  let current = emptyCompound();
  let combinator: string | undefined;
  let i = 0;
  // A name as written, escapes included (`.b\}c` is the class `b}c`), decoded.
  const name = () => {
    const m =
      /^-?(?:[_a-zA-Z\u0080-\uffff]|--|\\[^\r\n\f])(?:[-\w\u0080-\uffff]|\\[0-9a-fA-F]{1,6}[ \t\r\n\f]?|\\[^\r\n\f0-9a-fA-F])*/.exec(
        text.slice(i),
      );
    i += m ? m[0].length : 0;
    return cssEscapesDecoded(m?.[0] ?? '');
  };
  const flush = () => {
    if (combinator !== undefined) current.combinator = combinator;
    compounds.push(current);
    current = emptyCompound();
    combinator = undefined;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/[\s>+~]/.test(c)) {
      let comb = ' ';
      while (i < text.length && /[\s>+~]/.test(text[i] as string)) {
        if (text[i] !== ' ' && !/\s/.test(text[i] as string)) comb = text[i] as string;
        i++;
      }
      flush();
      combinator = comb;
      continue;
    }
    if (c === '*' || c === '|') {
      // `*`, or a namespace prefix (`*|p`, `|p`): any namespace is read as matching.
      if (c === '*') i++;
      if (text[i] === '|' && text[i + 1] !== '|') {
        i++;
        if (text[i] === '*') i++;
        else if (/[-_a-zA-Z\u0080-\uffff\\]/.test(text[i] ?? '')) current.tag = name().toLowerCase();
        else return undefined;
      } else if (c === '|') return undefined;
      continue;
    }
    if (c === '#') {
      i++;
      current.ids.push(name());
    } else if (c === '.') {
      i++;
      current.classes.push(name());
    } else if (c === '[') {
      const close = closingBracket(text, i + 1);
      if (close < 0) return undefined;
      // The value a string (escapes inside: `"a\\"b"`, as css-tokens.ts writes every string) or a name.
      const m =
        /^((?:(?:[-\w:]+|\*)?\|)?[-\w:]+)(?:\s*([~|^$*]?=)\s*(?:"((?:[^"\\]|\\[\s\S])*)"|'((?:[^'\\]|\\[\s\S])*)'|([^\s\]"']+))(?:\s*([iIsS]))?)?$/.exec(
          text.slice(i + 1, close).trim(),
        );
      if (!m) return undefined;
      current.attrs.push({
        name: (m[1] as string).toLowerCase().replace(/^.*\|/, ''),
        op: m[2] ?? '',
        value: cssEscapesDecoded(m[3] ?? m[4] ?? m[5] ?? ''),
        insensitive: m[6] === 'i' || m[6] === 'I',
      });
      i = close + 1;
    } else if (c === ':') {
      if (text[i + 1] === ':') return undefined; // a pseudo-element's text is not the element's
      i++;
      const pseudo = name().toLowerCase();
      let arg = '';
      if (text[i] === '(') {
        let depth = 0;
        const from = i + 1;
        for (; i < text.length; i++) {
          if (text[i] === '\\') i++;
          else if (text[i] === '"' || text[i] === "'") i = closingQuote(text, i);
          else if (text[i] === '(') depth++;
          else if (text[i] === ')' && --depth === 0) break;
        }
        arg = text.slice(from, i).trim();
        i++;
      }
      if (
        ['before', 'after', 'first-letter', 'first-line', 'marker', 'placeholder', 'selection'].includes(
          pseudo,
        )
      )
        return undefined;
      current.pseudos.push(
        SELECTOR_LISTS.has(pseudo)
          ? { name: pseudo, arg, selectors: splitList(arg).map((s) => parseSelector(s, notes, nesting + 1)) }
          : { name: pseudo, arg },
      );
    } else if (/[-_a-zA-Z\u0080-\uffff\\]/.test(c)) {
      current.tag = name().toLowerCase();
      // `svg|rect`: the name was a namespace prefix.
      if (text[i] === '|' && text[i + 1] !== '|') {
        i++;
        if (text[i] === '*') {
          i++;
          delete current.tag;
        } else if (/[-_a-zA-Z\u0080-\uffff\\]/.test(text[i] ?? '')) current.tag = name().toLowerCase();
        else return undefined;
      }
    } else return undefined;
  }
  flush();
  return compounds;
}

function emptyCompound(): Compound {
  return { ids: [], classes: [], attrs: [], pseudos: [] };
}

// (ids, classes, types) as one number; `:is()`, `:not()` count as their most specific argument, `:where()` as none.
export function specificity(selector: Compound[]): number {
  let total = 0;
  for (const compound of selector) {
    total += compound.ids.length * 1e6 + (compound.classes.length + compound.attrs.length) * 1e3;
    if (compound.tag) total++;
    for (const p of compound.pseudos) {
      if (p.name === 'where') continue;
      total += ARGUMENT_SPECIFICITY.has(p.name)
        ? (p.selectors ?? []).reduce((most, s) => Math.max(most, s ? specificity(s) : 0), 0)
        : 1e3;
    }
  }
  return total;
}
const ARGUMENT_SPECIFICITY = new Set(['is', 'not', 'matches']);

/** Where matching stands: work done against its bound, and whether class names ignore case (quirks mode). */
export interface MatchBudget {
  steps: number;
  max: number;
  quirks: boolean;
}

/** Thrown when matching would take more than its budget: the page cannot be read as shown in bounded time. */
export class MatchBudgetExceeded extends Error {
  override name = 'MatchBudgetExceeded';
}

/** True when `selector` (compounds left to right) matches `element`. */
export function matches(selector: Compound[], element: MatchElement, budget: MatchBudget): boolean {
  return matchFrom(selector, selector.length - 1, element, budget);
}

function matchFrom(selector: Compound[], index: number, element: MatchElement, budget: MatchBudget): boolean {
  const compound = selector[index] as Compound;
  if (!matchCompound(compound, element, budget)) return false;
  if (index === 0) return true;
  const combinator = compound.combinator ?? ' ';
  if (combinator === '>') {
    const parent = parentElement(element);
    return !!parent && matchFrom(selector, index - 1, parent, budget);
  }
  if (combinator === '+' || combinator === '~') {
    const list = siblings(element, budget);
    for (let k = list.indexOf(element) - 1; k >= 0; k--) {
      if (matchFrom(selector, index - 1, list[k] as MatchElement, budget)) return true;
      if (combinator === '+') return false;
    }
    return false;
  }
  for (let p = parentElement(element); p; p = parentElement(p))
    if (matchFrom(selector, index - 1, p, budget)) return true;
  return false;
}

function matchCompound(c: Compound, e: MatchElement, budget: MatchBudget): boolean {
  if (++budget.steps > budget.max) throw new MatchBudgetExceeded('selector matching over its budget');
  if (c.tag && c.tag !== e.tagName) return false;
  const attr = (name: string) => e.attrs.find((a) => a.name === name)?.value;
  const same = (a: string, b: string) => (budget.quirks ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (c.ids.length > 0) {
    const id = attr('id');
    if (id === undefined || !c.ids.every((x) => same(x, id))) return false;
  }
  if (c.classes.length > 0) {
    const classes = classSet(e, budget.quirks);
    budget.steps += c.classes.length;
    if (!c.classes.every((x) => classes.has(budget.quirks ? x.toLowerCase() : x))) return false;
  }
  for (const a of c.attrs) {
    const raw = attr(a.name);
    if (raw === undefined) return false;
    const v = a.insensitive ? raw.toLowerCase() : raw;
    const want = a.insensitive ? a.value.toLowerCase() : a.value;
    const ok =
      a.op === ''
        ? true
        : a.op === '='
          ? v === want
          : a.op === '~='
            ? v.split(/\s+/).includes(want)
            : a.op === '|='
              ? v === want || v.startsWith(`${want}-`)
              : a.op === '^='
                ? want !== '' && v.startsWith(want)
                : a.op === '$='
                  ? want !== '' && v.endsWith(want)
                  : want !== '' && v.includes(want);
    if (!ok) return false;
  }
  return c.pseudos.every((p) => matchPseudo(p, e, budget));
}

// An element's classes as a set, read once (lower case in quirks mode, where class names match in any case).
const classSets = [new WeakMap<MatchElement, Set<string>>(), new WeakMap<MatchElement, Set<string>>()];
function classSet(e: MatchElement, quirks: boolean): Set<string> {
  const cache = classSets[quirks ? 1 : 0] as WeakMap<MatchElement, Set<string>>;
  let set = cache.get(e);
  if (!set) {
    const raw = e.attrs.find((a) => a.name === 'class')?.value ?? '';
    set = new Set((quirks ? raw.toLowerCase() : raw).split(/[ \t\r\n\f]+/).filter(Boolean));
    cache.set(e, set);
  }
  return set;
}

// Pseudo-classes whose argument is a selector list.
const SELECTOR_LISTS = new Set(['not', 'is', 'where', 'matches', '-webkit-any']);

function matchPseudo(p: Pseudo, e: MatchElement, budget: MatchBudget): boolean {
  switch (p.name) {
    case 'first-child':
      return around(e, budget)[0] === 0;
    case 'last-child':
      return around(e, budget)[1] === 0;
    case 'only-child':
      return around(e, budget).every((n) => n === 0);
    case 'nth-child':
      return nth(p.arg, 1 + around(e, budget)[0]);
    case 'nth-last-child':
      return nth(p.arg, 1 + around(e, budget)[1]);
    case 'first-of-type':
      return around(e, budget, true)[0] === 0;
    case 'last-of-type':
      return around(e, budget, true)[1] === 0;
    case 'only-of-type':
      return around(e, budget, true).every((n) => n === 0);
    case 'nth-of-type':
      return nth(p.arg, 1 + around(e, budget, true)[0]);
    case 'nth-last-of-type':
      return nth(p.arg, 1 + around(e, budget, true)[1]);
    case 'root':
      return e.tagName === 'html' && !parentElement(e);
    case 'empty':
      return e.childNodes.length === 0;
    case 'link':
    case 'any-link':
      return (e.tagName === 'a' || e.tagName === 'area') && e.attrs.some((a) => a.name === 'href');
    case 'not':
      return !anyMatches(p.selectors, e, budget);
    case 'is':
    case 'where':
    case 'matches':
    case '-webkit-any':
      return anyMatches(p.selectors, e, budget);
    default:
      // Dynamic states (hover, focus, visited…) do not hold on a page being read; others are not known here
      // (see unknownPseudoClass: a page that hides with one is read as not known).
      return false;
  }
}

const KNOWN_PSEUDO_CLASSES = new Set([
  'first-child',
  'last-child',
  'only-child',
  'nth-child',
  'nth-last-child',
  'first-of-type',
  'last-of-type',
  'only-of-type',
  'nth-of-type',
  'nth-last-of-type',
  'root',
  'empty',
  'link',
  'any-link',
  'not',
  'is',
  'where',
  'matches',
  '-webkit-any',
  'hover',
  'focus',
  'focus-visible',
  'focus-within',
  'active',
  'visited',
  'target',
  'checked',
  'disabled',
  'enabled',
]);

/** True when a rule's selector uses a pseudo-class this matcher does not evaluate (`:has()`, `:lang()`…), at any depth. */
export function unknownPseudoClass(rule: StyleRule): boolean {
  return anyCompound(rule.selector, (c) =>
    c.pseudos.some(
      (p) => !KNOWN_PSEUDO_CLASSES.has(p.name) || (p.name.startsWith('nth') && /\bof\b/i.test(p.arg)),
    ),
  );
}

// True when a compound of the selector, or of a selector inside its `:is()`, `:not()`…, passes `test`.
function anyCompound(selector: Compound[], test: (c: Compound) => boolean): boolean {
  return selector.some(
    (c) => test(c) || c.pseudos.some((p) => !!p.selectors?.some((s) => !!s && anyCompound(s, test))),
  );
}

/**
 * True when a rule is outside what the cascade here models: a pseudo-class it does not evaluate, a cascade
 * layer, a media feature it does not read, or a mail client's own wrapper (Gmail's `u + .body`, Outlook's
 * `[data-ogsc]`, `#MessageViewBody`), which the message itself does not hold.
 */
export function unmodelledRule(rule: StyleRule): boolean {
  if (unknownPseudoClass(rule) || rule.layered || rule.scoped) return true;
  const media = rule.media ?? '';
  if (/\((?!\s*(?:(?:min|max)-)?(?:device-)?width\b|\s*prefers-color-scheme\b|\s*orientation\b)/.test(media))
    return true;
  return anyCompound(
    rule.selector,
    (c) =>
      c.ids.some((id) => /^(?:messageviewbody|messagewebviewdiv|outlook)$/i.test(id)) ||
      c.classes.some((k) => /^(?:body|externalclass)$/i.test(k)) ||
      c.attrs.some((a) => /^(?:data-ogs[cb]|x-apple-data-detectors)$/.test(a.name)) ||
      c.tag === 'u',
  );
}

function anyMatches(
  selectors: readonly (Compound[] | undefined)[] | undefined,
  e: MatchElement,
  budget: MatchBudget,
): boolean {
  return !!selectors?.some((selector) => !!selector && matches(selector, e, budget));
}

function nth(arg: string, position: number): boolean {
  const a = arg.replace(/\s+/g, '').toLowerCase().split(/of/)[0] as string;
  if (a === 'odd') return position % 2 === 1;
  if (a === 'even') return position % 2 === 0;
  const m = /^([+-]?\d*)n([+-]\d+)?$/.exec(a);
  if (!m) return /^[+-]?\d+$/.test(a) && Number(a) === position;
  const step = m[1] === '' || m[1] === '+' ? 1 : m[1] === '-' ? -1 : Number(m[1]);
  const offset = Number(m[2] ?? 0);
  if (step === 0) return position === offset;
  const k = (position - offset) / step;
  return Number.isInteger(k) && k >= 0;
}

function isElement(node: unknown): node is MatchElement {
  return typeof node === 'object' && node !== null && 'tagName' in node;
}

function parentElement(e: MatchElement): MatchElement | undefined {
  return isElement(e.parentNode) ? e.parentNode : undefined;
}

function siblings(e: MatchElement, budget: MatchBudget): MatchElement[] {
  const parent = e.parentNode as { childNodes?: unknown[] } | null;
  const nodes = parent?.childNodes ?? [];
  budget.steps += nodes.length;
  if (budget.steps > budget.max) throw new MatchBudgetExceeded('selector matching over its budget');
  return nodes.filter(isElement);
}

// Elements before and after `e` among its siblings (of its type when `sameType`).
function around(e: MatchElement, budget: MatchBudget, sameType = false): [number, number] {
  const list = siblings(e, budget).filter((s) => !sameType || s.tagName === e.tagName);
  const at = list.indexOf(e);
  return [at, list.length - at - 1];
}

/**
 * The keys of the compounds a rule's subject must have as ancestors (joined by descendant or child
 * combinators, up to the first sibling combinator): one per compound, its first id, class or type.
 */
export function ancestorKeys(rule: StyleRule): string[] {
  const keys: string[] = [];
  for (let k = rule.selector.length - 1; k > 0; k--) {
    const combinator = (rule.selector[k] as Compound).combinator ?? ' ';
    if (combinator !== ' ' && combinator !== '>') break;
    const key = compoundKey(rule.selector[k - 1] as Compound);
    if (key !== '*') keys.push(key);
  }
  return keys;
}

function compoundKey(c: Compound): string {
  if (c.ids[0] !== undefined) return `#${c.ids[0].toLowerCase()}`;
  if (c.classes[0] !== undefined) return `.${c.classes[0].toLowerCase()}`;
  return c.tag ?? '*';
}

/** The keys a rule is filed under (its subject's first id, class or type), for a per-element candidate list. */
export function ruleKey(rule: StyleRule): string {
  return compoundKey(rule.selector.at(-1) as Compound);
}
