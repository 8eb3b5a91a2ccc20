import charsets from 'libmime/lib/charset';
import { isUtf7 } from './utf7.js';

// libmime decodes an encoded word or an RFC 2231 value in a charset it does not know as UTF-8. That reads an
// ASCII-compatible charset right, but not one that spells letters with high bytes: in EBCDIC (IBM037, which
// Windows decodes) `x.vbs` is A7 4B A5 82 A2 and `Jane Doe` D1 81 95 85 40 C4 96 85, read as garbage here
// while a client shows the real name. Such text cannot be checked.

const ENCODED_WORD = /=\?([^?*\s]{1,64})(?:\*[^?\s]{0,64})?\?([bBqQ])\?([^?\s]{0,2000})\?=/g;
const EXTENDED_VALUE = /\*(?:0\*)?[ \t]*=[ \t]*"?([^'";\s]{1,64})'[^']{0,64}'([^;"\s]{0,2000})/g;
const known = new Map<string, boolean>();

/**
 * The charsets of a header's encoded words and RFC 2231 values that cannot be decoded and hold bytes
 * outside ASCII (so their reading here is not the client's); empty when every one can be read.
 *
 * @example
 * ```ts
 * undecodableCharsets('=?ibm037?Q?=D1=81=95=85?='); // ['ibm037']
 * undecodableCharsets('=?utf-8?Q?caf=C3=A9?='); // []
 * ```
 */
export function undecodableCharsets(raw: string): string[] {
  if (!raw.includes('=?') && !raw.includes("'")) return [];
  const out = new Set<string>();
  for (const m of raw.matchAll(ENCODED_WORD)) {
    const [, charset = '', encoding = '', text = ''] = m;
    const unlike = /^b$/i.test(encoding)
      ? Buffer.from(text, 'base64').some(notAscii)
      : Q_NOT_ASCII.test(text) || hasNotAscii(text);
    if (unlike && !supported(charset)) out.add(charset.toLowerCase());
  }
  for (const m of raw.matchAll(EXTENDED_VALUE)) {
    const [, charset = '', text = ''] = m;
    if ((PERCENT_NOT_ASCII.test(text) || hasNotAscii(text)) && !supported(charset))
      out.add(charset.toLowerCase());
  }
  return [...out];
}

/**
 * True for a charset label whose digits are not ASCII bytes: EBCDIC code pages (`ibm037`, `cp500`, `ibm01140`,
 * `ebcdic-cp-us`…), which Windows and Python decode and iconv-lite does not. Text in any other charset a client
 * knows keeps its digits as ASCII bytes, and a client falls back to an ASCII-compatible reading for a label it does
 * not know (`unknown-8bit`, `x-user-defined`): read as Latin-1, its digits are read.
 *
 * @example
 * ```ts
 * hidesAsciiDigits('IBM037'); // true
 * hidesAsciiDigits('unknown-8bit'); // false
 * ```
 */
export function hidesAsciiDigits(charset: string): boolean {
  const label = charset.trim().toLowerCase();
  if (label.includes('ebcdic')) return true;
  const page = /^(?:x-)?(?:cs)?(?:ibm|cp|windows)[-_]?0*(\d{2,5})$/.exec(label)?.[1];
  return page !== undefined && EBCDIC_PAGES.has(Number(page));
}

// IBM's EBCDIC code pages (Windows exposes 20xxx aliases of several: 20273 is IBM273).
const EBCDIC_PAGES = new Set([
  37, 273, 277, 278, 280, 284, 285, 290, 297, 420, 423, 424, 500, 833, 836, 838, 870, 871, 875, 880, 905, 918,
  930, 933, 935, 937, 939, 1025, 1026, 1027, 1047, 1097, 1112, 1122, 1123, 1130, 1132, 1137, 1140, 1141, 1142,
  1143, 1144, 1145, 1146, 1147, 1148, 1149, 1153, 1154, 1155, 1156, 1157, 1158, 1159, 1160, 1164, 1364, 1371,
  1388, 1390, 1399, 20273, 20277, 20278, 20280, 20284, 20285, 20290, 20297, 20420, 20423, 20424, 20833, 20838,
  20871, 20880, 20905, 20924, 21025, 21027,
]);

// Bytes an ASCII-compatible charset does not use for text: high bytes, and control characters other than tab
// and line ends (UTF-16 spells `J` 4A 00, which read as UTF-8 is `J` and a NUL).
const notAscii = (b: number) => b >= 0x80 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
const hasNotAscii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (notAscii(text.charCodeAt(i))) return true;
  return false;
};
// The same bytes written in hex, after Q's `=` or RFC 2231's `%`.
const NOT_ASCII_HEX = '(?:[89a-f][0-9a-f]|0[0-8bcef]|1[0-9a-f])';
const Q_NOT_ASCII = new RegExp(`=${NOT_ASCII_HEX}`, 'i');
const PERCENT_NOT_ASCII = new RegExp(`%${NOT_ASCII_HEX}`, 'i');

/**
 * The charset libmime decodes for a label it does not read but a WHATWG decoder (browsers, Thunderbird) does:
 * the label's WHATWG encoding (`unicode`, `csUnicode`, `unicodeFEFF` are UTF-16LE, `unicodeFFFE` UTF-16BE,
 * `ansi_x3.4-1968` windows-1252, `iso_8859-5:1988` ISO-8859-5…); any other label as given.
 *
 * @example
 * ```ts
 * charsetAlias('csUnicode'); // 'utf-16le'
 * ```
 */
export function charsetAlias(label: string): string {
  const key = label.toLowerCase();
  let alias = aliases.get(key);
  if (alias === undefined) {
    alias = label;
    // libmime reads an encoded word's charset only of word characters and dashes (`ansi_x3.4-1968` is not one).
    if (!/^[\w-]+$/.test(key) || !libmimeDecodes(key)) {
      try {
        const whatwg = new TextDecoder(key.trim()).encoding;
        if (libmimeDecodes(whatwg)) alias = whatwg;
      } catch {
        // no decoder knows it
      }
    }
    if (aliases.size < 256) aliases.set(key, alias);
  }
  return alias;
}
const aliases = new Map<string, string>();
const WORD_CHARSET = /=\?([^?*\s]{1,64})(?=[?*])/g;

/**
 * A header value whose encoded words name a charset libmime does not know by a label it does
 * ({@link charsetAlias}).
 *
 * @example
 * ```ts
 * aliasEncodedWords('=?unicode?B?SgBhAG4AZQA=?='); // '=?utf-16le?B?SgBhAG4AZQA=?='
 * ```
 */
export function aliasEncodedWords(value: string): string {
  return value.includes('=?')
    ? value.replace(WORD_CHARSET, (word, label: string) => {
        const alias = charsetAlias(label);
        return alias === label ? word : `=?${alias}`;
      })
    : value;
}

function supported(label: string): boolean {
  // UTF-7 is decoded by our own reader (utf7.ts) where names and bodies are read.
  return isUtf7(label.toLowerCase()) || libmimeDecodes(charsetAlias(label).toLowerCase());
}

function libmimeDecodes(key: string): boolean {
  let ok = known.get(key);
  if (ok === undefined) {
    try {
      ok = new charsets.DecodeStream(key).supported === true;
    } catch {
      ok = false;
    }
    if (known.size < 256) known.set(key, ok);
  }
  return ok;
}
