import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 90: round 89 reads the digit groups of a page laid out by `order`, grid placement or a reversed
// flex row in both orders, and left any other permutation open. An insider writes the groups of
// `4539 1488 0343 6467` (a Visa number) as `1488 6467 4539 0343` in flex items given `order: 2, 4, 1, 3`, in grid
// items placed by line numbers or named areas, or one group per line in a `column-reverse` column: a browser shows
// the card, outbound-policy sent it. A flex or grid container's items are now read in the order a browser draws
// them (order-modified document order, reversed for `*-reverse`; a grid's explicit lines and named areas).
const kit = attackerKit(useLocalStack());
const out = (body: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'], body));
// Shown: 4539 1488 0343 6467. Written: 1488 6467 4539 0343 (item i is shown at place ORDER[i]).
const WRITTEN = ['1488', '6467', '4539', '0343'];
const ORDER = [2, 4, 1, 3];
const AREAS = ['b', 'd', 'a', 'c'];

describe('A90-3: a card whose groups the layout draws in another permutation', () => {
  const cases: Record<string, string> = {
    'flex items with order 2, 4, 1, 3': `<div style="display:flex">${WRITTEN.map((g, i) => `<span style="order:${ORDER[i]}">${g}&nbsp;</span>`).join('')}</div>`,
    'flex items with order set by classes': `<style>.o1{order:1}.o2{order:2}.o3{order:3}.o4{order:4}</style><div style="display:inline-flex;gap:4px">${WRITTEN.map((g, i) => `<b class="o${ORDER[i]}">${g}</b>`).join('')}</div>`,
    'grid items placed in columns 2, 4, 1, 3': `<div style="display:grid">${WRITTEN.map((g, i) => `<span style="grid-column:${ORDER[i]};grid-row:1">${g}</span>`).join('')}</div>`,
    'grid items placed by grid-area lines': `<div style="display:grid">${WRITTEN.map((g, i) => `<span style="grid-area:1 / ${ORDER[i]}">${g}</span>`).join('')}</div>`,
    'grid items in named areas': `<div style="display:grid;grid-template-areas:'a b c d'">${WRITTEN.map((g, i) => `<span style="grid-area:${AREAS[i]}">${g}</span>`).join('')}</div>`,
    'a column-reverse column, one group per line': `<div style="display:flex;flex-direction:column-reverse">${['6467', '0343', '1488', '4539'].map((g) => `<div>${g}</div>`).join('')}</div>`,
    'a flex-flow column-reverse shorthand': `<div style="display:flex;flex-flow:column-reverse wrap">${['6467', '0343', '1488', '4539'].map((g) => `<div>${g}</div>`).join('')}</div>`,
  };
  for (const [name, page] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await out(page)).toBe('BOUNCE');
    });
});

describe('benign controls', () => {
  it('sends an invoice whose columns are placed by order and grid areas', async () => {
    const page = [
      '<div style="display:flex"><span style="order:2">Invoice 2026-0042</span><span style="order:1">Due 2026-12-31</span><span style="order:3">Total 1,234.50 EUR</span></div>',
      `<div style="display:grid;grid-template-areas:'a b' 'c d'"><span style="grid-area:d">Order 4111-1111</span><span style="grid-area:a">Call +44 20 7946 0958</span><span style="grid-area:c">Ref 7731 2210</span><span style="grid-area:b">VAT GB 123 4567 89</span></div>`,
      '<div style="display:flex;flex-direction:column-reverse"><div>Qty 12</div><div>Item 0042</div></div>',
    ].join('');
    expect(await out(page)).toBe('DEFAULT');
  });
  it('sends groups that are no card in the order shown', async () => {
    // Shown: 1234 5678 9012 3456, which no reading makes a card.
    const page = `<div style="display:flex">${['5678', '3456', '1234', '9012'].map((g, i) => `<span style="order:${ORDER[i]}">${g}&nbsp;</span>`).join('')}</div>`;
    expect(await out(page)).toBe('DEFAULT');
  });
});
