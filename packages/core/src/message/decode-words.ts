import libmime from 'libmime';
import { aliasEncodedWords } from './charset-words.js';
import { decodeWordsWithUtf7 } from './utf7.js';

/**
 * A header value's RFC 2047 encoded words decoded (libmime); a value libmime cannot decode is kept as written.
 *
 * @example
 * ```ts
 * safeDecodeWords('=?utf-8?Q?Caf=C3=A9?='); // 'Café'
 * ```
 */
export function safeDecodeWords(value: string): string {
  try {
    return libmime.decodeWords(aliasEncodedWords(value));
  } catch {
    return value;
  }
}

/**
 * A header value as a client shows it: {@link safeDecodeWords}, and UTF-7 encoded words too (which libmime
 * leaves as they are and Outlook decodes).
 *
 * @example
 * ```ts
 * decodeHeaderWords('=?utf-7?B?K0FFb0FZUUJ1QUdVQUlBQkVBRzhBWlEt?='); // 'Jane Doe'
 * ```
 */
export function decodeHeaderWords(value: string): string {
  return decodeWordsWithUtf7(value, safeDecodeWords);
}
