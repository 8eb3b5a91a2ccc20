import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { scanHtml } from './html-scan.js';
import { outlookMarkersToDisable } from './outlook-conditionals.js';
import { outlookShows } from './test-support/attacker-round102-outlook-view.js';

// A102 at the unit level: Outlook for Windows reads conditional comments where browsers see comments. Before the
// banner's place, a `<!--[if mso]>` block could open an element Outlook keeps open around the banner
// (`<div style="mso-hide:all">`) or draw text above it, and an Outlook-hidden stretch (`<!--[if !mso]><!-->` …
// `<!--<![endif]-->`, `<![if !mso]>` … `<![endif]>`) opened before the `<body>` tag and closed after it had Outlook
// skip the banner. A stylesheet's `div{mso-hide:all}` hid the banner's own block. Such markers are now written as
// plain comments (`<!--wmflow-off [if …`), the same comments to browsers, and the banner says `mso-hide:none`.
const banner = {
  text: 'This message came from outside the organization.',
  position: 'top' as const,
  dedupe: 'none' as const,
};
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full: sign in at https://evil.example/owa</p>';

/** The text browsers show (parse5), with tags and comments gone. */
function browserShows(html: string): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && (n.tagName === 'style' || n.tagName === 'head')) return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html).childNodes) walk(c);
  return out.join(' ').replace(/\s+/g, ' ');
}

describe('A102: Outlook-only markup before the banner', () => {
  const attacks: Record<string, string> = {
    'an Outlook-hidden stretch opened before <body>, closed after the banner': `<html><head></head><!--[if !mso]><!--><body><!--<![endif]-->${PHISH}</body></html>`,
    'the same with a four-dash opener': `<html><!--[if !mso]><!----><body><!--<![endif]-->${PHISH}</body></html>`,
    "the same with MJML's spaced opener (<!-- -->)": `<html><!--[if !mso]><!-- --><body><!--<![endif]-->${PHISH}</body></html>`,
    'the same for any condition Outlook fails (IE)': `<html><!--[if IE]><!--><body><!--<![endif]-->${PHISH}</body></html>`,
    "Word's own feature flag in the bare form (<![if !supportLists]>)": `<html><head></head><![if !supportLists]><body><![endif]>${PHISH}</body></html>`,
    'a block under the `true` literal holding an mso-hide:all div': `<html><head></head><!--[if true]><div style="mso-hide:all"><![endif]--><body>${PHISH}</body></html>`,
    'a hidden block inside a stretch revealed to Outlook': `<html><head></head><!--[if mso]><!--><!--[if mso]><div style="mso-hide:all"><![endif]--><!--<![endif]--><body>${PHISH}</body></html>`,
    'the bare form <![if !mso]> … <![endif]>': `<html><head></head><![if !mso]><body><![endif]>${PHISH}</body></html>`,
    'a `<!--[if mso]>` div with mso-hide:all opened before <body>': `<html><head></head><!--[if mso]><div style="mso-hide:all"><![endif]--><body><!--[if mso]></div><![endif]-->${PHISH}</body></html>`,
    'a `<!--[if gte mso 9]>` span with mso-hide:all in the head': `<html><head><!--[if gte mso 9]><span style="mso-hide:all"><![endif]--></head><body>${PHISH}</body></html>`,
    'a hidden div by class from an Outlook-only stylesheet': `<html><head><style>.x{mso-hide:all}</style></head><!--[if mso]><div class="x"><![endif]--><body>${PHISH}</body></html>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(`shows the banner in Outlook before the sender's text: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      // Browsers saw the banner before as now.
      expect(browserShows(out)).toContain(WORDS);
      const outlook = outlookShows(out);
      expect(outlook).toContain(WORDS);
      expect(outlook).toContain('Your mailbox is full');
      expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('Your mailbox is full'));
    });

  it('draws no Outlook-only text above the banner', () => {
    const html = `<html><head></head><!--[if mso]><p>Corp IT Service Desk (internal)</p><![endif]--><body>${PHISH}</body></html>`;
    const outlook = outlookShows(disclaimHtml(html, banner));
    expect(outlook.trimStart().startsWith('This message came')).toBe(true);
  });

  it('disables every marker before the body when a block is read two ways (a browser ends it before its endif)', () => {
    const html = `<!--[if mso]><div style="mso-hide:all"><!-- x --><![endif]--><body>${PHISH}`;
    expect(
      outlookMarkersToDisable(html, scanHtml(html).outlookMarkers, scanHtml(html).bodyStart ?? 0),
    ).toEqual([
      [0, 49],
      [49, 61],
    ]);
  });

  it("keeps the banner's own block shown under a stylesheet hiding every div for Outlook", () => {
    const html = `<html><head><style>div{mso-hide:all}p{mso-hide:all}span{mso-hide:all}</style></head><body><table><tr><td>Your mailbox is full</td></tr></table></body></html>`;
    const outlook = outlookShows(disclaimHtml(html, banner));
    expect(outlook).toContain(WORDS);
  });
});

