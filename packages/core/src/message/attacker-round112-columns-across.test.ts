import { describe, expect, it } from 'vitest';
import { acrossLayout, acrossRows, inColumns, linesBetween, MAX_ACROSS_CHARS } from './columns-across.js';
import { htmlShownTexts } from './html-shown.js';

// Attacker round 112: columns of digits set side by side by ordinary layout read across as rows.
const COLUMNS = ['4106', '5434', '3846', '9837'];
const ROWS = '4 5 3 9\n1 4 8 8\n0 3 4 3\n6 4 6 7';
const style = (values: Record<string, string>) => (property: string) => values[property];
const lines = (column: string) => [...column].join('<br>');
const shownRows = (page: string) => {
  const shown = htmlShownTexts(page);
  return { ...shown, across: shown.texts.some((t) => t.includes(ROWS)) };
};

describe('linesBetween', () => {
  it('cuts a box at its breaks, leaving blank lines out', () => {
    expect(linesBetween('x 4 1 0 6', [3, 5, 7], 2, 9)).toEqual(['4', '1', '0', '6']);
    expect(linesBetween('ab  cd', [0, 1, 1, 3, 4], 0, 6)).toEqual(['a', 'b', 'cd']);
    expect(linesBetween('abc', [], 0, 3)).toEqual(['abc']);
  });
});

describe('inColumns', () => {
  it('sets a run of lines in columns of so many lines', () => {
    expect(inColumns(['4', '1', '5', '4', '3'], 2)).toEqual([['4', '1'], ['5', '4'], ['3']]);
  });
});

describe('acrossRows', () => {
  it('reads columns of figures across, row by row', () => {
    expect(acrossRows(COLUMNS.map((c) => [...c]))).toEqual([ROWS]);
  });
  it('reads columns of different heights aligned at the top, the bottom and the middle', () => {
    const readings = acrossRows([
      ['9', '4', '1', '0', '6'],
      ['5', '4', '3', '4'],
    ]);
    expect(readings).toContain('9 5\n4 4\n1 3\n0 4\n6');
    expect(readings).toContain('9\n4 5\n1 4\n0 3\n6 4');
    // One line apart, the middle is the top (a half line's shift is not read).
    expect(readings).toHaveLength(2);
    expect(
      acrossRows([
        ['9', '4', '1', '0', '6'],
        ['4', '3', '4'],
      ]),
    ).toContain('9\n4 4\n1 3\n0 4\n6');
  });
  it('reads nothing again where fewer than two columns hold figures', () => {
    expect(
      acrossRows([
        ['4', '1', '0', '6'],
        ['Name', 'Street'],
      ]),
    ).toEqual([]);
    expect(acrossRows([['12'], ['13'], ['14']])).toEqual([]);
    expect(
      acrossRows([
        ['4', '1'],
        [`${'prose '.repeat(20)}4`, `${'more '.repeat(20)}5`],
      ]),
    ).toEqual([]);
    // Padding that is no letter or digit does not make a line prose.
    const padded = (d: string) => `${d}${'\u200b'.repeat(100)}${'·'.repeat(10)}`;
    expect(acrossRows([['4', '1'].map(padded), ['5', '4'].map(padded)])).toHaveLength(1);
  });
});

