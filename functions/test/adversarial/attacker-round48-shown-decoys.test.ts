import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-6..: decoys (XX) between a card's groups in content Chromium does not draw, which the page readers still
// read, so no reading holds the card the recipient sees (`4111 1111 1111 1111`); and content Chromium draws that
// the browser readers drop while the other readers see a decoy.
const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (head: string, body: string) => outboundPage(body, head);
const cases: [string, string, string][] = [
  // A48-6: HTML's "rules for parsing non-negative integers" read size="1.5" (and "1e1", "1,5") as 1: a drop-down
  // showing one option. shown-page.ts tests Number(size) > 1, reads a list box and keeps the decoy options.
  [
    'select size=1.5',
    '',
    '<div><select size="1.5"><option>4111 1111</option><option>XX</option></select> <select size="1e1"><option>1111 1111</option><option>YY</option></select></div>',
  ],
  // A48-7: a closed <dialog> an author style shows (display:block beats the UA's dialog:not([open]){display:none}):
  // the browser readers drop it whole; the others keep an <audio> fallback Chromium does not draw.
  [
    'closed dialog shown by author style',
    '',
    '<dialog style="display:block;position:static;border:0;padding:0;margin:0">4111 1111 <audio>XX</audio>1111 1111</dialog>',
  ],
  // A48-8: MathML Core's UA sheet: `semantics > :not(:first-child)` and `maction > :not(:first-child)` are
  // display:none; <mphantom> is visibility:hidden. Only annotation/annotation-xml were dropped.
  [
    'math semantics second child',
    '',
    '<div>4111 1111 <math><semantics><mi></mi><mtext>XX</mtext></semantics></math>1111 1111</div>',
  ],
  [
    'math maction second child',
    '',
    '<div>4111 1111 <math><maction actiontype="toggle"><mi></mi><mtext>XX</mtext></maction></math>1111 1111</div>',
  ],
  ['math mphantom', '', '<div>4111 1111 <math><mphantom><mtext>XX</mtext></mphantom></math>1111 1111</div>'],
  // A48-9: SVG content never rendered directly: <defs>, <symbol>, <clipPath>, <mask>, <pattern>, <marker> children;
  // <switch> draws its first child whose conditions hold only.
  [
    'svg defs text',
    '',
    '<div>4111 1111 <svg width="8" height="8"><defs><text>XX</text></defs></svg>1111 1111</div>',
  ],
  [
    'svg symbol text',
    '',
    '<div>4111 1111 <svg width="8" height="8"><symbol id="s"><text>XX</text></symbol></svg>1111 1111</div>',
  ],
  [
    'svg clipPath text',
    '',
    '<div>4111 1111 <svg width="8" height="8"><clipPath id="c"><text>XX</text></clipPath></svg>1111 1111</div>',
  ],
  [
    'svg switch second',
    '',
    '<div>4111 1111 <svg width="8" height="8"><switch><g></g><text>XX</text></switch></svg>1111 1111</div>',
  ],
  // A48-10: `::first-letter` written with a CSS escape (`::first-l\65tter`, an ident token like any other) is the
  // same pseudo-element to Chromium; html-shown.ts looks for the literal /first-letter/ before reading without it.
  [
    'first-letter escaped',
    '.f::first-l\\65tter{font-size:0}',
    '<div>4111 1111 <span class=f style="display:inline-block">X1111 1111</span></div>',
  ],
  // A48-16: the readings without first letters strip a text node's first letter only when it is its parent's first
  // child; Chromium's ::first-letter is the first letter of the block's first line whatever comes before it that
  // draws nothing (a comment, an empty element, a <wbr>).
  [
    'first-letter after a comment',
    '.f::first-letter{font-size:0}',
    '<div>4111 1111 <span class=f style="display:inline-block"><!-- x -->X1111 1111</span></div>',
  ],
  [
    'first-letter after an empty element',
    '.f::first-letter{font-size:0}',
    '<div>4111 1111 <span class=f style="display:inline-block"><b></b>X1111 1111</span></div>',
  ],
];

