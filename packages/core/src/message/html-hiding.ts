// What an HTML page (or an Office document's XML) hides from its reader: the detectors' shown-text reading
// (html-text.ts) leaves it out, so a letter hidden between two digit groups cannot split a card number. Every
// test here errs towards "hidden": that reading is checked beside the full text, never instead of it, so
// hiding too much costs nothing, and hiding too little is the only way round it.

/** The classes, ids and element names that a page's `<style>` blocks hide; `all` when a rule hides `*`. */
export interface HidingRules {
  classes: Set<string>;
  ids: Set<string>;
  tags: Set<string>;
  all: boolean;
}

/**
 * The hiding rules of every `<style>` block of a page, wherever it stands (a browser applies a stylesheet
 * at the end of the body to the whole page). Linear: one scan for the blocks, one for each block's rules.
 */
export function hidingRules(html: string): HidingRules {
  const rules: HidingRules = { classes: new Set(), ids: new Set(), tags: new Set(), all: false };
  const lower = html.toLowerCase();
  let at = 0;
  while (at < lower.length) {
    const open = lower.indexOf('<style', at);
    if (open < 0) break;
    const start = lower.indexOf('>', open);
    if (start < 0) break;
    const close = lower.indexOf('</style', start);
    readStylesheet(html.slice(start + 1, close < 0 ? html.length : close), rules);
    if (close < 0) break;
    at = close + 7;
  }
  return rules;
}

function readStylesheet(css: string, rules: HidingRules): void {
  const plain = cssPlain(css);
  let from = 0;
  while (from < plain.length) {
    const end = plain.indexOf('}', from);
    const block = plain.slice(from, end < 0 ? plain.length : end);
    const brace = block.lastIndexOf('{');
    if (brace >= 0 && declarationsHide(block.slice(brace + 1))) {
      // The selector is what stands before this block's brace, after any enclosing rule's (`@media x {`).
      const selector = block.slice(block.lastIndexOf('{', brace - 1) + 1, brace);
      for (const m of selector.matchAll(/([.#]?)(-?[a-z_][\w-]*|\*)/g)) {
        const name = m[2] as string;
        if (name === '*') rules.all = true;
        else if (m[1] === '.') rules.classes.add(name);
        else if (m[1] === '#') rules.ids.add(name);
        else rules.tags.add(name);
      }
    }
    if (end < 0) break;
    from = end + 1;
  }
}

/** CSS as its parser reads it: comments gone, escapes decoded, lower case, white space only between values. */
export function cssPlain(css: string): string {
  let out = '';
  let at = 0;
  while (at < css.length) {
    const open = css.indexOf('/*', at);
    if (open < 0) {
      out += css.slice(at);
      break;
    }
    out += css.slice(at, open);
    const close = css.indexOf('*/', open + 2);
    if (close < 0) break;
    at = close + 2;
  }
  return out
    .replace(/\\([0-9a-f]{1,6})[ \t\r\n\f]?|\\([^\r\n\f0-9a-f])/gi, (_, hex: string, c: string) => {
      if (c !== undefined) return c;
      const code = Number.parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    })
    .toLowerCase()
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(/ ?([:;{},()/>+~!]) ?/g, '$1')
    .trim();
}

/** True when a declaration list (as {@link cssPlain} gives it) keeps its text from being seen. */
export function declarationsHide(plain: string): boolean {
  for (const declaration of plain.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon);
    const value = declaration.slice(colon + 1).replace(/!important$/, '');
    if (propertyHides(property, value)) return true;
  }
  return false;
}

function propertyHides(property: string, value: string): boolean {
  switch (property) {
    case 'display':
      return value.startsWith('none');
    case 'visibility':
    case 'content-visibility':
      return value.startsWith('hidden') || value.startsWith('collapse');
    case 'mso-hide':
      return value.startsWith('all');
    case 'opacity':
      return below(value, 0.2, 20);
    case 'font-size':
    case 'font':
    case 'zoom':
      return tinyLength(value);
    case 'height':
    case 'max-height':
    case 'width':
    case 'max-width':
    case 'line-height':
      return zeroLength(value);
    case 'color':
    case '-webkit-text-fill-color':
    case 'mso-color-alt':
      return faintColor(value);
    case 'text-indent':
    case 'left':
    case 'top':
    case 'right':
    case 'margin-left':
    case 'margin-top':
    case 'margin':
      return /^-\d{3,}/.test(value) || /^-\d+(?:\.\d+)?(?:em|rem|in|cm)/.test(value);
    case 'clip':
    case 'clip-path':
      return !/^(?:auto|none|initial|unset|inherit)/.test(value);
    case 'transform':
      return /scale[xy]?\((?:-?0?\.[01]|-?0(?![.\d]))/.test(value);
    default:
      return false;
  }
}

// `0`, `0.1px`, `3pt`, `0.2em`, `25%`, `xx-small`… : text too small to read (or none at all).
function tinyLength(value: string): boolean {
  const m = /^(-?\d*\.?\d+)(px|pt|em|rem|%|ex|ch|vw|vh|in|cm|mm)?/.exec(value);
  if (!m) return false;
  const n = Number(m[1]);
  switch (m[2]) {
    case undefined:
      return n < 0.3;
    case 'px':
    case 'pt':
      return n < 4;
    case '%':
      return n < 30;
    default:
      return n < 0.3;
  }
}

function zeroLength(value: string): boolean {
  return /^-?0*\.?0+(?![.\d])/.test(value);
}

function below(value: string, fraction: number, percent: number): boolean {
  const m = /^(-?\d*\.?\d+)(%)?/.exec(value);
  return !!m && Number(m[1]) < (m[2] ? percent : fraction);
}

// Transparent, or so light it vanishes on the usual white page (white on white).
function faintColor(value: string): boolean {
  if (
    /^(?:transparent|white|snow|ivory|azure|mintcream|ghostwhite|whitesmoke|seashell|floralwhite)/.test(value)
  )
    return true;
  const hex = /^#([0-9a-f]{3,8})(?![0-9a-f])/.exec(value)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const channels = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16));
    const alpha = full.length === 8 ? Number.parseInt(full.slice(6, 8), 16) : 255;
    return alpha < 52 || channels.every((c) => c >= 0xe6);
  }
  const fn = /^(?:rgba?|hsla?)\(([^)]*)\)/.exec(value);
  if (fn) {
    const parts = (fn[1] as string).split(/[,/ ]+/);
    const alpha = parts[3];
    if (alpha !== undefined && below(alpha, 0.2, 20)) return true;
    if (value.startsWith('rgb')) return parts.slice(0, 3).every((p) => channel(p) >= 0xe6);
    return /^(?:9\d|100)(?:\.\d+)?%$/.test(parts[2] ?? '');
  }
  return false;
}

function channel(part: string): number {
  return part.endsWith('%') ? (Number(part.slice(0, -1)) * 255) / 100 : Number(part);
}