describe('A102 controls: Outlook markup of ordinary newsletters is kept', () => {
  it('disables, harmlessly, a block for Internet Explorer only (Outlook shows what browsers show)', () => {
    const out = disclaimHtml(
      '<html><head><!--[if IE]><p>Old browser</p><![endif]--></head><body><p>News</p></body></html>',
      banner,
    );
    expect(out).toContain('<!--wmflow-off [if IE]>');
    expect(outlookShows(out)).not.toContain('Old browser');
    expect(browserShows(out)).not.toContain('Old browser');
  });
  const kept: Record<string, string> = {
    "Office's document settings": `<html><head><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml><![endif]--></head><body><p>News</p></body></html>`,
    'an Outlook-only stylesheet': `<html><head><!--[if mso]><style type="text/css">body,table,td{font-family:Arial,sans-serif !important}</style><![endif]--></head><body><p>News</p></body></html>`,
    "MJML's head: a meta and fonts hidden from Outlook": `<!doctype html><html><head><!--[if !mso]><!--><meta http-equiv="X-UA-Compatible" content="IE=edge"><!--<![endif]--><!--[if !mso]><!--><link href="https://fonts.googleapis.com/css?family=Ubuntu" rel="stylesheet" type="text/css"><style type="text/css">@import url(https://fonts.googleapis.com/css?family=Ubuntu);</style><!--<![endif]--><!--[if lte mso 11]><style type="text/css">.mj-outlook-group-fix{width:100% !important}</style><![endif]--></head><body><p>News</p></body></html>`,
    'a stretch revealed to Outlook too (<!--[if mso]><!-->)': `<html><head><!--[if mso]><!--><meta name="x" content="y"><!--<![endif]--></head><body><p>News</p></body></html>`,
    "the calendar invitation's head of the corpus (an Outlook-hidden meta, MJML's spaced opener closed in the head)": `<html><head><title></title><!--[if !mso]><meta http-equiv="X-UA-Compatible" content="IE=edge"><![endif]--><!--[if !mso]><!-- --><style>a{color:red}</style><!--<![endif]--></head><body><p>News</p></body></html>`,
    'Outlook tables opened after <body>': `<html><head></head><body><!--[if mso]><table width="600"><tr><td><![endif]--><p>News</p><!--[if mso]></td></tr></table><![endif]--></body></html>`,
  };
  for (const [name, html] of Object.entries(kept))
    it(`keeps ${name}`, () => {
      const out = disclaimHtml(html, banner);
      expect(out).not.toContain('wmflow-off');
      const outlook = outlookShows(out);
      expect(outlook).toContain(WORDS);
      expect(outlook.indexOf(WORDS)).toBeLessThan(outlook.indexOf('News'));
    });
});
