import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
// A50-8: Excel's DDE starts a program named in a formula or a workbook's external link, after prompts.
describe('A50-8: Excel DDE links', () => {
  it('bounces an .xlsx whose external link is a DDE link to cmd', async () => {
    const file = zipFile([
      {
        name: 'xl/workbook.xml',
        data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets><externalReferences><externalReference r:id="rId2"/></externalReferences></workbook>',
      },
      {
        name: 'xl/externalLinks/externalLink1.xml',
        data: '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd" ddeTopic="/c calc"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems></ddeLink></externalLink>',
      },
    ]);
    expect(
      await verdict(
        'Invoice.xlsx',
        file,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ),
    ).toBe('BOUNCE');
  });
  it("bounces a .csv with a cell =cmd|'/c calc'!A0, and one @SUM(cmd|...)", async () => {
    expect(await verdict('Totals.csv', Buffer.from("a;b\r\n1;@SUM(cmd|' /C calc'!A0)\r\n"), 'text/csv')).toBe(
      'BOUNCE',
    );
    expect(
      await verdict('Invoice.csv', Buffer.from("Item,Total\r\n=cmd|'/c calc'!A0,1\r\n"), 'text/csv'),
    ).toBe('BOUNCE');
  });
  it('(control) sends a .csv with formulas and pipes that are no DDE reference', async () => {
    expect(
      await verdict('Totals.csv', Buffer.from('Item,Total,Note\r\nA,=SUM(B1:B3),"a | b"\r\n'), 'text/csv'),
    ).toBe('DEFAULT');
  });
});
