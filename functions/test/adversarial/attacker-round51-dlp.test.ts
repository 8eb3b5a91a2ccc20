import { deflateSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const wordMl = (body: string) =>
  Buffer.from(
    `<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p>${body}</w:body></w:wordDocument>`,
  );
const book = zipFile([
  {
    name: '[Content_Types].xml',
    data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  },
  {
    name: 'xl/workbook.xml',
    data: '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>',
  },
  {
    name: 'xl/sharedStrings.xml',
    data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${CARD}</t></si></sst>`,
  },
]);
// An ActiveMime container as word-markup.ts:80 reads one: the magic, a header, zlib data.
const activeMime = (bytes: Buffer) =>
  Buffer.concat([Buffer.from('ActiveMime'), Buffer.alloc(40), deflateSync(bytes)]);

// A51-12 (high, DLP): outbound-policy reads a Flat OPC document's binary parts (visible-text.ts:514-515,
// packed-text.ts:210) but not a Word 2003 XML document's w:binData, which the guard now decodes (word-markup.ts:50):
// a workbook embedded in Report.xml / Report.doc, with a card number, leaves.
describe('A51-12: DLP of Word 2003 XML w:binData', () => {
  it('bounces a Word 2003 .xml whose w:binData is a workbook holding a card number', async () => {
    const file = wordMl(
      `<w:binData w:name="wordml://Microsoft_Excel_Worksheet1.xlsx">${book.toString('base64')}</w:binData>`,
    );
    expect(await kit.outbound(outboundFile('Report.xml', file, 'text/xml'))).toBe('BOUNCE');
  });
  it('bounces a Word 2003 .doc whose oledata.mso (ActiveMime) holds that workbook', async () => {
    const file = wordMl(`<w:binData w:name="oledata.mso">${activeMime(book).toString('base64')}</w:binData>`);
    expect(await kit.outbound(outboundFile('Report.doc', file, 'application/msword'))).toBe('BOUNCE');
  });
  it('(control) bounces the card in the document text', async () => {
    expect(
      await kit.outbound(
        outboundFile('Report.xml', wordMl(`<w:p><w:r><w:t>${CARD}</w:t></w:r></w:p>`), 'text/xml'),
      ),
    ).toBe('BOUNCE');
  });
});
