import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 7 over attacker round 105's SVG reading (the outbound DLP places each character of an SVG text by
// its `x`, `dx`, `y` and `dy` lists and reads rows top to bottom, both glyph-width orders where they differ): SVG that
// reporting tools, design tools and signatures produce, with numbers that look like long digit runs, sent out through
// outbound-policy at its defaults. None shows a card number: each must be sent.
const kit = attackerKit(useLocalStack());
const pad = (n: number, v: number | string) => Array.from({ length: n }, () => String(v)).join(' ');

// Each character of `text` at `x0 + i * step` on one row (Illustrator and Office export text so).
const xs = (text: string, x0: number, step: number) =>
  [...text].map((_, i) => (x0 + i * step).toFixed(1)).join(' ');

const SVGS: Record<string, string> = {
  // A bar chart as a reporting tool writes it: a y axis whose ticks are one text, placed by x and y lists, written from
  // the bottom up (0 at the bottom), and value labels above each bar.
  'a bar chart: tick labels in one text placed bottom-up by x and y lists, values above the bars': `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="260" viewBox="0 0 420 260">
<text font-size="11" text-anchor="end" x="${xs('0', 40, 0)} ${xs('2500', 16, 6)} ${xs('5000', 16, 6)} ${xs('7500', 16, 6)} ${xs('10000', 10, 6)}" y="${pad(1, 240)} ${pad(4, 190)} ${pad(4, 140)} ${pad(4, 90)} ${pad(5, 40)}">0250050007500100000</text>
<rect x="60" y="90" width="40" height="150" fill="#4e79a7"/><text x="80" y="84" font-size="11" text-anchor="middle">7,512</text>
<rect x="120" y="60" width="40" height="180" fill="#4e79a7"/><text x="140" y="54" font-size="11" text-anchor="middle">9,004</text>
<rect x="180" y="140" width="40" height="100" fill="#4e79a7"/><text x="200" y="134" font-size="11" text-anchor="middle">5,019</text>
<g transform="translate(80 255) rotate(-45)"><text font-size="10">2026-10-01</text></g>
</svg>`,
  // Inkscape's multi-line text: one tspan per line (sodipodi:role="line"), each placed by x and y; an order number and a
  // tracking number on two lines, kerned by hand with small dx lists.
  'an Inkscape label: order and tracking numbers on two lines, kerned by small dx lists': `<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" width="300" height="80">
<text x="10" y="24" font-size="16" font-family="DejaVu Sans Mono"><tspan sodipodi:role="line" x="10" y="24" dx="0 -0.6 0 -0.4 0 0.3">Order 4000123456789010</tspan><tspan sodipodi:role="line" x="10" y="44" dx="0 0.5 0 -0.5">Track 1Z999AA10123456784</tspan></text>
</svg>`,
  // A logo with wide letter-spacing written as a dx list, and a phone number letter-spaced the same way.
  'a signature logo and phone number letter-spaced by dx lists': `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="60">
<text x="0" y="24" font-size="20" font-weight="700" dx="${pad(9, 4)}">ACME 2026</text>
<text x="0" y="48" font-size="12" dx="${pad(20, 1.5)}">+1 (415) 555-0134 x 4111</text>
</svg>`,
  // Illustrator: each character placed by an x list, a chart's row of figures in one text.
  'an Illustrator export: a row of figures placed character by character': `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40">
<text transform="translate(12 28)" font-size="14"><tspan x="${xs('Q1 1,411,111  Q2 1,411,112  Q3 1,611,111', 0, 7.8)}" y="0">Q1 1,411,111  Q2 1,411,112  Q3 1,611,111</tspan></text>
</svg>`,
  // A receipt's line items drawn as SVG: each row a tspan placed by its own y, amounts right-aligned by x lists.
  'a receipt drawn as SVG: rows by y, amounts by x lists': `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" font-size="13">
<text x="10" y="20">Receipt 2026-4111-1111</text>
<text><tspan x="10 250 258 266 274 282" y="44">A4.00</tspan><tspan x="10 250 258 266 274 282" y="62">B9.60</tspan><tspan x="10 242 250 258 266 274 282" y="80">C14.11</tspan></text>
<text x="10" y="104">Card ending 1111, auth 411111</text>
</svg>`,
  // A festive header: a large font (the attribute, 40px) with a wave of ±6 in dy, over a membership number.
  'a large wavy header (dy wave well under half its font) over a membership number': `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="80">
<text x="10" y="50" font-size="40" dy="0 ${pad(9, '6 -6')}">Member 5500000000000004999</text>
</svg>`,
  // A superscript footnote mark and a subscript by dy, as a chart title writes them.
  'a chart title with a superscript and a subscript by dy': `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">
<text x="10" y="24" font-size="14" dy="${pad(18, 0)} -5 5 ${pad(6, 0)} 4 -4">Sales 2026 in EUR1 (CO2 411111)</text>
</svg>`,
  // A D3-style multi-line label: one tspan per line, each moved down by its own dy.
  'a multi-line label: tspans moved down a line each by dy': `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="90" font-size="14">
<text x="10" y="20"><tspan x="10" dy="0">Order 176057</tspan><tspan x="10" dy="18">Tracking 1Z999AA10123456784</tspan><tspan x="10" dy="18">Customer 4000 1234</tspan></text>
</svg>`,
  // A badge whose text follows an arc by a rotate list, one angle per character.
  'a badge lettered round an arc by a rotate list': `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">
<text x="${xs('MEMBER SINCE 2026 NO 176057', 20, 6)}" y="${[...'MEMBER SINCE 2026 NO 176057'].map((_, i) => (100 - Math.round(40 * Math.sin((i / 26) * Math.PI))).toString()).join(' ')}" rotate="${[...'MEMBER SINCE 2026 NO 176057'].map((_, i) => Math.round(-60 + (120 * i) / 26)).join(' ')}" font-size="9">MEMBER SINCE 2026 NO 176057</text>
</svg>`,
  // Vertical text, one character per row (a y list), as a spine label: a long reference number.
  'a vertical label, one character per row by a y list': `<svg xmlns="http://www.w3.org/2000/svg" width="30" height="400">
<text x="10" y="${[...'REF 4111111111111111'].map((_, i) => 20 + i * 18).join(' ')}" font-size="14">REF 4111111111111112</text>
</svg>`,
};

describe('FP7 DLP (round 105): ordinary SVG sent out', () => {
  for (const [name, svg] of Object.entries(SVGS)) {
    it(`sends ${name}, inline`, async () => {
      expect(await kit.outbound(outboundPage(svg))).toBe('DEFAULT');
    });
    it(`sends ${name}, as an attached .svg`, async () => {
      expect(await kit.outbound(outboundFile('chart.svg', Buffer.from(svg), 'image/svg+xml'))).toBe(
        'DEFAULT',
      );
    });
  }
});
