import { lengthPx } from './css-values.js';

// The kinds of mail reader a page is read for (html-shown.ts), and the conditions a page puts on them: media
// queries and Outlook's conditional comments.

/** A kind of mail reader: its screen, its rendering engine's habits. */
export interface Reader {
  /** Screen width for `@media`; undefined: media rules ignored (Outlook's Word engine). */
  width?: number;
  /** Dark mode: colours do not hide (clients repaint them), `prefers-color-scheme: dark` holds. */
  dark: boolean;
  /** Outlook for Windows: `<!--[if mso]>` content shown, `mso-hide:all` hides, alt text of blocked images. */
  outlook: boolean;
  /** Whether `<style>` blocks apply (some webmail views keep inline styles only). */
  stylesheets: boolean;
  /** Webmail shows a message inside its own standards-mode page, whatever the message's doctype. */
  standards?: boolean;
  /** Keeps what only layout would hide (transforms, clips, offsets), for a reader whose layout differs. */
  layoutShown?: boolean;
  /**
   * Reads the boxes of a container whose drawn order is not worked out (moved by offsets, transforms or negative
   * margins; laid right to left) in the other order ({@link BOXES_TURNED}).
   */
  boxesTurned?: boolean;
}

/** The readers a page is read for: desktop, phone, dark mode, Outlook, no stylesheets, standards mode, layout kept. */
export const READERS: readonly Reader[] = [
  { width: 1024, dark: false, outlook: false, stylesheets: true },
  { width: 375, dark: false, outlook: false, stylesheets: true },
  { width: 1024, dark: true, outlook: false, stylesheets: true },
  { outlook: true, dark: false, stylesheets: true },
  { width: 1024, dark: false, outlook: false, stylesheets: false },
  { width: 1024, dark: false, outlook: false, stylesheets: true, standards: true },
  { width: 1024, dark: false, outlook: false, stylesheets: true, layoutShown: true },
];

/**
 * The reader that reads boxes the other way round where their drawn order is not decided, keeping what layout may
 * hide (a box moved by a transform not worked out): read once more, after
 * {@link READERS}, for a page that has such boxes (attacker round 99).
 */
export const BOXES_TURNED: Reader = {
  width: 1024,
  dark: false,
  outlook: false,
  stylesheets: true,
  layoutShown: true,
  boxesTurned: true,
};

// A media query list for this reader: `screen`, `print`, widths, `prefers-color-scheme`, `orientation`.
export function mediaHolds(media: string, reader: Reader): boolean {
  if (reader.width === undefined) return false;
  return media.split(',').some((query) => {
    const q = query.trim();
    const negated = q.startsWith('not ');
    const holds = queryHolds(q.replace(/^(?:not|only) /, ''), reader, reader.width as number);
    return negated ? !holds : holds;
  });
}

function queryHolds(query: string, reader: Reader, width: number): boolean {
  for (const part of query.split(/ and /)) {
    const p = part.trim().replace(/^\(|\)$/g, '');
    if (p === 'screen' || p === 'all' || p === '') continue;
    if (p === 'print' || p === 'speech') return false;
    const m = /^(min-|max-)?(device-)?(width|height|aspect-ratio|resolution)\s*:\s*(.+)$/.exec(p);
    if (m) {
      const px = lengthPx((m[4] as string).trim(), { fontPx: 16, percentOf: 0 });
      if (m[3] !== 'width' || px === undefined) continue;
      if (m[1] === 'min-' && width < px) return false;
      if (m[1] === 'max-' && width > px) return false;
      if (!m[1] && width !== px) return false;
      continue;
    }
    if (p.startsWith('prefers-color-scheme')) {
      if (p.endsWith('dark') !== reader.dark) return false;
      continue;
    }
    if (p.startsWith('orientation')) {
      if (p.endsWith('portrait') !== width < 768) return false;
    }
  }
  return true;
}

// `mso`, `gte mso 9`, `!mso`, `(mso)|(IE)`, `mso & !IE`: true for Outlook's Word engine (not IE).
export function outlookCondition(expression: string): boolean {
  const tokens =
    expression.toLowerCase().match(/!|&|\||\(|\)|(?:[lg]te? )?(?:mso|ie|vml)(?: [\d.]+)?|\S+/g) ?? [];
  let i = 0;
  const primary = (): boolean => {
    const t = tokens[i++];
    if (t === '!') return !primary();
    if (t === '(') {
      const v = or();
      i++;
      return v;
    }
    return t !== undefined && /mso|vml/.test(t);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[i] === '&') {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[i] === '|') {
      i++;
      v = and() || v;
    }
    return v;
  };
  return or();
}
