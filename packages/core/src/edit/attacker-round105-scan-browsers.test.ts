import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { disclaimHtml } from './body-edits.js';
import { scanHtml } from './html-scan.js';

// A105 at the unit level: the page scan that finds where the banner goes ended raw text and comments otherwise than
// browsers' tokenizers do, so the `<body>` tag it found was, to every browser, inside a script, inside a template's
// content, inside a title, or the body was opened before the sender's text by a comment it read as longer:
// - `<script><!--<script></script>…</script>`: the escape `<!--<script>` keeps the first end tag from ending it;
// - `<template>` content is markup, not raw text: a `</template>` in an attribute or a nested template did not end it;
// - `</titlex>`, `</scriptx>` and `</style-x>` are not end tags of a title, a script or a stylesheet;
// - `<!-->` and `--!>` end a comment (the scan read to the next `-->`, so the banner went below the sender's text);
// - a tag's name runs to white space, `/` or `>`: `<title.x>` opens the body (the scan read a title, so the banner
//   went below the sender's text), and a quote opens an attribute's value only after its `=` (`<meta "><body>…`).
// Apple Mail, iOS Mail and Thunderbird parse as the tests' parse5 does (scripting on or off alike).
const banner = {
  text: 'This message came from outside the organization.',
  position: 'top' as const,
  dedupe: 'none' as const,
};
const WORDS = 'came from outside the organization';
const PHISH = '<p>Your mailbox is full: sign in at https://evil.example/owa</p>';

/** The text browsers show (parse5, scripting on or off), with the head, scripts, styles and templates gone. */
function browserShows(html: string, scriptingEnabled: boolean): string {
  const out: string[] = [];
  const walk = (n: DefaultTreeAdapterMap['node']) => {
    if (n.nodeName === '#text') out.push((n as { value: string }).value);
    if ('tagName' in n && ['style', 'head', 'script', 'title', 'template', 'noscript'].includes(n.tagName))
      return;
    if ('childNodes' in n) for (const c of n.childNodes) walk(c);
  };
  for (const c of parse(html, { scriptingEnabled }).childNodes) walk(c);
  return out.join(' ').replace(/\s+/g, ' ');
}

describe('A105: the banner placed where browsers do not show it', () => {
  const attacks: Record<string, string> = {
    'a script escape (<!--<script>) past its first end tag': `<html><head><script><!--<script></script></head><body></script>${PHISH}</body></html>`,
    'the same with text before the body tag': `<html><head><script>var a; <!--<script type="x"></script></head><body>
</script>${PHISH}</body></html>`,
    'a </template> inside an attribute of the template': `<html><head><template><p title="</template></head><body>">x</p></template></head><body>${PHISH}</body></html>`,
    'a nested template': `<html><head><template><template></template></head><body></template></head><body>${PHISH}</body></html>`,
    'a comment in a template running past its end tag': `<html><head><template><!-- </template></head><body> --></template></head><body>${PHISH}</body></html>`,
    'a title closed by </titlex>': `<html><head><title></titlex></head><body></title>${PHISH}</body></html>`,
    'a script closed by </scriptx>': `<html><head><script type="application/ld+json">{"a":"</scriptx>"}</script></head><body></script>${PHISH}</body></html>`,
    'a stylesheet closed by </style-x>': `<html><head><style></style-x></head><body></style>${PHISH}</body></html>`,
  };
  for (const [name, html] of Object.entries(attacks))
    it(`shows the banner: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      for (const scripting of [true, false]) {
        const shown = browserShows(out, scripting);
        expect(shown).toContain(WORDS);
        expect(shown.indexOf(WORDS)).toBeLessThan(shown.indexOf('Your mailbox is full'));
      }
    });

  const below: Record<string, string> = {
    'an abruptly closed comment (<!-->)': `<html><head></head><!--><body>${PHISH}<!-- --><body></body></html>`,
    'an abruptly closed comment (<!--->)': `<html><head></head><!---><body>${PHISH}<!-- --><body></body></html>`,
    'a comment closed by --!>': `<html><head></head><!-- --!><body>${PHISH}<!-- --><body></body></html>`,
  };
  // A tag's name runs to white space, `/` or `>`: `<title.x>` is an unknown element that opens the body.
  Object.assign(below, {
    'a title whose name runs on (<title.x>)': `<html><head><title.x></head><body>${PHISH}</title><p>end</p></body></html>`,
    'a title whose name holds a NUL': `<html><head><title\u0000></head><body>${PHISH}</title><p>end</p></body></html>`,
    'a stylesheet whose name runs on (<style:x>)': `<html><head><style:x></head><body>${PHISH}</style><p>end</p></body></html>`,
    'a script whose name holds a NUL': `<html><head><script\u0000></head><body>${PHISH}</script><p>end</p></body></html>`,
  });
  // A quote after white space alone is a character of an attribute's name, not an opening quote.
  Object.assign(below, {
    'a quote after white space in a head tag': `<html><head><meta "><body>${PHISH}<p title="x"><body></p></body></html>`,
  });
  for (const [name, html] of Object.entries(below))
    it(`puts the banner above the sender's text: ${name}`, () => {
      const shown = browserShows(disclaimHtml(html, banner), false);
      expect(shown.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf(WORDS)).toBeLessThan(shown.indexOf('Your mailbox is full'));
    });
});

describe('A105 controls: ordinary heads', () => {
  const pages: Record<string, string> = {
    'a script hidden from old browsers in a comment': `<html><head><script type="text/javascript"><!--\nvar x = "<b>";\n//--></script></head><body><p>Minutes attached.</p></body></html>`,
    'a JSON-LD script (Gmail actions) and a template': `<html><head><script type="application/ld+json">{"@context":"http://schema.org","@type":"EmailMessage","description":"Your order has shipped"}</script><template><p>row</p></template></head><body><p>Minutes attached.</p></body></html>`,
    'an empty comment and a title with a slash': `<html><head><title>Q1 / Q2 </ report</title><!----></head><body><p>Minutes attached.</p></body></html>`,
  };
  for (const [name, html] of Object.entries(pages))
    it(`banners it on top and keeps it: ${name}`, () => {
      const out = disclaimHtml(html, banner);
      const shown = browserShows(out, false);
      expect(shown.indexOf(WORDS)).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf(WORDS)).toBeLessThan(shown.indexOf('Minutes attached'));
      expect(out).not.toContain('wmflow-off');
      expect(scanHtml(html).bodyTag).toBeDefined();
    });

  it('reads many comments and many titles with open comments in one pass', () => {
    const comments = `<html><head>${'<!-- x -->'.repeat(20_000)}</head><body>x</body></html>`;
    expect(scanHtml(comments).steps).toBeLessThan(20_100);
    const titles = `<html><head>${'<title><!-- x</title>'.repeat(20_000)}</head><body>x</body></html>`;
    const marks = scanHtml(titles);
    expect(marks.rawCommentsOpen).toHaveLength(20_000);
    expect(marks.bodyStart).toBe(titles.indexOf('<body>') + '<body>'.length);
  });

  it('reads a long run of script escapes in one pass', () => {
    const html = `<html><head><script>${'<!--<script>--> '.repeat(20_000)}</script></head><body>x</body></html>`;
    const marks = scanHtml(html);
    expect(marks.bodyStart).toBe(html.indexOf('<body>') + '<body>'.length);
  });
});
