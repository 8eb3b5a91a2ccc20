import type { StyleRule } from './css-rules.js';
import { transformHides, transformList, transformScale } from './css-transforms.js';
import {
  cssCalls,
  type declarations,
  fontSizePx,
  fraction,
  lengthPx,
  parseColor,
  type Rgba,
  splitTop,
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

// What an animation's frames may set without hiding text: shadows, borders, a background's position, timing.
const FRAME_HARMLESS =
  /^(?:animation-timing-function|box-shadow|text-shadow|border(?:-[a-z]+)*|outline(?:-[a-z]+)*|background-position(?:-[xy])?|stroke-dash(?:array|offset))$/;
const FRAME_TRANSFORMS = new Set(['transform', 'translate', 'rotate', 'scale']);

/**
 * True when one `@keyframes` frame may hide text while it plays or after (`forwards`): opacity under a fifth, a
 * font under 4px, a transform that hides or is not worked out, or any property other than the few known not
 * to hide (colours, visibility, sizes and offsets count as hiding: they are not worked out here).
 *
 * @example
 * ```ts
 * frameHides(declarations(cssPlain('opacity: 0'))); // true
 * frameHides(declarations(cssPlain('opacity: 1; transform: translateY(20px)'))); // false
 * ```
 */
export function frameHides(decls: ReturnType<typeof declarations>): boolean {
  for (const [property, { value }] of decls) {
    if (FRAME_HARMLESS.test(property) || FRAME_TRANSFORMS.has(property)) continue;
    if (property === 'opacity') {
      const amount = fraction(value);
      if (amount === undefined || amount < 0.2) return true;
      continue;
    }
    // Relative sizes judged against a small parent (4px), so that `0.5em` counts as small; and a frame's size
    // is not judged with the element's zoom and scale, so only a size no zoom makes small (8px) is harmless.
    if (property === 'font-size' && (fontSizePx(value, 4, 4) ?? 0) >= 8) continue;
    return true;
  }
  const transform = transformList((p) => decls.get(p)?.value);
  if (transform === undefined) return false;
  // A frame's transform is not judged about the element's origin nor with its ancestors' zoom (attacker round
  // 37): a turn, a skew or a matrix may hide it, and so may shrinking it by more than a tenth; a slide or a pulse
  // is harmless.
  const ctx = { fontPx: 16, percentOf: 16 };
  if (/(?:rotate|skew|matrix|perspective)/.test(transform)) return true;
  return (transformScale(transform, ctx) ?? 0) < 0.9 || transformHides(transform, ctx) !== false;
}

// Words of the `animation` shorthand that are not a keyframes name.
const ANIMATION_WORDS = new Set([
  'none',
  'linear',
  'ease',
  'ease-in',
  'ease-out',
  'ease-in-out',
  'step-start',
  'step-end',
  'infinite',
  'normal',
  'reverse',
  'alternate',
  'alternate-reverse',
  'forwards',
  'backwards',
  'both',
  'running',
  'paused',
  'auto',
  'replace',
  'add',
  'accumulate',
  'inherit',
  'initial',
  'unset',
  'revert',
  'revert-layer',
]);
const ANIMATION_AMOUNT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?(?:m?s)?$/;

/**
 * True when an element's animations may hide it: one names `@keyframes` whose frames may hide text
 * ({@link frameHides}, in `keyframes` as name → hides), or keyframes the page does not hold (a browser may
 * have them from elsewhere), or a part of the value is not understood. `animation: none` and no animation: false.
 *
 * @example
 * ```ts
 * animationUnsure((p) => (p === 'animation' ? 'fade 1s forwards' : undefined), new Map([['fade', true]])); // true
 * ```
 */
export function animationUnsure(
  get: (property: string) => string | undefined,
  keyframes: ReadonlyMap<string, boolean>,
): boolean {
  for (const property of ['animation', 'animation-name', '-webkit-animation', '-webkit-animation-name']) {
    const value = get(property);
    if (value === undefined) continue;
    const names = property.endsWith('name');
    for (const one of splitTop(value, ',')) {
      for (const word of splitTop(one.trim(), ' ')) {
        if (word === '') continue;
        const name = /^(["'])(.*)\1$/.exec(word)?.[2] ?? word;
        // A keyword that also names hiding keyframes may be that name: read as hiding.
        if (keyframes.get(name)) return true;
        if (ANIMATION_WORDS.has(word)) continue;
        if (!names && ANIMATION_AMOUNT.test(word)) continue;
        if (!names && /^(?:cubic-bezier|steps|linear)\(/.test(word)) continue;
        if (!keyframes.has(name)) return true;
      }
    }
  }
  return false;
}
