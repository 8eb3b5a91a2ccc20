import { tagLeavesGap, tagNameAt } from './tag-gaps.js';
/**
 * Text of an HTML body for matching: tags and comments dropped, a space (or `gap`) where each tag that leaves a gap
 * was ({@link tagLeavesGap}: blocks, cells, breaks, images; not `b`, `span`, `a`, `font` or Word's runs), character
 * references decoded (numeric ones, common names in any case, and the names `named` decodes: give it
 * `html5Reference` from `@wmflow/core/mime` for every HTML5 name, as the detectors do). One
 * left-to-right pass (linear in the input, whatever the nesting); a `<` that cannot start a tag (`a < b`) is
 * text, as browsers show it, so it cannot hide what follows; an unterminated tag or comment ends the text, as
 * in a browser.
 *
 * @example
 * ```ts
 * htmlToText('<p>Wire&nbsp;<b>now</b></p>'); // " Wire now "
 * htmlToText('1 < 2 and 4111 1111 1111 1111'); // "1 < 2 and 4111 1111 1111 1111"
 * ```
 */
export function htmlToText(html: string, named?: ReferenceDecoder, gap = ' '): string {
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
    const comment = html.startsWith('<!--', lt);
    // A browser lays inline elements and comments out with their neighbours: `4111 11<b>11</b>` shows `4111 1111`.
    out.push(html.slice(i, lt), !comment && tagLeavesGap(tagNameAt(html, lt)) ? gap : '');
    const [end, length] = comment ? commentEnd(html, lt) : [html.indexOf('>', lt + 1), 1];
    if (end < 0) break;
    if (!comment) shownAttributes(html.slice(lt, end), out);
    i = end + length;
  }
  return decodeEntities(out.join(''), named);
}

/** Decodes one named character reference as written (`&NonBreakingSpace;`), or undefined when it knows none. */
export type ReferenceDecoder = (reference: string) => string | undefined;

// Attribute text a reader can see: an image's alt text (shown when images are blocked), a tooltip, a field's
// placeholder, an input's value (not a <param>'s or an <option>'s, which are not shown).
const SHOWN_ATTRIBUTE = /[\s/](alt|title|value|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;

function shownAttributes(tag: string, out: string[]): void {
  if (!/(?:alt|title|value|placeholder)\s*=/i.test(tag)) return;
  const input = /^<input[\s/]/i.test(tag);
  for (const m of tag.matchAll(SHOWN_ATTRIBUTE)) {
    if (input || (m[1] as string).toLowerCase() !== 'value') out.push(m[2] ?? m[3] ?? m[4] ?? '', ' ');
  }
}

// Where a comment opened at `lt` ends, as browsers read it: `<!-->` and `<!--->` are whole (empty)
// comments, and `--!>` closes one as `-->` does. Returns the index and length of the closing text.
export function commentEnd(html: string, lt: number): [number, number] {
  if (html.startsWith('<!-->', lt)) return [lt + 4, 1];
  if (html.startsWith('<!--->', lt)) return [lt + 5, 1];
  // One search for whichever closing comes first (two indexOf calls would rescan to the end each time).
  COMMENT_CLOSE.lastIndex = lt + 4;
  const close = COMMENT_CLOSE.exec(html);
  return close ? [close.index, close[0].length] : [-1, 0];
}
const COMMENT_CLOSE = /--!?>/g;

// Letters (element names), `/` (end tags), `!` (comments, doctype), `?` (processing instructions).
export function startsTag(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2f || c === 0x21 || c === 0x3f;
}

// Names mail markup uses for text, spacing and dashes, read in any case (numeric ones are decoded generally).
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
  hairsp: '\u200a',
  verythinspace: '\u200a',
  thinspace: '\u2009',
  mediumspace: '\u205f',
  zerowidthspace: '\u200b',
  negativethinspace: '\u200b',
  nobreak: '\u2060',
  invisibletimes: '\u2062',
  invisiblecomma: '\u2063',
  newline: '\n',
  tab: '\t',
};
// Entities browsers also decode without their semicolon (HTML's legacy names; `&nbsp1111` shows ` 1111`).
const LEGACY = ['nbsp', 'amp', 'lt', 'gt', 'quot', 'shy', 'middot'];

/**
 * Decodes the character references of a text as browsers do: numeric ones (with or without their semicolon), the
 * names mail markup uses in any case, and the names `named` decodes (give it `html5Reference` for every HTML5
 * name). Bounded quantifiers only: each match attempt looks at most 33 characters ahead.
 *
 * @example
 * ```ts
 * decodeEntities('data&colon;x', html5Reference); // 'data:x'
 * ```
 */
export function decodeEntities(text: string, named?: ReferenceDecoder): string {
  return text.replace(
    /&(#x0*[0-9a-f]{1,6}|#0*[0-9]{1,7}|[a-z][a-z0-9]{1,31})(;?)/gi,
    (whole, body: string, semi: string) => {
      if (body[0] !== '#') {
        const name = body.toLowerCase();
        // The lenient table above (any case, spaces as plain spaces), else the caller's (every HTML5 name).
        if (semi) return NAMED[name] ?? named?.(whole) ?? whole;
        const legacy = LEGACY.find((l) => name.startsWith(l));
        return legacy ? (NAMED[legacy] as string) + body.slice(legacy.length) : whole;
      }
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}
