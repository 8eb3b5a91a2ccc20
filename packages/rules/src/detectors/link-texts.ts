// What a page sends that its text does not show (attacker round 41): where its links go (a link's target, shown on
// hover and written out by Outlook's and Thunderbird's plain-text views; a Word hyperlink's target in its
// relationships part and its ScreenTip), and what its `data:` URLs carry (an SVG picture a client draws with its
// text, in an image's source or a style's `url()`). Attributes are read as HTML and XML read them: either quote or
// none, any namespace prefix.

const ATTRIBUTE =
  /[\s/](?:[a-z][\w.-]{0,40}:)?(href|src|action|formaction|cite|background|poster|target|tooltip|style)\s{0,64}=\s{0,64}/gi;
const URL_IN_STYLE = /url\(\s{0,64}(["']?)/gi;
const MAX_DEPTH = 3;

/**
 * The link targets (entities and percent-escapes decoded), ScreenTips and the text-like contents of `data:` URLs
 * (decoded, themselves read so three levels deep) of a page or an Office XML part, each a piece of markup to read
 * on its own (a data: URL's markup may leave a comment open, which must not hide what follows it). Linear time:
 * each attribute value is read once per level.
 *
 * @example
 * ```ts
 * linkTexts('<a href="https://crm.example/c?pan=4111%201111">x</a>'); // ['<p>https://crm.example/c?pan=4111 1111</p>']
 * ```
 */
export function linkTexts(markup: string, depth = 0): string[] {
  if (!/href|src=|action|cite|background|poster|target|tooltip|url\(/i.test(markup)) return [];
  const out: string[] = [];
  // A pattern of this call's own: a data: URL's content is read by a call inside this loop.
  const attributes = new RegExp(ATTRIBUTE);
  for (let m = attributes.exec(markup); m; m = attributes.exec(markup)) {
    const from = m.index + m[0].length;
    const value = attributeValue(markup, from);
    if (!value) break; // an attribute left open takes the rest of the page: nothing follows it
    attributes.lastIndex = value.end;
    const name = (m[1] as string).toLowerCase();
    const text = characterReferencesDecoded(value.text);
    if (name === 'style') for (const url of styleUrls(text)) out.push(...urlTexts(url, depth));
    else if (name === 'tooltip') out.push(paragraph(text));
    else out.push(...urlTexts(text, depth));
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

function styleUrls(style: string): string[] {
  const urls: string[] = [];
  URL_IN_STYLE.lastIndex = 0;
  for (let m = URL_IN_STYLE.exec(style); m; m = URL_IN_STYLE.exec(style)) {
    const from = m.index + m[0].length;
    const close = m[1] ? style.indexOf(m[1], from) : style.indexOf(')', from);
    if (close < 0) break;
    urls.push(style.slice(from, close));
    URL_IN_STYLE.lastIndex = close + 1;
  }
  return urls;
}

// A URL as a reader sees it (percent-escapes decoded), or a data: URL's text-like content, read in turn.
function urlTexts(url: string, depth: number): string[] {
  const trimmed = url.trim();
  if (!/^data:/i.test(trimmed)) return [paragraph(percentDecoded(trimmed))];
  const comma = trimmed.indexOf(',');
  if (comma < 0) return [];
  const header = trimmed.slice(5, comma).toLowerCase();
  const type = header.split(';')[0]?.trim() || 'text/plain';
  if (!TEXT_LIKE.test(type)) return [];
  const payload = trimmed.slice(comma + 1);
  const content = /;\s*base64\s*$/.test(header)
    ? Buffer.from(percentDecoded(payload).replace(/\s+/g, ''), 'base64').toString('utf8')
    : percentDecoded(payload);
  // Markup (SVG, HTML, XML) is read as markup; other text as the text of a paragraph.
  const read = /svg|html|xml/.test(type) ? `<div>${content}</div>` : paragraph(content);
  return depth + 1 < MAX_DEPTH ? [read, ...linkTexts(content, depth + 1)] : [read];
}
const TEXT_LIKE =
  /^(?:text\/[\w.+-]+|image\/svg\+xml|application\/(?:[\w.-]+\+)?(?:xml|json)|application\/xhtml\+xml)$/;

function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) =>
    Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'),
  );
}

// The numeric character references and the five XML names of an attribute value (the page's own reading decodes
// every name later, in the paragraph).
function characterReferencesDecoded(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#x0*([0-9a-f]{1,6})|#0*([0-9]{1,7})|(amp|lt|gt|quot|apos));?/gi,
    (whole, hex, dec, name) => {
      if (name) return XML_NAMES[(name as string).toLowerCase()] as string;
      const cp = hex ? Number.parseInt(hex as string, 16) : Number(dec);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    },
  );
}
const XML_NAMES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// A text as a paragraph of markup: its `&` and `<` escaped, so the page's reading shows it as written.
function paragraph(text: string): string {
  return `<p>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`;
}
