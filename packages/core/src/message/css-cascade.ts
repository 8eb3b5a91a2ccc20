import type { Registration, StyleRule } from './css-rules.js';
import { ancestorKeys, matches, ruleKey } from './css-selectors.js';
import { cssPlain, declarations } from './css-values.js';
import { mediaHolds, type Reader } from './html-readers.js';
import { attribute, type Element, type Parent, SVG_NS } from './html-tree.js';

// The cascade of the shown-text reading (html-shown.ts): which style rules match an element for a reader, and the
// declarations it ends up with (rules, its inline style, SVG presentation attributes, custom properties).

/** Bounds: selector matching steps over the whole page (the tree and the parse are linear). */
const MAX_MATCH_STEPS = 4_000_000;

export const NO_RULES: StyleRule[] = [];

const NO_DECLARATIONS: ReturnType<typeof declarations> = new Map();
export const NO_STYLE: Style = Object.assign(new Map<string, string>(), { vars: new Map<string, string>() });

// SVG presentation attributes read as the properties of the same name.
export const SVG_ATTRIBUTES = new Set([
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
  // How text is laid out in columns (attacker round 111).
  'writing-mode',
  'glyph-orientation-vertical',
  'text-orientation',
]);

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

/**
 * An element's computed declarations: property → value, and the custom properties its content inherits;
 * `unsure` when a value reads a registered custom property in a way not worked out here.
 */
export type Style = Map<string, string> & { vars: Map<string, string>; unsure?: boolean };

// The keys a rule may be filed under that fit this element: `*`, its type, its id, its classes.
export function ownKeys(element: Element): string[] {
  const keys = ['*', element.tagName];
  const id = attribute(element, 'id');
  if (id) keys.push(`#${id.toLowerCase()}`);
  for (const c of (attribute(element, 'class') ?? '').split(/[ \t\r\n\f]+/))
    if (c) keys.push(`.${c.toLowerCase()}`);
  return keys;
}

/**
 * The rules of a page filed by the keys they need, matched against its elements (an ancestor filter first, then
 * the selector, within a step budget: past it `MatchBudgetExceeded`), and each element's cascade, cached
 * for the readers that share it.
 */
export class StyleCascade {
  private readonly byKey = new Map<string, StyleRule[]>();
  private readonly matched = [new Map<Element, StyleRule[]>(), new Map<Element, StyleRule[]>()];
  private readonly budget;
  private readonly quirks: boolean;

  private readonly needs = new Map<StyleRule, Int32Array>();
  private readonly styles = new Map<Element, Map<string, Style>>();
  private readonly inline = new Map<Element, ReturnType<typeof declarations>>();
  private readonly filters = new Map<Element, Uint32Array>();
  /** Custom properties registered by `@property`, and those of them that do not inherit. */
  private readonly registered: ReadonlyMap<string, Registration>;
  private readonly uninherited: string[];

  constructor(
    rules: StyleRule[],
    quirks: boolean,
    registered: ReadonlyMap<string, Registration> = new Map(),
  ) {
    this.registered = registered;
    // Doubtful ones are read as inheriting (a var() of them is unsure anyway): at most MAX_REGISTERED to look at.
    this.uninherited = [...registered].filter(([, r]) => !r.inherits && !r.doubtful).map(([name]) => name);
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

  /** The rules that match an element for this reader, in cascade order. */
  rulesMatching(element: Element, reader: Reader): StyleRule[] {
    return reader.stylesheets ? this.rulesFor(element, this.quirks && !reader.standards) : NO_RULES;
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

  // Property → value for this element: matching rules by specificity and order, then the inline style,
  // `!important` rules over both; presentational attributes under them all. Custom properties resolved.
  // Readers whose rules for this element are the same (no media rule among them, the same stylesheet and
  // quirks settings) share one cascade; custom properties make it depend on the parent's, so those do not.
  styleOf(element: Element, rules: StyleRule[], reader: Reader, inherited: Map<string, string>): Style {
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
    // A registered property that does not inherit starts again from its initial value.
    if (inherited.size > 0)
      for (const name of this.uninherited) {
        if (!vars.has(name)) continue;
        if (vars === inherited) vars = new Map(inherited);
        vars.delete(name);
      }
    for (const [property, d] of chosen) {
      if (!property.startsWith('--')) continue;
      if (vars === inherited) vars = new Map(inherited);
      vars.set(property, d.value);
    }
    const values = new Map<string, string>();
    const doubt = { registered: this.registered, unsure: false };
    for (const [property, d] of chosen) {
      if (!property.startsWith('--')) values.set(property, resolveVars(d.value, vars, doubt));
    }
    return Object.assign(values, { vars }, doubt.unsure ? { unsure: true } : {});
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

/** Registered custom properties, and whether a var() read one in a way not worked out (set by {@link resolveVars}). */
export interface VarContext {
  registered: ReadonlyMap<string, Registration>;
  unsure: boolean;
}

/**
 * A value with its `var()`s replaced: the custom property's value, else its fallback. A property registered by
 * `@property` always has a value, so its initial value comes before the fallback, and a value its syntax
 * refuses is not used; such a read, or one of a registration not worked out, sets `context.unsure`.
 *
 * @example
 * ```ts
 * resolveVars('var(--o, 1)', new Map()); // '1'
 * resolveVars('var(--o, 1)', new Map(), { registered: new Map([['--o', { inherits: false, initial: '0', accepts: () => true }]]), unsure: false }); // '0'
 * ```
 */
export function resolveVars(value: string, vars: Map<string, string>, context?: VarContext): string {
  let out = value;
  for (let round = 0; round < 8 && out.includes('var('); round++) {
    out = out.replace(/var\((--[\w-]+)(?:,([^()]*))?\)/g, (_, name: string, fallback?: string) => {
      const set = vars.get(name);
      const registration = context?.registered.get(name);
      if (!registration || !context) return set ?? fallback?.trim() ?? '';
      const taken = set !== undefined && !set.includes('var(') && registration.accepts(set);
      if (registration.doubtful || (set !== undefined && !taken)) context.unsure = true;
      return taken ? set : (registration.initial ?? set ?? fallback?.trim() ?? '');
    });
  }
  return out;
}
