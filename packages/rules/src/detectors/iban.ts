import { canonicalReadings, isCellJoin, isSeparator, isWordChar, MAX_SEPARATOR_RUN } from './canon.js';
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
 * first ({@link canonicalReadings}: full-width letters and digits, Unicode spaces and dashes), groups joined
 * by runs of up to six separators (space, dash, dot, slash, line break) between groups of four (or of eight,
 * twelve…: fours run together; a split inside the country code or check digits, `GB8 2WEST…`, is no group), groups of
 * digits of any size, and up to two groups of another size with one
 * letter each (national layouts: `IT 60 X 05428 11101 000000123456`); only countries of the IBAN registry
 * count, at their exact length, and mod-97 decides. Work per candidate is bounded
 * (34 characters and their separators), so the scan is linear. Returns them compact and upper-case.
 *
 * @example
 * ```ts
 * findIbans('Pay to DE89 3704 0044 0532 0130 00 today'); // ['DE89370400440532013000']
 * findIbans('iban gb82-west-1234-5698-7654-32'); // ['GB82WEST12345698765432']
 * ```
 */
export function findIbans(text: string, max = 100): string[] {
  const [first, ...others] = canonicalReadings(text);
  const found = scanIbans((first as string).toUpperCase(), max);
  for (const reading of others)
    for (const iban of scanIbans(reading.toUpperCase(), max))
      if (found.length < max && !found.includes(iban)) found.push(iban);
  return found;
}

/**
 * {@link findIbans} over canonical upper-case text. When a look-alike letter stands beside a digit (`37O4`, `0I30`,
 * `0l30` upper-cased), the text is scanned a second time reading `O` as 0 and `I` or `L` as 1 after the check digits
 * (attacker round 88: a reader still reads `DE89 37O4 OO44 O532 O13O OO` as the IBAN); mod-97 and the country's exact
 * length judge that reading as any other. A text without one is not scanned again.
 */
export function scanIbans(upper: string, max: number, work?: ScanWork): string[] {
  const found = scanOnce(upper, max, false, work);
  if (found.length < max && LOOK_ALIKE_BESIDE_DIGIT.test(upper))
    for (const iban of scanOnce(upper, max, true, work))
      if (found.length < max && !found.includes(iban)) found.push(iban);
  return found;
}

const LOOK_ALIKE_BESIDE_DIGIT = /\d[OIL]|[OIL]\d/;

function scanOnce(upper: string, max: number, lookAlike: boolean, work?: ScanWork): string[] {
  const found: string[] = [];
  for (let i = 0; i + 15 <= upper.length && found.length < max; i++) {
    if (work) work.steps++;
    if (!isStart(upper, i)) continue;
    let compact = '';
    const at: number[] = [];
    let group = 0;
    // Letters of the group after the country code (`IT60X` holds one).
    let letters = 0;
    let loose = 0;
    // Groups of one size throughout, counted from the IBAN's start (`GB 82 WE ST 12…`, `GB8 2WE ST1…`, one
    // character a cell): the size of the first, the length at the last join, and whether each was of that size.
    let size = 0;
    let last = 0;
    let uniform = true;
    let j = i;
    while (j < upper.length && compact.length < 34) {
      if (work) work.steps++;
      let c = upper[j] as string;
      if (lookAlike && compact.length >= 4 && (c === 'O' || c === 'I' || c === 'L'))
        c = c === 'O' ? '0' : '1';
      if (isAlnum(c)) {
        if (!isDigit(c) && compact.length >= 2) letters++;
        compact += c;
        group++;
        at.push(j++);
        continue;
      }
      // Grouped IBANs are printed in fours, or in their national layout: Italy's CIN, ABI, CAB and account
      // (`IT60 X 05428 11101 000000123456`), France's RIB (`FR14 20041 01005 0500013M026 06`). So a group of
      // digits may be any size (also a UK sort code and account, `123456 98765432`; a slip of the space bar), the
      // country code may stand apart (`DE 89 3704…`), fours may run together (`12345698`), and up to two groups
      // of another size may hold one letter each (a CIN, a letter in an account). A group with more letters at
      // another size ends the candidate: words of prose (`the`), ordinals and times (`2nd`, `10am`), postcodes
      // (`3AB`) never join, so mod-97 and the country's exact length are left to judge only number-like runs.
      let k = j;
      while (k < upper.length && k - j < MAX_SEPARATOR_RUN && isIbanJoin(upper[k])) k++;
      // A split inside the country code and check digits (`GB8 2WEST…`, `G B82…`) is no group of its own: the
      // groups after it are counted from the IBAN's start, as if it were not there (attacker round 71).
      const header = compact.length < 4;
      const odd = group % 4 !== 0 && letters > 0 && compact.length !== 2 && !header;
      if (k === j || group === 0 || !isAlnum(upper[k])) break;
      if (size === 0) size = compact.length;
      else if (compact.length - last !== size) uniform = false;
      last = compact.length;
      // Groups all of one size of at most six hold letters where they fall (attacker round 116): a reader reads
      // `GB 82 WE ST 12 34…` as the IBAN, and prose's words are not all of one size for the IBAN's whole length.
      if (odd && !(uniform && size <= 6) && (letters > 1 || ++loose > 2)) break;
      group = header ? compact.length : 0;
      letters = 0;
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

// Separators, and the joins of table cells, fields and quoted values (`| GB82 | WEST | … |`, `"DE89" "3704" …`: attacker
// round 71): mod-97 and the country's exact length judge what they join.
function isIbanJoin(c: string | undefined): boolean {
  return isSeparator(c) || isCellJoin(c);
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

function isStart(s: string, i: number): boolean {
  if (!isLetter(s[i]) || (isWordChar(s[i - 1]) && !afterLabel(s, i))) return false;
  // The check digits right after the country code, or after a run of separators as between any two groups
  // (`DE 89 3704…`, `DE-89-3704-…`, `DE.89.3704.…`); the country code's letters and the check digits may each be
  // split by such a run too (`G B82…`, `GB8 2WEST…`: a reader still reads the same characters, and mod-97 and the
  // country's exact length judge them; attacker round 71).
  let at = i + 1;
  const past = () => {
    const from = at;
    while (at - from < MAX_SEPARATOR_RUN && isIbanJoin(s[at])) at++;
  };
  past();
  if (!isLetter(s[at])) return false;
  at++;
  past();
  if (!isDigit(s[at])) return false;
  at++;
  past();
  return isDigit(s[at]);
}

// Glued to its label (`IBANDE89…`, as text copied from a PDF statement or joined in a spreadsheet reads; attacker
// round 60), as a card is to `PAN`: the word IBAN right before the country code, itself not inside a word.
function afterLabel(s: string, i: number): boolean {
  return i >= 4 && s.startsWith('IBAN', i - 4) && !isWordChar(s[i - 5]);
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && c >= 'A' && c <= 'Z';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
