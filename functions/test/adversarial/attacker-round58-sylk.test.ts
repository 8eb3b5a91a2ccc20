import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-8: a SYLK file under another name. `.slk` is blocked (Excel runs its `EXEC` and DDE
// formulas: the 2019 SYLK macro technique), but Excel recognises SYLK by its first record (`ID;P`) whatever the file
// is named: export.csv or prices.xls holding SYLK opens as SYLK. The spreadsheet-text reader looked for `=cmd|…`
// cells; a SYLK expression field is `E` then the formula (`ECMD|' /C calc'!A0`, `EEXEC("calc")`), so both passed.
const kit = attackerKit(useLocalStack());
const SYLK_DDE = "ID;P\r\nC;Y1;X1;K0;ECMD|' /C calc'!A0\r\nE\r\n";
const SYLK_MACRO =
  'ID;P\r\nO;E\r\nNN;NAuto_open;ER101C1\r\nC;X1;Y101;EEXEC("calc.exe")\r\nC;X1;Y102;EHALT()\r\nE\r\n';
const verdictOf = async (name: string, text: string) =>
  (await kit.inbound(attachedFile(name, Buffer.from(text))[0])).verdict;

describe('A58-8: SYLK content named as a spreadsheet Excel opens', () => {
  it('refuses export.csv holding a SYLK DDE formula', async () => {
    expect(await verdictOf('export.csv', SYLK_DDE)).toBe('BOUNCE');
  });
  it('refuses export.csv holding a SYLK auto-open macro', async () => {
    expect(await verdictOf('export.csv', SYLK_MACRO)).toBe('BOUNCE');
  });
  it('refuses prices.xls holding a SYLK macro', async () => {
    expect(await verdictOf('prices.xls', SYLK_MACRO)).toBe('BOUNCE');
  });
  it('(control) delivers a CSV whose first column is ID, comma- or semicolon-separated', async () => {
    expect(await verdictOf('ids.csv', 'ID,Name\r\n1,Ann\r\n')).toBe('DEFAULT');
    expect(await verdictOf('ids.csv', 'ID;Name\r\n1;Ann\r\n')).toBe('DEFAULT');
  });
});
