import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 120 (DLP, an inside user sending a card out through outbound-policy at its defaults): a card in a
// spreadsheet row whose cells are text. An .xlsx keeps a text cell's text in the workbook's shared strings, in the
// order the workbook first met each string, and only its index in the cell; each XML part was read apart, so a row
// read `4539 1488 6467` beside the index of its text cell, and the strings read in their own order. Excel shows the
// row `4539 | 1488 | 0343 | 6467` (the third cell a text for its leading zero), a Visa number: sent.
const kit = attackerKit(useLocalStack());
const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

interface Book {
  sheet: string;
  strings?: readonly string[];
  styles?: string;
  cols?: string;
}

function xlsx({ sheet, strings = [], styles, cols = '' }: Book): Buffer {
  return zipFile([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    },
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${S}><sheets><sheet name="Q3" sheetId="1"/></sheets></workbook>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `<sst ${S} count="${strings.length}">${strings.map((t) => `<si><t xml:space="preserve">${t}</t></si>`).join('')}</sst>`,
    },
    ...(styles ? [{ name: 'xl/styles.xml', data: `<styleSheet ${S}>${styles}</styleSheet>` }] : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet ${S}>${cols}<sheetData>${sheet}</sheetData></worksheet>`,
    },
  ]);
}

// A row of cells: a number (`4539`), a shared string by index (`s:2`), an inline string (`i:0343`), styled (`…@1`).
function row(r: number, cells: readonly string[]): string {
  const letters = 'ABCDEFGHIJ';
  const body = cells
    .map((cell, i) => {
      const [value, style] = cell.split('@');
      const ref = `${letters[i]}${r}`;
      const s = style ? ` s="${style}"` : '';
      if (value?.startsWith('s:')) return `<c r="${ref}" t="s"${s}><v>${value.slice(2)}</v></c>`;
      if (value?.startsWith('i:'))
        return `<c r="${ref}" t="inlineStr"${s}><is><t>${value.slice(2)}</t></is></c>`;
      return `<c r="${ref}"${s}><v>${value}</v></c>`;
    })
    .join('');
  return `<row r="${r}">${body}</row>`;
}

const book = (b: Book) => outboundFile('q3-report.xlsx', xlsx(b));

describe('A120-1: a card in a spreadsheet row of text cells (bounced)', () => {
  const cases: Record<string, Buffer> = {
    'numbers beside a text cell (a group with a leading zero)': book({
      sheet: row(1, ['4539', '1488', 's:0', '6467']),
      strings: ['0343'],
    }),
    'text cells whose strings the workbook met in another order': book({
      sheet: row(1, ['s:2', 's:0', 's:3', 's:1']),
      strings: ['1488', '6467', '4539', '0343'],
    }),
    'text cells met first in another sheet row (a label row above)': book({
      sheet: row(1, ['s:4', 's:0']) + row(2, ['s:2', 's:0', 's:3', 's:1']),
      strings: ['1488', '6467', '4539', '0343', 'Card'],
    }),
    'text cells written out of column order': book({
      sheet:
        '<row r="1"><c r="C1" t="s"><v>3</v></c><c r="A1" t="s"><v>2</v></c><c r="D1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>',
      strings: ['1488', '6467', '4539', '0343'],
    }),
    'a label cell, then the groups as text beside numbers': book({
      sheet: row(1, ['s:0', '4539', 's:1', 's:2', '6467']),
      strings: ['Card on file', '1488', '0343'],
    }),
    'one text cell holding two groups beside two numbers': book({
      sheet: row(1, ['4539', 's:0', '6467']),
      strings: ['1488 0343'],
    }),
    'a decoy number in a hidden column between the groups': book({
      cols: '<cols><col min="2" max="2" hidden="1" width="9"/></cols>',
      sheet: row(1, ['4111', '7', '1111', '1111', '1111']),
    }),
    'a decoy text in a column of zero width': book({
      cols: '<cols><col min="3" max="3" width="0" customWidth="1"/></cols>',
      sheet: row(1, ['s:2', 's:0', 's:4', 's:3', 's:1']),
      strings: ['1488', '6467', '4539', '0343', '7'],
    }),
    'a decoy number formatted ;;; (shows nothing) between text groups': book({
      styles:
        '<numFmts count="1"><numFmt numFmtId="164" formatCode=";;;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>',
      sheet: row(1, ['s:2', 's:0', '7@1', 's:3', 's:1']),
      strings: ['1488', '6467', '4539', '0343'],
    }),
    'a decoy number in a white font between text groups': book({
      styles:
        '<fonts count="2"><font><sz val="11"/></font><font><color rgb="FFFFFFFF"/><sz val="11"/></font></fonts><cellXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1" applyFont="1"/></cellXfs>',
      sheet: row(1, ['s:2', 's:0', '7@1', 's:3', 's:1']),
      strings: ['1488', '6467', '4539', '0343'],
    }),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('held: four number cells in a row (read since round 28)', async () => {
    expect(await kit.outbound(book({ sheet: row(1, ['4111', '1111', '1111', '1111']) }))).toBe('BOUNCE');
  });
  it('held: inline string cells in order', async () => {
    expect(await kit.outbound(book({ sheet: row(1, ['i:4539', 'i:1488', 'i:0343', 'i:6467']) }))).toBe(
      'BOUNCE',
    );
  });
});

describe('A120-1 controls (sent)', () => {
  const controls: Record<string, Buffer> = {
    'an invoice register: labels, dates, order numbers and amounts': book({
      sheet: [
        row(1, ['s:0', 's:1', 's:2', 's:3']),
        row(2, ['s:4', '46023', 's:5', '1250.5']),
        row(3, ['s:6', '46024', 's:7', '980']),
        row(4, ['s:8', '46027', 's:9', '15320.75']),
      ].join(''),
      strings: [
        'Invoice',
        'Date',
        'Order',
        'Amount',
        'INV-0343',
        'PO 2026-1488',
        'INV-0344',
        'PO 2026-1490',
        'INV-0345',
        'PO 2026-1502',
      ],
    }),
    'a staff list with phone extensions and postcodes as text': book({
      sheet: [
        row(1, ['s:0', 's:1', 's:2']),
        row(2, ['s:3', 's:4', 's:5']),
        row(3, ['s:6', 's:7', 's:8']),
      ].join(''),
      strings: ['Name', 'Extension', 'Postcode', 'Ann Lee', '0343', '10115', 'Bo Chen', '0344', '20095'],
    }),
    // Found while fixing: cells one space apart read a Berlin number and its extension as a Visa number. (The
    // strings are met in another order here: written in row order, the shared strings alone read them so, as before.)
    'a phone list: a number, then its extension in the next cell': book({
      sheet: [row(1, ['s:2', 's:3', 's:0']), row(2, ['s:4', 's:5', 's:1'])].join(''),
      strings: ['7287', '0300', 'Femi Ade', '+49 30 7046 6376', 'Bo Chen', '+49 30 7926 1768'],
    }),
    // Found while fixing: a row's last figures and the next row's year read as one number across the row break.
    'quarterly figures whose row ends where the next row’s year begins': book({
      sheet: [
        row(1, ['2026', 's:0', '4967', '5585', 's:1']),
        row(2, ['2020', 's:2', '9058', '1685', 's:3']),
      ].join(''),
      strings: ['Q1', '0767', 'Q3', '0048'],
    }),
    'a price list with product codes as text beside prices': book({
      sheet: [row(1, ['s:0', '12.5', '3']), row(2, ['s:1', '7.25', '12']), row(3, ['s:2', '199', '1'])].join(
        '',
      ),
      strings: ['SKU-4539', 'SKU-1488', 'SKU-0343'],
    }),
  };
  for (const [name, message] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
  }
});
