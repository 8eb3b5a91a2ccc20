import { describe, expect, it } from 'vitest';
import { excelFormattedTexts, odfFormattedTexts } from './excel-formats.js';

// Attacker round 93: an .xlsx cell drawn through a number format that writes digits of its own.
const styles = (code: string) =>
  `<numFmts><numFmt numFmtId="164" formatCode="${code.replaceAll('"', '&quot;')}"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>`;
const cell = (value: string, extra = '') => `<c r="B1" s="1"${extra}><v>${value}</v></c>`;

describe('excelFormattedTexts', () => {
  it('draws the value into the placeholders beside the written digits', () => {
    expect(excelFormattedTexts(styles('"4111 1111 1111 "0000'), [cell('1111')], '').text).toBe(
      '4111 1111 1111 1111',
    );
    expect(excelFormattedTexts(styles('\\4\\1\\1\\1 0000'), [cell('7')], '').text).toBe('4111 0007');
    expect(excelFormattedTexts(styles('"41"0000,'), [cell('1111499')], '').text).toBe('411111');
    expect(excelFormattedTexts(styles('"1 "#,##0.00'), [cell('1234567.891')], '').text).toBe(
      '1 1,234,567.89',
    );
  });
  it('reads every section, and a text section around a shared string', () => {
    expect(excelFormattedTexts(styles('"9"0;"4"0'), [cell('-5')], '').text).toBe('95\n45');
    const shared = '<sst><si><t>a</t></si><si><r><t>11</t></r><rPh><t>x</t></rPh><r><t>11</t></r></si></sst>';
    expect(excelFormattedTexts(styles('0;0;0;"4111 "@'), [cell('1', ' t="s"')], shared).text).toBe(
      '4111 1111',
    );
  });
  it('reads nothing where no format writes a digit, or no cell uses one', () => {
    expect(excelFormattedTexts(styles('[$€-407] #,##0.00'), [cell('4111')], '').text).toBe('');
    expect(excelFormattedTexts(styles('"4111 "0000'), ['<c r="A1" s="0"><v>1111</v></c>'], '').text).toBe('');
  });
  it('is unread beside a date', () => {
    expect(excelFormattedTexts(styles('"4111 "yyyy'), [cell('45000')], '').unread).toMatch(/date/);
  });
  // Its growth on an input four times as large is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('refuses more unclosed formatted cells than it draws', () => {
    const n = 200_000;
    const read = excelFormattedTexts(
      styles('"4"0'),
      ['<c s="1">'.repeat(n), '<c s="1" t="s"><v>0'.repeat(n / 4)],
      '<si>'.repeat(n),
    );
    expect(read.unread).toMatch(/too many formatted cells/);
  });
});

describe('odfFormattedTexts', () => {
  const style = (inner: string, kind = 'number') =>
    `<number:${kind}-style style:name="N1">${inner}</number:${kind}-style>`;
  it('draws every value through a style writing digits', () => {
    const s = style(
      '<number:text>4111 </number:text><number:number number:min-integer-digits="4" number:grouping="true"/>',
    );
    expect(odfFormattedTexts([s, '<c office:value="7"/><c office:value="1234567"/>']).text).toBe(
      '4111 0,007\n4111 1,234,567',
    );
  });
  it('scales a percentage and reads nothing where no style writes a digit', () => {
    const s = style(
      '<number:text>1 </number:text><number:number number:decimal-places="1"/><number:text>%</number:text>',
      'percentage',
    );
    expect(odfFormattedTexts([s, '<c office:value="0.125"/>']).text).toBe('1 12.5%');
    expect(odfFormattedTexts([style('<number:number/>'), '<c office:value="1"/>']).text).toBe('');
  });
  it('is unread beside a date', () => {
    expect(odfFormattedTexts([style('<number:text>4 </number:text><number:year/>', 'date')]).unread).toMatch(
      /date/,
    );
  });
});
