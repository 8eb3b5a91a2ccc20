/** How an element's text is laid out in a vertical writing mode, inherited by its content. */
export interface VerticalWriting {
  /** Laid out in columns (`writing-mode: vertical-rl`, `vertical-lr`, SVG's `tb`): lines are columns. */
  vertical?: boolean;
  /** Its characters drawn upright (`text-orientation: upright`, SVG's `glyph-orientation-vertical: 0`, combined). */
  upright?: boolean;
}

/**
 * The vertical writing an element's text is laid out in, from its computed `writing-mode` (or Word's
 * `layout-flow`) and orientation (`get`, lower case or not) and its parent's (both inherited, as CSS inherits
 * them). `sideways-rl` and `sideways-lr` turn the whole line, so its text reads in the order written: not vertical
 * here.
 *
 * @example
 * ```ts
 * verticalWriting((p) => ({ 'writing-mode': 'vertical-rl', 'text-orientation': 'upright' })[p], {});
 * // { vertical: true, upright: true }
 * ```
 */
export function verticalWriting(
  get: (property: string) => string | undefined,
  parent: VerticalWriting,
): VerticalWriting {
  // Word's and Outlook's own property (`layout-flow: vertical-ideographic` in a table cell) lays out in columns too.
  const flow = keyword(get('layout-flow'));
  const mode =
    keyword(get('writing-mode') ?? get('-webkit-writing-mode') ?? get('-ms-writing-mode')) ??
    (flow === undefined ? undefined : flow.startsWith('vertical') ? 'tb-rl' : 'horizontal-tb');
  const vertical =
    mode === undefined || mode === 'inherit' ? parent.vertical : VERTICAL_MODES.has(mode) || undefined;
  const orientation = keyword(get('text-orientation') ?? get('-webkit-text-orientation'));
  const glyphs = keyword(get('glyph-orientation-vertical'));
  const combine = keyword(get('text-combine-upright') ?? get('-webkit-text-combine'));
  let upright = parent.upright;
  if (orientation !== undefined && orientation !== 'inherit')
    upright = orientation === 'upright' || undefined;
  if (glyphs !== undefined && glyphs !== 'inherit') upright = /^0(?:deg)?$/.test(glyphs) || undefined;
  if (combine !== undefined && combine !== 'inherit' && combine !== 'none' && combine !== 'initial')
    upright = true;
  return { vertical, upright };
}
const VERTICAL_MODES = new Set(['vertical-rl', 'vertical-lr', 'tb', 'tb-rl', 'tb-lr']);
const keyword = (value: string | undefined) =>
  value
    ?.replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase();

/**
 * Whether `text`, laid out in the vertical writing `writing`, has a digit drawn upright: every digit where the
 * characters are drawn upright, else a digit other than ASCII's (full-width `４`, circled `④`, which a vertical line
 * draws upright whatever the orientation). Upright digits in columns side by side read across as rows
 * (attacker round 111: `4106`, `5434`, `3846`, `9837` written as four columns show `4539 1488 0343 6467` row by
 * row), which this reader does not lay out. One pass over `text`: linear.
 *
 * @example
 * ```ts
 * uprightDigits('4106', { vertical: true, upright: true }); // true
 * uprightDigits('Q1 2024', { vertical: true }); // false: drawn sideways, read down the column as written
 * ```
 */
export function uprightDigits(text: string, writing: VerticalWriting): boolean {
  if (!writing.vertical) return false;
  return writing.upright ? ANY_DIGIT.test(text) : OTHER_DIGIT.test(text);
}
const ANY_DIGIT = /\p{N}/u;
const OTHER_DIGIT = /(?![0-9])\p{N}/u;
