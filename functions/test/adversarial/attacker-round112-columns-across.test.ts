import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 112 (DLP, an inside user sending a card out through outbound-policy): round 111's open item, the
// grid of digits without a vertical writing mode. Columns of digits set side by side by ordinary layout (table
// cells, flex items, grid tracks, a multi-column box, inline blocks) read across as rows: written as the columns
// `4106 5434 3846 9837`, a reader sees the rows `4539 1488 0343 6467`, a card. The DLP read each column whole before
// the next (neither that nor its reverse is a card): sent.
const kit = attackerKit(useLocalStack());
const COLUMNS = ['4106', '5434', '3846', '9837'];
const lines = (column: string, join = '<br>') => [...column].join(join);
const divs = (column: string, tag = 'div') => [...column].map((d) => `<${tag}>${d}</${tag}>`).join('');
// The sixteen digits column by column, one a line.
const DOWN = COLUMNS.join('');

describe('A112-1: a card in columns of digits read across as rows (bounced)', () => {
  const cases: Record<string, [body: string, head?: string]> = {
    'a table row of cells, digits split by <br>': [
      `<table><tr>${COLUMNS.map((c) => `<td>${lines(c)}</td>`).join('')}</tr></table>`,
    ],
    'a table row of cells, each digit a <p>': [
      `<table><tr>${COLUMNS.map((c) => `<td>${divs(c, 'p')}</td>`).join('')}</tr></table>`,
    ],
    'a table row of cells, each digit a <div>, cells aligned to the bottom': [
      `<table><tr>${COLUMNS.map((c) => `<td valign="bottom">${divs(c)}</td>`).join('')}</tr></table>`,
    ],
    'flex columns of <div> digits': [
      `<div style="display:flex">${COLUMNS.map((c) => `<div>${divs(c)}</div>`).join('')}</div>`,
    ],
    'flex columns from a stylesheet': [
      `<div class="row">${COLUMNS.map((c) => `<div class="col">${lines(c)}</div>`).join('')}</div>`,
      '.row { display: flex; gap: 2px } .col { padding: 0 }',
    ],
    'a grid flowing by column into four rows': [
      `<div style="display:grid; grid-auto-flow:column; grid-template-rows:repeat(4, 1.2em)">${divs(DOWN)}</div>`,
    ],
    'a grid flowing by column, its rows listed': [
      `<div style="display:grid; grid-auto-flow:column; grid-template-rows:1em 1em 1em 1em">${divs(DOWN, 'span')}</div>`,
    ],
    'a grid of four columns, each item a column of lines': [
      `<div style="display:grid; grid-template-columns:repeat(4, 2em)">${COLUMNS.map((c) => `<div>${lines(c)}</div>`).join('')}</div>`,
    ],
    'sixteen one-digit lines under column-count: 4': [`<div style="column-count:4">${lines(DOWN)}</div>`],
    'sixteen one-digit blocks under the columns shorthand': [
      `<div style="columns:4 2em">${divs(DOWN)}</div>`,
    ],
    'sixteen one-digit lines under a column width in a box four columns wide': [
      `<div style="column-width:1em; column-gap:0; width:4em">${lines(DOWN)}</div>`,
    ],
    'display: table-cell columns': [
      `<div>${COLUMNS.map((c) => `<div style="display:table-cell">${lines(c)}</div>`).join('')}</div>`,
    ],
    'inline-block columns': [
      `<div>${COLUMNS.map((c) => `<span style="display:inline-block">${lines(c)}</span>`).join('')}</div>`,
    ],
    'a right-to-left table, its cells written from the right': [
      `<table dir="rtl"><tr>${[...COLUMNS]
        .reverse()
        .map((c) => `<td>${lines(c)}</td>`)
        .join('')}</tr></table>`,
    ],
    'floated columns': [
      `<div>${COLUMNS.map((c) => `<div style="float:left; width:1em">${lines(c)}</div>`).join('')}</div>`,
    ],
    'a <pre> in each cell': [
      `<table><tr>${COLUMNS.map((c) => `<td><pre>${[...c].join('\n')}</pre></td>`).join('')}</tr></table>`,
    ],
    'white-space: pre-line cells': [
      `<table><tr>${COLUMNS.map((c) => `<td style="white-space:pre-line">${[...c].join('\n')}</td>`).join('')}</tr></table>`,
    ],
    'a list in each cell': [
      `<table><tr>${COLUMNS.map((c) => `<td><ul>${divs(c, 'li')}</ul></td>`).join('')}</tr></table>`,
    ],
    'SVG <text> columns of <tspan> lines placed by x and dy': [
      `<svg width="120" height="120">${COLUMNS.map((c, j) => `<text x="${10 + j * 20}" y="10">${[...c].map((d) => `<tspan x="${10 + j * 20}" dy="1.2em">${d}</tspan>`).join('')}</text>`).join('')}</svg>`,
    ],
    'a decoy letter under a blend mode in each line of one cell': [
      `<table><tr><td>${[...(COLUMNS[0] as string)].map((d) => `${d}<span style="mix-blend-mode:screen">x</span>`).join('<br>')}</td>${COLUMNS.slice(
        1,
      )
        .map((c) => `<td>${lines(c)}</td>`)
        .join('')}</tr></table>`,
    ],
    'each line padded with zero-width spaces': [
      `<table><tr>${COLUMNS.map((c) => `<td>${[...c].map((d) => `${d}${'&#8203;'.repeat(80)}`).join('<br>')}</td>`).join('')}</tr></table>`,
    ],
    'a hidden decoy line and letter in one cell': [
      `<table><tr><td>4<br>1<span style="display:none">x</span><br><div style="display:none">7</div>0<br>6</td>${COLUMNS.slice(
        1,
      )
        .map((c) => `<td>${lines(c)}</td>`)
        .join('')}</tr></table>`,
    ],
  };
  for (const [name, [body, head]] of Object.entries(cases)) {
    it(name, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
  }
});

describe('A112-1 controls (sent)', () => {
  const controls: Record<string, string> = {
    'a newsletter table of addresses and phone numbers in multi-line cells': `<table><tr>
      <td>Head office<br>1200 Market Street<br>Suite 400<br>San Francisco, CA 94103<br>Tel 415 555 0132</td>
      <td>Warehouse<br>88 Harbor Road<br>Unit 7<br>Oakland, CA 94607<br>Tel 510 555 0199</td>
      <td>Support<br>Mon-Fri 9-17<br>+1 800 555 0100<br>Fax 415 555 0133</td></tr></table>`,
    'a price table: columns of quantities and prices': `<table><tr><th>Item</th><th>Qty</th><th>Price</th></tr>
      <tr><td>Paper A4<br>Toner<br>Stapler<br>Pens (box)</td><td>12<br>2<br>1<br>5</td><td>4.99<br>89.00<br>12.50<br>7.25</td></tr></table>`,
    'a calendar of day numbers in a seven-column table': `<table>${[0, 1, 2, 3, 4]
      .map(
        (w) =>
          `<tr>${[1, 2, 3, 4, 5, 6, 7]
            .map((d) => w * 7 + d)
            .map((d) => `<td>${d <= 31 ? d : ''}</td>`)
            .join('')}</tr>`,
      )
      .join('')}</table>`,
    'a calendar whose day cells hold a time under the day': `<table><tr>${[8, 9, 10, 11, 12, 13, 14]
      .map((d) => `<td>${d}<br>${d % 2 ? '9:30' : '14:00'}</td>`)
      .join('')}</tr><tr>${[15, 16, 17, 18, 19, 20, 21]
      .map((d) => `<td>${d}<br>${d % 3 ? '10:15' : '16:45'}</td>`)
      .join('')}</tr></table>`,
    'a signature with phone numbers in a flex layout': `<div style="display:flex; gap:16px">
      <div><b>Jane Doe</b><br>Head of Sales<br>Example Corp</div>
      <div>Mobile +44 7700 900123<br>Office +44 20 7946 0958<br>Fax +44 20 7946 0959</div></div>`,
    'an invoice table with quantities and amounts': `<table><tr><th>Qty</th><th>Unit</th><th>Amount</th></tr>
      <tr><td>3<br>10<br>1<br>24</td><td>19.90<br>2.45<br>149.00<br>0.80</td><td>59.70<br>24.50<br>149.00<br>19.20</td></tr>
      <tr><td colspan="2">Total</td><td>252.40</td></tr></table>`,
    'a timetable: columns of departure times': `<table><tr><th>Zurich</th><th>Bern</th><th>Geneva</th></tr>
      <tr><td>07:02<br>07:32<br>08:02<br>08:32</td><td>08:00<br>08:30<br>09:00<br>09:30</td><td>09:41<br>10:11<br>10:41<br>11:11</td></tr></table>`,
    'a results table: columns of scores and points in flex columns': `<div style="display:flex">
      <div>Team<br>Lions<br>Tigers<br>Bears</div><div>W<br>12<br>10<br>7</div><div>L<br>3<br>5<br>8</div>
      <div>Pts<br>36<br>30<br>21</div></div>`,
    'a grid of product cards, each a name, a code and a price': `<div style="display:grid; grid-template-columns:repeat(3, 1fr)">
      <div>Desk lamp<br>Art. 20417<br>49.90</div><div>Chair<br>Art. 31552<br>129.00</div><div>Shelf<br>Art. 10988<br>89.50</div>
      <div>Rug<br>Art. 55120<br>199.00</div><div>Vase<br>Art. 60731<br>24.90</div><div>Clock<br>Art. 71846<br>39.00</div></div>`,
    'a two-column newsletter of prose with figures': `<div style="column-count:2">
      <p>Our 2026 results: revenue grew 12% to 4.2 million.</p><p>We opened 3 stores in 2025 and 5 in 2026.</p>
      <p>Call 0800 123 456 for details.</p><p>Offer ends 31 December 2026.</p></div>`,
  };
  for (const [name, body] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
    });
  }
});

describe('A112-1 held (already bounced before the round)', () => {
  const held: Record<string, string> = {
    'a table written row by row, one digit a cell': `<table>${[0, 1, 2, 3]
      .map((i) => `<tr>${COLUMNS.map((c) => `<td>${c[i]}</td>`).join('')}</tr>`)
      .join('')}</table>`,
    'SVG digits each a <text> placed by x and y': `<svg width="120" height="120">${COLUMNS.map((c, j) =>
      [...c].map((d, i) => `<text x="${10 + j * 20}" y="${10 + i * 20}">${d}</text>`).join(''),
    ).join('')}</svg>`,
  };
  for (const [name, body] of Object.entries(held)) {
    it(name, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('BOUNCE');
    });
  }
});
