import type { Disclaimer, PartInfo } from './edits.js';
import { metaCharsetToUtf8, scanHtml } from './html-scan.js';
import { disableMarkers, outlookBannerPlace, outlookMarkersToDisable } from './outlook-conditionals.js';
import { escapeHtml } from './text-codec.js';

/** Adds a disclaimer to a plain-text body, separated by a blank line. */
export function disclaimPlain(text: string, d: Disclaimer): string {
  // Idempotent across retries: a body that already holds it (its lines as the body ends them, CRLF or LF).
  if (d.dedupe !== 'none' && lines(text).includes(lines(d.text))) return text;
  return d.position === 'top' ? `${d.text}\n\n${text}` : `${text.trimEnd()}\n\n${d.text}\n`;
}

/**
 * Adds a disclaimer to an enriched-text body (`text/enriched`, RFC 1896: `<` written `<<`, a line break written as
 * two; or the older `text/richtext`, RFC 1341: `<` written `<lt>`, a line break `<nl>`), which Thunderbird and Apple
 * Mail show formatted (attacker round 41: such a body went without the banner).
 */
export function disclaimEnriched(text: string, d: Disclaimer, richtext: boolean): string {
  const written = richtext
    ? d.text.replaceAll('<', '<lt>').replace(/\r?\n/g, '<nl>')
    : d.text.replaceAll('<', '<<').replace(/\r?\n/g, '\n\n');
  const apart = richtext ? '<nl><nl>\n' : '\n\n\n';
  if (d.dedupe !== 'none' && lines(text).includes(lines(written))) return text;
  return d.position === 'top' ? `${written}${apart}${text}` : `${text.trimEnd()}${apart}${written}\n`;
}

/** The body types a disclaimer or banner goes into: plain text, HTML and enriched text. */
export const DISCLAIMED_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'text/html',
  'text/enriched',
  'text/richtext',
]);

function lines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

// Inline styles only (a sender's stylesheet cannot target a class it does not know), each `!important`, which
// wins over any rule of the page's own stylesheets: every property a page could hide text with (display, size,
// colour, WebKit's text fill, indent, transform, clip, filter, font), on the block and on its paragraph alike, so
// that `p{display:none !important}` or `div>p{font-size:0}` hides neither. No class, no id.
const SHOWN =
  'visibility:visible !important;opacity:1 !important;position:static !important;float:none !important;' +
  'overflow:visible !important;font:normal normal 400 14px/1.4 sans-serif !important;' +
  'color:#000000 !important;-webkit-text-fill-color:#000000 !important;text-indent:0 !important;' +
  'letter-spacing:normal !important;word-spacing:normal !important;white-space:normal !important;' +
  'transform:none !important;filter:none !important;clip-path:none !important;mix-blend-mode:normal !important;' +
  'content-visibility:visible !important;text-shadow:none !important;scale:none !important;' +
  'translate:none !important;rotate:none !important;zoom:1 !important;contain:none !important;' +
  'offset-path:none !important;backface-visibility:visible !important;mask:none !important;' +
  '-webkit-mask:none !important;-webkit-mask-box-image:none !important;-webkit-text-stroke:0 !important;' +
  '-webkit-text-security:none !important;text-decoration:none !important;' +
  // Outlook for Windows hides what `mso-hide:all` marks, from a stylesheet too (`div{mso-hide:all}`: attacker round 102).
  'mso-hide:none !important;';
// A block's box besides: shown, and sized by its content.
const SHOWN_BOX =
  'display:block !important;height:auto !important;max-height:none !important;width:auto !important;' +
  'max-width:none !important;';

// The block drawn above all else (attacker round 100): positioned in place (no offset), with the highest `z-index`, so
// that a later element positioned over it (`position:absolute;top:0`, `fixed`) or pulled up by a negative margin is
// drawn below it; the guard's sheet ({@link GUARD_SHEET}) takes the sender's own `z-index` values away.
const ON_TOP =
  'position:relative !important;z-index:2147483647 !important;top:auto !important;right:auto !important;' +
  'bottom:auto !important;left:auto !important;';

