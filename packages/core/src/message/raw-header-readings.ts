import charsets from 'libmime/lib/charset';
import { charsetAlias } from './charset-words.js';

// A header value written in raw bytes that are not UTF-8 (no encoded word: RFC 6532 allows UTF-8 only) is read
// here as Latin-1, but a client decodes it in a charset of its own choosing: Thunderbird and Outlook in the
// message's declared charset, else the reader's system code page, Gmail by guessing. A display name written so in
// windows-1251 (`Jаnе Dое` with Cyrillic letters) or Shift_JIS (`Ｊａｎｅ Ｄｏｅ`) shows the letters of a name that
// the Latin-1 reading does not hold (attacker round 121). Raw ISO-2022-JP (7-bit, shifted by escapes) is decoded
// by Thunderbird and Japanese clients alike.

// The code pages whose letters are drawn like Latin ones, or hold full-width Latin letters: Cyrillic, Greek,
// Central and Western European, and the East Asian double-byte pages.
const FALLBACK_PAGES = [
  'windows-1251',
  'koi8-r',
  'koi8-u',
  'iso-8859-5',
  'cp866',
  'maccyrillic',
  'windows-1253',
  'iso-8859-7',
  'windows-1250',
  'windows-1252',
  'shift_jis',
  'euc-jp',
  'gbk',
  'euc-kr',
  'big5',
];
// ISO-2022-JP's shifts out of ASCII: `ESC $` (JIS X 0208, its 1978 edition, JIS X 0212) and `ESC ( I` (half-width
// katakana).
const JIS_SHIFTS = [Buffer.from('1b24', 'hex'), Buffer.from('1b2849', 'hex')];

/**
 * The readings of a header value's raw bytes a client may show besides the reading as written: for bytes that are
 * not UTF-8, the value decoded in each `declared` charset (the message's) a decoder knows and in each code page of
 * the fallback list, and as UTF-8 when the bytes are; for 7-bit bytes shifted by ISO-2022-JP escapes, that charset.
 * Raw bytes inside a Q encoded word are also given escaped, for the word's own charset. None for ASCII without
 * escapes. At most eighteen decodings of the value and one pass of its words, so linear in its length.
 *
 * @example
 * ```ts
 * rawHeaderReadings(iconv.encode('Jаnе Dое', 'windows-1251'), ['windows-1251']); // ['Jаnе Dое', …]
 * ```
 */
export function rawHeaderReadings(bytes: Buffer, declared: readonly string[] = []): string[] {
  const high = bytes.some((b) => b >= 0x80);
  if (!high)
    return JIS_SHIFTS.some((shift) => bytes.includes(shift)) ? decodeAll(bytes, ['iso-2022-jp']) : [];
  const pages = new Set<string>();
  if (utf8(bytes)) pages.add('utf-8');
  if (JIS_SHIFTS.some((shift) => bytes.includes(shift))) pages.add('iso-2022-jp');
  for (const label of declared) pages.add(charsetAlias(label.trim()).toLowerCase());
  for (const page of FALLBACK_PAGES) pages.add(page);
  const readings = decodeAll(bytes, [...pages]);
  // Raw bytes inside a Q encoded word (`=?windows-1251?Q?J<E0>n<E5>?=`) are decoded by Thunderbird in the word's own
  // charset, as if escaped: also read so, each such byte written `=XX` for the word's decoder.
  const text = bytes.toString('latin1');
  if (text.includes('=?')) {
    const escaped = text.replace(Q_WORD, (word) =>
      word.replace(HIGH, (ch) => `=${ch.charCodeAt(0).toString(16).toUpperCase()}`),
    );
    if (escaped !== text) readings.push(escaped);
  }
  return readings;
}
// A Q encoded word, raw bytes allowed in its text; one match per word, so linear.
const Q_WORD = /=\?[^?\s]{1,64}\?[qQ]\?[^?\s]*\?=/g;
const HIGH = /[\u0080-\u00ff]/g;

function decodeAll(bytes: Buffer, pages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const page of pages) {
    try {
      out.add(charsets.decode(bytes, page));
    } catch {
      // a declared charset no decoder knows: the fallback pages still read the bytes
    }
  }
  return [...out];
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function utf8(bytes: Buffer): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
