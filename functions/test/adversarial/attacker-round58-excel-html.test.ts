import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-7: a workbook Excel saved as a web page keeps each cell's formula in `x:fmla`. Excel opens
// such a page named .xls (or .xlsx, .htm in Excel's hands) as a workbook and computes its formulas, so
// `x:fmla="=cmd|' /C calc'!A0"` is the DDE formula rounds 50 and 51 refused in .csv, .xlsx and Excel 2003 XML.
const kit = attackerKit(useLocalStack());
const page = (cell: string) =>
  Buffer.from(
    `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40"><head><meta name=ProgId content=Excel.Sheet></head><body><table><tr>${cell}</tr></table></body></html>`,
  );
const verdictOf = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

describe('A58-7: a DDE formula in a workbook saved as a web page', () => {
  it('refuses prices.xls whose cell formula is x:fmla="=cmd|..."', async () => {
    expect(await verdictOf('prices.xls', page(`<td x:fmla="=cmd|' /C calc'!A0">0</td>`))).toBe('BOUNCE');
  });
  it('refuses it with the formula written by references', async () => {
    expect(await verdictOf('prices.xls', page(`<td x:fmla="=cmd&#124;' /C calc'!A0">0</td>`))).toBe('BOUNCE');
  });
  it('(control) delivers a web-page workbook that sums', async () => {
    expect(await verdictOf('prices.xls', page('<td x:num x:fmla="=SUM(A1:A2)">3</td>'))).toBe('DEFAULT');
  });
});
