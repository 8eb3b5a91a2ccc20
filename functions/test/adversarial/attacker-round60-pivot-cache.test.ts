import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 60, A60-5 (high, DLP, careless insider): a pivot table's cache. A sender summarises a sheet of
// payments with a pivot table (totals by customer), deletes or hides the sheet of card numbers, and sends the
// "summary only" workbook. Excel saves the pivot's source rows with the file by default ("Save source data with
// file"): each distinct value in the pivotCacheDefinition's shared items (`<s v="4111 1111 1111 1111"/>`), each row in
// pivotCacheRecords (`<s v="…"/>`, `<n v="378282246310005"/>`). The recipient double-clicks a total (Show Details)
// and Excel lays the rows out as a new sheet, cards included; a slicer or filter drop-down lists them too. The DLP
// read an .xlsx part's text and a few attributes, not these values (attributes named `v`), so the cards left. Pivot
// cache items' values are now read, each apart, a number in exponent form also as its digits (xml-shown.ts
// pivotItem). Each attack was sent (DEFAULT) before the fix; each control is as before.
const stack = useLocalStack();
const kit = attackerKit(stack);

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
// A workbook whose only sheet shows the pivot's totals, with the pivot cache parts given.
const workbook = (parts: Record<string, string>) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    {
      name: 'xl/workbook.xml',
      data: `<workbook ${NS}><sheets><sheet name="Summary" sheetId="2" r:id="rId2"/></sheets><pivotCaches><pivotCache cacheId="1" r:id="rId3"/></pivotCaches></workbook>`,
    },
    {
      name: 'xl/worksheets/sheet2.xml',
      data: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Customer</t></is></c><c r="B1" t="inlineStr"><is><t>Total</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Jane Roe</t></is></c><c r="B2"><v>1250.5</v></c></row></sheetData></worksheet>`,
    },
    ...Object.entries(parts).map(([name, data]) => ({ name, data })),
  ]);
const definition = (items: string) =>
  `<pivotCacheDefinition ${NS} r:id="rId1" refreshOnLoad="0" recordCount="1"><cacheSource type="worksheet"><worksheetSource ref="A1:C2" sheet="Payments"/></cacheSource><cacheFields count="3"><cacheField name="Customer" numFmtId="0"><sharedItems><s v="Jane Roe"/></sharedItems></cacheField><cacheField name="Card" numFmtId="0">${items}</cacheField><cacheField name="Amount" numFmtId="0"><sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" minValue="1250.5" maxValue="1250.5"/></cacheField></cacheFields></pivotCacheDefinition>`;
const records = (row: string) =>
  `<pivotCacheRecords ${NS} count="1"><r><x v="0"/>${row}<n v="1250.5"/></r></pivotCacheRecords>`;

describe('A60-5: cards kept in a pivot table’s cache', () => {
  const cases: Record<string, Record<string, string>> = {
    'a shared item of the definition': {
      'xl/pivotCache/pivotCacheDefinition1.xml': definition(
        '<sharedItems><s v="4111 1111 1111 1111"/></sharedItems>',
      ),
    },
    'a string in the records': {
      'xl/pivotCache/pivotCacheDefinition1.xml': definition('<sharedItems/>'),
      'xl/pivotCache/pivotCacheRecords1.xml': records('<s v="4111-1111-1111-1111"/>'),
    },
    'a number in the records (an American Express number typed as one)': {
      'xl/pivotCache/pivotCacheRecords1.xml': records('<n v="378282246310005"/>'),
    },
    'a number in exponent form among shared items': {
      'xl/pivotCache/pivotCacheDefinition1.xml': definition(
        '<sharedItems containsNumber="1"><n v="3.78282246310005E+14"/></sharedItems>',
      ),
    },
    'an IBAN in the records': {
      'xl/pivotCache/pivotCacheRecords1.xml': records('<s v="DE89 3704 0044 0532 0130 00"/>'),
    },
  };
  for (const [how, parts] of Object.entries(cases))
    it(`bounces summary.xlsx: ${how}`, async () => {
      expect(await kit.outbound(outboundFile('summary.xlsx', workbook(parts)))).toBe('BOUNCE');
    });
  it('(control) sends a pivot of customers, order numbers, dates, amounts and phone numbers', async () => {
    const parts = {
      'xl/pivotCache/pivotCacheDefinition1.xml': definition(
        '<sharedItems><s v="Order 20261206-0042"/><s v="+44 20 7946 0958"/><n v="4111"/><n v="1111"/></sharedItems>',
      ),
      'xl/pivotCache/pivotCacheRecords1.xml': records(
        '<x v="1"/><d v="2026-12-06T00:00:00"/><n v="1234567890"/><n v="4.5E+3"/><s v="1Z999AA10123456784"/>',
      ),
    };
    expect(await kit.outbound(outboundFile('summary.xlsx', workbook(parts)))).toBe('DEFAULT');
  });
});
