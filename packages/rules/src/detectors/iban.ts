import { canonicalText, isSeparator, isWordChar, MAX_SEPARATOR_RUN } from './canon.js';
import type { ScanWork } from './card.js';

// IBAN lengths by country (ISO 13616 registry, common countries); others accepted at 15–34.
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AT: 20,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  ME: 22,
  MK: 19,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
};

/**
 * True when `iban` (spaces allowed, any case) has a valid structure and ISO 7064 mod-97 checksum.
 *
 * @example
 * ```ts
 * ibanValid('GB82 WEST 1234 5698 7654 32'); // true
 * ```
 */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && s.length !== expected) return false;
  let rest = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}

/**
 * IBANs in a text, validated by {@link ibanValid}: compact or grouped, any case, the text canonicalised
 * first ({@link canonicalText}: full-width letters and digits, Unicode spaces and dashes), groups joined
 * by runs of up to six separators (space, dash, dot, slash, line break). Work per candidate is bounded
 * (34 characters and their separators), so the scan is linear. Returns them compact and upper-case.
 *
 * @example
 * ```ts
 * findIbans('Pay to DE89 3704 0044 0532 0130 00 today'); // ['DE89370400440532013000']
 * findIbans('iban gb82-west-1234-5698-7654-32'); // ['GB82WEST12345698765432']
 * ```
 */
export function findIbans(text: string, max = 100): string[] {
  return scanIbans(canonicalText(text).toUpperCase(), max);
}

/** {@link findIbans} over canonical upper-case text. */
export function scanIbans(upper: string, max: number, work?: ScanWork): string[] {
  const found: string[] = [];
  for (let i = 0; i + 15 <= upper.length && found.length < max; i++) {
    if (work) work.steps++;
    if (!isStart(upper, i)) continue;
    let compact = '';
    const at: number[] = [];
    let j = i;
    while (j < upper.length && compact.length < 34) {
      if (work) work.steps++;
      const c = upper[j] as string;
      if (isAlnum(c)) {
        compact += c;
        at.push(j++);
        continue;
      }
      let k = j;
      while (k < upper.length && k - j < MAX_SEPARATOR_RUN && isSeparator(upper[k])) k++;
      if (k === j || !isAlnum(upper[k])) break;
      j = k;
    }
    const known = LENGTHS[compact.slice(0, 2)];
    const lengths = known ? [known] : range(Math.min(compact.length, 34), 15);
    const hit = lengths.map((n) => compact.slice(0, n)).find((c) => c.length >= 15 && ibanValid(c));
    if (hit) {
      found.push(hit);
      i = at[hit.length - 1] as number;
    }
  }
  return found;
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

function isStart(s: string, i: number): boolean {
  return (
    isLetter(s[i]) && isLetter(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3]) && !isWordChar(s[i - 1])
  );
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && c >= 'A' && c <= 'Z';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n >= to; n--) out.push(n);
  return out;
}
