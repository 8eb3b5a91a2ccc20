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
    const high = /^b$/i.test(encoding)
      ? Buffer.from(text, 'base64').some((b) => b >= 0x80)
      : /=[89a-f][0-9a-f]/i.test(text) || /[^\p{ASCII}]/u.test(text);
    if (high && !supported(charset)) out.add(charset.toLowerCase());
  }
  for (const m of raw.matchAll(EXTENDED_VALUE)) {
    const [, charset = '', text = ''] = m;
    if ((/%[89a-f][0-9a-f]/i.test(text) || /[^\p{ASCII}]/u.test(text)) && !supported(charset))
      out.add(charset.toLowerCase());
  }
  return [...out];
}

function supported(charset: string): boolean {
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
