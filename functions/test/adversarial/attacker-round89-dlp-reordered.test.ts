import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 89: outbound-policy sent a card whose digit groups the page's layout draws in the other order. The
// insider writes `1881 8888 8888 4012` (no card: no issuer starts with 1) in boxes a browser lays out from the
// right (`float: right`, a flex row `row-reverse`, items given a reversed `order` or grid columns, tables
// `align=right`): Apple Mail, Thunderbird and webmail show `4012 8888 8888 1881`, a Visa number. Such layout is now
// read as right-to-left markup is (round 46): both orders of the groups. Held (already found): the groups in a
// `dir=rtl` table or block, or among Arabic text.
const kit = attackerKit(useLocalStack());
const out = (body: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'], body));
const GROUPS = ['1881', '8888', '8888', '4012'];

describe('A89-2: a card whose groups the layout draws in the other order', () => {
  const cases: Record<string, string> = {
    'spans floated right': `<div>${GROUPS.map((g) => `<span style="float:right">&nbsp;${g}</span>`).join('')}</div>`,
    'a flex row-reverse': `<div style="display:flex;flex-direction:row-reverse">${GROUPS.map((g) => `<span>${g}&nbsp;</span>`).join('')}</div>`,
    'a flex row-reverse with nothing between the items': `<div style="display:flex;flex-direction:row-reverse">${GROUPS.map((g) => `<b>${g}</b>`).join('')}</div>`,
    'flex items in reversed order': `<div style="display:flex">${GROUPS.map((g, i) => `<span style="order:${4 - i}">${g}&nbsp;</span>`).join('')}</div>`,
    'grid items in reversed columns': `<div style="display:grid">${GROUPS.map((g, i) => `<span style="grid-column:${4 - i};grid-row:1">${g}</span>`).join('')}</div>`,
    'tables aligned right': GROUPS.map(
      (g) => `<table align="right"><tr><td>${g}&nbsp;</td></tr></table>`,
    ).join(''),
    'a stylesheet rule floating the cells': `<style>.g{float:right}</style><p>${GROUPS.map((g) => `<span class="g">${g} </span>`).join('')}</p>`,
  };
  for (const [name, page] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await out(page)).toBe('BOUNCE');
    });
});

describe('benign controls', () => {
  it('sends an invoice laid out with floats, a reversed row and amounts', async () => {
    const page = [
      '<div><img src="cid:logo" style="float:right" alt="logo"><h1>Invoice 2026-0042</h1></div>',
      '<div style="display:flex;flex-direction:row-reverse"><span>Total 1,234.50 EUR</span><span>Order 4111-1111</span></div>',
      '<table align="right"><tr><td>Call +44 20 7946 0958</td></tr></table><p>Due 2026-12-31.</p>',
    ].join('');
    expect(await out(page)).toBe('DEFAULT');
  });
  it('sends the groups of a number that is no card in either order', async () => {
    const page = `<div>${['1234', '5678', '9012', '3456'].map((g) => `<span style="float:right">${g} </span>`).join('')}</div>`;
    expect(await out(page)).toBe('DEFAULT');
  });
});

describe('held: right-to-left markup, already read both ways', () => {
  it('bounces the groups in a dir=rtl table and among Arabic text', async () => {
    expect(
      await out(`<table dir="rtl"><tr>${GROUPS.map((g) => `<td>${g}</td>`).join('')}</tr></table>`),
    ).toBe('BOUNCE');
    expect(await out(`<p dir="rtl">رقم ${GROUPS.join(' ')}</p>`)).toBe('BOUNCE');
  });
});
