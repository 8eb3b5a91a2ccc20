// What a page sends that its text does not show (attacker rounds 41 and 42): where its links go (a link's target,
// shown on hover and written out by Outlook's and Thunderbird's plain-text views; a Word hyperlink's target in its
// relationships part and its ScreenTip), and what its `data:` URLs carry (an SVG picture a client draws with its
// text: in an image's source or `srcset`, in a style attribute's or a `<style>` element's rules). Read as browsers
// read them: attributes after white space, `/` or a closing quote, any namespace prefix, every character reference
// decoded; a URL without its ASCII tabs and line breaks (the URL parser drops them); CSS with its escapes decoded.

/** Decodes a page's character references as browsers do (the detectors pass every HTML5 name). */
export type ReferencesDecoder = (text: string) => string;

/** A piece to read: a paragraph of markup, or a data: URL's page (`page`), which is read as a page is. */
export interface LinkPiece {
  markup: string;
  /** A data: URL's markup (SVG, HTML, XML): read as a page, each reader's view and the XML reading too. */
  page?: 'html' | 'xml';
}

const ATTRIBUTE =
  /[\s/"'](?:[a-z][\w.-]{0,40}:)?(href|src|srcset|action|formaction|cite|background|poster|target|tooltip|style|data)\s{0,64}=\s{0,64}/gi;
const STYLE_ELEMENT = /<style\b[^>]{0,2000}>/gi;
const MAX_DEPTH = 3;

/**
 * The link targets (references and percent-escapes decoded), ScreenTips and text-like contents of `data:` URLs
 * (decoded in their charset, read so three levels deep) of a page or an Office XML part, each a piece to read on
 * its own (a data: URL's markup may leave a comment open, which must not hide what follows it). Linear time:
 * each attribute value and style text is read once per level.
 *
 * @example
 * ```ts
 * linkTexts('<a href="https://crm.example/c?pan=4111%201111">x</a>', (t) => t);
 * // [{ markup: '<p>https://crm.example/c?pan=4111 1111</p>' }]
 * ```
 */
export function linkTexts(markup: string, decode: ReferencesDecoder, depth = 0): LinkPiece[] {
  if (!/href|src|action|cite|background|poster|target|tooltip|style|data/i.test(markup)) return [];
  const out: LinkPiece[] = [];
  // A pattern of this call's own: a data: URL's content is read by a call inside this loop.
  const attributes = new RegExp(ATTRIBUTE);
  for (let m = attributes.exec(markup); m; m = attributes.exec(markup)) {
    const value = attributeValue(markup, m.index + m[0].length);
    if (!value) break; // an attribute left open takes the rest of the page: nothing follows it
    attributes.lastIndex = value.end;
    const name = (m[1] as string).toLowerCase();
    const text = value.text.includes('&') ? decode(value.text) : value.text;
    if (name === 'style') out.push(...cssDataUrls(text, decode, depth));
    else if (name === 'tooltip') out.push(paragraph(text));
    else if (name === 'srcset')
      for (const url of text.split(/\s+/)) out.push(...urlTexts(url, decode, depth, true));
    else out.push(...urlTexts(text, decode, depth, false));
  }
  // A `<style>` element's rules, to its end tag.
  const styles = new RegExp(STYLE_ELEMENT);
  let lower: string | undefined;
  for (let m = styles.exec(markup); m; m = styles.exec(markup)) {
    const from = m.index + m[0].length;
    lower ??= markup.toLowerCase();
    const close = lower.indexOf('</style', from);
    const end = close < 0 ? markup.length : close;
    out.push(...cssDataUrls(markup.slice(from, end), decode, depth));
    styles.lastIndex = end;
  }
  return out;
}

// An attribute's value from `from` (after its `=`): quoted, to its closing quote; unquoted, to white space or `>`.
function attributeValue(markup: string, from: number): { text: string; end: number } | undefined {
  const quote = markup[from];
  if (quote === '"' || quote === "'") {
    const close = markup.indexOf(quote, from + 1);
    return close < 0 ? undefined : { text: markup.slice(from + 1, close), end: close + 1 };
  }
  let end = from;
  while (end < markup.length && !/[\s>]/.test(markup[end] as string)) end++;
  return { text: markup.slice(from, end), end };
}

// Every data: URL of a style text, its escapes decoded (`u\72l(` is `url(`): in url(), image-set(), @import, a
// string; each ends where its quote or parenthesis closes, or at white space or `;` when bare.
function cssDataUrls(css: string, decode: ReferencesDecoder, depth: number): LinkPiece[] {
  const text = cssEscapesDecoded(css);
  const out: LinkPiece[] = [];
  const lower = text.toLowerCase();
  for (let at = lower.indexOf('data:'); at >= 0; at = lower.indexOf('data:', at + 5)) {
    const before = text[at - 1];
    const closer = before === '"' || before === "'" ? before : before === '(' ? ')' : undefined;
    let end = closer ? text.indexOf(closer, at) : at;
    if (!closer) while (end < text.length && !/[\s;)]/.test(text[end] as string)) end++;
    if (end < 0) end = text.length;
    out.push(...urlTexts(text.slice(at, end), decode, depth, false));
    at = end - 4;
  }
  return out;
}

