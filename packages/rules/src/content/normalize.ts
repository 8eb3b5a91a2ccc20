/** How text is normalised before matching; the same normalisation applies to the configured words. */
export interface NormalizeOptions {
  /** Unicode NFKC: full-width, ligatures and compatibility forms fold to their plain letters. Default true. */
  nfkc?: boolean;
  /** Full case folding (`ß` → `ss`, `İ` → `i̇`). Default true. */
  caseFold?: boolean;
  /** Removes combining marks (`é` → `e`). Default false. */
  stripDiacritics?: boolean;
  /** Drops invisible characters attackers use to split words (zero-width, soft hyphen, bidi controls). Default true. */
  stripInvisible?: boolean;
  /** Runs of whitespace become one space. Default true. */
  collapseWhitespace?: boolean;
}

// Invisible code points: soft hyphen, CGJ, ALM, Hangul fillers, Mongolian FVS, zero-width and bidi
// controls, word joiners, variation selectors, BOM. Given as ranges (a character class would mix marks).
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];

/** True for the invisible code points attackers insert between letters or digits (zero-width, bidi, soft hyphen). */
export function isInvisible(cp: number): boolean {
  return (
    INVISIBLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) || IGNORABLE.test(String.fromCodePoint(cp))
  );
}

// Every code point Unicode says renderers show as nothing (tag characters, Hangul fillers U+3164 and
// U+FFA0, shorthand format controls…), beyond the ranges above.
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;

// One character class built from the ranges and the ignorable property (escaped, so no combining mark sits
// in the source): one linear pass.
const INVISIBLE = new RegExp(
  `[${INVISIBLE_RANGES.map(([lo, hi]) => `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`).join('')}\\p{Default_Ignorable_Code_Point}]`,
  'gu',
);

function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

// Printable ASCII and whitespace: NFKC, NFD and the invisible set leave it as it is, and case folding is
// toLowerCase, so such text (most mail) skips the Unicode passes.
const ASCII = /^[^\u0080-\uffff]*$/;

const MARKS = /\p{M}/gu;
const SPACE = /\s+/g;

/** Fills in the defaults of {@link NormalizeOptions}. */
export function normalizeSettings(options: NormalizeOptions = {}): Required<NormalizeOptions> {
  return {
    nfkc: options.nfkc ?? true,
    caseFold: options.caseFold ?? true,
    stripDiacritics: options.stripDiacritics ?? false,
    stripInvisible: options.stripInvisible ?? true,
    collapseWhitespace: options.collapseWhitespace ?? true,
  };
}

/**
 * Normalises text for matching, in linear time (each step is one pass with a single-character class).
 *
 * @example
 * ```ts
 * normalizeText('ＵＲＧＥＮＴ  Wi\u200Bre', {}); // "urgent wire"
 * normalizeText('Café', { stripDiacritics: true }); // "cafe"
 * ```
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  const s = normalizeSettings(options);
  if (ASCII.test(text)) {
    const lower = s.caseFold ? text.toLowerCase() : text;
    return s.collapseWhitespace ? lower.replace(SPACE, ' ') : lower;
  }
  let out = text;
  if (s.stripInvisible) out = stripInvisible(out);
  if (s.stripDiacritics) out = out.normalize('NFD').replace(MARKS, '');
  if (s.nfkc) out = out.normalize('NFKC');
  if (s.caseFold) out = out.toUpperCase().toLowerCase();
  if (s.collapseWhitespace) out = out.replace(SPACE, ' ');
  return out;
}

/** Text of an HTML body for matching: see core's `htmlToText` (linear, one pass). */
export { htmlToText } from '@wmflow/core';