/** Style of the block around a disclaimer or banner. */
export const BLOCK_STYLE = `${SHOWN_BOX}${SHOWN}${ON_TOP}background:#fff4e5 !important;border:1px solid #b35c00 !important;padding:8px !important;margin:0 0 12px 0 !important;`;

/** Style of the span around the default paragraph's text: inline, with the values a pseudo-element rule could change. */
export const SPAN_STYLE = `display:inline !important;${SHOWN}`;

/** Style of the default paragraph around the disclaimer text. */
export const PARAGRAPH_STYLE = `${SHOWN_BOX}${SHOWN}background:transparent !important;margin:0 !important;padding:0 !important;`;

/**
 * Adds a disclaimer inside the HTML body: after the real `<body>` start tag (top) or before the real
 * `</body>` (bottom), as found by {@link scanHtml} (never inside a comment, script, style or attribute);
 * at the very top or end when there is no body tag. A disclaimer on top also pins the body's layout with inline
 * `!important` styles on its `<body>` tag (one of ours when there is none), so that a sender's stylesheet cannot
 * move it below the page or off its top (attacker round 95).
 */
export function disclaimHtml(source: string, d: Disclaimer): string {
  let html = source;
  // The text in a span of its own styles too: a page's `p::first-line{font-size:0}` styles the line, which the
  // span's own values override.
  const snippet = d.html ?? defaultSnippet(d.text);
  if (d.dedupe !== 'none' && html.includes(snippet)) return html;
  const block = `<div style="${BLOCK_STYLE}">${snippet}</div>`;
  let marks = scanHtml(html);
  if (d.position !== 'top') {
    const at = marks.bodyEnd ?? html.length;
    return `${html.slice(0, at)}${block}${html.slice(at)}`;
  }
  // Outlook's conditional comments before the banner's place (attacker round 102): one that shows Outlook alone an
  // element around the banner or text above it, or an Outlook-hidden stretch still open there, is disabled (written as
  // a plain comment, the same comment to browsers); the page is scanned again.
  // With no `<body>` tag before the banner's place, a stretch opened right before it is passed: the banner goes before
  // its opener (false-positive round 5), which then needs no disabling.
  // A comment opened in the head's raw text and not closed there (attacker round 105) is closed before its end tag: a
  // reader that takes comments before elements (Word, perhaps) would otherwise run it over the banner. Browsers read
  // the `-->` as that title's, stylesheet's or script's text.
  if (marks.rawCommentsOpen.length > 0) {
    let closed = '';
    let from = 0;
    for (const to of marks.rawCommentsOpen) {
      closed += `${html.slice(from, to)}-->`;
      from = to;
    }
    html = closed + html.slice(from);
    marks = scanHtml(html);
  }
  const opened = marks.bodyStart ?? 0;
  const tag0 = marks.bodyTag;
  let place =
    tag0 !== undefined && tag0[0] < opened ? opened : outlookBannerPlace(html, marks.outlookMarkers, opened);
  const disabled = outlookMarkersToDisable(
    html,
    marks.outlookMarkers,
    place,
    new Set(marks.outlookRawMarkers),
  );
  if (disabled.length > 0) {
    html = disableMarkers(html, disabled);
    marks = scanHtml(html);
    // Each disabled marker (all before the place) gained `wmflow-off `.
    place = place === opened ? (marks.bodyStart ?? 0) : place + disabled.length * 'wmflow-off '.length;
  }
  const at = place;
  const tag = marks.bodyTag;
  let out: string;
  // No `<body>` tag: one of ours opens the body where the block goes, with the body's layout pinned.
  if (!tag) out = `${html.slice(0, at)}<body style="${BODY_PINNED}">${block}${html.slice(at)}`;
  else {
    const pinned = pinBodyTag(html.slice(tag[0], tag[1]));
    // The tag is before the block (the usual page) or after it (content opened the body before its `<body>` tag).
    out =
      tag[0] < at
        ? `${html.slice(0, tag[0])}${pinned}${html.slice(tag[1], at)}${block}${html.slice(at)}`
        : `${html.slice(0, at)}${block}${html.slice(at, tag[0])}${pinned}${html.slice(tag[1])}`;
  }
  // The root's box too (`html{margin-top:-64px}`, a transform): an `<html>` tag of ours opens the root before any of
  // the sender's (after a leading doctype, so the page keeps its mode), carrying the first style a sender's `<html>`
  // tag gives it, kept as for the body, then the pin. Later `<html>` tags add only attributes the root lacks.
  const root = marks.rootAt ?? (html.startsWith('\ufeff') ? 1 : 0);
  let sender = '';
  for (const [start, end] of marks.htmlTags) {
    const style = firstStyle(html.slice(start, end));
    if (!style) continue;
    if (closedCss(style.value)) sender = `${style.value.replaceAll('"', '&quot;')};`;
    break;
  }
  return `${out.slice(0, root)}<html style="${sender}${BODY_PINNED}">${GUARD_SHEET}${out.slice(root)}`;
}

