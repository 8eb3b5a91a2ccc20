import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);

const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"';
const SPREADSHEET = 'application/vnd.oasis.opendocument.spreadsheet';
const body = (cells: string) =>
  `<office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>Customer card</text:p></table:table-cell>${cells}</table:table-row></table:table></office:spreadsheet></office:body>`;
// A zipped OpenDocument spreadsheet (.ods) whose first row holds `cells` after a label.
const ods = (cells: string) =>
  zipFile([
    { name: 'mimetype', data: SPREADSHEET, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: `<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${SPREADSHEET}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: `<?xml version="1.0"?><office:document-content ${NS}>${body(cells)}</office:document-content>`,
    },
  ]);
// The same as a Flat OpenDocument spreadsheet (.fods): one XML file.
const fods = (cells: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><office:document ${NS} office:mimetype="${SPREADSHEET}">${body(cells)}</office:document>`,
  );
const number = (value: string, shown: string, type = 'float') =>
  `<table:table-cell office:value-type="${type}" office:value="${value}"><text:p>${shown}</text:p></table:table-cell>`;
const CARD = '4111111111111111';

// A55-5 (medium-high, DLP, careless insider): a card number typed into a LibreOffice Calc cell is a number. The
// spreadsheet keeps it in the cell's `office:value` attribute and writes the cell's text (`text:p`) as displayed:
// `4.11111E+15` in a standard-width column, `###` when too narrow. The DLP's OpenDocument reading (xml-shown.ts)
// took element text and a few attributes, not the cell's values, so the card left. LibreOffice loads the value:
// the recipient sees 4111111111111111 in the input line, or in the cell once the column is widened. A formula's
// result is kept the same way, and a string cell's `office:string-value` is its string (an IBAN behind a label).
// A Flat OpenDocument (.fods, one XML file, sent as octet-stream) was read as written and as an HTML page: its
// values only as raw attribute text, so one written with a reference or in another form than its digits left.
// Both now read the cells' values (and formulas) beside their text, an exponent-form integer also as its digits.
describe('A55-5: a card kept as a cell value of an OpenDocument spreadsheet', () => {
  const cases: Record<string, string> = {
    'a float cell shown as 4.11111E+15': number(CARD, '4.11111E+15'),
    'a float cell shown as 4.11111111111111E+015': number(CARD, '4.11111111111111E+015'),
    'a currency cell shown as ###': number(CARD, '###', 'currency'),
    'a percentage cell shown as ###': number(CARD, '###', 'percentage'),
    'a value written in exponent form (4.111111111111111E+15)': number(
      '4.111111111111111E+15',
      '4.11111E+15',
    ),
    'a value written with a decimal part (4111111111111111.0)': number(`${CARD}.0`, '4.11111E+15'),
    'a value written with a negative exponent (4111111111111111000E-3)': number(
      `${CARD}000E-3`,
      '4.11111E+15',
    ),
    'a value written with a character reference (&#52;111…)': number(`&#52;${CARD.slice(1)}`, '4.11111E+15'),
    'a self-closing cell (no text at all)': `<table:table-cell office:value-type="float" office:value="${CARD}"/>`,
    'a formula whose result is the card (=4111111111111110+1)': `<table:table-cell table:formula="of:=4111111111111110+1" office:value-type="float" office:value="${CARD}"><text:p>4.11111E+15</text:p></table:table-cell>`,
    'the value after a decoy attribute of the same local name': `<table:table-cell x:value="1" office:value-type="float" office:value="${CARD}"><text:p>1</text:p></table:table-cell>`,
    'a string cell whose office:string-value is the card': `<table:table-cell office:value-type="string" office:string-value="4111 1111 1111 1111"><text:p>see sheet 2</text:p></table:table-cell>`,
  };
  for (const [how, cells] of Object.entries(cases)) {
    it(`bounces cards.ods: ${how}`, async () => {
      expect(await kit.outbound(outboundFile('cards.ods', ods(cells)))).toBe('BOUNCE');
    });
    it(`bounces cards.fods (flat): ${how}`, async () => {
      expect(await kit.outbound(outboundFile('cards.fods', fods(cells)))).toBe('BOUNCE');
    });
  }
  it('bounces a string cell whose office:string-value holds an IBAN (.ods and .fods)', async () => {
    const cell =
      '<table:table-cell office:value-type="string" office:string-value="DE89 3704 0044 0532 0130 00"><text:p>see sheet 2</text:p></table:table-cell>';
    expect(await kit.outbound(outboundFile('ibans.ods', ods(cell)))).toBe('BOUNCE');
    expect(await kit.outbound(outboundFile('ibans.fods', fods(cell)))).toBe('BOUNCE');
  });
  it('(control) bounces the card as the cell text', async () => {
    expect(await kit.outbound(outboundFile('cards.ods', ods(number(CARD, CARD))))).toBe('BOUNCE');
    expect(await kit.outbound(outboundFile('cards.fods', fods(number(CARD, CARD))))).toBe('BOUNCE');
  });
  it('(control) sends a spreadsheet of ordinary numbers, dates, times, booleans and formulas', async () => {
    const cells =
      number('1234.5', '1,234.50') +
      number('1.5E+20', '1.5E+20') +
      number('4111', '4111') +
      number('1111', '1111') +
      number('0.05', '5%', 'percentage') +
      '<table:table-cell office:value-type="date" office:date-value="2024-01-15"><text:p>15/01/24</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="time" office:time-value="PT12H30M00S"><text:p>12:30</text:p></table:table-cell>' +
      '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>' +
      '<table:table-cell table:formula="of:=SUM([.B1:.E1])" office:value-type="float" office:value="6457.5"><text:p>6457.5</text:p></table:table-cell>';
    expect(await kit.outbound(outboundFile('sums.ods', ods(cells)))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('sums.fods', fods(cells)))).toBe('DEFAULT');
  });
});
