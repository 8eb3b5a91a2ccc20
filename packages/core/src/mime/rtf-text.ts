// RTF control words, escapes and group braces, as one alternation: each match consumes input (linear).
const RTF_TOKEN =
  /\\u(-?\d{1,6}) ?\??|\\'([0-9a-fA-F]{2})|\\([a-zA-Z]{1,32})(?:-?\d{1,10})? ?|\\([\\{}])|[{}\r\n]/g;
const BREAKS = new Set(['par', 'line', 'tab', 'cell', 'row', 'sect', 'page']);

/**
 * The text of an RTF document as a word processor shows it, for matching: control words dropped (a
 * space for paragraph, line, tab and cell breaks), `\'hh` and `\uN` escapes decoded, braces and source
 * line breaks dropped. Destinations (font and colour tables) are not skipped: their words are read too.
 *
 * @example
 * ```ts
 * rtfText("{\\rtf1 {\\b 4111}{\\i 1111}\\par \\'31111 \\u49?111}"); // '4111 1111 1111 1111' with some spaces
 * ```
 */
export function rtfText(rtf: string): string {
  return rtf.replace(RTF_TOKEN, (_token, u?: string, hex?: string, word?: string, escaped?: string) => {
    if (u !== undefined) {
      const n = Number(u);
      return String.fromCharCode(n < 0 ? n + 65536 : n);
    }
    if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
    if (word !== undefined) return BREAKS.has(word) ? ' ' : '';
    if (escaped !== undefined) return escaped;
    return '';
  });
}
