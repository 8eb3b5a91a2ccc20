import type { Disclaimer, PartInfo } from './edits.js';
import { escapeHtml } from './text-codec.js';

/** Adds a disclaimer to a plain-text body, separated by a blank line. */
export function disclaimPlain(text: string, d: Disclaimer): string {
  if (text.includes(d.text)) return text; // idempotent across retries
  return d.position === 'top' ? `${d.text}\n\n${text}` : `${text.replace(/\s*$/, '')}\n\n${d.text}\n`;
}

/** Adds a disclaimer inside `<body>` of an HTML body (or at the very top or end when there is no body tag). */
export function disclaimHtml(html: string, d: Disclaimer): string {
  const snippet = d.html ?? `<p>${escapeHtml(d.text).replace(/\r?\n/g, '<br>')}</p>`;
  if (html.includes(snippet)) return html;
  const block = `<div class="wmflow-disclaimer">${snippet}</div>`;
  if (d.position === 'top') {
    const open = /<body\b[^>]*>/i.exec(html);
    if (!open) return `${block}${html}`;
    const at = open.index + open[0].length;
    return `${html.slice(0, at)}${block}${html.slice(at)}`;
  }
  const close = html.toLowerCase().lastIndexOf('</body');
  return close < 0 ? `${html}${block}` : `${html.slice(0, close)}${block}${html.slice(close)}`;
}

/** Applies every text edit for this part, in queue order. */
export function editText(
  text: string,
  part: PartInfo,
  disclaimers: readonly Disclaimer[],
  transforms: readonly { match: (p: PartInfo) => boolean; transform: (t: string, p: PartInfo) => string }[],
): string {
  let out = text;
  for (const t of transforms) if (t.match(part)) out = t.transform(out, part);
  for (const d of disclaimers)
    out = part.contentType === 'text/html' ? disclaimHtml(out, d) : disclaimPlain(out, d);
  return out;
}
