import type { StyleRule } from './css-rules.js';
import {
  cssCalls,
  fontSizePx,
  fraction,
  lengthPx,
  parseColor,
  type Rgba,
  transformHides,
} from './css-values.js';

// What in an element's computed style hides its text, for the shown-text reading (html-shown.ts): offsets,
// filters, backgrounds, `<font size>`, and the styles no reader here works out.

// Styles that can hide text in ways no reader here works out: masks, blends, text painted by its background,
// positioned or indented boxes, clipping boxes, filters and transforms not read, values that do not parse.
export function unmodelled(
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
export function hidesSomething(rule: StyleRule): boolean {
  return [...rule.decls.keys()].some((p) => HIDING_PROPERTIES.test(p));
}
const HIDING_PROPERTIES =
  /^(?:display|visibility|opacity|font|font-size|color|-webkit-text-fill-color|transform|scale|translate|rotate|clip|clip-path|filter|height|width|max-height|max-width|line-height|text-indent|position|left|top|right|bottom|inset|margin.*|mask.*|-webkit-mask.*|mix-blend-mode|zoom|content-visibility|overflow.*)$/;

// A colour through `invert()`, `brightness()` and `contrast()`, applied in order.
export function filtered(color: Rgba, filter: string): Rgba {
  let { r, g, b } = color;
  for (const { name, args } of cssCalls(filter)) {
    if (name !== 'invert' && name !== 'brightness' && name !== 'contrast') continue;
    const k = fraction(args) ?? 1;
    const each = (c: number) =>
      name === 'invert' ? c + (255 - 2 * c) * k : name === 'brightness' ? c * k : (c - 127.5) * k + 127.5;
    [r, g, b] = [r, g, b].map((c) => Math.max(0, Math.min(255, each(c)))) as [number, number, number];
  }
  return { r, g, b, a: color.a };
}

export function offScreen(
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
export function backgroundColor(
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

const FONT_SIZES = [10, 10, 13, 16, 18, 24, 32, 48];

export function fontAttributePx(value: string): number {
  const v = value.trim();
  const n = /^[+-]/.test(v) ? 3 + Number(v) : Number(v);
  return FONT_SIZES[Math.max(1, Math.min(7, Number.isFinite(n) ? Math.round(n) : 3))] as number;
}
