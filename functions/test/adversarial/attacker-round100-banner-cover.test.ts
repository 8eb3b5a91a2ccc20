import { simpleParser } from 'mailparser';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A100: round 95 pinned the body's and the root's layout, but the page still had ways to keep the banner from being
// seen that no inline style on the banner, the body or the root reaches (WebKit: Apple Mail, iOS Mail; Gecko:
// Thunderbird, which lay out the whole page with its stylesheets):
// - generated content or the head drawn above it: `body::before{content:"…";display:block}` (sender text that reads
//   as the organization's own header, or a tall box pushing the banner below the first screen), `html::before`, and
//   `head,title{display:block}` (the title shown above the body), each with `!important` rules of any specificity;
// - positioned or overlapping sender content drawn over it: `position:absolute;top:0` (or `fixed`) on a later
//   element, with an equal `z-index` or none, or a later block pulled up over it with a negative margin;
// - the page scrolled or clipped past it: `html{scroll-snap-type:y mandatory}` with `scroll-snap-align:start` on the
//   phishing block, `body{height:0;overflow:hidden}` or `contain:paint` with the phishing block `position:fixed`;
// - pushed below the first screen, off its side or shrunk: `body{padding-top:3000px}` (or a top border, or on
//   `<html>`), `body{margin-left:-3000px}`, `padding-left:3000px`, a body 6000px wide under a right-to-left root, with
//   the phishing block positioned at the top; `body{zoom:.02}` with the phishing block `zoom:50`.
// The guard now opens the page with a stylesheet of its own, in an anonymous cascade layer (the first layer of the
// page: its `!important` declarations win over every later layer and every unlayered rule, whatever their
// specificity, and no sender can name it), makes the banner a positioned box above every other, and pins the scroll,
// clip, top padding and zoom of the body and the root inline.
const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';
const WORDS = 'came from outside the organization';
const PHISH =
  '<div class="m" id="m"><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a>.</p></div>';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function all(node: Node, test: (e: Element) => boolean, out: Element[] = []): Element[] {
  if ('tagName' in node && test(node)) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) all(child, test, out);
  if ('content' in node && node.content) all(node.content, test, out);
  return out;
}
const styleOf = (e: Element | undefined) => e?.attrs.find((a) => a.name === 'style')?.value ?? '';
const textOf = (e: Element | undefined) =>
  (e?.childNodes ?? []).map((c) => ('value' in c ? c.value : '')).join('');

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

/** The delivered page as a browser parses it. */
async function shown(html: string) {
  const { verdict, delivered } = await kit.inbound(
    mail([FROM, 'Content-Type: text/html; charset=utf-8'], `${html}\r\n`),
  );
  expect(verdict).toBe('DEFAULT');
  const page = (await simpleParser(delivered)).html || '';
  expect(page).toContain(WORDS);
  const doc = parse(page);
  const body = all(doc, (e) => e.tagName === 'body')[0];
  const root = all(doc, (e) => e.tagName === 'html')[0];
  const banner = all(doc, (e) => styleOf(e).includes('background:#fff4e5'))[0];
  // The page's stylesheets in document order (a `<link>` counts: its layers are declared where it stands).
  const sheets = all(doc, (e) => e.tagName === 'style' || e.tagName === 'link');
  return { page, body: styleOf(body), root: styleOf(root), banner: styleOf(banner), sheets };
}

/**
 * The guard's own sheet: the page's first, one anonymous layer (`@layer{`, which no later rule can join), whose
 * rules give `selector` the `!important` declarations asked for.
 */
function guardSheet(sheets: Element[]): string {
  const first = sheets[0];
  expect(first?.tagName).toBe('style');
  const css = textOf(first);
  expect(css.startsWith('<!--@layer{')).toBe(true); // CSS ignores the comment marks at a sheet's top
  return css.slice(0, css.indexOf('}}') + 2);
}
function ruled(css: string, selector: string, declaration: string): boolean {
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selectors = (m[1] ?? '').split(',').map((s) => s.trim());
    if (selectors.includes(selector) && (m[2] ?? '').includes(declaration)) return true;
  }
  return false;
}

const sheet = (css: string, body = PHISH) =>
  `<!DOCTYPE html><html><head><style>${css}</style></head><body>${body}</body></html>`;

describe('A100-1: generated content and the head drawn above the banner', () => {
  const tricks: Record<string, [string, string]> = {
    'body::before with sender text, of high specificity': [
      sheet(
        'html body#b.x::before,body::before{content:"Corp IT Service Desk - internal" !important;display:block !important;background:#0a3 !important;padding:40px !important}',
      ),
      'body::before',
    ],
    'a tall body::before pushing the page down': [
      sheet('body::before{content:"";display:block;height:4000px}.m{position:absolute;top:0}'),
      'body::before',
    ],
    'html::before': [sheet(':root::before{content:"Corp HR";display:block !important}'), 'html::before'],
    'html::after drawn fixed at the top': [
      sheet(
        ':root::after{content:"Corp HR";position:fixed;top:0;left:0;right:0;height:90px;background:#fff}',
      ),
      'html::after',
    ],
    'the head and its title shown': [
      `<html><head><title>Corp HR - Internal notice</title><style>head,title{display:block !important;font-size:30px}</style></head><body>${PHISH}</body></html>`,
      'head',
    ],
    'a sender layer declared first in its own sheet': [
      sheet('@layer a;@layer a{body::before{content:"Corp IT" !important;display:block !important}}'),
      'body::before',
    ],
  };
  for (const [name, [html, selector]] of Object.entries(tricks))
    it(`hides ${name}`, async () => {
      const css = guardSheet((await shown(html)).sheets);
      expect(ruled(css, selector, 'display:none !important')).toBe(true);
      if (selector !== 'head') expect(ruled(css, selector, 'content:none !important')).toBe(true);
    });
});