describe('acrossLayout', () => {
  it('knows rows of cells', () => {
    expect(acrossLayout('tr', style({}))).toEqual({ kind: 'cells' });
    expect(acrossLayout('div', style({ display: 'flex' }))).toEqual({ kind: 'cells' });
    expect(acrossLayout('div', style({ display: 'flex', 'flex-direction': 'column' }))).toBeUndefined();
    expect(
      acrossLayout(
        'div',
        style({ display: 'grid', 'grid-template-columns': '[a] 1fr repeat(2, 2em) minmax(0, 1fr)' }),
      ),
    ).toEqual({ kind: 'cells', perRow: 4 });
  });
  it('knows lines flowed into columns', () => {
    expect(
      acrossLayout(
        'div',
        style({ display: 'grid', 'grid-auto-flow': 'column', 'grid-template-rows': 'repeat(4, 1em)' }),
      ),
    ).toEqual({ kind: 'lines', perColumn: 4 });
    expect(acrossLayout('div', style({ 'column-count': '4' }))).toEqual({ kind: 'lines', columns: 4 });
    expect(acrossLayout('div', style({ columns: '12em 3' }))).toEqual({ kind: 'lines', columns: 3 });
    expect(acrossLayout('div', style({ columns: '12em' }))).toBeUndefined();
    // A column width in a box of a width of its own: as many columns as fit, gaps counted.
    expect(acrossLayout('div', style({ 'column-width': '1em', width: '4em', 'column-gap': '0' }))).toEqual({
      kind: 'lines',
      columns: 4,
    });
    expect(acrossLayout('div', style({ columns: '20px', width: '100px' }))).toEqual({
      kind: 'lines',
      columns: 3,
    });
    expect(acrossLayout('div', style({ columns: '20px', width: '50%' }))).toBeUndefined();
    expect(
      acrossLayout('div', style({ display: 'grid', 'grid-template-columns': 'repeat(auto-fill, 2em)' })),
    ).toBeUndefined();
  });
});

describe('htmlShownTexts reads columns of digits across', () => {
  const pages: Record<string, string> = {
    'table cells': `<table><tr>${COLUMNS.map((c) => `<td>${lines(c)}</td>`).join('')}</tr></table>`,
    'flex items': `<div style="display:flex">${COLUMNS.map((c) => `<div>${lines(c)}</div>`).join('')}</div>`,
    'a grid flowing by column': `<div style="display:grid;grid-auto-flow:column;grid-template-rows:repeat(4,1em)">${[...COLUMNS.join('')].map((d) => `<div>${d}</div>`).join('')}</div>`,
    'column-count': `<div style="column-count:4">${lines(COLUMNS.join(''))}</div>`,
    'inline blocks': `<p>${COLUMNS.map((c) => `<span style="display:inline-block">${lines(c)}</span>`).join('')}</p>`,
    '<pre> cells': `<table><tr>${COLUMNS.map((c) => `<td><pre>${[...c].join('\n')}</pre></td>`).join('')}</tr></table>`,
    'a hidden decoy': `<table><tr><td>4<br>1<b style="display:none">x<br>7</b><br>0<br>6</td>${COLUMNS.slice(
      1,
    )
      .map((c) => `<td>${lines(c)}</td>`)
      .join('')}</tr></table>`,
  };
  for (const [name, page] of Object.entries(pages))
    it(name, () => {
      const shown = shownRows(page);
      expect(shown.undecided).toBeUndefined();
      expect(shown.across).toBe(true);
    });

  it('adds no reading for a table of prose or one-line cells', () => {
    const prose = htmlShownTexts(
      '<table><tr><td>Head office<br>Market Street</td><td>Warehouse<br>Harbor Road</td></tr></table>',
    );
    expect(prose.texts).toHaveLength(1);
    const calendar = htmlShownTexts(
      `<table><tr>${[1, 2, 3, 4, 5, 6, 7].map((d) => `<td>${d}</td>`).join('')}</tr></table>`,
    );
    expect(calendar.texts).toHaveLength(1);
  });

  it('reads a large table of digit columns, bounded', () => {
    const row = `<tr>${COLUMNS.map((c) => `<td>${lines(c)}</td>`).join('')}</tr>`;
    const shown = htmlShownTexts(`<table>${row.repeat(5000)}</table>`);
    expect(shown.undecided).toBeUndefined();
    expect(shown.texts.some((t) => t.includes(ROWS))).toBe(true);
  });

  it('leaves a page undecided past the characters it cuts', () => {
    // Nested layout tables: each cell holds the row below it and a column of digits beside.
    const depth = 12;
    const filler = 'word '.repeat(MAX_ACROSS_CHARS / 5 / depth / 2);
    let page = `<p>${filler}</p>`;
    for (let i = 0; i < depth; i++)
      page = `<table><tr><td>1<br>2<br>${page}</td><td>3<br>4<br>${filler}</td></tr></table>`;
    expect(htmlShownTexts(page).undecided).toMatch(/boxes side by side to read across/);
  });
});
