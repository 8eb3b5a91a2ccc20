// A number's digit groups among right-to-left text: Unicode's bidi algorithm resolves the spaces between two
// groups (and between a Hebrew or Arabic word and a group) to right-to-left, so the groups are drawn in the other
// order while each keeps its digits in order: `1111 1111 1111 4111` in a `dir=rtl` paragraph, after an RLE or
// RLI, or after a Hebrew word, is shown `4111 1111 1111 1111` (attacker round 46). The reader cannot tell every
// paragraph's direction from the text alone, so where anything right-to-left is about, both orders are read.

// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms, the
// right-to-left blocks of the supplementary planes), and the marks and controls that set a right-to-left direction.
const RTL_TEXT =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u061c\u202b\u202e\u2067]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
// Markup that may set a right-to-left direction: an `rtl` value (`dir`, CSS `direction`), `unicode-bidi`, `<bdi>`,
// any CSS escape (`direction: \72 tl`), and a stylesheet not written out in the page (a data: URL, base64 or
// percent-encoded, or an @import). The characters of references (`&#x202B;`) are in the decoded text.
const RTL_MARKUP = /rtl|bidi|\\[0-9a-f]|data:|@import/i;

/**
 * Whether a text may draw anything right to left: its characters, and for `markup` (a page's source) what the
 * markup says.
 *
 * @example
 * ```ts
 * mayRunRightToLeft('<p dir="rtl">1111 4111</p>', true); // true
 * ```
 */
export function mayRunRightToLeft(text: string, markup = false): boolean {
  return RTL_TEXT.test(text) || (markup && RTL_MARKUP.test(text));
}

// Digit groups joined by a few characters that are neither letters, digits nor line breaks.
const GROUPS = /\p{Nd}+(?:[^\p{L}\p{N}\n\u2029]{1,6}\p{Nd}+)+/gu;
const PIECES = /\p{Nd}+|[^\p{Nd}]+/gu;

/**
 * The text with each run of digit groups in the other order, each group's digits kept in order: how the groups of
 * a number are drawn among right-to-left text. Linear.
 *
 * @example
 * ```ts
 * groupsTurned('card 1111 1111 1111 4111'); // 'card 4111 1111 1111 1111'
 * ```
 */
export function groupsTurned(text: string): string {
  return text.replace(GROUPS, (run) => (run.match(PIECES) ?? []).reverse().join(''));
}
