/**
 * Decodes UTF-7 (RFC 2152), which libmime does not know but Outlook still reads in names and bodies:
 * `+` opens a run of modified base64 (UTF-16BE, no padding) that ends at the first other character (a
 * `-` ending it is dropped), and `+-` is a plus sign. One pass, linear in the input.
 *
 * @example
 * ```ts
 * decodeUtf7('x+AC4-vbs'); // 'x.vbs'
 * ```
 */
export function decodeUtf7(text: string): string {
  return text.replace(/\+([A-Za-z0-9+/]*)-?/g, (whole, run: string) => {
    if (run === '') return whole.endsWith('-') ? '+' : whole;
    const bytes = Buffer.from(run, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  });
}

// UTF-7's labels, Windows' and .NET's aliases of code page 65000 included.
const UTF7_LABEL = '(?:x-)?(?:unicode-[12]-[01]-)?utf-?7|csunicode11utf7';

/** True for the labels of UTF-7 (`utf-7`, `utf7`, `unicode-1-1-utf-7`, `x-unicode-2-0-utf-7`, `csUnicode11UTF7`…). */
export function isUtf7(charset: string): boolean {
  return UTF7_CHARSET.test(charset.trim());
}
const UTF7_CHARSET = new RegExp(`^(?:${UTF7_LABEL})$`, 'i');

// An encoded word (RFC 2047) in UTF-7, with an optional language (RFC 2231 section 5).
const UTF7_WORD = new RegExp(
  `=\\?(?:${UTF7_LABEL})(?:\\*[^?\\s]{0,64})?\\?([bBqQ])\\?([^?\\s]{0,2000})\\?=`,
  'gi',
);

/**
 * Decodes a header value's encoded words as a client does, UTF-7 ones included: libmime (`decodeRest`) leaves
 * `=?utf-7?…?=` as it is, and Outlook shows `=?utf-7?B?K0FFb0FZUUJ1QUdVQUlBQkVBRzhBWlEt?=` as `Jane Doe`.
 * Text between two encoded words that is only white space is dropped (RFC 2047 section 6.2).
 */
export function decodeWordsWithUtf7(value: string, decodeRest: (text: string) => string): string {
  if (!/utf-?7|utf7/i.test(value)) return decodeRest(value);
  let out = '';
  let last = 0;
  let afterWord = false;
  for (const m of value.matchAll(UTF7_WORD)) {
    let between = value.slice(last, m.index);
    if (afterWord) between = between.replace(/^[ \t\r\n]+(?==\?)/, '');
    if (!(afterWord && /^[ \t\r\n]*$/.test(between)))
      out += decodeRest(between.replace(/(\?=)[ \t\r\n]+$/, '$1'));
    const [, encoding = '', text = ''] = m;
    const bytes = /b/i.test(encoding)
      ? Buffer.from(text, 'base64')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        );
    out += decodeUtf7(bytes.toString('latin1'));
    last = (m.index ?? 0) + m[0].length;
    afterWord = true;
  }
  const rest = value.slice(last);
  return out + decodeRest(afterWord ? rest.replace(/^[ \t\r\n]+(?==\?)/, '') : rest);
}
