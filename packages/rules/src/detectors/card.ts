import { canonicalReadings, isCellJoin, isSeparator, isWordChar, MAX_SEPARATOR_RUN } from './canon.js';

/**
 * True when the digits pass the Luhn (mod 10) check used by payment card numbers.
 *
 * @example
 * ```ts
 * luhnValid('4111111111111111'); // true
 * ```
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

type Network = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro';

// The network an issuer prefix (IIN range) belongs to, the first that matches in this order.
function network(d: string): Network | undefined {
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4') return 'visa';
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return 'mastercard';
  if (p2 === 34 || p2 === 37) return 'amex';
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return 'discover';
  if (p4 >= 3528 && p4 <= 3589) return 'jcb';
  if (p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) return 'diners';
  if (p2 === 62) return 'unionpay';
  if (d.startsWith('50') || (p2 >= 56 && p2 <= 69)) return 'maestro';
  return undefined;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
// The lengths each network issues, and those it prints cards at (Visa, Mastercard, Discover, JCB 16; American
// Express 15; Diners Club 14 or 16; UnionPay and Maestro 16 or 19). Outside a printed 4-4-4-4-x layout only the
// printed ones count: EAN-13 barcodes, national IDs of 13 or 18 digits, phone numbers and 12-digit meeting IDs
// do not.
const ISSUED: Record<Network, readonly number[]> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: range(16, 19),
  jcb: range(16, 19),
  diners: range(14, 19),
  unionpay: range(16, 19),
  maestro: range(12, 19),
};
const PRINTED: Record<Network, readonly number[]> = {
  visa: [16],
  mastercard: [16],
  amex: [15],
  discover: [16],
  jcb: [16],
  diners: [14, 16],
  unionpay: [16, 19],
  maestro: [16, 19],
};

/** Options of {@link findCardNumbers}. */
export interface CardNumberOptions {
  /** Count only numbers of a known network's prefix and length. Default true. */
  requireKnownIssuer?: boolean;
  /** Stop after this many. Default 100. */
  max?: number;
}

/** Counts the steps a scan takes, so tests can show the work grows linearly with the input. */
export interface ScanWork {
  steps: number;
}

/**
 * Payment card numbers in a text: runs of 12–19 digits, grouped or not, standing alone (no digit
 * directly around them; a letter only around a whole card or two groups or more: `4111 1111 1111
 * 1111exp` and `PAN4111111111111111` count, `id411111111111` does not), passing the Luhn check, and by default
 * with a known issuer prefix at a length the network prints (16; American Express 15; Diners 14 or 16; UnionPay
 * and Maestro 16 or 19; any issued length in a 4-4-4-4-x layout). The text is canonicalised first
 * ({@link canonicalReadings}): any Unicode decimal digit counts (full-width `４１１１`), and groups may be joined by
 * runs of up to six separators (any Unicode space, line break, dash, dot or slash), so
 * `4111\u00A01111.1111 - 1111` and a number wrapped across lines are found; in a card's own layout (4-4-4-4…) also
 * by table bars, colons, pluses, quotes, brackets, backslashes, equals signs, hashes, angle brackets or arrows
 * (`| 4111 | 1111 | 1111 | 1111 |`, `4111 → 1111 → 1111 → 1111`). A run of groups reads as one
 * number when joined the same way throughout in at most five groups or in even ones (`41 11 11 11 11 11 11
 * 11`); inside a longer run only a card's own layout (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4, 4-4-4-3) or one
 * unbroken group counts, and not among six or more four-digit groups, so the cells of a table row or the
 * fields of a log line do not add up to a card. A French SIRET printed as one (`362 521 874 00010`) and a number
 * labelled `SIRET`, `KID` or `OCR` right before it (business numbers and payment references that pass Luhn by
 * design) are not cards; the label covers that number only, not a card after it on the same or the next line.
 * One linear pass. Returns the digits.
 *
 * @example
 * ```ts
 * findCardNumbers('card 4111 1111 1111 1111, exp 12/29'); // ['4111111111111111']
 * findCardNumbers('card ４１１１．１１１１．１１１１．１１１１'); // ['4111111111111111']
 * ```
 */
export function findCardNumbers(text: string, options: CardNumberOptions = {}): string[] {
  const max = options.max ?? 100;
  const [first, ...others] = canonicalReadings(text);
  const found = scanCards(first as string, options.requireKnownIssuer ?? true, max);
  // A second reading (`4111一1111…` with 一 as a dash) adds only what the first did not find.
  for (const reading of others)
    for (const c of scanCards(reading, options.requireKnownIssuer ?? true, max))
      if (found.length < max && !found.includes(c)) found.push(c);
  return found;
}

