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
      : /=(?:[89a-f][0-9a-f]|0[0-8bcef]|1[0-9a-f])/i.test(text) || NOT_ASCII_TEXT.test(text);
    if (unlike && !supported(charset)) out.add(charset.toLowerCase());
  }
  for (const m of raw.matchAll(EXTENDED_VALUE)) {
    const [, charset = '', text = ''] = m;
    if (
      (/%(?:[89a-f][0-9a-f]|0[0-8bcef]|1[0-9a-f])/i.test(text) || NOT_ASCII_TEXT.test(text)) &&
      !supported(charset)
    )
      out.add(charset.toLowerCase());
  }
  return [...out];
}

// Bytes an ASCII-compatible charset does not use for text: high bytes, and control characters other than tab
// and line ends (UTF-16 spells `J` 4A 00, which read as UTF-8 is `J` and a NUL).
const notAscii = (b: number) => b >= 0x80 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
const NOT_ASCII_TEXT = {
  test(text: string): boolean {
    for (let i = 0; i < text.length; i++) if (notAscii(text.charCodeAt(i))) return true;
    return false;
  },
};

/**
 * The charset a WHATWG decoder (browsers, Thunderbird) and Windows read for a label libmime does not know:
 * `unicode`, `csunicode`, `iso-10646-ucs-2` and `unicodefeff` are UTF-16LE, `unicodefffe` UTF-16BE;
 * any other label as given.
 *
 * @example
 * ```ts
 * charsetAlias('csUnicode'); // 'utf-16le'
 * ```
 */
export function charsetAlias(label: string): string {
  return UTF16_ALIASES.get(label.toLowerCase()) ?? label;
}
const UTF16_ALIASES = new Map([
  ['unicode', 'utf-16le'],
  ['csunicode', 'utf-16le'],
  ['iso-10646-ucs-2', 'utf-16le'],
  ['unicodefeff', 'utf-16le'],
  ['unicodefffe', 'utf-16be'],
]);
const ALIASED_WORD = /=\?(unicode|csunicode|iso-10646-ucs-2|unicodefeff|unicodefffe)(?=[?*])/gi;

/**
 * A header value whose encoded words in a WHATWG-only UTF-16 label ({@link charsetAlias}) name the charset
 * libmime decodes instead.
 *
 * @example
 * ```ts
 * aliasEncodedWords('=?unicode?B?SgBhAG4AZQA=?='); // '=?utf-16le?B?SgBhAG4AZQA=?='
 * ```
 */
export function aliasEncodedWords(value: string): string {
  return value.includes('=?')
    ? value.replace(ALIASED_WORD, (_, label: string) => `=?${charsetAlias(label)}`)
    : value;
}

function supported(label: string): boolean {
  const charset = charsetAlias(label);
  const key = charset.toLowerCase();
  // UTF-7 is decoded by our own reader (utf7.ts) where names and bodies are read.
  if (isUtf7(key)) return true;
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
