import { isInvisible } from '../content/normalize.js';

/**
 * Canonical text for the number detectors, one character in, at most one out, in one pass:
 * ASCII stays; every Unicode decimal digit (full-width, Arabic-Indic, Devanagari, mathematical…) becomes
 * its ASCII digit; line feeds and tabs stay (Unicode line and paragraph separators become line feeds), other
 * Unicode spaces become ' ', dashes and minus signs '-', dot look-alikes
 * '.', slash look-alikes '/', ASCII underscores and asterisks '-'; spaces and tabs after a line feed (an
 * indent) disappear; invisible characters (zero-width, soft hyphen,
 * bidi controls) and combining marks (keycaps, underlines, accents: the character under them stays) disappear;
 * a letter whose compatibility form is an ASCII letter (full-width `Ｇ`) becomes it; any other letter or
 * digit becomes `_` (still a word character, so numbers glued to it do not stand alone); the rest `!`.
 */
export function canonicalText(text: string): string {
  let out = '';
  // The indent of a wrapped line is layout, not a gap in the text: "4111 1111\n      1111 1111" joins.
  let indent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (indent && (c === 0x20 || c === 0x09)) continue;
    indent = c === 0x0a;
    if (c < 0x80) {
      // Underscores and asterisks join digit groups like dashes (`card_4111_1111_…` in a file name,
      // `4111*1111*…`); commas do not (thousands separators and CSV columns of small numbers).
      // A NUL shows as nothing (HTML drops it, clients skip it).
      out +=
        // Line feeds and tabs stay (a line or a column apart is not a space apart: see card.ts's stretches);
        // a CR before its LF adds nothing.
        c === 0x0a || c === 0x09
          ? text[i]
          : c === 0x0d
            ? text.charCodeAt(i + 1) === 0x0a
              ? ''
              : ' '
            : c === 0x0b || c === 0x0c
              ? ' '
              : c === 0x5f || c === 0x2a
                ? '-'
                : c === 0
                  ? ''
                  : text[i];
      continue;
    }
    const cp = text.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    out += mapCodePoint(cp);
  }
  return out;
}

const cache = new Map<number, string>();
const SPACE = /^\s$/u;
const DASH = /^[\p{Pd}\u2212\u2043\uFE63\uFF0D]$/u;
const DIGIT = /^\p{Nd}$/u;
const WORD = /^[\p{L}\p{N}]$/u;
const MARK = /^\p{M}$/u;
const DOTS = new Set([
  0x2024, 0x2027, 0xfe52, 0xff0e, 0x3002, 0xff61, 0x00b7, 0x2022, 0x2219, 0x22c5, 0x0387, 0x30fb, 0xff65,
  0x2e31, 0x2e33, 0x16eb, 0x25e6, 0x25cb, 0x25cf, 0x25aa, 0x25ab, 0x2981, 0x2e30,
]);
const SLASHES = new Set([0x2044, 0x2215, 0xff0f, 0x29f8]);

function mapCodePoint(cp: number): string {
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  const mapped = classify(cp);
  if (cache.size < 4096) cache.set(cp, mapped);
  return mapped;
}

function classify(cp: number): string {
  if (isInvisible(cp)) return '';
  const ch = String.fromCodePoint(cp);
  // A mark on a digit (a keycap U+20E3, an underline U+0332) leaves the digit as readable as before.
  if (MARK.test(ch)) return '';
  if (cp === 0x2028 || cp === 0x2029 || cp === 0x85) return '\n';
  // Blank glyphs draw as spaces: the empty Braille cell, the Hangul fillers.
  if (SPACE.test(ch) || cp === 0x2800 || cp === 0x3164 || cp === 0xffa0) return ' ';
  if (DOTS.has(cp)) return '.';
  if (SLASHES.has(cp)) return '/';
  if (DASH.test(ch)) return '-';
  if (DIGIT.test(ch)) return String(digitValue(cp));
  const compat = ch.normalize('NFKC');
  if (/^[A-Za-z0-9]$/.test(compat)) return compat;
  if (WORD.test(ch)) return '_';
  return '!';
}

// Unicode keeps every decimal digit set contiguous from 0 to 9, so the value is the offset from the
// start of its run of Nd characters (runs of several sets, like the mathematical digits, repeat 0–9).
function digitValue(cp: number): number {
  let start = cp;
  for (let k = 0; k < 60 && DIGIT.test(String.fromCodePoint(start - 1)); k++) start--;
  return (cp - start) % 10;
}

/** Separators allowed between the digit groups of a number (after {@link canonicalText}). */
export function isSeparator(c: string | undefined): boolean {
  return c === ' ' || c === '-' || c === '.' || c === '/' || c === '\n' || c === '\t';
}

/** Longest run of separators still joining two groups: wide enough for "4111 -\n 1111", not for a table. */
export const MAX_SEPARATOR_RUN = 6;

/** A word character of canonical text. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /[A-Za-z0-9]/.test(c));
}