/** {@link findCardNumbers} over text already canonical. */
export function scanCards(text: string, requireIssuer: boolean, max: number, work?: ScanWork): string[] {
  const found = scanRuns(text, requireIssuer, max, work);
  // Spellings a reader still reads as the card (attacker round 84): exact thousands, a glued sign or letter, and
  // look-alike letters for digits. Each a linear pass of its own; the last only over text that has such letters.
  if (found.length < max) spelledCards(text, requireIssuer, max, found);
  const lettered = found.length < max ? digitLetterReading(text) : undefined;
  if (lettered !== undefined)
    for (const c of scanRuns(lettered, requireIssuer, max, work))
      if (found.length < max && !found.includes(c)) found.push(c);
  return found;
}

// A number grouped in exact thousands, the same sign throughout (`4,111,111,111,111,111`, `4.111.111…`,
// `4 111 111…`, the Swiss `4'111'111…`), of 13 to 19 digits: a reader reads the digits whatever the grouping.
// Commas and dots join nothing elsewhere (CSV columns, amounts), and an amount of a card's length is rare, so only
// the exact grouping over the whole number counts (not a longer one, nor a mixed one), at a length cards are
// printed at. A card's own layout glued by a currency sign, a percent sign or one letter other than a hex digit,
// the same throughout (`4111$1111$1111$1111`, `4111x1111x…`, `3400%000000%00009`): prices and percentages are
// spaced (`$4111 $1111`), sizes are not in fours (`1920x1080`), and a hex identifier's letters are a–f.
const THOUSANDS = /(?<![\d.,'&])\d{1,3}([,. '])\d{3}(?:\1\d{3}){3,5}(?!\d|\1\d)/g;
const GLUED =
  /(?<!\d|[$%]|\d[g-zG-Z])\d{4}([$%g-zG-Z])(?:\d{4}\1\d{4}\1(?:\d{4}(?:\1\d{1,3})?|\d{2,3})|\d{6}\1\d{4,5})(?!\d|\1\d)/g;

function spelledCards(text: string, requireIssuer: boolean, max: number, found: string[]): void {
  for (const pattern of [THOUSANDS, GLUED]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m && found.length < max; m = pattern.exec(text)) {
      const digits = m[0].replace(/\D/g, '');
      if (
        digits.length >= 13 &&
        digits.length <= 19 &&
        !allSame(digits) &&
        luhnValid(digits) &&
        (!requireIssuer || issuedAt(digits, PRINTED)) &&
        !found.includes(digits)
      )
        found.push(digits);
    }
  }
}

// Look-alike letters for digits (`4lll llll llll llll`, `55OO OOOO OOOO OOO4`): only when a word made only of
// digits and `O`, `o`, `I` or `l` mixes both (`4lll`, `55OO`), a reading where each word made only of them (two
// characters or more) is written in digits; a text without such a word is not read again. Words such as `lol` or
// `OOO` read as digits there too, but count only in a card's layout, passing Luhn, at an issuer's prefix.
const DIGIT_LETTER = /\d[OoIl]|[OoIl]\d/;
const LETTER_WORD = /(?<![A-Za-z0-9_])[0-9OoIl]{2,}(?![A-Za-z0-9_])/g;
const MIXED_WORD = /\d/;
const LOOK_ALIKE_DIGIT: Record<string, string> = { O: '0', o: '0', I: '1', l: '1' };
function digitLetterReading(text: string): string | undefined {
  if (!DIGIT_LETTER.test(text)) return undefined;
  let mixed = false;
  const read = text.replace(LETTER_WORD, (w) => {
    if (!mixed && MIXED_WORD.test(w) && /[OoIl]/.test(w)) mixed = true;
    return w.replace(/[OoIl]/g, (c) => LOOK_ALIKE_DIGIT[c] as string);
  });
  return mixed ? read : undefined;
}

