import { describe, expect, it } from 'vitest';
import { excelRowTexts } from './excel-rows.js';

// Attacker round 120: an .xlsx workbook's rows as Excel shows them, text cells' shared strings in place.
const SST = '<sst><si><t>1488</t></si><si><r><t>03</t></r><r><t>43</t></r></si><si><t>Card</t></si></sst>';

describe('excelRowTexts', () => {
  it('reads a row of numbers and shared strings in column order, cells joined as a table’s', () => {
    const sheet =
      '<sheetData><row r="1"><c r="D1"><v>6467</v></c><c r="A1"><v>4539</v></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row></sheetData>';
    expect(excelRowTexts([sheet], SST, '')).toEqual({ all: '4539 | 1488 | 0343 | 6467\n;\n' });
  });
  it('keeps rows apart and reads inline strings, booleans and formula texts', () => {
    const sheet =
      '<row><c t="inlineStr"><is><t>a</t></is></c><c t="b"><v>1</v></c></row><row><c t="str"><f>X</f><v>b</v></c></row>';
    expect(excelRowTexts([sheet], '', '').all).toBe('a | TRUE\n;\nb\n;\n');
  });
  it('reads a row also without hidden columns, hidden rows and cells formatted ;;;', () => {
    const styles =
      '<numFmts><numFmt numFmtId="164" formatCode=";;;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>';
    const sheet =
      '<cols><col min="2" max="2" hidden="1"/></cols><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1" s="1"><v>3</v></c><c r="D1"><v>4</v></c></row><row r="2" hidden="1"><c r="A2"><v>5</v></c></row></sheetData>';
    expect(excelRowTexts([sheet], '', styles)).toEqual({
      all: '1 | 2 | 3 | 4\n;\n5\n;\n',
      shown: '1 | 4\n;\n',
    });
  });
  it('keeps the first and last 32 characters of a long cell', () => {
    const long = `${'a'.repeat(40)}${'b'.repeat(40)}`;
    const text = excelRowTexts([`<row><c t="inlineStr"><is><t>${long}</t></is></c></row>`], '', '').all;
    expect(text).toBe(`${'a'.repeat(32)} \u00b6 ${'b'.repeat(32)}\n;\n`);
  });
});

describe('excelRowTexts: white fonts', () => {
  it('leaves a cell in a white font out of the shown reading', () => {
    const styles =
      '<fonts count="2"><font><sz val="11"/></font><font><color rgb="FFFFFFFF"/></font></fonts><cellXfs><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/></cellXfs>';
    const sheet = '<row><c><v>1</v></c><c s="1"><v>2</v></c><c><v>3</v></c></row>';
    expect(excelRowTexts([sheet], '', styles)).toEqual({ all: '1 | 2 | 3\n;\n', shown: '1 | 3\n;\n' });
  });
  it('reads a font coloured otherwise, or one whose colour comes after its own end, as shown', () => {
    const styles =
      '<fonts><font/><font><color rgb="FF000000"/></font></fonts><cellXfs><xf fontId="0"/><xf fontId="1"/></cellXfs>';
    expect(excelRowTexts(['<row><c s="1"><v>2</v></c><c s="0"><v>3</v></c></row>'], '', styles)).toEqual({
      all: '2 | 3\n;\n',
    });
  });
});
