import { asciiLowerCase } from '../message/ascii-case.js';

/** Where a disclaimer may go in an HTML body, and the `<meta>` tags that declare a charset. */
export interface HtmlLandmarks {
  /** Index just after the first real `<body …>` start tag. */
  bodyStart?: number;
  /** Index of the last real `</body>` end tag. */
  bodyEnd?: number;
  /** `[start, end)` of each `<meta>` tag. */
  metas: [number, number][];
  /** Tags and markup looked at (tests count it: the scan is linear). */
  steps: number;
}

// Elements whose content is raw text: a `<body` or `</body` inside them is not markup.
const RAW_TEXT = new Set(
  'script style textarea title xmp iframe noembed noframes noscript template plaintext'.split(' '),
);

/**
 * Finds the landmarks of an HTML document the way a browser's tokenizer would see them, in one
 * forward pass: comments, doctypes and processing instructions are skipped whole, raw-text elements
 * (script, style, textarea…) up to their end tag, attribute values with their quotes, so a `<body`
 * written inside any of those is never taken for the real one. An unterminated comment, tag or raw-text
 * element runs to the end of the text, as in a browser. Linear: the position only moves forward.
 *
 * @example
 * ```ts
 * scanHtml('<!-- <body> --><body class="x">Hi</body>').bodyStart; // 31
 * ```
 */
export function scanHtml(html: string): HtmlLandmarks {
  const lower = asciiLowerCase(html);
  const found: HtmlLandmarks = { metas: [], steps: 0 };
  let i = lower.indexOf('<');
  while (i !== -1 && i < html.length) {
    found.steps++;
    let next: number;
    if (lower.startsWith('<!--', i)) {
      const end = lower.indexOf('-->', i + 4);
      next = end === -1 ? -1 : end + 3;
    } else if (lower[i + 1] === '!' || lower[i + 1] === '?') {
      const end = lower.indexOf('>', i + 2);
      next = end === -1 ? -1 : end + 1;
    } else if (lower[i + 1] === '/' && isLetter(lower[i + 2])) {
      const name = tagName(lower, i + 2);
      const end = lower.indexOf('>', i + 2);
      if (name === 'body') found.bodyEnd = i;
      next = end === -1 ? -1 : end + 1;
    } else if (isLetter(lower[i + 1])) {
      const name = tagName(lower, i + 1);
      const end = tagEnd(lower, i + 1 + name.length);
      if (end === -1) break;
      if (name === 'body' && found.bodyStart === undefined) found.bodyStart = end;
      if (name === 'meta') found.metas.push([i, end]);
      next = end;
      if (RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, end);
        next = close === -1 ? -1 : close;
      }
    } else next = i + 1;
    if (next === -1) break;
    i = lower.indexOf('<', next);
  }
  return found;
}

function isLetter(c: string | undefined): boolean {
  return c !== undefined && c >= 'a' && c <= 'z';
}

function tagName(lower: string, from: number): string {
  let j = from;
  while (j < lower.length && /[a-z0-9-]/.test(lower[j] as string)) j++;
  return lower.slice(from, j);
}

// The index after the `>` closing a start tag, skipping quoted attribute values; -1 when unterminated.
function tagEnd(lower: string, from: number): number {
  let quote = '';
  for (let j = from; j < lower.length; j++) {
    const c = lower[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (/[=\s]/.test(lower[j - 1] ?? '')) quote = c; // a quote opens an attribute value only there
    } else if (c === '>') return j + 1;
  }
  return -1;
}

/**
 * Declares UTF-8 in every `<meta charset>` and `<meta http-equiv="Content-Type" content="…; charset=…">`
 * of a document re-encoded to UTF-8, so clients that honour the meta tag do not show mojibake.
 *
 * @example
 * ```ts
 * metaCharsetToUtf8('<meta charset="windows-1252"><p>Hi'); // '<meta charset="utf-8"><p>Hi'
 * ```
 */
export function metaCharsetToUtf8(
  html: string,
  metas: readonly [number, number][] = scanHtml(html).metas,
): string {
  let out = '';
  let at = 0;
  for (const [start, end] of metas) {
    const tag = html.slice(start, end);
    const fixed = tag.replace(/(charset\s*=\s*["']?)[A-Za-z0-9_.:-]+/i, '$1utf-8');
    out += html.slice(at, start) + fixed;
    at = end;
  }
  return out + html.slice(at);
}