function scanRuns(text: string, requireIssuer: boolean, max: number, work?: ScanWork): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < text.length && found.length < max) {
    if (work) work.steps++;
    if (!isDigit(text, i) || isDigit(text, i - 1)) {
      i++;
      continue;
    }
    // A letter glued to a run (`cc4111 1111…`, `…1111exp12/29`) does not hide a grouped number: a candidate
    // that takes the glued group must span two groups or more (a lone run of digits glued to letters is an
    // identifier, not a number standing alone).
    const gluedBefore = isWordChar(text[i - 1]);
    // A run: digit groups joined by short runs of separators.
    const groups: string[] = [];
    const joins: string[] = [];
    let j = i;
    let group = '';
    while (j < text.length) {
      if (work) work.steps++;
      if (isDigit(text, j)) {
        group += text[j++];
        continue;
      }
      let k = j;
      while (k < text.length && k - j < MAX_SEPARATOR_RUN && isCardJoin(text[k])) k++;
      if (k === j || !isDigit(text, k)) break;
      groups.push(group);
      joins.push(text.slice(j, k));
      group = '';
      j = k;
    }
    groups.push(group);
    // A hex digest's digits between two of its letters (false-positive round 14): no card.
    if (groups.length === 1 && group.length >= 12 && group.length <= 19 && inHexDigest(text, i, j)) {
      i = j;
      continue;
    }
    const labelled = labelledReference(text, i);
    collectFromRun(
      { groups, joins },
      requireIssuer,
      max,
      found,
      work,
      gluedBefore,
      isWordChar(text[j]),
      labelled,
    );
    i = j;
  }
  return found;
}

// A hex digest (an MD5, a SHA-1 commit id, a SHA-224/256/384/512 checksum) holds a run of 13 to 19 digits between two
// of its letters often enough that checksum listings and commit logs bounced (false-positive round 14): 0.5 in 10,000
// SHA-1s, 1.6 in 10,000 SHA-256s, 5.8 in 10,000 SHA-512s pass Luhn under a network's prefix. A run counts as a
// digest's when a hex letter stands right before and right after it, and the token of hex digits and letters holding
// it is of a digest's length, its letters of one case, with no letter, digit or underscore around it. A card glued to
// letters elsewhere (`PAN4111…`, `ab4111…cd`), at a token's edge, or in a token of another length still counts.
// Bounded: at most a digest's length is looked at on each side.
const DIGEST_LENGTHS: ReadonlySet<number> = new Set([32, 40, 56, 64, 96, 128]);
const MAX_DIGEST = 128;
const isHexLetter = (c: string | undefined) => c !== undefined && /[a-fA-F]/.test(c);
const isHexChar = (c: string | undefined) => c !== undefined && /[0-9a-fA-F]/.test(c);

function inHexDigest(text: string, start: number, end: number): boolean {
  if (!isHexLetter(text[start - 1]) || !isHexLetter(text[end])) return false;
  let from = start;
  while (from > 0 && end - from <= MAX_DIGEST && isHexChar(text[from - 1])) from--;
  let to = end;
  while (to < text.length && to - from <= MAX_DIGEST && isHexChar(text[to])) to++;
  if (!DIGEST_LENGTHS.has(to - from) || isWordChar(text[from - 1]) || isWordChar(text[to])) return false;
  const token = text.slice(from, to);
  return !/[a-f]/.test(token) || !/[A-F]/.test(token);
}

