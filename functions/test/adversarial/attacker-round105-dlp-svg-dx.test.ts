import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 105 (DLP, an inside user sending a card out through outbound-policy): round 104 left SVG `dx` lists
// "moved" (the text read as written and reversed). A `dx` list shifts each character from where the one before it
// ends, so shifts far larger than any glyph reorder the characters whatever the font: `1411111111111111` with
// `dx="0 -100 100"` is drawn `4111 1111 1111 1111` (the `4` a hundred pixels left of the first `1`), and
// `1111 1111 1111 4111` with the last group shifted 300 pixels left and the rest back is drawn with that group first.
// Neither the written text nor its reverse is a card: both were sent. Likewise characters put on rows by a list of `y`
// (with round 104's `x` list) or `dy`: `1111 1111 4111 1111` with its second half lifted a line shows
// `4111 1111` above `1111 1111`, read top to bottom as the card (round 104 read the `x` list alone).
const kit = attackerKit(useLocalStack());
const svg = (attrs: string, text: string) =>
  `<svg width="400" height="20"><text y="15" ${attrs}>${text}</text></svg>`;
const zeros = (n: number) => Array.from({ length: n }, () => '0').join(' ');

describe('A105-2: SVG characters shifted by a list of dx', () => {
  it('the 4 written second, drawn first by a large negative shift', async () => {
    expect(await kit.outbound(outboundPage(svg('x="10" dx="0 -100 100"', '1411111111111111')))).toBe(
      'BOUNCE',
    );
  });
  it('the last group written last, drawn first', async () => {
    expect(
      await kit.outbound(
        outboundPage(svg(`x="200" dx="${zeros(15)} -300 0 0 0 300"`, '1111 1111 1111 4111')),
      ),
    ).toBe('BOUNCE');
  });
  it('a tspan of its own in a text, shifted the same way', async () => {
    const page =
      '<svg width="400" height="40"><text x="10" y="15">Ref: <tspan dx="0 -100 100">1411111111111111</tspan></text></svg>';
    expect(await kit.outbound(outboundPage(page))).toBe('BOUNCE');
  });
  it('a shift whose order depends on the font (both orders read)', async () => {
    // `1411…` with the 4 shifted 12px left: for glyphs narrower than 12px (a 16px font's digits are 8 to 10px) it
    // passes the first `1` and is drawn first; for glyphs a whole `em` wide it is not.
    expect(await kit.outbound(outboundPage(svg('x="10" dx="0 -12 12"', '1411111111111111')))).toBe('BOUNCE');
  });
});

describe('A105-2: SVG characters put on rows by lists of y or dy', () => {
  const tall = (attrs: string, text: string) =>
    `<svg width="400" height="60"><text ${attrs}>${text}</text></svg>`;
  it('the second half lifted a line by dy', async () => {
    expect(
      await kit.outbound(outboundPage(tall(`x="10" y="35" dy="${zeros(10)} -20"`, '1111 1111 4111 1111'))),
    ).toBe('BOUNCE');
  });
  it('each character placed by x and y lists, the second half on the top row', async () => {
    const x = [0, 10, 20, 30, 40, 50, 60, 70, 80, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90].join(' ');
    const y = [...Array(10).fill(35), ...Array(9).fill(15)].join(' ');
    expect(await kit.outbound(outboundPage(tall(`x="${x}" y="${y}"`, '1111 1111 4111 1111')))).toBe('BOUNCE');
  });
});

describe('A105-2 controls (sent)', () => {
  it('a wavy baseline (dy) over an order number', async () => {
    expect(
      await kit.outbound(
        outboundPage(svg('x="10" dy="0 2 -2 2 -2 2 -2 2 -2 2 -2"', 'Order 1411111111111111')),
      ),
    ).toBe('DEFAULT');
  });
  it('a two-line SVG label placed by a y list', async () => {
    const x = [0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50].join(' ');
    const y = [...Array(5).fill(15), ...Array(6).fill(35)].join(' ');
    expect(await kit.outbound(outboundPage(svg(`x="${x}" y="${y}"`, 'Total 1,411 EUR')))).toBe('DEFAULT');
  });
  it('the same text without shifts', async () => {
    expect(await kit.outbound(outboundPage(svg('x="10"', '1411111111111111')))).toBe('DEFAULT');
  });
  it('a chart label letter-spaced by small dx', async () => {
    expect(
      await kit.outbound(
        outboundPage(svg('x="10" dx="0 1 1 1 1 1 1 1 1 1 1 1"', 'Q1 2026 sales: 1,411,111 EUR')),
      ),
    ).toBe('DEFAULT');
  });
  it('an order number kerned with small negative dx', async () => {
    expect(
      await kit.outbound(
        outboundPage(
          svg('x="10" dx="0 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1"', 'Order 1411111111111111'),
        ),
      ),
    ).toBe('DEFAULT');
  });
});