function cssEscapesDecoded(css: string): string {
  if (!css.includes('\\')) return css;
  return css.replace(/\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|([^\n0-9a-f]))/gi, (_, hex: string, ch: string) => {
    if (ch !== undefined) return ch;
    const cp = Number.parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  });
}

// A URL as a reader sees it (percent-escapes decoded), or a data: URL's text-like content, read in turn. A srcset
// candidate that is not a data: URL is not a link (its descriptors are words).
function urlTexts(url: string, decode: ReferencesDecoder, depth: number, dataOnly: boolean): LinkPiece[] {
  // The URL parser drops ASCII tabs and line breaks anywhere, and C0 controls and spaces around the URL.
  const trimmed = url.replace(/[\t\n\r]/g, '').replace(/^[\0- ]+|[\0- ]+$/g, '');
  if (!/^data:/i.test(trimmed)) return dataOnly ? [] : [paragraph(percentDecoded(trimmed).toString('utf8'))];
  const comma = trimmed.indexOf(',');
  if (comma < 0) return [];
  const header = trimmed.slice(5, comma).toLowerCase();
  const type = header.split(';')[0]?.trim() || 'text/plain';
  if (!TEXT_LIKE.test(type)) return [];
  const payload = percentDecoded(trimmed.slice(comma + 1));
  const bytes = /;\s*base64\s*$/.test(header)
    ? Buffer.from(payload.toString('latin1').replace(/\s+/g, ''), 'base64')
    : payload;
  const content = decoded(bytes, /charset\s*=\s*"?([\w.:-]+)/.exec(header)?.[1]);
  // Markup (SVG, HTML, XML) is read as a page; other text as the text of a paragraph.
  const markup = /svg|html|xml/.test(type);
  const read: LinkPiece = markup
    ? { markup: content, page: /html/.test(type) ? 'html' : 'xml' }
    : paragraph(content);
  return depth + 1 < MAX_DEPTH ? [read, ...linkTexts(content, decode, depth + 1)] : [read];
}
const TEXT_LIKE =
  /^(?:text\/[\w.+-]+|image\/svg\+xml|application\/(?:[\w.-]+\+)?(?:xml|json)|application\/xhtml\+xml)$/;

// A payload's text: by its byte order mark (XML reads the encoding from it), else its charset, else UTF-8.
function decoded(bytes: Buffer, charset: string | undefined): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const copy = Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)));
    return copy.swap16().toString('utf16le');
  }
  const label = charset?.toLowerCase();
  if (label === 'utf-16' || label === 'utf-16le') return bytes.toString('utf16le');
  if (label && /^(?:iso-8859-1|latin1|us-ascii|windows-1252)$/.test(label)) return bytes.toString('latin1');
  return bytes.toString('utf8');
}

function percentDecoded(text: string): Buffer {
  const bytes: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(/(?:%[0-9a-f]{2})+/gi)) {
    bytes.push(Buffer.from(text.slice(last, m.index), 'utf8'), Buffer.from(m[0].replace(/%/g, ''), 'hex'));
    last = m.index + m[0].length;
  }
  bytes.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(bytes);
}

// A text as a paragraph of markup: its `&` and `<` escaped, so the page's reading shows it as written.
function paragraph(text: string): LinkPiece {
  return { markup: `<p>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>` };
}
