import { frameHides, hidesSomething } from './css-hiding.js';
import { type Compound, parseSelector, specificity, splitList } from './css-selectors.js';
import { cssTokenText, matchingBrace, scanTo, stringToken } from './css-tokens.js';
import { cssEscapesDecoded, cssPlain, declarations, lengthPx, parseColor } from './css-values.js';

// A page's stylesheets as far as the shown-text reading needs them (html-shown.ts): style rules with their
// selectors (css-selectors.ts), specificity, order and media condition. Parsing is linear.

/** A style rule: one complex selector of a rule's list, with what it sets. */
export interface StyleRule {
  selector: Compound[];
  specificity: number;
  order: number;
  decls: ReturnType<typeof declarations>;
  /** The media condition (lower case) it sits under, if any. */
  media?: string;
  /** Inside an `@layer` block. */
  layered?: boolean;
  /** Inside an `@scope` block (scope proximity and limits are not modelled). */
  scoped?: boolean;
  /** The pseudo-element it styles (`p::before`): its declarations are the generated box's, not the element's. */
  pseudo?: 'before' | 'after' | 'marker';
}

/** What a stylesheet's reading noted: why it is undecided, or which rule it read but does not model. */
export interface SheetNotes {
  undecided?: string;
  /** Set when an at-rule this reading does not apply (`@starting-style`, `@document`) holds hiding declarations. */
  unmodelled?: string;
  /** `@keyframes` by name (lower case): true when a frame may hide text ({@link frameHides}). */
  keyframes?: Map<string, boolean>;
  /** Custom properties registered by `@property`, by name (lower case). */
  registered?: Map<string, Registration>;
  /**
   * Set when a sheet read (imported ones too) names `:first-line` / `:first-letter`, escapes decoded. Read from
   * its whole text, comments and strings too: a parse that strays from a browser's cannot lose one.
   */
  firstLine?: boolean;
  firstLetter?: boolean;
}

/**
 * A custom property registered by `@property`: whether it inherits, its initial value, and which values its
 * syntax takes. `doubtful` when the rule is not worked out here (a syntax not read, a descriptor missing or
 * not understood): a var() of it leaves its element unsure.
 */
export interface Registration {
  inherits: boolean;
  initial?: string;
  accepts: (value: string) => boolean;
  doubtful?: boolean;
}

/** Data: past this many `@property` rules, each further one is doubtful (a real page registers a few). */
const MAX_REGISTERED = 256;

/**
 * The style rules of a stylesheet, inside `@media`, `@supports`, `@container`, `@layer` and `@scope` blocks too
 * (media recorded), nested rules (`p { & .c {…} }`, `p { .c {…} }`) resolved to whole selectors, in order.
 * Escapes are honoured where they hide structure (`\}` is part of a name, not the end of a block). An at-rule
 * not applied here whose rules hide something sets `notes.unmodelled`.
 *
 * @example
 * ```ts
 * parseStylesheet('p { & .c { display: none } }', 0).length; // 1 (the selector `:is(p) .c`)
 * ```
 */
export function parseStylesheet(
  css: string,
  orderFrom: number,
  media?: string,
  notes: SheetNotes = {},
): StyleRule[] {
  const rules: StyleRule[] = [];
  notePseudoElements(css, notes);
  const plain = sheetTokens(css);
  readBlock(plain, media, rules, orderFrom, notes, 0, 0, {
    budget: { chars: NESTING_CHARS + 4 * plain.length },
  });
  return rules;
}

// A stylesheet's text as CSS tokenizes it ({@link cssTokenText}): comments gone, strings and url tokens that no
// scan takes for structure, the `<!--` and `-->` between rules dropped. Its own NULs are U+FFFD, as in CSS.
function sheetTokens(css: string): string {
  return cssTokenText(css.replaceAll('\0', '\ufffd'), true);
}

/** Data: stylesheets imported inside one another deeper than this leave the stylesheet undecided. */
const MAX_IMPORT_DEPTH = 8;
// Blocks (`@media`, `@layer`…) and selectors (`:not(:is(…))`) nested deeper than this leave the stylesheet
// undecided: each level reads its whole inside again, and real mail nests a few levels at most.
const MAX_NESTING = 32;
// Characters of selectors that nesting may write beyond four times the stylesheet's own (each `&` writes its
// parent's selectors again: `a{& &{& &{…}}}` doubles them at each level); past it the sheet is undecided.
const NESTING_CHARS = 16_384;

