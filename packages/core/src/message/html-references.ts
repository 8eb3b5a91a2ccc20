import { decodeHTMLStrict } from 'entities';
import { htmlToText } from './html-text.js';

// Kept apart from html-text.ts: the HTML5 name table (the `entities` library, about 75 KiB) loads with the
// modules that read bodies, not with every function's first chunk.

/**
 * One named character reference as browsers read it, from the whole HTML5 list (case matters:
 * `&NonBreakingSpace;`, `&emsp13;`); undefined for a name HTML5 does not define.
 *
 * @example
 * ```ts
 * html5Reference('&sdot;'); // '⋅'
 * htmlToText('4111&ThickSpace;1111', html5Reference); // '4111\u205f\u200a1111'
 * ```
 */
export function html5Reference(reference: string): string | undefined {
  const decoded = decodeHTMLStrict(reference);
  return decoded === reference ? undefined : decoded;
}

/**
 * {@link htmlToText} with every HTML5 name decoded: the text the detectors match in an HTML body.
 *
 * @example
 * ```ts
 * htmlToFullText('<p>4111&NonBreakingSpace;1111</p>'); // ' 4111\u00a01111 '
 * htmlToFullText('<td>2000</td><td>4111</td>', '\u2029'); // '\u20292000\u2029\u20294111\u2029'
 * ```
 *
 * @param gap What a tag that leaves a gap becomes: a space, or a mark that survives collapsing white space
 *   (the detectors use U+2029 to keep cells and lines apart from the spaces inside a number).
 */
export function htmlToFullText(html: string, gap = ' '): string {
  return htmlToText(html, html5Reference, gap);
}
