import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 111 (DLP, an inside user sending a card out through outbound-policy): digits drawn upright in a
// vertical writing mode (round 108 left SVG `writing-mode` columns open). In `writing-mode: vertical-rl` each line
// is a column, the first on the right; with `text-orientation: upright` (or full-width digits, which a vertical line
// draws upright whatever the orientation) four lines of four digits show a grid whose rows a reader reads across.
// Written as the columns `4106 5434 3846 9837`, the grid's rows are `4539 1488 0343 6467`, a card; neither the text
// as written nor reversed is one, and the DLP read it as written: sent. The same with `<div>`s, `vertical-lr`, the
// legacy `tb-rl`, SVG `<text>` columns side by side, and SVG's `writing-mode="tb"` attribute.
const kit = attackerKit(useLocalStack());
const COLUMNS = ['4106', '5434', '3846', '9837'];
const rightToLeft = [...COLUMNS].reverse();
const fullWidth = (s: string) => [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
const UPRIGHT = 'text-orientation: upright';

describe('A111-3: a card in upright digits in columns (bounced as not read as shown)', () => {
  const cases: Record<string, string> = {
    'vertical-rl, lines split by <br>': `<div style="writing-mode: vertical-rl; ${UPRIGHT}">${rightToLeft.join('<br>')}</div>`,
    'vertical-lr, lines split by <br>': `<div style="writing-mode: vertical-lr; ${UPRIGHT}">${COLUMNS.join('<br>')}</div>`,
    'vertical-rl, a <div> a column': `<div style="writing-mode: vertical-rl; ${UPRIGHT}">${rightToLeft.map((c) => `<div>${c}</div>`).join('')}</div>`,
    'the orientation set on a parent, the mode in a stylesheet': `<div style="${UPRIGHT}"><p class="v">${rightToLeft.join('<br>')}</p></div>`,
    'legacy tb-rl': `<div style="writing-mode: tb-rl; ${UPRIGHT}">${rightToLeft.join('<br>')}</div>`,
    'full-width digits (upright without an orientation)': `<div style="writing-mode: vertical-rl">${rightToLeft.map(fullWidth).join('<br>')}</div>`,
    'SVG <text> columns side by side': `<svg width="200" height="100">${COLUMNS.map((c, i) => `<text x="${10 + i * 20}" y="10" style="writing-mode: vertical-rl; ${UPRIGHT}">${c}</text>`).join('')}</svg>`,
    'SVG writing-mode="tb" and glyph-orientation-vertical="0"': `<svg width="200" height="100">${COLUMNS.map((c, i) => `<text x="${10 + i * 20}" y="10" writing-mode="tb" glyph-orientation-vertical="0">${c}</text>`).join('')}</svg>`,
  };
  for (const [name, body] of Object.entries(cases)) {
    it(name, async () => {
      const head = name.includes('stylesheet') ? '.v { writing-mode: vertical-rl }' : '';
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
  }
});

describe('A111-3 controls (sent)', () => {
  const controls: Record<string, string> = {
    'rotated table headers with years (drawn sideways, read as written)': `<table><tr><th style="writing-mode: vertical-rl; transform: rotate(180deg)">Q1 2024</th><th style="writing-mode: vertical-rl">Q2 2024</th></tr><tr><td>12</td><td>15</td></tr></table>`,
    'upright letters without digits': `<div style="writing-mode: vertical-rl; ${UPRIGHT}">SALE<br>NOW</div>`,
    'an upright vertical heading beside horizontal figures': `<h1 style="writing-mode: vertical-lr; ${UPRIGHT}">MENU</h1><p>Table 4, 19:30, party of 6</p>`,
    'horizontal-tb set back under a vertical parent': `<div style="writing-mode: vertical-rl; ${UPRIGHT}"><p style="writing-mode: horizontal-tb">Order 4106 ships 12 May</p></div>`,
  };
  for (const [name, body] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
    });
  }
});
