// Whether a text may be drawn right to left, from what it and its markup say. Among right-to-left text a number's
// digit groups are drawn in the other order (`1111 1111 1111 4111` shows `4111 1111 1111 1111`): readers of
// content read both orders where this says so (attacker rounds 46 and 48).

// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms, the
// right-to-left blocks of the supplementary planes), and the marks and controls that set a right-to-left direction.
const RTL_TEXT =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u061c\u202b\u202e\u2067]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
// Markup that may set a right-to-left direction: an `rtl` value (`dir`, CSS `direction`, Word's `w:rtl`),
// `unicode-bidi`, `<bdi>`, Word's `w:bidi`, an `rl` writing mode (OpenDocument's and XSL's `rl-tb`, `rl`, `tb-rl`;
// CSS's `vertical-rl`, `sideways-rl`: lines and columns laid right to left; attacker round 49), Excel's reading order and
// right-to-left sheets, any CSS escape (`direction: \72 tl`, `rt\l`), and a stylesheet not written out in the page
// (a data: URL, base64 or percent-encoded, or an @import).
const RTL_MARKUP = /rtl|bidi|\brl\b|readingorder|righttoleft|\\\S|data:|@import/i;
// Layout that draws sibling boxes in the other order, whatever the text's direction (attacker round 89): a flex
// container's `row-reverse` (or `wrap-reverse`), boxes floated right (`float: right` or `inline-end`, HTML's
// `align=right` on a table or an image) laid from the right edge leftwards, and a flex or grid item's `order` or
// grid placement (`grid-column`, `grid-row`, `grid-area`, `grid-template-areas`) that moves it. `<span
// style="float:right">1881</span>…<span style="float:right">4012</span>` shows `4012 8888 8888 1881`. Read as
// right-to-left markup is: both orders of the groups.
const REORDERING_MARKUP =
  /(?:row|wrap)-reverse|float\s*:\s*(?:right|inline-end)|align\s*=\s*["']?right|(?<![\w-])order\s*:|grid-(?:row|column|area|template-areas)/i;

/**
 * Whether a text may draw anything right to left: its characters, and for `markup` (a page's or a document part's
 * source) what the markup says (a right-to-left direction, or a layout that draws sibling boxes in the other order:
 * `flex-direction: row-reverse`, `float: right`, `order`, grid placement), also once its character references are decoded (`dir="&#114;tl"`) when
 * `decodeReferences` is given.
 *
 * @example
 * ```ts
 * mayRunRightToLeft('<p dir="rtl">1111 4111</p>', true); // true
 * ```
 */
export function mayRunRightToLeft(
  text: string,
  markup = false,
  decodeReferences?: (markup: string) => string,
): boolean {
  if (RTL_TEXT.test(text)) return true;
  if (!markup) return false;
  if (RTL_MARKUP.test(text) || REORDERING_MARKUP.test(text)) return true;
  if (decodeReferences === undefined || !text.includes('&')) return false;
  const decoded = decodeReferences(text);
  return RTL_MARKUP.test(decoded) || REORDERING_MARKUP.test(decoded);
}
