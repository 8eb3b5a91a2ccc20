import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A50-16 (high): a Flat OPC part's binaryData is XML text: an XML parser (Word's) replaces character references
// (`&#x30;` is `0`) before the base64 is decoded. eachFlatOpcPart decodes the raw text (flat-opc.ts:92:
// `Buffer.from(inner.replace(/\s+/g, ''), 'base64')`): Node's decoder skips `&`, `#` and `;` and decodes `x30` as
// base64, so the bytes shift and the part no longer starts as a compound file: the packaged script goes unseen and
// the guard delivers it. (The DLP fails closed on the unknown bytes: its control passes.)
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const PKG = 'http://schemas.microsoft.com/office/2006/xmlPackage';
const document =
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p></w:body></w:document>';
// The base64 of `bytes` with its first character written as a character reference.
const referenced = (bytes: Buffer) => {
  const b64 = bytes.toString('base64');
  return `&#x${b64.charCodeAt(0).toString(16)};${b64.slice(1)}`;
};
const flatOpc = (name: string, base64: string) =>
  Buffer.from(
    `<?xml version="1.0" standalone="yes"?><?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="${PKG}"><pkg:part pkg:name="/word/document.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"><pkg:xmlData>${document}</pkg:xmlData></pkg:part><pkg:part pkg:name="${name}" pkg:contentType="application/vnd.openxmlformats-officedocument.oleObject"><pkg:binaryData>${base64}</pkg:binaryData></pkg:part></pkg:package>`,
  );
const ole = olePackageObject('invoice.vbs', Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n'));
const workbook = zipFile([
  {
    name: 'xl/sharedStrings.xml',
    data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${CARD}</t></si></sst>`,
  },
  { name: 'xl/workbook.xml', data: '<workbook/>' },
]);

describe('A50-16: a Flat OPC binary part whose base64 holds a character reference', () => {
  it('bounces an .xml embedding a packaged script', async () => {
    const file = flatOpc('/word/embeddings/oleObject1.bin', referenced(ole));
    expect((await kit.inbound(attachedFile('Invoice.xml', file, 'text/xml')[0])).verdict).toBe('BOUNCE');
  });
  it('bounces an .xml embedding a packaged script whose base64 is a CDATA section', async () => {
    const file = flatOpc('/word/embeddings/oleObject1.bin', `<![CDATA[${ole.toString('base64')}]]>`);
    expect((await kit.inbound(attachedFile('Invoice.xml', file, 'text/xml')[0])).verdict).toBe('BOUNCE');
  });
  it('bounces an .xml embedding a packaged script whose base64 begins with a comment', async () => {
    const file = flatOpc('/word/embeddings/oleObject1.bin', `<!--a-->${ole.toString('base64')}`);
    expect((await kit.inbound(attachedFile('Invoice.xml', file, 'text/xml')[0])).verdict).toBe('BOUNCE');
  });
  it('(control) the DLP bounces the outgoing .doc embedding a workbook with a card (it fails closed on the unknown bytes)', async () => {
    const file = flatOpc('/word/embeddings/Microsoft_Excel_Worksheet.xlsx', referenced(workbook));
    expect(await kit.outbound(outboundFile('Report.doc', file))).toBe('BOUNCE');
  });
  it('(control) bounces both written plainly', async () => {
    const script = flatOpc('/word/embeddings/oleObject1.bin', ole.toString('base64'));
    expect((await kit.inbound(attachedFile('Invoice.xml', script, 'text/xml')[0])).verdict).toBe('BOUNCE');
    const book = flatOpc('/word/embeddings/Microsoft_Excel_Worksheet.xlsx', workbook.toString('base64'));
    expect(await kit.outbound(outboundFile('Report.doc', book))).toBe('BOUNCE');
  });
});
