/**
 * Text of an HTML body for matching: tags and comments dropped, a space where each tag was, common
 * entities decoded. One left-to-right pass (linear in the input, whatever the nesting); a `<` that
 * cannot start a tag (`a < b`) is text, as browsers show it, so it cannot hide what follows; an
 * unterminated tag or comment ends the text, as in a browser.
 *
 * @example
 * ```ts
 * htmlToText('<p>Wire&nbsp;<b>now</b></p>'); // " Wire  now  "
 * htmlToText('1 < 2 and 4111 1111 1111 1111'); // "1 < 2 and 4111 1111 1111 1111"
 * ```
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    if (!startsTag(html.charCodeAt(lt + 1))) {
      out.push(html.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    out.push(html.slice(i, lt), ' ');
    const comment = html.startsWith('<!--', lt);
    const end = comment ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 1);
    if (end < 0) break;
    i = end + (comment ? 3 : 1);
  }
  return decodeEntities(out.join(''));
}

// Letters (element names), `/` (end tags), `!` (comments, doctype), `?` (processing instructions).
function startsTag(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2f || c === 0x21 || c === 0x3f;
}

// The entities mail markup uses for text, spacing and dashes (numeric ones are decoded generally).
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  numsp: '\u2007',
  puncsp: '\u2008',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
  ndash: '\u2013',
  mdash: '\u2014',
  minus: '\u2212',
  hyphen: '\u2010',
  dash: '\u2010',
  period: '.',
  sol: '/',
  colon: ':',
  comma: ',',
  middot: '\u00b7',
};

// Bounded quantifiers only: each match attempt looks at most 11 characters ahead.
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole;
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
