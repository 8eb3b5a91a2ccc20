import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml, GUARD_SHEET } from './body-edits.js';
import { scanHtml } from './html-scan.js';
import { outlookShows } from './test-support/attacker-round102-outlook-view.js';
import { wordSourceShows } from './test-support/attacker-round105-word-source.js';
import { PAGES } from './test-support/fp-round7-pages.js';

// False-positive round 7 over attacker round 105 (the page scan reading script escapes, template content, raw-text end
// tags, comment endings and attribute quoting as the HTML standard does; Outlook markers inside the head's title, style
// and script counted as others; a comment left open there closed before its end tag): the heads real senders' tools
// write, bannered as the guard banners outside mail. Each page must come back byte for byte apart from the banner, the
// guard's root and sheet and the body tag's pinned style: no marker disabled, no `-->` added, its Outlook-only CSS and
// Office settings kept; browsers show the same text with the banner first, and Outlook (both of the rounds' models) shows
// the banner first and then what it showed before.
const banner = {
  text: 'This message came from outside the organization.',
  position: 'top' as const,
  dedupe: 'none' as const,
};
const WORDS = 'This message came from outside the organization.';
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The text browsers show (parse5, scripting off as in mail clients), head, styles, scripts and templates left out. */
function browserShows(html: string): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && ['style', 'head', 'title', 'script', 'template'].includes(n.tagName)) return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html, { scriptingEnabled: false }).childNodes) walk(c);
  return squash(out.join(' '));
}

/** The page with what the banner adds taken out: the root and sheet, the block, the body tag (compared apart). */
function withoutBanner(page: string): string {
  const root = page.indexOf(`">${GUARD_SHEET}`);
  const opened = page.lastIndexOf('<html style="', root);
  const bare = page.slice(0, opened) + page.slice(root + 2 + GUARD_SHEET.length);
  const tag = scanHtml(bare).bodyTag as [number, number];
  const blockStart = bare.indexOf('<div style="display:block !important', tag[1]);
  const blockEnd = bare.indexOf('</p></div>', blockStart) + '</p></div>'.length;
  return `${bare.slice(0, tag[0])}<body>${bare.slice(tag[1], blockStart)}${bare.slice(blockEnd)}`;
}

describe('FP7 (round 105): ordinary heads come back as they were, with the banner on top', () => {
  for (const [name, html] of Object.entries(PAGES))
    it(name, () => {
      const page = disclaimHtml(html, banner);
      expect(page).not.toContain('wmflow-off');
      const tag = scanHtml(html).bodyTag as [number, number];
      expect(withoutBanner(page)).toBe(`${html.slice(0, tag[0])}<body>${html.slice(tag[1])}`);
      // The banner right after the sender's own body tag.
      const after = scanHtml(page).bodyTag as [number, number];
      expect(page.slice(after[1])).toMatch(/^<div style="display:block !important/);
      const before = browserShows(html);
      const shown = browserShows(page);
      expect(shown.startsWith(WORDS)).toBe(true);
      expect(squash(shown.slice(WORDS.length))).toBe(before);
      for (const outlook of [outlookShows, wordSourceShows]) {
        const seen = squash(outlook(page));
        expect(seen.startsWith(WORDS)).toBe(true);
        expect(squash(seen.slice(WORDS.length))).toBe(squash(outlook(html)));
      }
    });
});
