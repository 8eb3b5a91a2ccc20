// Word draws a symbol element (`<w:sym w:font="Arial" w:char="0031"/>`, ECMA-376 17.3.3.30) as the character
// it names, which no text element of the document holds: a card's digit can hide there.

// A symbol element's start; the element runs to the next `>` (found with indexOf: a pattern that ran on to
// the `>` would read the rest of the input again from each start when none follows).
const SYM_START = /<(?:[A-Za-z_][\w.-]{0,40}:)?sym\b/g;
const CHAR = /\b(?:[A-Za-z_][\w.-]{0,40}:)?char\s*=\s*["']([0-9A-Fa-f]{1,6})["']/;

/**
 * An Office document's XML with each symbol element replaced by the character Word draws for it (a symbol
 * font's private-use code F0xx as its character xx), or the XML as it is when it has none. Linear time.
 *
 * @example
 * ```ts
 * wordSymbols('<w:t>4111 1111 1111 111</w:t><w:sym w:font="Arial" w:char="0031"/>'); // '<w:t>4111 1111 1111 111</w:t>1'
 * ```
 */
export function wordSymbols(xml: string): string {
  if (!xml.includes('sym')) return xml;
  const out: string[] = [];
  const start = new RegExp(SYM_START);
  let at = 0;
  for (let m = start.exec(xml); m; m = start.exec(xml)) {
    const end = xml.indexOf('>', start.lastIndex);
    // No `>` after this start: none after any later one either.
    if (end < 0) break;
    out.push(xml.slice(at, m.index), symbol(xml.slice(m.index, end + 1)));
    at = end + 1;
    start.lastIndex = at;
  }
  if (at === 0) return xml;
  out.push(xml.slice(at));
  return out.join('');
}

// What a symbol element draws: its character (escaped for the page), nothing, or the tag as it is.
function symbol(tag: string): string {
  const hex = CHAR.exec(tag)?.[1];
  if (hex === undefined) return tag;
  const code = Number.parseInt(hex, 16);
  const cp = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  if (cp > 0x10ffff || cp < 0x20) return '';
  const ch = String.fromCodePoint(cp);
  return ch === '<' ? '&lt;' : ch === '&' ? '&amp;' : ch;
}
