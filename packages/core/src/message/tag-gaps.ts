/**
 * Whether an element leaves a gap in the text around it as it is shown: HTML's blocks, cells, rows, line
 * breaks and replaced elements (an image, a field) do; inline elements (`b`, `span`, `a`, `font`…) and
 * elements a browser does not know (shown inline) do not, so `4111 11<b>11</b>` reads `4111 1111`. A name with a
 * namespace prefix is an Office document's XML: Word, Excel, PowerPoint and OpenDocument paragraphs, cells, rows,
 * tabs, breaks and spaces leave a gap, their runs and run properties do not (`<w:r><w:t>41</w:t></w:r><w:r>…`).
 *
 * @example
 * ```ts
 * tagLeavesGap('td'); // true
 * tagLeavesGap('span'); // false
 * tagLeavesGap('w:p'); // true
 * tagLeavesGap('w:rPr'); // false
 * ```
 */
export function tagLeavesGap(name: string): boolean {
  const colon = name.indexOf(':');
  if (colon >= 0) return XML_GAPS.has(name.slice(colon + 1));
  return HTML_GAPS.has(name.toLowerCase());
}

/**
 * The name of the tag that opens at `lt` (`<name` or `</name`) as written, up to white space, `/` or `>`; at
 * most 64 characters (longer names are no element that leaves a gap).
 *
 * @example
 * ```ts
 * tagNameAt('x<w:t xml:space="preserve">', 1); // 'w:t'
 * ```
 */
export function tagNameAt(html: string, lt: number): string {
  let at = lt + 1;
  if (html.charCodeAt(at) === 0x2f) at++;
  const start = at;
  while (at < html.length && at - start <= 64) {
    const c = html.charCodeAt(at);
    if (c <= 0x20 || c === 0x2f || c === 0x3e) break;
    at++;
  }
  return html.slice(start, at);
}

/** HTML elements laid out as blocks, cells or rows unless restyled: their texts never run into their neighbours'. */
export const HTML_BLOCKS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'dir',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'li',
  'listing',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'plaintext',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'xmp',
]);

// Besides the blocks: line breaks, replaced content (an image, a field, a frame), and elements whose content is
// not shown in place (head, script, style, a select's options…). Elements that draw nothing (meta, link, source,
// an audio without controls, a ruby fallback) leave no gap.
const HTML_GAPS = new Set([
  ...HTML_BLOCKS,
  'applet',
  'br',
  'button',
  'canvas',
  'embed',
  'frame',
  'frameset',
  'head',
  'iframe',
  'img',
  'image',
  'input',
  'isindex',
  'keygen',
  'legend',
  'map',
  'marquee',
  'math',
  'meter',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'optgroup',
  'option',
  'output',
  'picture',
  'progress',
  'rt',
  'ruby',
  'script',
  'search',
  'select',
  'style',
  'svg',
  'textarea',
  'title',
  'video',
]);
// Office XML elements that separate text: Word's and DrawingML's paragraphs, cells, rows, tables, text boxes,
// tabs and breaks; Excel's shared strings and cells; OpenDocument's paragraphs, headings, spaces, tabs, line
// breaks and cells.
const XML_GAPS = new Set([
  'p',
  'tc',
  'tr',
  'tbl',
  'txbxContent',
  'tab',
  'br',
  'cr',
  'ptab',
  'si',
  'c',
  'h',
  's',
  'line-break',
  'table-cell',
  'table-row',
  'list-item',
  'note',
  'footnote',
  'endnote',
  'comment',
]);
