// Outlook for Windows (its Word engine) reads conditional comments in the page's source as it goes, where every
// browser sees a comment: `<!--[if mso]>…<![endif]-->` shows its content to Outlook alone, and
// `<!--[if !mso]><!-->` … `<!--<![endif]-->` (or `<![if !mso]>` … `<![endif]>`) hides what lies between from Outlook
// alone. Before the banner's place (attacker round 102) the first let a sender open an element Outlook keeps open
// around the banner (`<div style="mso-hide:all">`) or draw text above it, and the second had Outlook skip the banner
// itself, while the page a browser parses carried it on top.

/** A conditional marker the HTML scan found outside raw text: `[start, end)` of the whole comment (or `<!…>`). */
export type Marker = [number, number];

// What a `<!--[if mso]>` block may show Outlook before the body without drawing anything: head material and Office's
// XML islands (document settings). Anything else there is drawn above the banner, or holds it.
const HEAD_TAGS = new Set(['meta', 'link', 'base', 'style', 'title', 'xml', 'noscript']);
const SKIPPED_CONTENT = new Set(['style', 'title', 'xml']);

/**
 * The conditional markers before `at` (the banner's place) to disable: all of them, when one may show Outlook
 * something browsers do not see there — a block whose content is not head material, or that a browser ends at an
 * earlier `-->` than its `<![endif]-->` — or a stretch (`<!--[if …]><!-->`, `<![if …]>`) is still open at `at`, which
 * Outlook may skip, banner and all. None otherwise (a newsletter's head keeps its Outlook settings). Conditions are not
 * evaluated: which of them Word holds true (`mso`, `vml`, its own `supportLists`…) is not fully known, and a disabled
 * marker shows Outlook what browsers show. Linear in the markers' length.
 *
 * @example
 * ```ts
 * const html = '<!--[if !mso]><!--><body>x<!--<![endif]-->';
 * outlookMarkersToDisable(html, [[0, 19], [26, 42]], 25); // [[0, 19]]
 * ```
 */
export function outlookMarkersToDisable(html: string, markers: readonly Marker[], at: number): Marker[] {
  const before: Marker[] = [];
  let open = false;
  let suspect = false;
  for (const marker of markers) {
    const [start, end] = marker;
    if (end > at) break;
    before.push(marker);
    const text = html.slice(start, end);
    const opener = /^<!(?:--)?\[if[^\]]*\]>/i.exec(text);
    // Outlook skips from an opener it fails to the next `<![endif]`, wherever that is.
    const endif = text.search(/<!\[endif\]/i);
    if (!opener) {
      if (endif !== -1) open = false; // `<!--<![endif]-->`, `<![endif]>`
      continue;
    }
    // What the marker holds after `[if …]>`: `<!-->` or `<!-- -->` in the downlevel-revealed form (what follows is
    // everyone's), the block's content up to its `<![endif]-->` in the downlevel-hidden form.
    const rest = text.slice(opener[0].length);
    const close = rest.search(/<!\[endif\]/i);
    const inner = (close === -1 ? rest : rest.slice(0, close)).replace(/^<!-*\s*-*>/, '');
    if (!headMaterial(inner) || (close !== -1 && !/^<!\[endif\]-->$/i.test(rest.slice(close))))
      suspect = true;
    open = endif === -1;
  }
  return suspect || open ? before : [];
}

/** Whether `<!` at `start` of `text` opens a conditional marker: `<!--[if`, `<!--<![endif]`, `<![if`, `<![endif]`. */
export function isOutlookMarker(lower: string, start: number): boolean {
  return (
    lower.startsWith('<!--[if', start) ||
    lower.startsWith('<!--<![endif]', start) ||
    lower.startsWith('<![if', start) ||
    lower.startsWith('<![endif]', start)
  );
}

/**
 * The page with each marker disabled: `wmflow-off ` written right after its `<!--` or `<!`, so that Outlook reads a
 * plain comment (and shows nothing of it) where browsers read the same comment as before.
 */
export function disableMarkers(html: string, markers: readonly Marker[]): string {
  let out = '';
  let from = 0;
  for (const [start] of markers) {
    const after = html.startsWith('<!--', start) ? start + 4 : start + 2;
    out += `${html.slice(from, after)}wmflow-off `;
    from = after;
  }
  return out + html.slice(from);
}

// Whether markup Outlook alone is shown holds only head material: tags of HEAD_TAGS (their end tags, Office's
// namespaced `o:`/`w:`/`v:` settings inside an `<xml>` island), comments and white space; no text. Linear.
function headMaterial(markup: string): boolean {
  const lower = markup.toLowerCase();
  let i = 0;
  while (i < lower.length) {
    const c = lower[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c !== '<') return false;
    if (lower.startsWith('<!--', i)) {
      const end = lower.indexOf('-->', i + 4);
      if (end === -1) return false;
      i = end + 3;
      continue;
    }
    const closing = lower[i + 1] === '/';
    const nameAt = i + (closing ? 2 : 1);
    const name = /^[a-z][a-z0-9:-]*/.exec(lower.slice(nameAt, nameAt + 64))?.[0];
    if (!name || !HEAD_TAGS.has(name)) return false;
    const end = lower.indexOf('>', nameAt);
    if (end === -1) return false;
    i = end + 1;
    if (!closing && SKIPPED_CONTENT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close === -1) return false;
      i = close;
    }
  }
  return true;
}
