// CSS values as far as the shown-text reading needs them (html-shown.ts): lengths to pixels, colours to
// RGBA, and the few functions that can make text vanish. A value not understood is `undefined`, and the
// caller decides what not knowing means.

import { BAD_TOKEN, cssTokenText, escapesDecoded } from './css-tokens.js';

/** An sRGB colour, channels 0–255, alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * CSS without its comments, each replaced by a space (an unclosed one runs to the end), tokenized as CSS does:
 * `/*` inside a string or a url token is no comment, and strings and url tokens are written so that no quote,
 * brace or semicolon inside one is read as structure ({@link cssTokenText}).
 */
export function cssWithoutComments(css: string): string {
  return cssTokenText(css);
}

/** CSS escapes decoded (`\\64 isplay` is `display`, `\\}` is `}`). */
export function cssEscapesDecoded(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(
    /\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\([^\r\n\f0-9a-fA-F])/g,
    (_, hex: string, c: string) => {
      if (c !== undefined) return c;
      const code = Number.parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    },
  );
}

/**
 * CSS as its parser reads it: comments gone, escapes decoded (those that would change its structure, `\\;` or a
 * quote inside a string, kept escaped: {@link escapesDecoded}), lower case, white space only between values.
 */
export function cssPlain(css: string): string {
  return escapesDecoded(cssTokenText(css))
    .toLowerCase()
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(/ ?([:;{},()/>+~!]) ?/g, '$1')
    .trim();
}

/** A declaration list (as {@link cssPlain} gives it) as property → value, the last one of each winning. */
export function declarations(plain: string): Map<string, { value: string; important: boolean }> {
  const out = new Map<string, { value: string; important: boolean }>();
  for (const declaration of splitTop(plain, ';')) {
    const colon = declaration.indexOf(':');
    // A bad string or url makes the declaration invalid (CSS Syntax 3): it sets nothing.
    if (colon <= 0 || declaration.includes(BAD_TOKEN)) continue;
    const property = declaration.slice(0, colon).trim();
    let value = declaration.slice(colon + 1).trim();
    const important = value.endsWith('!important');
    if (important) value = value.slice(0, -'!important'.length).trim();
    if (!value) continue;
    out.set(property, { value, important });
    // The `font` shorthand sets the size too: whichever of the two comes last wins.
    const size = property === 'font' ? fontShorthandSize(value) : undefined;
    if (size !== undefined) out.set('font-size', { value: size, important });
  }
  return out;
}

/** Splits at `separator` outside parentheses and quotes, past escapes (`\\;`, `\\"`). */
export function splitTop(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

/**
 * The functions of a `filter` value (`invert(1) opacity(calc(calc(0)))`), each with its arguments as written,
 * parentheses balanced however deep (one left open runs to the end). One pass.
 */
export function cssCalls(value: string): { name: string; args: string }[] {
  const out: { name: string; args: string }[] = [];
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('(', i);
    if (open < 0) break;
    let start = open;
    while (start > i && /[-\w]/.test(value[start - 1] as string)) start--;
    let depth = 1;
    let close = open + 1;
    for (; close < value.length && depth > 0; close++) {
      if (value[close] === '(') depth++;
      else if (value[close] === ')') depth--;
    }
    out.push({
      name: value.slice(start, open).toLowerCase(),
      args: value.slice(open + 1, depth > 0 ? close : close - 1),
    });
    i = close;
  }
  return out;
}

/** Context a length is resolved in: the parent's font size, the box a percentage refers to. */
export interface LengthContext {
  fontPx: number;
  percentOf: number;
  /** The root element's font size, for `rem` (16 when not given). */
  rootPx?: number;
}

const ABSOLUTE: Record<string, number> = {
  px: 1,
  pt: 4 / 3,
  pc: 16,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
};
const VIEW = { vw: 1024 / 100, vh: 768 / 100, vmin: 768 / 100, vmax: 1024 / 100 };

/** A length in pixels (`0`, `12px`, `0.5em`, `50%`, `calc(…)` of those); undefined when not known. */
export function lengthPx(value: string, ctx: LengthContext): number | undefined {
  const v = value.trim();
  if (v.startsWith('calc(') && v.endsWith(')')) return calcPx(v.slice(5, -1), ctx);
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)([a-z%]*)$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] as string;
  if (unit === '') return n === 0 ? 0 : undefined;
  if (unit in ABSOLUTE) return n * (ABSOLUTE[unit] as number);
  if (unit === 'em') return n * ctx.fontPx;
  if (unit === 'rem') return n * (ctx.rootPx ?? 16);
  if (unit === 'ex' || unit === 'ch') return (n * ctx.fontPx) / 2;
  if (unit === '%') return (n * ctx.percentOf) / 100;
  if (unit in VIEW) return n * VIEW[unit as keyof typeof VIEW];
  return undefined;
}

