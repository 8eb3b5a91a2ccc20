import { simpleParser } from 'mailparser';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A85-2: the banner went in just after the first real `<body …>` start tag (scanHtml's bodyStart), but a browser
// opens the body at the first content that cannot stand in the head: a `<div>` or text before any `<body>` tag
// opens it, and a later `<body>` tag only lends the body its attributes. So the sender opens an element of its own
// before its `<body>` tag and the banner lands inside it: `<div style="height:0;overflow:hidden"><body></div>`
// clips the banner away (its own `!important` styles cannot undo an ancestor's clipping), a `<td style="display:none">`
// hides it, `<div style="display:flex;flex-direction:column-reverse">` moves it below the page; or the whole page
// comes before its `<body>` tag and the banner is put at the bottom, under the phishing text. Gmail, Outlook on the
// web and Apple Mail keep such inline styles. The banner now goes where the browser opens the body: before the
// first content that is not head material, when that comes before the `<body>` tag.
const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH = '<p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a>.</p>';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function findBanner(node: Node, path: Element[]): Element[] | undefined {
  if ('tagName' in node) {
    const style = node.attrs.find((a) => a.name === 'style')?.value ?? '';
    if (node.tagName === 'div' && style.includes('background:#fff4e5')) return path;
  }
  if ('childNodes' in node)
    for (const child of node.childNodes) {
      const found = findBanner(child, 'tagName' in child ? [...path, child] : path);
      if (found) return found;
    }
  return undefined;
}

/** The delivered page as a browser parses it: the banner's ancestors, and the text before it in the body. */
async function shown(html: string) {
  const { verdict, delivered } = await kit.inbound(
    mail([FROM, 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
  );
  expect(verdict).toBe('DEFAULT');
  const page = (await simpleParser(delivered)).html || '';
  expect(page).toContain(WORDS);
  const path = findBanner(parse(page), []) ?? [];
  const ancestors = path.slice(0, -1).map((e) => e.tagName);
  return { ancestors, before: page.slice(0, page.indexOf(WORDS)) };
}

describe('A85-2: an element or text before the `<body>` tag holds the banner', () => {
  const hidden: Record<string, string> = {
    'a clipped div opened before <body>': `<html><head></head><div style="height:0;overflow:hidden"><body></div>${PHISH}</body></html>`,
    'a div opened inside <head>': `<html><head><div style="max-height:0;overflow:hidden"><body></div>${PHISH}</body></html>`,
    'a hidden table cell': `<table><tr><td style="display:none"><body></td></tr></table>${PHISH}`,
    'a column-reversed flex box': `<html><div style="display:flex;flex-direction:column-reverse"><body>${PHISH}</div></html>`,
  };
  for (const [name, html] of Object.entries(hidden))
    it(`puts the banner outside ${name}`, async () => {
      expect((await shown(html)).ancestors).toEqual(['html', 'body']);
    });
  it('puts the banner above a page written before its <body> tag', async () => {
    const { ancestors, before } = await shown(`<html><head></head>${PHISH}<body></body></html>`);
    expect(ancestors).toEqual(['html', 'body']);
    expect(before).not.toContain('Payroll');
  });
  it('puts the banner above text written before the <body> tag', async () => {
    const { before } = await shown(
      '<html><head></head>Payroll: reply with your PIN.<body><p>x</p></body></html>',
    );
    expect(before).not.toContain('Payroll');
  });

  // Controls: an ordinary page takes the banner just after its <body> tag, head material before it kept in place.
  it('control: head material (title, style, meta, link, script, comments, blank lines) stays before the banner', async () => {
    const head =
      '<!DOCTYPE html>\r\n<!-- x --><html lang="en">\r\n<head>\r\n<meta charset="utf-8"><title>Hi</title><style>p{color:#333}</style>' +
      '<link rel="stylesheet" href="https://outside.example/a.css"><script>var a = "<div>";</script></head>\r\n\r\n';
    const { ancestors, before } = await shown(`${head}<body class="mail">${PHISH}</body></html>`);
    expect(ancestors).toEqual(['html', 'body']);
    expect(before).toMatch(/<body style="[^"]*" class="mail">/); // its layout pinned (round 95)
  });
  it('control: a page without a <body> tag takes the banner before its first content', async () => {
    const { ancestors, before } = await shown(`<html><head><title>t</title></head>${PHISH}</html>`);
    expect(ancestors).toEqual(['html', 'body']);
    expect(before).not.toContain('Payroll');
  });
});
