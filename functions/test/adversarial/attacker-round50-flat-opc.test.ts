import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { flatBinaryPart, flatXmlPart } from './office-builders.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const PKG = 'http://schemas.microsoft.com/office/2006/xmlPackage';
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const document =
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p></w:body></w:document>';
const workbook = zipFile([
  {
    name: 'xl/sharedStrings.xml',
    data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${CARD}</t></si></sst>`,
  },
  { name: 'xl/workbook.xml', data: '<workbook/>' },
]);
const xmlPart = flatXmlPart;
const binaryPart = flatBinaryPart;
const flatOpc = (parts: string, prolog = '', declaration = '<?xml version="1.0" standalone="yes"?>') =>
  `${declaration}${prolog}<?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="${PKG}">${xmlPart('/word/document.xml', document)}${parts}</pkg:package>`;
const embeddedWorkbook = binaryPart('/word/embeddings/Microsoft_Excel_Worksheet.xlsx', workbook);
const packagedScript = binaryPart(
  '/word/embeddings/oleObject1.bin',
  olePackageObject('invoice.vbs', Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n')),
);

// A50-11 (medium): XML in UTF-16 without a byte order mark (XML 1.0 appendix F: `<\0?\0`, declared UTF-16) is read
// by Word, and by the guard's xmlText; the DLP decodes the attachment as UTF-8 (visible-text.ts:476-487) and tests
// the NUL-interleaved text with isFlatOpcPackage (visible-text.ts:511): the base64 parts are never read.
describe('A50-11: the DLP reads a Flat OPC document in UTF-16 without a byte order mark', () => {
  const utf16 = (text: string) => Buffer.from(text, 'utf16le');
  const declaration = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>';
  it('bounces an outgoing UTF-16LE .xml embedding a workbook with a card', async () => {
    const file = utf16(flatOpc(embeddedWorkbook, '', declaration));
    expect(await kit.outbound(outboundFile('Report.xml', file))).toBe('BOUNCE');
  });
  it('(control) the guard reads the same encoding', async () => {
    expect(await verdict('Invoice.xml', utf16(flatOpc(packagedScript, '', declaration)), 'text/xml')).toBe(
      'BOUNCE',
    );
  });
});

// A50-10 (medium; speculative: whether Word opens an XML document with a DTD is not verified, Office's OOXML
// parts refuse one, Flat OPC via the mso-application handler may not): PROLOG (flat-opc.ts:9) ends a doctype at its
// first `>`, so an internal subset (`[<!ENTITY a "b">]`) leaves `]>` before the root: isFlatOpcHead and
// isFlatOpcPackage say no Flat OPC, for the guard and the DLP alike. `not knowing` should hold: a doctype whose
// subset cannot be skipped is no reason to read the document as plain XML.
describe('A50-10: a Flat OPC document whose doctype has an internal subset', () => {
  const doctype = '<!DOCTYPE pkg:package [<!ENTITY a "b">]>';
  it('bounces an .xml embedding a packaged script', async () => {
    expect(await verdict('Invoice.xml', Buffer.from(flatOpc(packagedScript, doctype)), 'text/xml')).toBe(
      'BOUNCE',
    );
  });
  it('bounces an outgoing .xml embedding a workbook with a card', async () => {
    expect(
      await kit.outbound(outboundFile('Report.xml', Buffer.from(flatOpc(embeddedWorkbook, doctype)))),
    ).toBe('BOUNCE');
  });
});
