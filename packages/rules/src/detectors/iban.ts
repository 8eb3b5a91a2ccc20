import { canonicalText, isSeparator, isWordChar, MAX_SEPARATOR_RUN } from './canon.js';
import type { ScanWork } from './card.js';

// IBAN lengths by country (ISO 13616 registry); a country code not listed is not an IBAN.
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BI: 27,
  BY: 28,
  CR: 22,
  DJ: 27,
  DO: 28,
  EG: 29,
  FK: 18,
  GE: 22,
  GT: 28,
  HN: 28,
  IQ: 23,
  JO: 30,
  LC: 32,
  LY: 25,
  MD: 24,
  MN: 20,
  MR: 27,
  NI: 28,
  OM: 23,
  PK: 24,
  PS: 29,
  RU: 33,
  SC: 31,
  SD: 18,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
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
  if (s.length !== LENGTHS[s.slice(0, 2)]) return false;
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
 * by runs of up to six separators (space, dash, dot, slash, line break) between groups of four (or of eight, twelve…: fours run together), as IBANs
 * are printed; only countries of the IBAN registry count. Work per candidate is bounded
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
    let group = 0;
    let digitsOnly = true;
    let j = i;
    while (j < upper.length && compact.length < 34) {
      if (work) work.steps++;
      const c = upper[j] as string;
      if (isAlnum(c)) {
        compact += c;
        group++;
        if (!isDigit(c)) digitsOnly = false;
        at.push(j++);
        continue;
      }
      // Grouped IBANs are printed in fours: a separator after a group of letters of any other size ends the
      // candidate. Two fours run together (`1234<span hidden>x</span>5698` shows `12345698`) still read as fours;
      // a group of digits may be any size (a UK sort code and account, `123456 98765432`; a slip of the space
      // bar); the country code may stand apart (`DE 89 3704…`). Words of prose are letters, so they never join.
      let k = j;
      while (k < upper.length && k - j < MAX_SEPARATOR_RUN && isSeparator(upper[k])) k++;
      const country = compact.length === 2;
      if (k === j || group === 0 || (group % 4 !== 0 && !digitsOnly && !country) || !isAlnum(upper[k])) break;
      group = 0;
      digitsOnly = true;
      j = k;
    }
    const length = LENGTHS[compact.slice(0, 2)];
    const hit = length !== undefined && compact.length >= length ? compact.slice(0, length) : undefined;
    const valid = hit !== undefined && ibanValid(hit);
    if (valid) {
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
  if (!isLetter(s[i]) || !isLetter(s[i + 1]) || isWordChar(s[i - 1])) return false;
  // The check digits right after the country code, or after one space (`DE 89 3704…`).
  const at = s[i + 2] === ' ' ? i + 3 : i + 2;
  return isDigit(s[at]) && isDigit(s[at + 1]);
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && c >= 'A' && c <= 'Z';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
