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
 * The conditional markers before `at` (the banner's place) to disable, so that Outlook shows the banner on top and
 * nothing above it that browsers do not show there. Conditions are not evaluated: which of them Word holds true
 * (`mso`, `vml`, its own `supportLists`…) is not fully known, and a disabled marker shows Outlook what browsers show.
 * Linear in the markers' length times the few rounds below.
 *
 * - A block (`<!--[if …]>…<![endif]-->`) holding more than head material (an element Outlook would keep open around the
 *   banner, text drawn above it) is disabled on its own: it is one comment to browsers and to Word, so no other
 *   marker's pairing depends on it — except an Outlook-hidden stretch its endif closes, which the next round finds open.
 * - An Outlook-hidden stretch (`<!--[if …]><!-->`, `<![if …]>`) still open at `at`, which Outlook may skip, banner and
 *   all, is disabled on its own when no live marker lies between its opener and `at` (none whose reading its skipping
 *   decided); otherwise every marker before `at` is.
 * - A block a browser ends at an earlier `-->` than its `<![endif]-->` (read two ways) disables every marker before `at`.
 *
 * Markers inside the raw text of the head (a `<title>`, `<style>` or `<script>`: `inRawText` holds their starts) count
 * as others do (attacker round 105: browsers read them as text, Word perhaps not); a block there holding no markup (an
 * Outlook-only rule in a stylesheet) is head material.
 *
 * Repeated until nothing more is to be disabled (false-positive round 5: round 102 disabled every marker for any of
 * these, so a Campaign Monitor page, whose Outlook-only `<body class="mso">` and Outlook-hidden body stretch end the
 * head, lost its head's Office settings and had Outlook read the web fonts the page hides from it).
 *
 * @example
 * ```ts
 * const html = '<!--[if !mso]><!--><body>x<!--<![endif]-->';
 * outlookMarkersToDisable(html, [[0, 19], [26, 42]], 25); // [[0, 19]]
 * ```
 */
export function outlookMarkersToDisable(
  html: string,
  markers: readonly Marker[],
  at: number,
  inRawText: ReadonlySet<number> = new Set(),
): Marker[] {
  const before: Marker[] = [];
  for (const marker of markers) {
    if (marker[1] > at) break;
    before.push(marker);
  }
  const kinds = before.map(([start, end]) => markerKind(html.slice(start, end), inRawText.has(start)));
  if (kinds.includes('two-ways')) return before;
  const disabled = new Set<number>();
  for (;;) {
    const more: number[] = [];
    let openedBy: number | undefined;
    let last: number | undefined;
    kinds.forEach((kind, i) => {
      if (disabled.has(i)) return;
      last = i;
      if (kind === 'opener') openedBy ??= i;
      else if (kind !== 'plain') {
        openedBy = undefined; // an endif, a block's too, ends the stretch Outlook skips
        if (kind === 'drawing') more.push(i);
      }
    });
    if (openedBy !== undefined) {
      if (openedBy !== last) return before;
      more.push(openedBy);
    }
    if (more.length === 0) break;
    for (const i of more) disabled.add(i);
  }
  return before.filter((_, i) => disabled.has(i));
}

/**
 * Where the banner goes when `at` (where a browser opens the body, with no `<body>` tag before it) lies right after a
 * run of conditional markers, white space between (an Outlook-hidden stretch's opener, a block for Outlook alone of
 * more than head material: a fragment's preheader hidden from Outlook, the table MJML opens for Outlook around a
 * fragment): before the run, so
 * that the banner precedes them for Outlook too, as it precedes every marker after a `<body>` tag, and they need no
 * disabling (false-positive round 5: round 102 disabled them, so Outlook drew the hidden preheader below the banner
 * and lost the fragment's Outlook table). The same place to browsers: only comments lie between. `at` otherwise.
 *
 * @example
 * ```ts
 * outlookBannerPlace('<!--[if !mso]><!--><div>x</div>', [[0, 19]], 19); // 0
 * ```
 */
export function outlookBannerPlace(html: string, markers: readonly Marker[], at: number): number {
  let end = markers.length;
  while (end > 0 && (markers[end - 1] as Marker)[1] > at) end--;
  let place = at;
  for (let i = end - 1; i >= 0; i--) {
    const [start, stop] = markers[i] as Marker;
    if (!/^[ \t\r\n\f]*$/.test(html.slice(stop, place))) break;
    const kind = markerKind(html.slice(start, stop));
    // Head material stays before the body, where Word reads it (a stylesheet, Office settings).
    if (kind !== 'opener' && kind !== 'drawing') break;
    place = start;
  }
  return place;
}

// How Outlook reads a marker: a stretch's opener, an endif, a block of head material (`head`) or of more (`drawing`),
// a block a browser ends before its endif (`two-ways`), or none of these (`plain`).
type MarkerKind = 'opener' | 'endif' | 'head' | 'drawing' | 'two-ways' | 'plain';

// A block inside raw text (attacker round 105) holding no markup shows Outlook that element's own text (a stylesheet's
// rules, a title's words), nothing drawn: head material.
function markerKind(text: string, rawText = false): MarkerKind {
  const opener = /^<!(?:--)?\[if[^\]]*\]>/i.exec(text);
  if (!opener) return /<!\[endif\]/i.test(text) ? 'endif' : 'plain';
  // What the marker holds after `[if …]>`: `<!-->` or `<!-- -->` in the downlevel-revealed form (what follows is
  // everyone's), the block's content up to its `<![endif]-->` in the downlevel-hidden form.
  const rest = text.slice(opener[0].length);
  const close = rest.search(/<!\[endif\]/i);
  const inner = (close === -1 ? rest : rest.slice(0, close)).replace(/^<!-*\s*-*>/, '');
  // Outlook skips from an opener it fails to the next `<![endif]`, wherever that is: a stretch's opener, or a block a
  // browser ended before any (one of head material reads as an opener, as in round 102).
  if (close === -1) return headMaterial(inner) ? 'opener' : 'two-ways';
  if (!/^<!\[endif\]-->$/i.test(rest.slice(close))) return 'two-ways';
  return headMaterial(inner) || (rawText && !inner.includes('<')) ? 'head' : 'drawing';
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