describe('A100-2: sender content drawn over the banner', () => {
  const tricks: Record<string, string> = {
    'an absolute block at the top with an equal z-index': sheet(
      '.m{position:absolute;top:0;left:0;right:0;background:#fff;z-index:2147483647 !important}',
    ),
    'a fixed block at the top': sheet('#m{position:fixed !important;top:0;left:0;right:0;background:#fff}'),
    'a later block pulled up with a negative margin': sheet('.m{margin-top:-80px;background:#fff}'),
    'body::after fixed over the top': sheet(
      'body::after{content:"";position:fixed;top:0;left:0;right:0;height:90px;background:#fff;z-index:9}',
    ),
  };
  for (const [name, html] of Object.entries(tricks))
    it(`keeps the banner above ${name}`, async () => {
      const { banner, sheets } = await shown(html);
      expect(wins(banner, 'position')).toBe('relative');
      expect(wins(banner, 'z-index')).toBe('2147483647');
      for (const side of ['top', 'right', 'bottom', 'left']) expect(wins(banner, side)).toBe('auto');
      const css = guardSheet(sheets);
      for (const s of ['body *', 'body::after', 'body *::before', 'body *::after'])
        expect(ruled(css, s, 'z-index:auto !important')).toBe(true);
    });
});

describe('A100-3: the page scrolled, clipped, pushed or shrunk past the banner', () => {
  const tricks: Record<string, [string, string, string]> = {
    'a mandatory scroll snap to the phishing block': [
      sheet('html{scroll-snap-type:y mandatory}.m{scroll-snap-align:start;margin-top:100vh}'),
      'scroll-snap-type',
      'none',
    ],
    'a clipped body of no height': [
      sheet('body{height:0 !important;overflow:hidden !important}.m{position:fixed;top:0}'),
      'overflow',
      'visible',
    ],
    'a contained body of no height': [
      sheet('body{height:0;contain:strict}.m{position:fixed;top:0}'),
      'contain',
      'none',
    ],
    'a body whose content is skipped': [
      sheet('body{content-visibility:hidden}'),
      'content-visibility',
      'visible',
    ],
    'a tall top padding': [
      sheet('body{padding-top:3000px !important}.m{position:absolute;top:0}'),
      'padding-top',
      '0',
    ],
    'a tall top border': [
      sheet('body{border-top:3000px solid #fff !important}.m{position:absolute;top:0}'),
      'border-top-width',
      '0',
    ],
    'a shrunk body': [sheet('body{zoom:.02 !important}.m{zoom:50}'), 'zoom', '1'],
    'a negative left margin': [
      sheet('body{margin-left:-3000px !important}.m{margin-left:3000px}'),
      'margin-left',
      'auto',
    ],
    'a wide left padding': [
      sheet('body{padding-left:3000px}.m{position:absolute;top:0;left:0}'),
      'padding-left',
      '0',
    ],
    'a body wider than the page under a right-to-left root': [
      sheet(
        'html{direction:rtl}body{direction:ltr;width:6000px !important}.m{position:absolute;top:0;right:0}',
      ),
      'max-width',
      '100%',
    ],
    'a body of a minimum width beyond the page': [
      sheet('body{min-width:6000px;text-align:right}'),
      'min-width',
      '0',
    ],
  };
  for (const [name, [html, property, value]] of Object.entries(tricks))
    it(`pins the body and the root against ${name}`, async () => {
      const { body, root } = await shown(html);
      expect(wins(body, property)).toBe(value);
      expect(wins(root, property)).toBe(value);
    });
});

describe('A100 controls: ordinary newsletters keep their look', () => {
  it('control: a table newsletter with a ::before icon on a list keeps its rules', async () => {
    const css = 'li::before{content:"\\2713";color:#0a0}.c{max-width:600px;margin:0 auto}';
    const { page, sheets } = await shown(
      sheet(
        css,
        `<table class="c" width="600" align="center"><tr><td><ul><li>One</li></ul>${PHISH}</td></tr></table>`,
      ),
    );
    expect(page).toContain(css);
    const guard = guardSheet(sheets);
    expect(guard).not.toContain('li');
    expect(page).toContain('<table class="c" width="600" align="center">');
  });
  it('control: a sticky header below the banner keeps its stickiness', async () => {
    const css = '.h{position:sticky;top:0;background:#fff}';
    const { page } = await shown(sheet(css, `<div class="h">Acme deals</div>${PHISH}`));
    expect(page).toContain(css);
    expect(page).toContain('<div class="h">Acme deals</div>');
  });
  it('control: dark-mode rules are kept and colours not pinned', async () => {
    const css =
      ':root{color-scheme:light dark}@media (prefers-color-scheme:dark){body{background:#111!important;color:#eee!important}}';
    const { page, body, sheets } = await shown(sheet(css));
    expect(page).toContain(css);
    expect(wins(body, 'background')).toBeUndefined();
    expect(guardSheet(sheets)).not.toMatch(/color|background/);
  });
  it('control: the doctype still leads the page (standards mode) and the sender sheet follows the guard one', async () => {
    const { page, sheets } = await shown(sheet('p{margin:0}'));
    expect(page.startsWith('<!DOCTYPE html><html style=')).toBe(true);
    expect(sheets).toHaveLength(2);
    expect(textOf(sheets[1])).toBe('p{margin:0}');
  });
});