/** The block a rule list is read in: the style rule or `@scope` it is nested in, if any. */
interface Within {
  /** The selectors the block's own declarations apply to (the enclosing rule's, resolved). */
  own?: string[];
  /** What a nested selector without `&` is written after, and what `&` (and in `@scope`, `:scope`) stands for. */
  prefix?: string;
  amp?: string;
  scopeRoot?: string;
  /** Inside `@scope`: proximity and limits are not modelled. */
  scoped?: boolean;
  budget: { chars: number };
}

// At-rules whose blocks hold no style rules for the page's elements (fonts, pages); animations' frames and
// registered properties are read apart.
const NOT_STYLE_BLOCKS =
  /^@(?:-[a-z]+-)?(?:font-face|page|counter-style|font-feature-values|font-palette-values|view-transition|position-try)\b/;
const KEYFRAMES = /^@(?:-[a-z]+-)?keyframes\b/;

// Reads rules up to the end of `css`, each prelude up to its `{` and the block to its matching `}`.
function readBlock(
  css: string,
  media: string | undefined,
  rules: StyleRule[],
  orderFrom: number,
  notes: SheetNotes,
  depth: number,
  nesting: number,
  within: Within,
): void {
  if (nesting > MAX_NESTING) {
    notes.undecided = 'stylesheet blocks nested too deep';
    return;
  }
  // Declarations straight inside a nested block apply to the enclosing rule's elements.
  if (within.own) pushRules(within.own, ownDeclarations(css), media, rules, orderFrom, notes, within);
  let at = 0;
  while (at < css.length) {
    // An imported sheet the message carries itself (a data: URL) applies as if written here.
    const imported = importAt(css, at);
    if (imported) {
      const sheet = imported.url === undefined ? undefined : dataUrlText(imported.url);
      if (sheet && depth >= MAX_IMPORT_DEPTH) notes.undecided = 'stylesheets imported too deep';
      else if (sheet) {
        notePseudoElements(sheet, notes);
        readBlock(sheetTokens(sheet), media, rules, orderFrom + rules.length, notes, depth + 1, nesting + 1, {
          budget: within.budget,
        });
      }
      at = imported.end;
      continue;
    }
    const open = scanTo(css, at, '{;');
    if (open < 0) return;
    const prelude = css.slice(at, open).trim();
    if (css[open] === ';') {
      at = open + 1;
      continue;
    }
    const close = matchingBrace(css, open);
    const body = css.slice(open + 1, close < 0 ? css.length : close);
    at = close < 0 ? css.length : close + 1;
    const lower = prelude.toLowerCase();
    const inner = (m: string | undefined, w: Within, into = rules) =>
      readBlock(body, m, into, orderFrom + rules.length, notes, depth, nesting + 1, w);
    if (lower.startsWith('@media')) {
      const condition = lower.slice(6).trim();
      inner(media ? `${media} and (${condition})` : condition, within);
    } else if (lower.startsWith('@layer')) {
      // Cascade layers reorder precedence (an unlayered rule beats a layered one): marked, not modelled.
      const from = rules.length;
      inner(media, within);
      for (const rule of rules.slice(from)) rule.layered = true;
    } else if (lower.startsWith('@supports') || lower.startsWith('@container')) {
      inner(media, within);
    } else if (/^@scope\b/.test(lower)) {
      const scope = scopeWithin(prelude.slice(6).trim(), within, notes);
      if (scope) inner(media, scope);
    } else if (lower.startsWith('@')) {
      // An at-rule not applied here (`@starting-style`, `@document`): its rules are read aside, and hiding
      // declarations among them leave the page's short texts unsure.
      if (NOT_STYLE_BLOCKS.test(lower)) continue;
      const keyframes = KEYFRAMES.exec(lower);
      if (keyframes) {
        readKeyframes(prelude.slice(keyframes[0].length), body, notes);
        continue;
      }
      if (/^@property\b/.test(lower)) {
        readProperty(prelude.slice('@property'.length), body, notes);
        continue;
      }
      const aside: StyleRule[] = [];
      inner(media, within, aside);
      const hiding = aside.find(hidesSomething);
      if (hiding) notes.unmodelled ??= `${lower.split(/[\s({]/)[0]} hides text`;
    } else {
      const selectors = splitList(prelude).map((s) => (within.prefix ? nestedSelector(s, within) : s));
      if (!spend(within, selectors)) {
        notes.undecided = 'nested selectors too long';
        return;
      }
      // A body without a block inside is declarations only (most stylesheets): read as before.
      if (!body.includes('{')) {
        pushRules(selectors, body, media, rules, orderFrom, notes, within);
        continue;
      }
      // Rules nested in a pseudo-element's rule do not apply; its own declarations do.
      const parents = selectors.filter((s) => !GENERATED.test(s));
      if (parents.length < selectors.length)
        pushRules(
          selectors.filter((s) => GENERATED.test(s)),
          ownDeclarations(body),
          media,
          rules,
          orderFrom,
          notes,
          within,
        );
      if (parents.length === 0) continue;
      const list = `:is(${parents.join(', ')})`;
      readBlock(body, media, rules, orderFrom + rules.length, notes, depth, nesting + 1, {
        own: parents,
        prefix: list,
        amp: list,
        budget: within.budget,
        ...(within.scoped ? { scoped: true } : {}),
      });
    }
  }
}

