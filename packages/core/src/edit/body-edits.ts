import type { Disclaimer, PartInfo } from './edits.js';
import { metaCharsetToUtf8, scanHtml } from './html-scan.js';
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
  '-webkit-text-security:none !important;text-decoration:none !important;';
// A block's box besides: shown, and sized by its content.
const SHOWN_BOX =
  'display:block !important;height:auto !important;max-height:none !important;width:auto !important;' +
  'max-width:none !important;';

/** Style of the block around a disclaimer or banner. */
export const BLOCK_STYLE = `${SHOWN_BOX}${SHOWN}background:#fff4e5 !important;border:1px solid #b35c00 !important;padding:8px !important;margin:0 0 12px 0 !important;`;

/** Style of the span around the default paragraph's text: inline, with the values a pseudo-element rule could change. */
export const SPAN_STYLE = `display:inline !important;${SHOWN}`;

/** Style of the default paragraph around the disclaimer text. */
export const PARAGRAPH_STYLE = `${SHOWN_BOX}${SHOWN}background:transparent !important;margin:0 !important;padding:0 !important;`;

/**
 * Adds a disclaimer inside the HTML body: after the real `<body>` start tag (top) or before the real
 * `</body>` (bottom), as found by {@link scanHtml} (never inside a comment, script, style or attribute);
 * at the very top or end when there is no body tag.
 */
export function disclaimHtml(html: string, d: Disclaimer): string {
  // The text in a span of its own styles too: a page's `p::first-line{font-size:0}` styles the line, which the
  // span's own values override.
  const snippet = d.html ?? defaultSnippet(d.text);
  if (d.dedupe !== 'none' && html.includes(snippet)) return html;
  const block = `<div style="${BLOCK_STYLE}">${snippet}</div>`;
  const marks = scanHtml(html);
  const at = d.position === 'top' ? (marks.bodyStart ?? 0) : (marks.bodyEnd ?? html.length);
  return `${html.slice(0, at)}${block}${html.slice(at)}`;
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