// What no inline style reaches (attacker round 100): generated boxes before the body (`body::before{content:"Corp IT";
// display:block}`, a tall one pushing the banner down, `html::before`), the head shown (`head,title{display:block}`),
// `html::after` drawn over the page, and the sender's `z-index` values, with which a later positioned element was drawn
// over the banner. One anonymous cascade layer (`@layer{…}`) that opens the page: of the page's layers the first, whose
// `!important` declarations win over every later layer's and every unlayered rule's, whatever their specificity, and
// one no sender rule can join (it has no name). The same rules follow unlayered, for engines without layers (there a
// sender's `!important` rule of higher specificity still wins). Inside `<!--`/`-->`, which CSS ignores at the top of a
// sheet, so that a reader that drops tags and comments (a preview line) still finds the banner's text first. No colour,
// no class: a page's look is its own.
const COVER_RULES =
  'head,html::before,html::after,body::before{display:none !important;content:none !important}' +
  'body *,body::after,body *::before,body *::after{z-index:auto !important}';
/** The stylesheet a banner on top opens the page with (attacker round 100). */
export const GUARD_SHEET = `<style><!--@layer{${COVER_RULES}}${COVER_RULES}--></style>`;

// The body's (and the root's) own layout, pinned for a banner on top (attacker round 95): the banner is the body's first child, and a
// sender's `body{display:flex;flex-direction:column-reverse}` (a grid, a table with a header group, `display:contents`
// under a reversed `<html>`), a negative top margin or a transform moved it below the page or off its top; no style on
// the banner undoes its parent's layout. Inline `!important` declarations, last in the body's style attribute, win
// over every rule of the page's stylesheets and over the sender's own inline ones.
const BODY_PINNED =
  'display:block !important;position:static !important;transform:none !important;translate:none !important;' +
  'rotate:none !important;scale:none !important;clip-path:none !important;mask:none !important;' +
  '-webkit-mask:none !important;' +
  // Attacker round 100: scrolled, clipped, pushed or shrunk past the banner (`html{scroll-snap-type:y mandatory}` with
  // the phishing block snapped to, `body{height:0;overflow:hidden}` or `contain:paint` with it `position:fixed`, a tall
  // top padding or border with it positioned at the top, `body{zoom:.02}` with it `zoom:50`), or moved off the side of
  // the screen (a negative side margin, a wide side padding, a body wider than the page under a right-to-left root).
  'overflow:visible !important;contain:none !important;content-visibility:visible !important;' +
  'scroll-snap-type:none !important;padding-top:0 !important;border-top-width:0 !important;zoom:1 !important;' +
  'margin-left:auto !important;margin-right:auto !important;padding-left:0 !important;padding-right:0 !important;' +
  'border-left-width:0 !important;border-right-width:0 !important;min-width:0 !important;max-width:100% !important;' +
  // Attacker round 102: Outlook for Windows hides what `mso-hide:all` marks (`body{mso-hide:all}` in a stylesheet).
  'mso-hide:none !important;margin-top:0 !important;';

