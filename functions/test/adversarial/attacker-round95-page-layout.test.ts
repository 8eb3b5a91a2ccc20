import { simpleParser } from 'mailparser';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A95-1: the banner is the body's first child, styled inline `!important`, but the body element itself is the
// sender's: `body{display:flex;flex-direction:column-reverse}` (or a grid, a table whose later child is a
// `table-header-group`, `display:contents` under a reversed `<html>`, a negative top margin or a transform on the
// body) moved the banner below the phishing text or off the top of the page, and no style on the banner can undo
// its parent's layout. The guard now also puts inline `!important` layout styles on the `<body>` element (appended
// to its own style attribute, or on a `<body>` tag of its own when the page has none), which win over every rule of
// the sender's stylesheets: a block box, in place, unmoved.
const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH =
  '<div class="m"><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a>.</p></div>';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function find(node: Node, test: (e: Element) => boolean): Element | undefined {
  if ('tagName' in node && test(node)) return node;
  if ('childNodes' in node)
    for (const child of node.childNodes) {
      const found = find(child, test);
      if (found) return found;
    }
  return undefined;
}

const styleOf = (e: Element | undefined) => e?.attrs.find((a) => a.name === 'style')?.value ?? '';

/** The value the last `!important` declaration of `property` gives in an inline style (the one that wins). */
function wins(style: string, property: string): string | undefined {
  let value: string | undefined;
  for (const d of style.split(';')) {
    const [name, ...rest] = d.split(':');
    const v = rest.join(':').trim();
    if (name?.trim().toLowerCase() === property && /!\s*important$/i.test(v))
      value = v.replace(/!\s*important$/i, '').trim();
  }
  return value;
}

