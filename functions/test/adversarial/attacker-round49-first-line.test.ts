import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A49-10/11: the `::first-line` / `::first-letter` rule that hides a decoy between a card's groups sits in a
// stylesheet the page loads from a data: URL (a <link>, an @import, a chain of them; base64, percent-escaped, in
// UTF-16, with a tab in the URL), where html-shown.ts did not look: the decoy was read and the card the recipient
// sees (`4111 1111 1111 1111`) was not.
const stack = useLocalStack();
const kit = attackerKit(stack);
const b64 = (css: string) => Buffer.from(css).toString('base64');
const utf16 = (css: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(css, 'utf16le')]).toString('base64');
const link = (href: string) => `<link rel="stylesheet" href="${href}">`;

// The decoy line above the groups an inline-block draws on the baseline (round 48 read-back).
const LINE = '<div>4111 1111 <span class=f style="display:inline-block">XXXX<br>1111 1111</span></div>';
// The decoy first letter before the groups (round 46).
const LETTER = '<div>4111 1111 <span class=f style="display:inline-block">X1111 1111</span></div>';
const FIRST_LINE = '.f::first-line{font-size:0}';

/** [what, <style> text, body]. */
const firstLine: [string, string, string][] = [
  ['@import of a base64 sheet', `@import url("data:text/css;base64,${b64(FIRST_LINE)}");`, LINE],
  ['@import, name percent-escaped', '@import url(data:text/css,.f:first-l%69ne{color:transparent});', LINE],
  [
    '@import, name CSS-escaped in the URL string',
    '@import "data:text/css,.f::FIRST-L\\\\69NE{font-size:0}";',
    LINE,
  ],
  ['@import with a stray %', '@import "data:text/css,/*%ZZ*/.f::first-l%69ne{font-size:0}";', LINE],
  [
    'a data: <link> that @imports the rule',
    '',
    link(`data:text/css;base64,${b64(`@import "data:text/css;base64,${b64(FIRST_LINE)}";`)}`) + LINE,
  ],
  ['a data: <link> in UTF-16', '', link(`data:text/css;base64,${utf16(FIRST_LINE)}`) + LINE],
  [
    'a data: <link> with a tab in its scheme',
    '',
    link('da&#9;ta:text/css,.f::first-line{font-size:0}') + LINE,
  ],
];

const firstLetter: [string, string, string][] = [
  [
    'a base64 data: <link>',
    '',
    link(`data:text/css;base64,${b64('.f::first-letter{font-size:0}')}`) + LETTER,
  ],
  ['a percent-escaped data: <link>', '', link('data:text/css,.f:first-l%65tter%7Bfont-size:0%7D') + LETTER],
  [
    '@import of a base64 sheet',
    `@import url(data:text/css;base64,${b64('.f::FIRST-LETTER{font-size:0}')});`,
    LETTER,
  ],
  [
    'a data: <link> labelled UTF-16',
    '',
    link(
      `data:text/css;charset=utf-16le;base64,${Buffer.from('.f::first-letter{font-size:0}', 'utf16le').toString('base64')}`,
    ) + LETTER,
  ],
];

describe('A49-10: a ::first-line rule in a data: stylesheet', () => {
  for (const [what, head, body] of firstLine)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
  it('(control) the page with a data: sheet that has no such rule sends', async () => {
    const head = `@import url("data:text/css;base64,${b64('.f{color:#333}')}");`;
    expect(await kit.outbound(outboundPage(link('data:text/css,.g%7Bcolor:red%7D') + LINE, head))).toBe(
      'DEFAULT',
    );
  });
});

describe('A49-11: a ::first-letter rule in a data: stylesheet', () => {
  for (const [what, head, body] of firstLetter)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
});

// Read-back: the same decoding let a UTF-16 data: sheet's hiding rule go unread, so the hidden decoy split the card.
describe('A49-11 (read-back): a hiding rule in a UTF-16 data: stylesheet', () => {
  it('bounces', async () => {
    const body = `${link(`data:text/css;base64,${utf16('.h{display:none}')}`)}<div>4111 1111<span class=h>XX</span> 1111 1111</div>`;
    expect(await kit.outbound(outboundPage(body))).toBe('BOUNCE');
  });
});
