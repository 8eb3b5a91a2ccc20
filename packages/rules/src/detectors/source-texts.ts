// What a page's source carries that no view of it shows (attacker round 79): the text of its comments (a commented-out
// paragraph, a note left in a template: "view source", a text editor and a saved .eml show it) and the values of its
// `data-*` and `aria-*` attributes (a screen reader speaks `aria-label`; view source shows the rest). The data leaves
// the organization whether or not a client draws it. Outlook's conditional comments are read as shown elsewhere too.
// A `<meta>`'s `content` is read likewise (attacker round 84). `class` and `id` values are not: mail clients write
// long numeric ids there (`m_-4563473…` in a quoted Gmail reply), which may read as cards.

// An attribute after white space, `/` or a closing quote; its value quoted or bare, as browsers read it.
const SOURCE_ATTRIBUTE =
  /[\s/"'](?:data-[\w.:-]{0,64}|aria-[a-z]{1,32}|content)\s{0,64}=\s{0,64}(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
/** Most pieces read from one page (each comment and attribute value is one). */
const MAX_PIECES = 10_000;

/**
 * The comments' texts (markup inside them kept: it is read as a page) and the `data-*`, `aria-*` and `content` attribute values
 * of a page that hold a digit, each a piece to read on its own. One pass over the markup for each kind (a comment left
 * open runs to the end, as in a browser); at most {@link MAX_PIECES} pieces.
 *
 * @example
 * ```ts
 * sourceTexts('<p data-pan="4111 1111">x</p><!-- 1111 1111 -->'); // [' 1111 1111 ', '4111 1111']
 * ```
 */
export function sourceTexts(markup: string): string[] {
  const out: string[] = [];
  if (!/<!--|data-|aria-|content/i.test(markup)) return out;
  for (let open = markup.indexOf('<!--'); open >= 0 && out.length < MAX_PIECES; ) {
    const close = markup.indexOf('-->', open + 4);
    const end = close < 0 ? markup.length : close;
    const body = markup.slice(open + 4, end);
    if (/\d/.test(body)) out.push(body);
    open = close < 0 ? -1 : markup.indexOf('<!--', close + 3);
  }
  if (!/data-|aria-|content/i.test(markup)) return out;
  const attributes = new RegExp(SOURCE_ATTRIBUTE);
  for (let m = attributes.exec(markup); m && out.length < MAX_PIECES; m = attributes.exec(markup)) {
    const value = m[1] ?? m[2] ?? m[3] ?? '';
    if (/\d/.test(value)) out.push(value);
  }
  return out;
}