// The `<body …>` start tag with BODY_PINNED appended to its first style attribute (the one a browser keeps), or put in
// a style attribute of its own. A sender's style that could swallow what follows it (an open comment, string, bracket,
// a trailing escape, or a character reference that may decode to one) is replaced: not knowing is not allowing.
function pinBodyTag(tag: string): string {
  const style = firstStyle(tag);
  if (!style) return `${tag.slice(0, 5)} style="${BODY_PINNED}"${tag.slice(5)}`;
  const kept = closedCss(style.value) ? `${style.value.replaceAll('"', '&quot;')};` : '';
  return `${tag.slice(0, style.start)}style="${kept}${BODY_PINNED}"${tag.slice(style.end)}`;
}

// The first `style` attribute of a start tag as the HTML tokenizer reads it: `[start, end)` and its raw value. Linear.
function firstStyle(tag: string, from = 5): { start: number; end: number; value: string } | undefined {
  const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  const stop = tag.endsWith('>') ? tag.length - 1 : tag.length;
  let j = from; // after `<body` or `<html`
  while (j < stop) {
    if (space(tag[j]) || tag[j] === '/') {
      j++;
      continue;
    }
    const start = j++;
    while (j < stop && !space(tag[j]) && tag[j] !== '/' && tag[j] !== '=') j++;
    const name = tag.slice(start, j).toLowerCase();
    let k = j;
    while (k < stop && space(tag[k])) k++;
    if (tag[k] !== '=') continue;
    k++;
    while (k < stop && space(tag[k])) k++;
    let value: string;
    const quote = tag[k];
    if (quote === '"' || quote === "'") {
      const close = tag.indexOf(quote, k + 1);
      const to = close === -1 || close > stop ? stop : close;
      value = tag.slice(k + 1, to);
      j = Math.min(to + 1, stop);
    } else {
      const from = k;
      while (k < stop && !space(tag[k])) k++;
      value = tag.slice(from, k);
      j = k;
    }
    if (name === 'style') return { start, end: j, value };
  }
  return undefined;
}

// Whether a style attribute's value leaves nothing open that would swallow declarations put after it. Linear.
function closedCss(value: string): boolean {
  if (value.includes('&')) return false;
  let depth = 0;
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      if (++i >= value.length) return false;
    } else if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n' || c === '\r' || c === '\f') return false;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && value[i + 1] === '*') {
      const end = value.indexOf('*/', i + 2);
      if (end === -1) return false;
      i = end + 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth < 0) return false;
    }
  }
  return depth === 0 && !quote;
}

/** The HTML of a disclaimer given as text: a paragraph of its escaped text, line breaks kept. */
export function defaultSnippet(text: string): string {
  return `<p style="${PARAGRAPH_STYLE}"><span style="${SPAN_STYLE}">${escapeHtml(text).replace(/\r?\n/g, '<br>')}</span></p>`;
}

/** Applies every text edit for this part, in queue order; an HTML part re-encoded to UTF-8 says so in its meta tags. */
export function editText(
  text: string,
  part: PartInfo,
  disclaimers: readonly Disclaimer[],
  transforms: readonly { match: (p: PartInfo) => boolean; transform: (t: string, p: PartInfo) => string }[],
): string {
  let out = text;
  for (const t of transforms) if (t.match(part)) out = t.transform(out, part);
  for (const d of disclaimers)
    out =
      part.contentType === 'text/html'
        ? disclaimHtml(out, d)
        : part.contentType === 'text/enriched' || part.contentType === 'text/richtext'
          ? disclaimEnriched(out, d, part.contentType === 'text/richtext')
          : disclaimPlain(out, d);
  if (out !== text && part.contentType === 'text/html') out = metaCharsetToUtf8(out);
  return out;
}