describe('A48-6..10: decoys in content Chromium does not draw', () => {
  for (const [what, head, body] of cases)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(page(head, body))).toBe('BOUNCE');
    });
  it('(control) the constructs round 46 fixed hold: plain select, unescaped ::first-letter, <div> for <dialog>, <desc> in a visible svg', async () => {
    expect(
      await kit.outbound(
        page(
          '',
          '<div><select><option>4111 1111</option><option>XX</option></select> <select><option>1111 1111</option><option>YY</option></select></div>',
        ),
      ),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(
        page(
          '.f::first-letter{font-size:0}',
          '<div>4111 1111 <span class=f style="display:inline-block">X1111 1111</span></div>',
        ),
      ),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(page('', '<div style="display:block">4111 1111 <audio>XX</audio>1111 1111</div>')),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(
        page('', '<div>4111 1111 <svg width="8" height="8"><desc>XX</desc></svg>1111 1111</div>'),
      ),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(
        page(
          '',
          '<div>4111 1111 <math><semantics><mi></mi><annotation>XX</annotation></semantics></math>1111 1111</div>',
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('(control) the card plainly bounces, and with a visible decoy sends', async () => {
    expect(await kit.outbound(page('', '<div>4111 1111 1111 1111</div>'))).toBe('BOUNCE');
    expect(await kit.outbound(page('', '<div>4111 1111 <span>XX</span>1111 1111</div>'))).toBe('DEFAULT');
  });
});

describe('(control) decoys a browser draws keep the card apart', () => {
  for (const [what, body] of [
    [
      'a list box (size=3)',
      '<div><select size="3"><option>4111 1111</option><option>XX</option><option>1111 1111</option></select></div>',
    ],
    ['a drawn svg text', '<div>4111 1111 <svg width="8" height="8"><text>XX</text></svg>1111 1111</div>'],
    [
      'the first child of a switch',
      '<div>4111 1111 <svg width="8" height="8"><switch><text>XX</text><g></g></switch></svg>1111 1111</div>',
    ],
    ['an open dialog', '<dialog open>4111 1111 XX 1111 1111</dialog>'],
  ] as const)
    it(`sends: ${what}`, async () => {
      expect(await kit.outbound(page('', body))).toBe('DEFAULT');
    });
  it('bounces a closed dialog without an author display hiding the decoy', async () => {
    expect(await kit.outbound(page('', '<div>4111 1111 <dialog>XX</dialog>1111 1111</div>'))).toBe('BOUNCE');
  });
});

// Read-back of A48-10: `::first-line` hides the first line a box lays out: a decoy line in an inline-block whose
// second line (the groups) sits on the baseline beside the first groups. Lines are not laid out: undecided.
describe('A48-18 (read-back): a decoy on a first line a ::first-line rule hides', () => {
  const body = '<div>4111 1111 <span class=f style="display:inline-block">XXXX<br>1111 1111</span></div>';
  for (const head of [
    '.f::first-line{font-size:0}',
    '.f:first-line{color:transparent}',
    '.f::first-l\\69ne{font-size:0}',
  ])
    it(`bounces: ${head}`, async () => {
      expect(await kit.outbound(page(head, body))).toBe('BOUNCE');
    });
  it('(control) the same page without the rule sends', async () => {
    expect(await kit.outbound(page('', body))).toBe('DEFAULT');
  });
});

describe('A48-7 (read-back): an author display that takes the browsers own back', () => {
  for (const value of ['revert', 'revert-layer'])
    it(`bounces a closed dialog whose display is ${value}`, async () => {
      const body = `<div>4111 1111 <dialog style="display:${value}">XX</dialog>1111 1111</div>`;
      expect(await kit.outbound(page('', body))).toBe('BOUNCE');
    });
});

describe('A48-8/9 (read-back): containers whose drawn child depends on the reader', () => {
  for (const [what, body] of [
    [
      'an maction showing its second child (Firefox)',
      '<div>4111 1111 <math><maction actiontype="toggle" selection="2"><mtext>XX</mtext><mi></mi></maction></math>1111 1111</div>',
    ],
    [
      'a switch whose first child is for another language',
      '<div>4111 1111 <svg width="8" height="8"><switch><text systemLanguage="zz">XX</text><g></g></switch></svg>1111 1111</div>',
    ],
  ] as const)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(page('', body))).toBe('BOUNCE');
    });
});
