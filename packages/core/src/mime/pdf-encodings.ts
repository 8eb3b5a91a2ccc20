// How a PDF's bytes become characters, for the PDF text reader (pdf-text.ts): text strings (UTF-16BE, UTF-8,
// PDFDocEncoding), simple fonts' base encodings, and the glyph names their /Differences and CMaps use.

import { utf16be } from './utf16be.js';

/** A text string (a field's value, an annotation's contents): UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding. */
export function textString(bytes: Buffer): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf-8');
  return bytes.toString('latin1');
}

// WinAnsi's characters 0x80–0x9F (the rest of it is Latin-1); other base encodings are read as Latin-1, which
// their digits and ASCII letters are.
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function baseChar(code: number, base: string | undefined): string {
  if (base === 'WinAnsiEncoding' && code >= 0x80 && code <= 0x9f) return WIN_ANSI_HIGH[code - 0x80] as string;
  return String.fromCharCode(code);
}

// Glyph names of the standard Latin encodings (Standard, WinAnsi, MacRoman, PDFDoc), which /Differences arrays
// name: punctuation and symbols, letters outside A–Z, ligatures as their letters, and digits' variants.
const GLYPHS: Record<string, string> = {
  ...Object.fromEntries(
    'zero one two three four five six seven eight nine'.split(' ').flatMap((name, digit) => [
      [name, String(digit)],
      [`${name}oldstyle`, String(digit)],
      [`${name}inferior`, String(digit)],
      [`${name}superior`, String(digit)],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries({
      space: ' ',
      nbspace: ' ',
      nonbreakingspace: ' ',
      exclam: '!',
      quotedbl: '"',
      numbersign: '#',
      dollar: '$',
      percent: '%',
      ampersand: '&',
      quoteright: '’',
      quotesingle: "'",
      parenleft: '(',
      parenright: ')',
      asterisk: '*',
      plus: '+',
      comma: ',',
      hyphen: '-',
      sfthyphen: '-',
      softhyphen: '-',
      minus: '-',
      period: '.',
      slash: '/',
      fraction: '/',
      colon: ':',
      semicolon: ';',
      less: '<',
      equal: '=',
      greater: '>',
      question: '?',
      at: '@',
      bracketleft: '[',
      backslash: '\\',
      bracketright: ']',
      asciicircum: '^',
      underscore: '_',
      grave: '`',
      quoteleft: '‘',
      braceleft: '{',
      bar: '|',
      braceright: '}',
      asciitilde: '~',
      exclamdown: '¡',
      cent: '¢',
      sterling: '£',
      yen: '¥',
      florin: 'ƒ',
      section: '§',
      currency: '¤',
      quotedblleft: '“',
      guillemotleft: '«',
      guillemotright: '»',
      guilsinglleft: '‹',
      guilsinglright: '›',
      endash: '–',
      emdash: '—',
      dagger: '†',
      daggerdbl: '‡',
      periodcentered: '·',
      middot: '·',
      paragraph: '¶',
      bullet: '•',
      quotesinglbase: '‚',
      quotedblbase: '„',
      quotedblright: '”',
      ellipsis: '…',
      perthousand: '‰',
      questiondown: '¿',
      ordfeminine: 'ª',
      ordmasculine: 'º',
      copyright: '©',
      registered: '®',
      trademark: '™',
      degree: '°',
      plusminus: '±',
      multiply: '×',
      divide: '÷',
      logicalnot: '¬',
      mu: 'µ',
      onehalf: '½',
      onequarter: '¼',
      threequarters: '¾',
      brokenbar: '¦',
      dieresis: '¨',
      macron: '¯',
      acute: '´',
      cedilla: '¸',
      Euro: '€',
      circumflex: 'ˆ',
      tilde: '˜',
      breve: '˘',
      dotaccent: '˙',
      ring: '˚',
      ogonek: '˛',
      caron: 'ˇ',
      hungarumlaut: '˝',
      AE: 'AE',
      ae: 'ae',
      OE: 'OE',
      oe: 'oe',
      Oslash: 'Ø',
      oslash: 'ø',
      Lslash: 'Ł',
      lslash: 'ł',
      germandbls: 'ß',
      dotlessi: 'ı',
      Eth: 'Ð',
      eth: 'ð',
      Thorn: 'Þ',
      thorn: 'þ',
      fi: 'fi',
      fl: 'fl',
      ff: 'ff',
      ffi: 'ffi',
      ffl: 'ffl',
    }),
  ),
};
// Accented letters are named by letter and accent (`eacute`, `Udieresis`, `scaron`): composed as Unicode does.
const ACCENTS: Record<string, string> = {
  acute: '\u0301',
  grave: '\u0300',
  circumflex: '\u0302',
  dieresis: '\u0308',
  tilde: '\u0303',
  ring: '\u030a',
  cedilla: '\u0327',
  caron: '\u030c',
  macron: '\u0304',
  breve: '\u0306',
  dotaccent: '\u0307',
  ogonek: '\u0328',
  hungarumlaut: '\u030b',
  commaaccent: '\u0326',
};
const ACCENTED = new RegExp(`^([A-Za-z])(${Object.keys(ACCENTS).join('|')})$`);

/** A glyph name's character (`four`, `four.tf`, `uni0034`, `u1F600`, `A`); undefined when the name says none. */
export function glyphChar(name: string): string | undefined {
  const base = name.split('.')[0] ?? '';
  if (/^[A-Za-z]$/.test(base)) return base;
  const known = GLYPHS[base];
  if (known !== undefined) return known;
  const accented = ACCENTED.exec(base);
  if (accented) return `${accented[1]}${ACCENTS[accented[2] as string]}`.normalize('NFC');
  const uni = /^uni((?:[0-9A-F]{4})+)$/.exec(base)?.[1];
  if (uni) return String.fromCharCode(...(uni.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
  const u = /^u([0-9A-F]{4,6})$/.exec(base)?.[1];
  if (u) return String.fromCodePoint(Math.min(Number.parseInt(u, 16), 0x10ffff));
  return undefined;
}
