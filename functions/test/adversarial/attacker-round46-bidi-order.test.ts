import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A46-3: a number's digit groups among right-to-left text are drawn in the other order (Unicode's bidi algorithm
// resolves the spaces between them to right-to-left): logical `1111 1111 1111 4111` in a `dir=rtl` paragraph,
// after an RLE or RLI, in a `<bdi>`, or after a Hebrew word (HTML and text/plain alike) shows `4111 1111 1111
// 1111` (checked in Chromium). The DLP read the groups in logical order only; it now reads both orders where
// anything right-to-left is about.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round46/A46-3-bidi-group-order`;
const cases = [
  'p-dir-rtl',
  'p-css-rtl',
  'rle',
  'rli',
  'bdi-rtl',
  'span-dir-rtl',
  'hebrew-inline',
  'dir-auto-hebrew',
  'css-plaintext',
  'plain-hebrew-word',
  'plain-rle',
];
const outbound = (head: string[], body: string) =>
  kit.outbound(
    mail(['From: Alice <alice@corp.example>', 'Content-Type: text/plain; charset=utf-8', ...head], body),
  );

describe('A46-3: digit groups drawn in the other order among right-to-left text', () => {
  for (const name of cases)
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(readFileSync(`${dir}/${name}.eml`))).toBe('BOUNCE');
    });
  it('bounces a page whose right-to-left direction comes from a data: stylesheet', async () => {
    const css = Buffer.from('p{direction:rtl}').toString('base64');
    const page = `<html><head><link rel="stylesheet" href="data:text/css;base64,${css}"></head><body><p>1111 1111 1111 4111</p></body></html>`;
    const html = (body: string) =>
      mail(
        ['From: Alice <alice@corp.example>', 'Subject: details', 'Content-Type: text/html; charset=utf-8'],
        body,
      );
    expect(await kit.outbound(html(page))).toBe('BOUNCE');
    // The same page without the stylesheet shows the groups as written: no card (control).
    expect(await kit.outbound(html(page.replace(/<link[^>]*>/, '')))).toBe('DEFAULT');
  });
  it('bounces a Subject that shows the card after a Hebrew word', async () => {
    expect(await outbound(['Subject: =?utf-8?B?157Xodek16g=?= 1111 1111 1111 4111'], 'see subject')).toBe(
      'BOUNCE',
    );
  });
  it('sends Hebrew mail with phone numbers, dates and an order number, and turned groups in left-to-right text (controls)', async () => {
    const hebrew = 'שלום, הטלפון שלי 054 123 4567, ההזמנה 2026 1124 0915 והתאריך 24/11/2026.';
    expect(await outbound(['Subject: order'], hebrew)).toBe('DEFAULT');
    // Left to right, the same groups are drawn as written: no card.
    expect(await outbound(['Subject: ref'], 'Reference 1111 1111 1111 4111')).toBe('DEFAULT');
  });
});