// A payment reference or a company number labelled as one just before it, on its line, is not a card: a French
// SIRET (14 digits, Luhn-valid by design: a SIREN starting 36, 38 or 300–305 has Diners Club's prefix and
// length), a Norwegian KID or a Swedish OCR reference (Luhn-checked, of any length: 16 digits starting 4 or 5
// read as Visa or Mastercard), which bounced ordinary invoices. Only a label right before the number counts
// (`OCR: 4…`, `SIRET n° 362…`, `KID-nummer 5…`): `I ran OCR on the card: 4111…` is still a card.
// KID and OCR are written in capitals (`my kid: 4111…` is a card); SIRET any way. Only punctuation may stand
// between label and number (`n°` reads `n&` since attacker round 79, `nº` `n_`): a word or symbol after it (`OCRの結果 4111…`,
// `OCR ✓ 4111…`) makes it something else. The label covers the number that starts right after it, not the run
// it begins: `KID: 12345678⏎4111 1111 1111 1111` still holds a card.
const REFERENCE_LABEL =
  /(?:^|[^A-Za-z0-9_])(?:[Ss][Ii][Rr][Ee][Tt]|OCR|KID)(?:[- ]?(?:[Nn]ummer|[Nn]umber|[Nn]r|[Nn]o|[Nn][!_&]?))?[ \t.:#()-]{0,4}$/;
const LABEL_REACH = 24;
// A Brazilian company's CNPJ (false-positive round 15) is 14 digits, written bare in every NF-e and NFS-e XML
// (`<CNPJ>36000009000140</CNPJ>`), in JSON (`"cnpj": "…"`) and often in text: a root issued from 30 to 38 million
// (companies registered since about 2018) has Diners Club's prefix and length, and about one in twelve also passes
// Luhn, so a sale's invoice XML, which the seller must send the buyer, bounced. Labelled `CNPJ` right before (as the
// SIRET is; an XML tag or a JSON key's quotes count as punctuation here) and carrying the CNPJ's own two mod-11
// check digits, it is no card: about one Diners card in a hundred passes that check.
const CNPJ_LABEL = /(?:^|[^A-Za-z0-9_])[Cc][Nn][Pp][Jj](?:\/(?:[Cc][Pp][Ff]|[Mm][Ff]))?[ \t.:#()"'>=-]{0,4}$/;

// The label right before a run, if any: a SIRET is 14 digits, so its label exempts those only; a CNPJ too, when its
// check digits hold; a KID or OCR reference may be of any length.
function labelledReference(text: string, start: number): Label {
  const before = text.slice(Math.max(0, start - LABEL_REACH), start);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const m = REFERENCE_LABEL.exec(line);
  if (!m) return CNPJ_LABEL.test(line) ? 'cnpj' : undefined;
  return /siret/i.test(m[0]) ? 'siret' : 'reference';
}
type Label = 'siret' | 'cnpj' | 'reference' | undefined;
const SIRET_DIGITS = 14;

// A CNPJ label with the 14 digits right after it: the same label as {@link CNPJ_LABEL}, its punctuation bounded, so
// each match is tried in constant time (linear).
const LABELLED_CNPJ =
  /(?:^|[^A-Za-z0-9_])[Cc][Nn][Pp][Jj](?:\/(?:[Cc][Pp][Ff]|[Mm][Ff]))?[ \t.:#()"'>=-]{0,4}(\d{14})(?!\d)/g;

/**
 * The CNPJs a text labels as such (`<CNPJ>36000009000140`, `CNPJ: …`, `"cnpj":"…"`), their check digits valid: the
 * DLP clears them in the message's other readings, where a page's shown text has lost the tag that labels them
 * (false-positive round 15). Linear.
 *
 * @example
 * ```ts
 * labelledCnpjs('<emit><CNPJ>36000009000140</CNPJ>'); // ['36000009000140']
 * ```
 */
export function labelledCnpjs(text: string): string[] {
  if (!/cnpj/i.test(text)) return [];
  const out: string[] = [];
  for (const m of text.matchAll(LABELLED_CNPJ)) if (cnpjValid(m[1] as string)) out.push(m[1] as string);
  return out;
}

// Whether 14 digits end in a CNPJ's two check digits (weights 5…2, 9…2 and 6…2, 9…2, modulo 11; a remainder under 2
// gives 0).
function cnpjValid(digits: string): boolean {
  if (digits.length !== SIRET_DIGITS) return false;
  const check = (n: number) => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += (digits.charCodeAt(k) - 48) * (((n - 1 - k) % 8) + 2);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  return check(12) === digits.charCodeAt(12) - 48 && check(13) === digits.charCodeAt(13) - 48;
}

// A SIRET as France prints it, unlabelled (`362 521 874 00010`: the SIREN in threes, then the NIC): no card is
// printed in three threes and a five.
const siretLayout = (groups: readonly string[]) =>
  groups.length === 4 &&
  groups[0]?.length === 3 &&
  groups[1]?.length === 3 &&
  groups[2]?.length === 3 &&
  groups[3]?.length === 5;

// A run of digit groups and the separators between them (`joins[k]` between group k and k + 1).
interface Run {
  groups: string[];
  joins: string[];
}

// Which digits of a run read as one number. The whole run does when its groups are joined the same way
// throughout (`41 11 11 11 …`, a number wrapped across lines, a slip of the space bar); part of a longer run
// only in a card's own layout (4-4-4-4, 4-4-4-4-3, 4-6-5…) or as one unbroken group. Joining any consecutive
// groups of a longer run made every table, log and phone list a card generator: the cells of a bank statement
// row, the fields of an access-log line, a date beside an amount (a false-positive hunt in session 16: 75–94 %
// of such mail). A group glued to a letter is taken only with another group.
function collectFromRun(
  run: Run,
  requireIssuer: boolean,
  max: number,
  found: string[],
  work: ScanWork | undefined,
  gluedFirst: boolean,
  gluedLast: boolean,
  labelled: Label = undefined,
): void {
  const { groups } = run;
  // Any length a network issues counts in four fours and a short group (a printed 19-digit card); elsewhere only
  // the lengths cards are printed at, so that a barcode, an ID or a phone number of another length does not.
  const valid = (digits: string, glued: boolean, single: boolean, printed: boolean) =>
    digits.length >= 12 &&
    digits.length <= 19 &&
    !(glued && single && digits.length < 13) &&
    !allSame(digits) &&
    luhnValid(digits) &&
    (!requireIssuer || issuedAt(digits, printed ? ISSUED : PRINTED));
  if (siretLayout(groups)) return;
  // A labelled reference is the reading that starts at the run's first group (a SIRET's only at 14 digits).
  const exempt = (s: number, digits: string) =>
    s === 0 &&
    labelled !== undefined &&
    (labelled === 'reference' ||
      (labelled === 'siret' && digits.length === SIRET_DIGITS) ||
      (labelled === 'cnpj' && cnpjValid(digits)));
  if (
    groups.length > 1 &&
    sameJoins(run.joins) &&
    !run.joins.some(hasCellJoin) &&
    (groups.length <= 5 || evenGroups(groups))
  ) {
    const whole = groups.join('');
    if (!exempt(0, whole) && valid(whole, gluedFirst || gluedLast, false, false)) {
      found.push(whole);
      return;
    }
  }
  // Layouts of four groups or more ask where their fours stretch; most runs are a single group.
  const stretches = groups.length >= 4 ? fourStretches(groups, run.joins) : undefined;
  let s = 0;
  while (s < groups.length && found.length < max) {
    let digits = '';
    let hit = -1;
    for (let e = s; e < groups.length; e++) {
      if (work) work.steps++;
      digits += groups[e];
      if (digits.length > 19) break;
      const glued = (s === 0 && gluedFirst) || (e === groups.length - 1 && gluedLast);
      const layout = e === s ? 'single' : cardLayout(run, s, e, stretches);
      if (layout && !exempt(s, digits) && valid(digits, glued, e === s, layout === 'printed')) {
        hit = e;
        break;
      }
    }
    if (hit >= 0) {
      found.push(digits);
      s = hit + 1;
    } else s++;
  }
}

// A card's groups joined by a cell join (`| 4111 | 1111 | 1111 | 1111 |`, `"4111" "1111" …`, `[4111][1111]…`,
// `4111:1111:…`: {@link isCellJoin}) read as one card (attacker round 71: each was delivered), but such joins join
// times, phone numbers, version numbers and table rows too, so such a run counts only in a card's own layout
// (4-4-4-4, 4-4-4-4-3, 4-6-5…: {@link cardLayout}), never as the whole run of groups joined alike (`12:30:45:…`,
// `2:15:3:7:1`). So do `=`, `#`, `<`, `>` and arrows (attacker round 76). Commas and semicolons still join nothing
// (CSV columns, thousands).
const isCardJoin = (c: string | undefined) => isSeparator(c) || isCellJoin(c);
const hasCellJoin = (join: string) => {
  for (const c of join) if (isCellJoin(c)) return true;
  return false;
};

// A run of more than five groups is a card only in an even layout of the sender's own (`41 11 11 11 11 11 11
// 11`); a slip of the space bar leaves five groups at most (`4111 1111 1111 11 11`), where a table row of
// small numbers (a league table: `25 13 8 4 50 11 39 47 11`) has many uneven ones.
function evenGroups(groups: readonly string[]): boolean {
  for (let k = 1; k < groups.length - 1; k++) if (groups[k]?.length !== groups[0]?.length) return false;
  return true;
}

// Joined the same way, however the lines wrap: a number wrapped across lines keeps its join.
function sameJoins(joins: readonly string[]): boolean {
  const first = lineBlind(joins[0] ?? '');
  for (const j of joins) if (lineBlind(j) !== first) return false;
  return true;
}

const lineBlind = (join: string) => join.replace(/[ \n\t]+/g, ' ');

// What keeps two groups apart on the page: a line (or a paragraph), a column, or the separators themselves.
const joinKind = (join: string) => (join.includes('\n') ? '\n' : join.includes('\t') ? '\t' : join);

// The layouts cards are printed and typed in: four groups of four, then at most one shorter group (4-4-4-4,
// 4-4-4-4-3: 'printed', any issued length), American Express and Diners Club's 4-6-5 and 4-6-4, and 4-4-4-3 or
// 4-4-4-2 (a form's input mask typing an American Express or Diners card in fours). Fours among more fours are a
// table of four-digit numbers (a sales report, a plate reader's export, a grouped 22-digit tracking number), not
// a card: with five in a row joined alike only the first four count (a card and its expiry, `4111 1111 1111 1111
// 1229`), with six or more none do. A four on another line or in another column is not in the card's stretch
// (a postcode or a phone number's last four on the line above: `NSW 2000⏎5555 5555 5555 4444`).
function cardLayout(
  { groups, joins }: Run,
  s: number,
  e: number,
  stretches: FourStretches | undefined,
): 'printed' | 'layout' | undefined {
  const n = e - s + 1;
  const last = groups[e]?.length ?? 0;
  if (n === 3 && groups[s]?.length === 4 && groups[s + 1]?.length === 6)
    return last === 5 || last === 4 ? 'layout' : undefined;
  if (n < 4 || n > 5) return undefined;
  const fours = n === 4 && last !== 4 ? 3 : 4;
  for (let k = s; k < s + fours; k++) if (groups[k]?.length !== 4) return undefined;
  if (n === 5 && last > 3) return undefined;
  if (!stretches) return undefined;
  // The stretch of fours the window's own fours are in: of fours joined alike when its joins are alike; when they
  // mix a line break and a space, of fours joined any way, so a window across two rows of a list or table of fours
  // (`… 6221 5006⏎4101 3413 …`, postcode ranges `4205 4299⏎4300 4305⏎…`) is not a card, while a card wrapped
  // across two lines of text, fours on neither side, still is.
  let alike = true;
  for (let b = s + 1; b < s + fours - 1; b++)
    if (joinKind(joins[b] as string) !== joinKind(joins[s] as string)) alike = false;
  const first = alike ? (stretches.first[s] as number) : (stretches.anyFirst[s] as number);
  const end = alike
    ? (stretches.last[s + fours - 2] as number)
    : (stretches.anyLast[s + fours - 2] as number);
  const stretch = end - first + 1;
  if (stretch >= 6 || (stretch === 5 && s !== first)) return undefined;
  return n === 5 || last === 4 ? 'printed' : 'layout';
}

/**
 * Stretches of four-digit groups joined the same way (the same separators, or all across lines, or all across
 * columns): for each join between two fours, the first and the last group of the stretch it is in.
 */
interface FourStretches {
  first: Int32Array;
  last: Int32Array;
  /** The same, of fours joined any way (lines, columns and separators mixed). */
  anyFirst: Int32Array;
  anyLast: Int32Array;
}

// Two passes over the joins, so a window asks its stretch in constant time (a run of 10,000 fours stays linear).
function fourStretches(groups: readonly string[], joins: readonly string[]): FourStretches {
  const n = joins.length;
  const first = new Int32Array(n);
  const last = new Int32Array(n);
  const fours = (b: number) => groups[b]?.length === 4 && groups[b + 1]?.length === 4;
  const same = (a: number, b: number) => joinKind(joins[a] as string) === joinKind(joins[b] as string);
  for (let b = 0; b < n; b++)
    first[b] = b > 0 && fours(b) && fours(b - 1) && same(b, b - 1) ? (first[b - 1] as number) : b;
  for (let b = n - 1; b >= 0; b--)
    last[b] = b + 1 < n && fours(b) && fours(b + 1) && same(b, b + 1) ? (last[b + 1] as number) : b + 1;
  const anyFirst = new Int32Array(n);
  const anyLast = new Int32Array(n);
  for (let b = 0; b < n; b++)
    anyFirst[b] = b > 0 && fours(b) && fours(b - 1) ? (anyFirst[b - 1] as number) : b;
  for (let b = n - 1; b >= 0; b--)
    anyLast[b] = b + 1 < n && fours(b) && fours(b + 1) ? (anyLast[b + 1] as number) : b + 1;
  return { first, last, anyFirst, anyLast };
}

// Whether the digits have a known network's prefix at one of the lengths `lengths` gives it.
function issuedAt(digits: string, lengths: Record<Network, readonly number[]>): boolean {
  const net = network(digits);
  return net !== undefined && lengths[net].includes(digits.length);
}

function allSame(digits: string): boolean {
  for (const c of digits) if (c !== digits[0]) return false;
  return true;
}

function isDigit(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}
