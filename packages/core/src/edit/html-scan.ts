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
  /**
   * The starts of those of `outlookMarkers` found inside the raw text (`<title>`, `<style>`, `<script>`…) of head
   * material before the body (attacker round 105: Word's reading of markup there is not known).
   */
  outlookRawMarkers: number[];
  /**
   * Where such raw text ends (its end tag) while a comment opened in it is not closed before that: a reader that takes
   * comments before elements would run it past the end tag, over the banner (attacker round 105).
   */
  rawCommentsOpen: number[];
  /** Tags and markup looked at (tests count it: the scan is linear). */
  steps: number;
}

// Elements whose content is raw text: a `<body` or `</body` inside them is not markup. Not `template`, whose content is
// markup kept out of the page (attacker round 105: read as raw text, a `</template>` in an attribute or a nested
// template ended it early, and a `<body>` inside it took the banner).
const RAW_TEXT = new Set(
  'script style textarea title xmp iframe noembed noframes noscript plaintext'.split(' '),
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
  const found: HtmlLandmarks = {
    metas: [],
    htmlTags: [],
    outlookMarkers: [],
    outlookRawMarkers: [],
    rawCommentsOpen: [],
    steps: 0,
  };
  let early = true; // only comments, white space and doctypes so far
  // Where the browser opens the body before any `<body>` tag; `text` is where the current run of text began.
  let opened: number | undefined;
  let text = 0;
  const opens = (at: number) => {
    if (opened === undefined && found.bodyStart === undefined) opened = at;
  };
  // Open `<template>` elements: their content is not the page's, so nothing in it opens the body or is the body.
  let templates = 0;
  let i = lower.indexOf('<');
  while (i !== -1 && i < html.length) {
    found.steps++;
    if (opened === undefined && found.bodyStart === undefined && templates === 0) {
      const shown = firstText(lower, text, i);
      if (shown !== -1) {
        opens(shown);
        early = false;
      }
    }
    let next: number;
    if (lower.startsWith('<!--', i)) {
      next = commentEnd(lower, i);
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
      if (name === 'body' && templates === 0) found.bodyEnd = i;
      if (name === 'template' && templates > 0) templates--;
      next = tagEnd(lower, i + 2 + name.length);
    } else if (isLetter(lower[i + 1])) {
      const name = tagName(lower, i + 1);
      const end = tagEnd(lower, i + 1 + name.length);
      if (end === -1) break;
      early = false;
      // Raw text the browser keeps before the body (a head's title, style or script), before it is opened.
      const headRaw =
        opened === undefined && found.bodyStart === undefined && HEAD_MATERIAL.includes(` ${name} `);
      const page = templates === 0;
      if (name === 'html' && page) found.htmlTags.push([i, end]);
      if (name !== 'body' && !HEAD_MATERIAL.includes(` ${name} `) && page) opens(i);
      if (name === 'body' && found.bodyStart === undefined && page) {
        found.bodyStart = opened ?? end;
        found.bodyTag = [i, end];
      }
      if (name === 'meta') found.metas.push([i, end]);
      if (name === 'template') templates++;
      next = end;
      if (RAW_TEXT.has(name)) {
        const close = rawTextEnd(lower, name, end);
        next = close === -1 ? -1 : close;
        if (headRaw && close !== -1) rawTextMarkers(lower, end, close, found);
      }
    } else {
      early = false;
      if (templates === 0) opens(i); // a `<` that opens no tag is text
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

// Where a comment opened at `at` ends as browsers end it (attacker round 105: `<!-->` and `<!--->` end at once, and
// `--!>` ends one too; read to the next `-->`, the body tag a browser opens after them was skipped, so the banner went
// below the sender's text). -1 when it runs to the end.
function commentEnd(lower: string, at: number): number {
  if (lower[at + 4] === '>') return at + 5;
  if (lower.startsWith('->', at + 4)) return at + 6;
  for (let j = lower.indexOf('--', at + 4); j !== -1; j = lower.indexOf('--', j + 1)) {
    if (lower[j + 2] === '>') return j + 3;
    if (lower.startsWith('!>', j + 2)) return j + 4;
  }
  return -1;
}

// Where the raw text of a `name` element opened before `from` ends, as a browser's tokenizer ends it (attacker round
// 105): at an end tag of that name followed by white space, `/` or `>` (`</titlex>` is text), and in a script, past
// the escapes `<!--` and `<!--<script>` open (`<script><!--<script></script>…</script>` ends at the second end tag).
// -1 when it runs to the end. Linear: one forward pass.
function rawTextEnd(lower: string, name: string, from: number): number {
  const endTag = (at: number) =>
    lower.startsWith(`</${name}`, at) && /[\t\n\f\r />]/.test(lower[at + 2 + name.length] ?? '');
  if (name !== 'script') {
    for (let at = lower.indexOf(`</${name}`, from); at !== -1; at = lower.indexOf(`</${name}`, at + 2))
      if (endTag(at)) return at;
    return -1;
  }
  // Script data, escaped (after `<!--`) or double escaped (after `<script` in an escape).
  let state: 'data' | 'escaped' | 'double' = 'data';
  const token = /<!--|-->|<\/script[\t\n\f\r />]|<script[\t\n\f\r />]/g;
  token.lastIndex = from;
  for (let m = token.exec(lower); m !== null; m = token.exec(lower)) {
    const at = m.index;
    const t = m[0];
    if (t === '<!--') {
      if (state !== 'data') continue;
      state = 'escaped';
      // `<!-->` and `<!--->` end the escape at once.
      let k = at + 4;
      while (lower[k] === '-') k++;
      if (lower[k] === '>') {
        state = 'data';
        token.lastIndex = k + 1;
      } else token.lastIndex = at + 2; // its dashes may begin a `-->`
    } else if (t === '-->') {
      if (state !== 'data') state = 'data';
    } else if (t.startsWith('</')) {
      if (state === 'double') state = 'escaped';
      else return at;
    } else if (state === 'escaped') state = 'double';
  }
  return -1;
}

// The conditional markers inside the raw text [from, to) of head material, and whether a comment opened there runs
// past `to` (attacker round 105). Browsers read all of it as text; Word's reading is not known, so a marker there counts
// as one outside raw text does. Linear in the text: each step moves past what it read.
function rawTextMarkers(lower: string, from: number, to: number, found: HtmlLandmarks): void {
  // Searched within the raw text only, so that many elements cost their own length each.
  const text = lower.slice(from, to);
  let j = text.indexOf('<!');
  while (j !== -1) {
    found.steps++;
    const comment = text.startsWith('<!--', j);
    const close = comment ? text.indexOf('-->', j + 4) : text.indexOf('>', j + 2);
    const end = close === -1 ? text.length : close + (comment ? 3 : 1);
    if (isOutlookMarker(text, j)) {
      found.outlookMarkers.push([from + j, from + end]);
      found.outlookRawMarkers.push(from + j);
    }
    if (comment && close === -1) {
      found.rawCommentsOpen.push(to);
      return;
    }
    j = text.indexOf('<!', comment ? end : j + 2);
  }
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

// A tag's name as browsers read it: everything up to white space, `/` or `>` (attacker round 105: `<title.x>` or
// `<title\0>` is no title to a browser, which opens the body at it; read as `title`, its "raw text" hid the body's
// start from the scan, and the banner went below the sender's text).
function tagName(lower: string, from: number): string {
  let j = from;
  while (j < lower.length && !/[\t\n\f\r />]/.test(lower[j] as string)) j++;
  return lower.slice(from, j);
}

// The index after the `>` closing a tag whose name ends at `from`, its attributes read as browsers' tokenizers read
// them; -1 when unterminated. A quote opens a value only right after an attribute's `=` (white space between): one
// after white space alone, or inside a name or an unquoted value, is a character of it (attacker round 105: taken for
// an opening quote, `<meta "><body>…` hid the body's start from the scan, and the banner went below the sender's text).
function tagEnd(lower: string, from: number): number {
  let state: 'between' | 'name' | 'afterName' | 'beforeValue' | 'unquoted' | '"' | "'" = 'between';
  for (let j = from; j < lower.length; j++) {
    const c = lower[j] as string;
    const space = c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
    if (state === '"' || state === "'") {
      if (c === state) state = 'between';
      continue;
    }
    if (c === '>') return j + 1;
    if (state === 'beforeValue') {
      if (c === '"' || c === "'") state = c;
      else if (!space) state = 'unquoted';
    } else if (state === 'unquoted') {
      if (space) state = 'between';
    } else if (space) {
      if (state === 'name') state = 'afterName';
    } else if (c === '/') state = 'between';
    else if (c === '=' && (state === 'name' || state === 'afterName')) state = 'beforeValue';
    else state = 'name';
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
