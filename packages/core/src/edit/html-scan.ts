import { asciiLowerCase } from '../message/ascii-case.js';
import { isOutlookMarker, type Marker } from './outlook-conditionals.js';

/** Where a disclaimer may go in an HTML body, and the `<meta>` tags that declare a charset. */
export interface HtmlLandmarks {
  /**
   * Where the body's content begins: just after the first real `<body …>` start tag, or, when content a browser
   * cannot keep in the head (text, or a start tag other than head material) comes before that tag, the start of
   * that content, where the browser opens the body itself.
   */
  bodyStart?: number;
  /** `[start, end)` of the first real `<body …>` start tag (attacker round 95: its style is pinned). */
  bodyTag?: [number, number];
  /** `[start, end)` of each real `<html …>` start tag (the root takes the first value of each attribute). */
  htmlTags: [number, number][];
  /** After a `<!DOCTYPE …>` that comes before any tag or text: where a tag may open the root without quirks mode. */
  rootAt?: number;
  /** Index of the last real `</body>` end tag. */
  bodyEnd?: number;
  /** `[start, end)` of each `<meta>` tag. */
  metas: [number, number][];
  /**
   * `[start, end)` of each Outlook conditional marker (`<!--[if …]>`, `<!--<![endif]-->`, `<![if …]>`, `<![endif]>`)
   * met before the body's start was found (attacker round 102: see outlook-conditionals.ts).
   */
  outlookMarkers: Marker[];
  /** Tags and markup looked at (tests count it: the scan is linear). */
  steps: number;
}

// Elements whose content is raw text: a `<body` or `</body` inside them is not markup.
const RAW_TEXT = new Set(
  'script style textarea title xmp iframe noembed noframes noscript template plaintext'.split(' '),
);
// Start tags a browser keeps out of the body before it sees `<body>` (the "before head", "in head" and "after head"
// insertion modes). Any other start tag, and any text but white space, opens the body where it stands. Not
// `noscript`: with scripting off, as in mail clients, its content is markup, and a `<div>` in it opens the body.
const HEAD_MATERIAL = ' html head base basefont bgsound link meta style script template title noframes ';

/**
 * Finds the landmarks of an HTML document the way a browser's tokenizer would see them, in one
 * forward pass: comments, doctypes and processing instructions are skipped whole, raw-text elements
 * (script, style, textarea…) up to their end tag, attribute values with their quotes, so a `<body`
 * written inside any of those is never taken for the real one. An unterminated comment, tag or raw-text
 * element runs to the end of the text, as in a browser. Content before the `<body>` tag that the browser puts in the
 * body (an element of the sender's, opened before its `<body>` tag, would otherwise hold whatever is put after that
 * tag: attacker round 85) moves `bodyStart` to where that content begins. Linear: the position only moves forward.
 *
 * @example
 * ```ts
 * scanHtml('<!-- <body> --><body class="x">Hi</body>').bodyStart; // 31
 * ```
 */
export function scanHtml(html: string): HtmlLandmarks {
  const lower = asciiLowerCase(html);
  const found: HtmlLandmarks = { metas: [], htmlTags: [], outlookMarkers: [], steps: 0 };
  let early = true; // only comments, white space and doctypes so far
  // Where the browser opens the body before any `<body>` tag; `text` is where the current run of text began.
  let opened: number | undefined;
  let text = 0;
  const opens = (at: number) => {
    if (opened === undefined && found.bodyStart === undefined) opened = at;
  };
  let i = lower.indexOf('<');
  while (i !== -1 && i < html.length) {
    found.steps++;
    if (opened === undefined && found.bodyStart === undefined) {
      const shown = firstText(lower, text, i);
      if (shown !== -1) {
        opens(shown);
        early = false;
      }
    }
    let next: number;
    if (lower.startsWith('<!--', i)) {
      const end = lower.indexOf('-->', i + 4);
      next = end === -1 ? -1 : end + 3;
      if (found.bodyStart === undefined && isOutlookMarker(lower, i))
        found.outlookMarkers.push([i, next === -1 ? html.length : next]);
    } else if (lower[i + 1] === '!' || lower[i + 1] === '?') {
      const end = lower.indexOf('>', i + 2);
      next = end === -1 ? -1 : end + 1;
      if (found.bodyStart === undefined && isOutlookMarker(lower, i))
        found.outlookMarkers.push([i, next === -1 ? html.length : next]);
      if (early && end !== -1 && lower.startsWith('<!doctype', i)) found.rootAt = next;
    } else if (lower[i + 1] === '/' && isLetter(lower[i + 2])) {
      early = false;
      const name = tagName(lower, i + 2);
      const end = lower.indexOf('>', i + 2);
      if (name === 'body') found.bodyEnd = i;
      next = end === -1 ? -1 : end + 1;
    } else if (isLetter(lower[i + 1])) {
      const name = tagName(lower, i + 1);
      const end = tagEnd(lower, i + 1 + name.length);
      if (end === -1) break;
      early = false;
      if (name === 'html') found.htmlTags.push([i, end]);
      if (name !== 'body' && !HEAD_MATERIAL.includes(` ${name} `)) opens(i);
      if (name === 'body' && found.bodyStart === undefined) {
        found.bodyStart = opened ?? end;
        found.bodyTag = [i, end];
      }
      if (name === 'meta') found.metas.push([i, end]);
      next = end;
      if (RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, end);
        next = close === -1 ? -1 : close;
      }
    } else {
      early = false;
      opens(i); // a `<` that opens no tag is text
      next = i + 1;
    }
    if (next === -1) break;
    text = next;
    i = lower.indexOf('<', next);
  }
  if (i === -1 && opened === undefined && found.bodyStart === undefined) {
    const shown = firstText(lower, text, lower.length);
    if (shown !== -1) opened = shown;
  }
  if (found.bodyStart === undefined && opened !== undefined) found.bodyStart = opened;
  return found;
}

// The index of the first character in [from, to) other than HTML's white space (and a byte order mark); -1 if none.
function firstText(lower: string, from: number, to: number): number {
  for (let j = from; j < to; j++) {
    const c = lower.charCodeAt(j);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0xfeff) return j;
  }
  return -1;
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