const GENERATED = /^(.*?)::?(before|after|marker)$/i;

// Notes a sheet's `:first-line` / `:first-letter` (`::FIRST-LINE`, `:first-l\69ne`) for html-shown.ts.
function notePseudoElements(css: string, notes: SheetNotes): void {
  if (notes.firstLine && notes.firstLetter) return;
  const text = cssEscapesDecoded(css);
  if (/:first-line/i.test(text)) notes.firstLine = true;
  if (/:first-letter/i.test(text)) notes.firstLetter = true;
}

// A name as an at-rule's prelude writes it (`fade`, `"fade"`, `f\61 de`), decoded, in lower case as the
// declarations that name it are.
function preludeName(prelude: string): string {
  const name = cssEscapesDecoded(prelude.trim()).toLowerCase();
  return /^(["'])(.*)\1$/.exec(name)?.[2] ?? name;
}

// `@keyframes name { from {…} 50% {…} }`: whether any frame may hide text. Several of one name: any hiding.
function readKeyframes(prelude: string, body: string, notes: SheetNotes): void {
  const name = preludeName(prelude);
  let hides = false;
  let at = 0;
  while (at < body.length && !hides) {
    const open = scanTo(body, at, '{;');
    if (open < 0) break;
    if (body[open] === ';') {
      at = open + 1;
      continue;
    }
    const close = matchingBrace(body, open);
    hides = frameHides(declarations(cssPlain(body.slice(open + 1, close < 0 ? body.length : close))));
    at = close < 0 ? body.length : close + 1;
  }
  notes.keyframes ??= new Map();
  notes.keyframes.set(name, hides || notes.keyframes.get(name) === true);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/;
const absoluteLength = (v: string) =>
  !/[%(]|em$|ex$|ch$|v[a-z]*$|lh$|cap$|ic$/.test(v) &&
  lengthPx(v, { fontPx: 16, percentOf: 0 }) !== undefined;
const percentage = (v: string) => v.endsWith('%') && NUMBER.test(v.slice(0, -1));
// The values each `@property` syntax takes, as far as they are read here (the initial value must be
// computationally independent: no `em`, no `%` of a length).
const SYNTAXES: Record<string, (value: string) => boolean> = {
  '*': () => true,
  '<number>': (v) => NUMBER.test(v),
  '<integer>': (v) => /^[+-]?\d+$/.test(v),
  '<percentage>': percentage,
  '<length>': absoluteLength,
  '<length-percentage>': (v) => absoluteLength(v) || percentage(v),
  '<color>': (v) => parseColor(v) !== undefined,
  '<angle>': (v) => /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:deg|rad|turn|grad)$/.test(v) || v === '0',
  '<time>': (v) => /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)m?s$/.test(v),
};

// `@property --name { syntax: '<number>'; inherits: false; initial-value: 0 }`: the property then always has a
// value (its initial one) and may not inherit. A rule not worked out here is recorded as doubtful.
function readProperty(prelude: string, body: string, notes: SheetNotes): void {
  const name = preludeName(prelude);
  const d = declarations(cssPlain(body));
  const syntax = /^(["'])(.*)\1$/.exec(d.get('syntax')?.value ?? '')?.[2]?.trim();
  const inherits = d.get('inherits')?.value;
  const initial = d.get('initial-value')?.value;
  const accepts = syntax === undefined ? undefined : SYNTAXES[syntax];
  notes.registered ??= new Map();
  const understood =
    /^--[-\w\u0080-\uffff]+$/.test(name) &&
    accepts !== undefined &&
    (inherits === 'true' || inherits === 'false') &&
    (initial === undefined ? syntax === '*' : accepts(initial)) &&
    !body.includes('{') &&
    notes.registered.size < MAX_REGISTERED;
  notes.registered.set(name, {
    inherits: inherits !== 'false',
    ...(initial === undefined ? {} : { initial }),
    accepts: accepts ?? (() => true),
    ...(understood ? {} : { doubtful: true }),
  });
}

// One style rule per selector of the list, when the declarations set anything.
function pushRules(
  selectors: string[],
  body: string,
  media: string | undefined,
  rules: StyleRule[],
  orderFrom: number,
  notes: SheetNotes,
  within: Within,
): void {
  const decls = declarations(cssPlain(body));
  if (decls.size === 0) return;
  for (const text of selectors) {
    // `p::before`, `.c:after`: the element's selector, and the generated box it styles.
    const generated = GENERATED.exec(text);
    const pseudo = generated?.[2]?.toLowerCase() as StyleRule['pseudo'];
    const selector = parseSelector(generated ? (generated[1] as string) || '*' : text, notes);
    if (selector)
      rules.push({
        selector,
        specificity: specificity(selector),
        order: orderFrom + rules.length,
        decls,
        ...(media ? { media } : {}),
        ...(pseudo ? { pseudo } : {}),
        ...(within.scoped ? { scoped: true } : {}),
      });
  }
}

// Counts the characters nesting writes against the sheet's budget; false once it is spent.
function spend(within: Within, selectors: string[]): boolean {
  if (!within.prefix) return true;
  for (const s of selectors) within.budget.chars -= s.length;
  return within.budget.chars >= 0;
}

// The declarations of a block with the rules nested in it left out (`color: red; .c { … } top: 0`).
function ownDeclarations(css: string): string {
  const out: string[] = [];
  let at = 0;
  while (at < css.length) {
    const stop = scanTo(css, at, '{;');
    if (stop < 0) {
      out.push(css.slice(at));
      break;
    }
    if (css[stop] === ';') {
      out.push(css.slice(at, stop + 1));
      at = stop + 1;
      continue;
    }
    const close = matchingBrace(css, stop);
    at = close < 0 ? css.length : close + 1;
    out.push(';');
  }
  return out.join('');
}

// A nested selector as a whole one: `&` replaced by the enclosing selectors (`:is(…)`), or written after
// them (`.c` → `:is(p) .c`, `> .c` → `:is(p) > .c`); in `@scope`, `:scope` is the scoping root.
function nestedSelector(text: string, within: Within): string {
  let out = '';
  let replaced = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      out += text.slice(i, i + 2);
      i++;
    } else if (quote) {
      if (c === quote) quote = '';
      out += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === '&') {
      out += within.amp;
      replaced = true;
    } else if (within.scopeRoot && c === ':' && /^:scope(?![-\w])/i.test(text.slice(i, i + 7))) {
      out += within.scopeRoot;
      replaced = true;
      i += 5;
    } else out += c;
  }
  return replaced ? out : `${within.prefix} ${out}`;
}

// The block of `@scope (root) to (limit)` (the prelude after `@scope`): its rules apply under the root's
// elements (a limit only narrows that, so it is read as none); without a root, under any element.
function scopeWithin(prelude: string, within: Within, notes: SheetNotes): Within | undefined {
  let root = '*';
  if (prelude.startsWith('(')) {
    let depth = 0;
    let end = 0;
    for (; end < prelude.length; end++) {
      if (prelude[end] === '(') depth++;
      else if (prelude[end] === ')' && --depth === 0) break;
    }
    root = prelude.slice(1, end).trim() || '*';
  } else if (within.amp) root = within.amp;
  const roots = splitList(root).map((s) => (within.prefix ? nestedSelector(s, within) : s));
  if (!spend(within, roots)) {
    notes.undecided = 'nested selectors too long';
    return undefined;
  }
  const list = roots.join(', ');
  return {
    own: [`:where(${list})`],
    prefix: `:where(${list})`,
    amp: `:where(${list})`,
    scopeRoot: `:is(${list})`,
    scoped: true,
    budget: within.budget,
  };
}

/**
 * The `@import` statement starting at `from` (white space before it skipped), tokenised as CSS does: the
 * at-keyword and `url(` with their escapes decoded, the URL a string (escapes decoded) or a url token (`;` and
 * `{` inside it are its own), the statement to its `;` or the end. Undefined when no `@import` starts there, or
 * when a block follows (an invalid import, read as any at-rule). Linear in what it reads.
 */
function importAt(css: string, from: number): { url?: string; end: number } | undefined {
  let i = skipSpace(css, from);
  if (css[i] !== '@') return undefined;
  const keyword = identAt(css, i + 1);
  if (keyword.text.toLowerCase() !== 'import') return undefined;
  i = skipSpace(css, keyword.end);
  let url: string | undefined;
  if (css[i] === '"' || css[i] === "'") {
    const string = stringToken(css, i);
    url = string.value;
    i = string.end;
  } else {
    const name = identAt(css, i);
    if (name.text.toLowerCase() === 'url' && css[name.end] === '(') {
      i = skipSpace(css, name.end + 1);
      if (css[i] === '"' || css[i] === "'") {
        const string = stringToken(css, i);
        url = string.value;
        i = string.end;
      } else {
        // A url token: to its `)`, escapes decoded, white space only at its end.
        let text = '';
        while (i < css.length && css[i] !== ')' && !/[ \t\r\n\f]/.test(css[i] as string)) {
          const escaped = escapeAt(css, i);
          text += escaped ? escaped.text : css[i];
          i = escaped ? escaped.end : i + 1;
        }
        url = text;
      }
    }
  }
  const end = scanTo(css, i, '{;');
  if (end >= 0 && css[end] === '{') return undefined;
  return { ...(url === undefined ? {} : { url }), end: end < 0 ? css.length : end + 1 };
}

function skipSpace(css: string, from: number): number {
  let i = from;
  while (i < css.length && /[ \t\r\n\f]/.test(css[i] as string)) i++;
  return i;
}

// The escape (`\69 `, `\"`) at `at`, decoded, and where it ends; undefined when none starts there.
function escapeAt(css: string, at: number): { text: string; end: number } | undefined {
  if (css[at] !== '\\' || at + 1 >= css.length || /[\r\n\f]/.test(css[at + 1] as string)) return undefined;
  const m = /^[0-9a-fA-F]{1,6}[ \t\r\n\f]?/.exec(css.slice(at + 1, at + 8));
  if (!m) return { text: css[at + 1] as string, end: at + 2 };
  return { text: cssEscapesDecoded(`\\${m[0]}`), end: at + 1 + m[0].length };
}

// The name (an ident sequence, escapes decoded) at `from`.
function identAt(css: string, from: number): { text: string; end: number } {
  let text = '';
  let i = from;
  while (i < css.length) {
    const escaped = escapeAt(css, i);
    if (escaped) {
      text += escaped.text;
      i = escaped.end;
    } else if (/[-\w\u0080-\uffff]/.test(css[i] as string)) text += css[i++];
    else break;
  }
  return { text, end: i };
}

/**
 * The text of a `data:` URL as a browser loads it as a stylesheet, or undefined when it is not one: tabs and
 * line breaks anywhere dropped (the URL parser does), percent-decoded to bytes (a stray `%` kept), base64 when
 * marked, decoded by its byte order mark, else a UTF-16 `charset`, else UTF-8. Linear.
 *
 * @example
 * ```ts
 * dataUrlText('data:text/css,.x%7Bdisplay:none%7D'); // '.x{display:none}'
 * ```
 */
export function dataUrlText(url: string): string | undefined {
  const m = /^data:([^,]*),(.*)$/is.exec(controlsTrimmed(url.replace(/[\t\n\r]/g, '')));
  if (!m) return undefined;
  const type = (m[1] as string).trim();
  let bytes = percentDecoded(m[2] as string);
  if (/;[ ]*base64$/i.test(type)) bytes = Buffer.from(bytes.toString('latin1'), 'base64');
  return new TextDecoder(sheetEncoding(bytes, type)).decode(bytes);
}

// Without the C0 controls and spaces at either end, as the URL parser drops them (no regex: linear).
function controlsTrimmed(url: string): string {
  let from = 0;
  let to = url.length;
  while (from < to && url.charCodeAt(from) <= 0x20) from++;
  while (to > from && url.charCodeAt(to - 1) <= 0x20) to--;
  return url.slice(from, to);
}

// A sheet's bytes per its byte order mark, else its `charset` when that names UTF-16, else UTF-8 (every other
// encoding a browser takes keeps ASCII bytes as they are, so the rules read the same).
function sheetEncoding(bytes: Buffer, type: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  const label = /;\s*charset\s*=\s*"?([^";]*)/i.exec(type)?.[1]?.trim().toLowerCase();
  if (label === 'utf-16be' || label === 'unicodefffe') return 'utf-16be';
  if (label && UTF16LE_LABELS.has(label)) return 'utf-16le';
  return 'utf-8';
}

const UTF16LE_LABELS = new Set([
  'csunicode',
  'iso-10646-ucs-2',
  'ucs-2',
  'unicode',
  'unicodefeff',
  'utf-16',
  'utf-16le',
]);

// Percent-decoding as URLs do it: `%` and two hex digits a byte, any other `%` kept; the rest as UTF-8.
function percentDecoded(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.toString('latin1', i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out[n++] = Number.parseInt(hex, 16);
      i += 2;
    } else out[n++] = bytes[i] as number;
  }
  return out.subarray(0, n);
}