/** The delivered page as a browser parses it: the body's inline style and whether the banner is its first child. */
async function shown(html: string) {
  const { verdict, delivered } = await kit.inbound(
    mail([FROM, 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
  );
  expect(verdict).toBe('DEFAULT');
  const page = (await simpleParser(delivered)).html || '';
  expect(page).toContain(WORDS);
  const body = find(parse(page), (e) => e.tagName === 'body');
  const first = body?.childNodes.find((c) => 'tagName' in c) as Element | undefined;
  const root = find(parse(page), (e) => e.tagName === 'html');
  return {
    page,
    style: styleOf(body),
    rootStyle: styleOf(root),
    bannerFirst: styleOf(first).includes('background:#fff4e5'),
  };
}

/** The body's layout as the guard must leave it, whatever the sender's stylesheet says. */
function expectPinned(style: string) {
  expect(wins(style, 'display')).toBe('block');
  expect(wins(style, 'position')).toBe('static');
  expect(wins(style, 'transform')).toBe('none');
  expect(wins(style, 'translate')).toBe('none');
  expect(wins(style, 'clip-path')).toBe('none');
  expect(wins(style, 'mask')).toBe('none');
  expect(wins(style, 'margin-top')).toBe('0');
}

const sheet = (css: string) => `<html><head><style>${css}</style></head><body>${PHISH}</body></html>`;

describe('A95-1: the sender styles the <body> element to move the banner', () => {
  const tricks: Record<string, string> = {
    'a column-reversed flex body': sheet('body{display:flex;flex-direction:column-reverse}'),
    'a wrap-reversed flex body': sheet('body{display:flex;flex-wrap:wrap-reverse}body>*{width:100%}'),
    'a grid body placing its first child last': sheet(
      'body{display:grid}body>:first-child{grid-row:9}body>:nth-child(2){grid-row:1}',
    ),
    'a table body with a header group': sheet(
      'body{display:table}body>:nth-child(2){display:table-header-group}',
    ),
    'display:contents under a reversed <html>': sheet(
      'html{display:flex;flex-direction:column-reverse}body{display:contents}',
    ),
    'a negative top margin': sheet('body{margin-top:-64px !important}'),
    'a transform': sheet('body{transform:translateY(-64px)}'),
    'a clip of its top': sheet('body{clip-path:inset(64px 0 0 0)}'),
    'an absolute body moved up': sheet('body{position:absolute;top:-64px}'),
    ':has() on the body': sheet('body:has(>div){display:flex;flex-direction:column-reverse}'),
  };
  for (const [name, html] of Object.entries(tricks))
    it(`pins the body's layout against ${name}`, async () => {
      const { style, bannerFirst } = await shown(html);
      expect(bannerFirst).toBe(true);
      expectPinned(style);
    });
  it("overrides the body's own inline style, keeping its other declarations", async () => {
    const { style } = await shown(
      `<html><body style='display:flex !important;flex-direction:column-reverse;background:#123456'>${PHISH}</body></html>`,
    );
    expectPinned(style);
    expect(style).toContain('background:#123456');
  });
  it('pins the layout of a body opened without a <body> tag', async () => {
    const { style, bannerFirst } = await shown(
      `<html><head><style>body{display:flex;flex-direction:column-reverse}</style></head>${PHISH}</html>`,
    );
    expect(bannerFirst).toBe(true);
    expectPinned(style);
  });
  it('pins the layout when the <body> tag comes after content that opened the body', async () => {
    const { style } = await shown(
      `<html><head></head>${PHISH}<body style="display:flex;flex-direction:column-reverse"></body></html>`,
    );
    expectPinned(style);
  });

  it('held: a rule on the first child (the banner) loses to its inline styles', async () => {
    const { page, style } = await shown(
      sheet(
        'body>:first-child,body>div:has(p){display:table-footer-group !important;position:absolute !important;top:-999px;float:right !important;margin-top:-200px !important}',
      ),
    );
    expectPinned(style);
    const banner = find(parse(page), (e) => styleOf(e).includes('background:#fff4e5'));
    expect(wins(styleOf(banner), 'display')).toBe('block');
    // Positioned in place, above all else, since attacker round 100 (offsets pinned to auto).
    expect(wins(styleOf(banner), 'position')).toBe('relative');
    expect(wins(styleOf(banner), 'top')).toBe('auto');
    expect(wins(styleOf(banner), 'float')).toBe('none');
    expect(wins(styleOf(banner), 'margin')).toBe('0 0 12px 0');
  });

  const rootTricks: Record<string, string> = {
    'a negative top margin on <html>': sheet('html{margin-top:-64px !important}'),
    'a transform on <html>': sheet('html{transform:translateY(-64px)}'),
    "the <html> tag's own style": `<!DOCTYPE html><html style="position:relative;top:-64px;background:#fafafa"><body>${PHISH}</body></html>`,
  };
  for (const [name, html] of Object.entries(rootTricks))
    it(`pins the root's layout against ${name}`, async () => {
      const { rootStyle, page } = await shown(html);
      expectPinned(rootStyle);
      if (html.startsWith('<!DOCTYPE')) {
        expect(page.startsWith('<!DOCTYPE html><html style=')).toBe(true); // standards mode kept
        expect(rootStyle).toContain('background:#fafafa');
      }
    });

  // Controls: ordinary newsletters keep their look, bar the body's own layout.
  it('control: a centered newsletter keeps its body attributes and table layout', async () => {
    const { page, style, bannerFirst } = await shown(
      '<!DOCTYPE html><html><head><style>body{margin:0;background:#eee}.c{max-width:600px;margin:0 auto}</style></head>' +
        `<body bgcolor="#eeeeee" style="margin:0;padding:0"><table class="c" width="600" align="center"><tr><td>${PHISH}</td></tr></table></body></html>`,
    );
    expect(bannerFirst).toBe(true);
    expectPinned(style);
    expect(page).toContain('bgcolor="#eeeeee"');
    expect(style).toContain('padding:0');
  });
  it('control: a dark-mode newsletter keeps its colour scheme rules', async () => {
    const css =
      ':root{color-scheme:light dark}@media (prefers-color-scheme:dark){body{background:#111!important;color:#eee!important}}';
    const { page, style } = await shown(sheet(css));
    expect(page).toContain(css);
    expectPinned(style);
    expect(wins(style, 'background')).toBeUndefined();
    expect(wins(style, 'color')).toBeUndefined();
  });
  it('control: a flex newsletter keeps flex inside its own wrapper', async () => {
    const { page } = await shown(
      `<html><body><div style="display:flex;justify-content:center">${PHISH}</div></body></html>`,
    );
    expect(page).toContain('<div style="display:flex;justify-content:center">');
  });
});
