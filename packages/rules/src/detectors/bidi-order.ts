// A number's digit groups among right-to-left text: Unicode's bidi algorithm resolves the spaces between two
// groups (and between a Hebrew or Arabic word and a group) to right-to-left, so the groups are drawn in the other
// order while each keeps its digits in order: `1111 1111 1111 4111` in a `dir=rtl` paragraph, after an RLE or
// RLI, or after a Hebrew word, is shown `4111 1111 1111 1111` (attacker round 46). The reader cannot tell every
// paragraph's direction from the text alone, so where anything right-to-left is about (core's
// `mayRunRightToLeft`), both orders are read.

// Digit groups joined by a few characters that are neither letters, digits nor line breaks (each line is ordered
// on its own: a paragraph separator, a line feed, a bare CR, a line separator, the other bidi paragraph breaks).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the bidi paragraph breaks are control characters
const GROUPS = /\p{Nd}+(?:[^\p{L}\p{N}\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]{1,6}\p{Nd}+)+/gu;
const DIGITS = /\p{Nd}+/gu;
// Characters no reader draws (zero-width spaces, soft hyphens, joiners): the bidi algorithm takes them out before
// it orders a line, and the card finder reads without them, so the groups are turned without them too.
const UNDRAWN = /\p{Default_Ignorable_Code_Point}/gu;

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
  return text.replace(UNDRAWN, '').replace(GROUPS, turned);
}

// A run of groups and separators in the other order, written into one typed buffer: an array of pieces for a long
// run outlives the young generation and costs several times as much per character (measured 13 ns per character at
// 20 kB, 66 at 80 kB), which is what a hostile message of endless digit groups would pay.
function turned(run: string): string {
  let cuts = new Int32Array(64);
  let count = 0;
  DIGITS.lastIndex = 0;
  for (let found = DIGITS.exec(run); found !== null; found = DIGITS.exec(run)) {
    if (count + 2 > cuts.length) {
      const grown = new Int32Array(cuts.length * 2);
      grown.set(cuts);
      cuts = grown;
    }
    cuts[count++] = found.index;
    cuts[count++] = DIGITS.lastIndex;
  }
  // GROUPS makes a run begin and end with digits: cuts hold each group's start and end, separators lie between.
  const out = new Uint16Array(run.length);
  let written = 0;
  const copy = (from: number, to: number) => {
    for (let at = from; at < to; at++) out[written++] = run.charCodeAt(at);
  };
  for (let group = count - 2; group >= 0; group -= 2) {
    copy(cuts[group] as number, cuts[group + 1] as number);
    if (group > 0) copy(cuts[group - 1] as number, cuts[group] as number);
  }
  return fromCodeUnits(out);
}

const CHUNK = 8192; // code units per String.fromCharCode call, well below the engine's argument limit

function fromCodeUnits(units: Uint16Array): string {
  const parts: string[] = [];
  for (let at = 0; at < units.length; at += CHUNK) {
    parts.push(String.fromCharCode(...units.subarray(at, at + CHUNK)));
  }
  return parts.join('');
}
