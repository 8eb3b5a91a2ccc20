import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { outlookShows } from './test-support/attacker-round102-outlook-view.js';
import { wordSourceShows } from './test-support/attacker-round105-word-source.js';

// A105 at the unit level: round 102 disabled Outlook's conditional markers before the banner, but its scan skipped
// raw text (a `<title>`, `<style>` or `<script>` in the head), as browsers do. Word's reading of markup there is not
// known. A sender put an Outlook-hidden stretch's opener inside the head's `<title>` (or `<style>`), closed after the
// banner: browsers read it as the title's text, Outlook (reading conditional comments in the source as it goes)
// skipped from there to the endif, banner and all. Likewise a plain `<!--` opened in a `<style>` and closed after the
// banner, for a Word that reads comments before elements.
const banner = {
  text: 'This message came from outside the organization.',
  position: 'top' as const,
  dedupe: 'none' as const,
};
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full: sign in at https://evil.example/owa</p>';

/** The text browsers show (parse5), with the head, styles and comments gone. */
function browserShows(html: string): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && ['style', 'head', 'script', 'title'].includes(n.tagName)) return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html).childNodes) walk(c);
  return out.join(' ').replace(/\s+/g, ' ');
}

function bannerFirst(shown: string): void {
  expect(shown).toContain(WORDS);
  expect(shown).toContain('Your mailbox is full');
  expect(shown.indexOf(WORDS)).toBeLessThan(shown.indexOf('Your mailbox is full'));
}

describe('A105: Outlook markers inside raw text before the banner', () => {
  const conditional: Record<string, string> = {
    "an Outlook-hidden stretch opened in the head's <title>": `<html><head><title><!--[if !mso]><!--></title></head><body><!--<![endif]--></title>${PHISH}</body></html>`,
    'the same opened in a <style>': `<html><head><style><!--[if !mso]><!--></style></head><body><!--<![endif]--></style>${PHISH}</body></html>`,
    'the same opened in a <script>': `<html><head><script><!--[if !mso]><!--></script></head><body><!--<![endif]--></script>${PHISH}</body></html>`,
    'the bare form (<![if !mso]>) in a <title>': `<html><head><title><![if !mso]></title></head><body><![endif]></title>${PHISH}</body></html>`,
    'a hidden block opened in a <title>, its endif after the banner': `<html><head><title><!--[if !mso]></title></head><body><![endif]--></title>${PHISH}</body></html>`,
    'a <title> with no <body> tag (a fragment)': `<title><!--[if !mso]><!--></title><div><!--<![endif]--></title>${PHISH}</div>`,
  };
  for (const [name, html] of Object.entries(conditional))
    it(`shows Outlook the banner first: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      bannerFirst(browserShows(out));
      bannerFirst(outlookShows(out));
      bannerFirst(wordSourceShows(out));
    });

  const plain: Record<string, string> = {
    'a comment opened in a <style>, closed after the banner': `<html><head><style><!-- </style></head><body><!-- --></style>${PHISH}</body></html>`,
    'a comment opened in a <title>, closed after the banner': `<html><head><title>Invoice <!-- </title></head><body><p title="-->"></title>${PHISH}</p></body></html>`,
  };
  for (const [name, html] of Object.entries(plain))
    it(`shows a Word that reads comments first the banner first: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      bannerFirst(browserShows(out));
      bannerFirst(wordSourceShows(out));
    });
});

describe('A105 controls: raw text of ordinary pages is kept', () => {
  it("keeps a Word page's stylesheet hidden in a comment as written", () => {
    const html =
      '<html><head><meta name=Generator content="Microsoft Word 15"><style><!--\r\n/* Font Definitions */\r\n@font-face {font-family:Calibri;}\r\np.MsoNormal {margin:0cm;}\r\n--></style>' +
      '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]--></head><body lang=EN-GB><p class=MsoNormal>Minutes attached.</p></body></html>';
    const out = disclaimHtml(html, banner);
    expect(out).not.toContain('wmflow-off');
    expect(out).toContain('<style><!--\r\n/* Font Definitions */');
    expect(out).toContain('p.MsoNormal {margin:0cm;}\r\n--></style>');
    expect(wordSourceShows(out).indexOf(WORDS)).toBeLessThan(
      wordSourceShows(out).indexOf('Minutes attached'),
    );
  });

  it('keeps Outlook-only rules inside a stylesheet and a stretch closed in its own <style>', () => {
    const html =
      '<html><head><title>News <!-- weekly --></title><style type="text/css"><!--[if mso]>.col{width:600px !important}<![endif]-->' +
      '<!--[if !mso]><!-->@import url(https://fonts.example/ubuntu.css);<!--<![endif]-->body{margin:0}</style></head><body><p>This week: the canteen.</p></body></html>';
    const out = disclaimHtml(html, banner);
    expect(out).not.toContain('wmflow-off');
    expect(out).toContain('<title>News <!-- weekly --></title>');
    expect(out).toContain('<!--[if mso]>.col{width:600px !important}<![endif]-->');
    expect(out).toContain('<!--[if !mso]><!-->@import');
    bannerFirst(`${outlookShows(out)} Your mailbox is full`);
  });
});