// calc() with + - * / over lengths and numbers (no nested parentheses), the usual precedence.
function calcPx(expression: string, ctx: LengthContext): number | undefined {
  if (/[()]/.test(expression)) return undefined;
  const tokens = expression.match(/(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?[a-z%]*|[*/+-]|\S/g) ?? [];
  let total = 0;
  let term: number | undefined;
  let termSign = 1;
  let op = '*';
  let sign = 1;
  let expectValue = true;
  for (const token of tokens) {
    if (expectValue && (token === '-' || token === '+')) {
      if (token === '-') sign = -sign;
      continue;
    }
    if (expectValue) {
      const value = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/.test(token)
        ? Number(token)
        : lengthPx(token, ctx);
      if (value === undefined) return undefined;
      const v = sign * value;
      sign = 1;
      term = term === undefined ? v : op === '/' ? term / v : term * v;
      expectValue = false;
      continue;
    }
    if (token === '*' || token === '/') op = token;
    else if (token === '+' || token === '-') {
      total += termSign * (term ?? 0);
      term = undefined;
      op = '*';
      termSign = token === '-' ? -1 : 1;
    } else return undefined;
    expectValue = true;
  }
  if (expectValue || term === undefined) return undefined;
  const result = total + termSign * term;
  return Number.isFinite(result) ? result : undefined;
}

const FONT_KEYWORDS: Record<string, number> = {
  'xx-small': 9,
  'x-small': 10,
  small: 13,
  medium: 16,
  large: 18,
  'x-large': 24,
  'xx-large': 32,
  'xxx-large': 48,
};

/** A `font-size` in pixels; undefined when not known. */
export function fontSizePx(value: string, parentPx: number, rootPx?: number): number | undefined {
  if (value in FONT_KEYWORDS) return FONT_KEYWORDS[value];
  if (value === 'smaller') return parentPx / 1.2;
  if (value === 'larger') return parentPx * 1.2;
  return lengthPx(value, { fontPx: parentPx, percentOf: parentPx, ...(rootPx ? { rootPx } : {}) });
}

/** The size of a `font` shorthand (`bold 0px Arial`, `0/0 a`); undefined when none is found. */
export function fontShorthandSize(value: string): string | undefined {
  for (const token of value.split(/[ /]/)) {
    if (token in FONT_KEYWORDS || /^[+-]?(?:\d|\.\d)/.test(token) || token.startsWith('calc(')) {
      // `bold`/`700` weights come before the size: a bare number without unit is a weight unless 0.
      if (/^\d+$/.test(token) && token !== '0') continue;
      return token;
    }
  }
  return undefined;
}

const NAMED: Record<string, [number, number, number]> = {
  white: [255, 255, 255],
  black: [0, 0, 0],
  snow: [255, 250, 250],
  ivory: [255, 255, 240],
  azure: [240, 255, 255],
  mintcream: [245, 255, 250],
  ghostwhite: [248, 248, 255],
  whitesmoke: [245, 245, 245],
  seashell: [255, 245, 238],
  floralwhite: [255, 250, 240],
  honeydew: [240, 255, 240],
  aliceblue: [240, 248, 255],
  lavenderblush: [255, 240, 245],
  oldlace: [253, 245, 230],
  linen: [250, 240, 230],
  cornsilk: [255, 248, 220],
  beige: [245, 245, 220],
  lightyellow: [255, 255, 224],
  lightcyan: [224, 255, 255],
  gainsboro: [220, 220, 220],
  lightgray: [211, 211, 211],
  lightgrey: [211, 211, 211],
  silver: [192, 192, 192],
  gray: [128, 128, 128],
  grey: [128, 128, 128],
  red: [255, 0, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
  navy: [0, 0, 128],
  yellow: [255, 255, 0],
  // System colours as light themes draw them.
  canvas: [255, 255, 255],
  canvastext: [0, 0, 0],
  window: [255, 255, 255],
  windowtext: [0, 0, 0],
  field: [255, 255, 255],
  fieldtext: [0, 0, 0],
  buttonface: [240, 240, 240],
  buttontext: [0, 0, 0],
};

const colorMemo = new Map<string, Rgba | undefined>();

/** A colour as RGBA; undefined when not known (a name not listed, `var()`…). Read once per distinct value. */
export function parseColor(value: string): Rgba | undefined {
  if (colorMemo.has(value)) return colorMemo.get(value);
  const color = readColor(value);
  if (colorMemo.size < 4096) colorMemo.set(value, color);
  return color;
}

function readColor(value: string): Rgba | undefined {
  const v = value.trim();
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const named = NAMED[v];
  if (named) return { r: named[0], g: named[1], b: named[2], a: 1 };
  const hex = /^#([0-9a-f]{3,8})$/.exec(v)?.[1];
  if (hex && hex.length !== 5 && hex.length !== 7) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const at = (i: number) => Number.parseInt(full.slice(i, i + 2), 16);
    return { r: at(0), g: at(2), b: at(4), a: full.length === 8 ? at(6) / 255 : 1 };
  }
  if (v.startsWith('color-mix(')) return colorMix(v.slice(10, -1));
  const fn = /^([a-z]+)\((.*)\)$/.exec(v);
  if (!fn) return undefined;
  const parts = (fn[2] as string).split(/[ ,/]+/).filter(Boolean);
  const alpha = parts[3] === undefined ? 1 : fraction(parts[3]);
  if (alpha === undefined) return undefined;
  const name = fn[1] as string;
  if (name === 'rgb' || name === 'rgba') {
    const [r, g, b] = parts
      .slice(0, 3)
      .map((p) => (p.endsWith('%') ? (Number(p.slice(0, -1)) * 255) / 100 : Number(p)));
    return [r, g, b].every((c) => c !== undefined && Number.isFinite(c))
      ? { r: r as number, g: g as number, b: b as number, a: alpha }
      : undefined;
  }
  // Lightness is all that matters here: grey of the same lightness.
  const lightness =
    name === 'hsl' || name === 'hsla'
      ? fraction(parts[2] ?? '')
      : name === 'hwb'
        ? hwbLightness(parts)
        : name === 'oklch' || name === 'oklab' || name === 'lab' || name === 'lch'
          ? labLightness(parts[0] ?? '', name)
          : undefined;
  if (lightness === undefined) return undefined;
  const grey = Math.max(0, Math.min(255, lightness * 255));
  return { r: grey, g: grey, b: grey, a: alpha };
}

// `color-mix(in srgb, white 100%, black)`: the two colours weighted by their percentages (any space read as sRGB).
function colorMix(args: string): Rgba | undefined {
  const parts = splitTop(args, ',').map((p) => p.trim());
  if (parts.length !== 3) return undefined;
  const read = (part: string) => {
    const m = /^(.*?)(?: ([\d.]+)%)?$/.exec(part) as RegExpExecArray;
    return { color: parseColor(m[1] as string), weight: m[2] === undefined ? undefined : Number(m[2]) / 100 };
  };
  const a = read(parts[1] as string);
  const b = read(parts[2] as string);
  if (!a.color || !b.color) return undefined;
  const wa = a.weight ?? (b.weight === undefined ? 0.5 : 1 - b.weight);
  const wb = b.weight ?? 1 - wa;
  const total = wa + wb || 1;
  const mix = (x: number, y: number) => (x * wa + y * wb) / total;
  return {
    r: mix(a.color.r, b.color.r),
    g: mix(a.color.g, b.color.g),
    b: mix(a.color.b, b.color.b),
    a: mix(a.color.a, b.color.a),
  };
}

function hwbLightness(parts: string[]): number | undefined {
  const w = fraction(parts[1] ?? '');
  const b = fraction(parts[2] ?? '');
  if (w === undefined || b === undefined) return undefined;
  return w + b >= 1 ? w / (w + b) : (w + 1 - b) / 2;
}

function labLightness(part: string, name: string): number | undefined {
  if (part.endsWith('%')) return Number(part.slice(0, -1)) / 100;
  const n = Number(part);
  if (!Number.isFinite(n)) return undefined;
  return name.startsWith('ok') ? n : n / 100;
}

/** `0.5` or `50%` as 0.5; undefined otherwise. */
export function fraction(value: string): number | undefined {
  const v = value.trim();
  const n = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
  return v !== '' && Number.isFinite(n) ? n : undefined;
}

/** Relative luminance (WCAG) of a colour, 0 (black) to 1 (white). */
export function luminance(c: Rgba): number {
  const lin = (x: number) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** True when text in `color` cannot be told from `backdrop` (contrast ratio under 1.25, or nearly transparent). */
export function invisibleOn(color: Rgba, backdrop: Rgba): boolean {
  if (color.a < 0.2) return true;
  const a = luminance(color);
  const b = luminance(backdrop);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) < 1.25;
}
