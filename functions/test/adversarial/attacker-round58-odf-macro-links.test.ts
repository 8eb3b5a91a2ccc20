import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-9: a hyperlink whose address is a macro. LibreOffice runs a `vnd.sun.star.script:` or
// `macro:` URL it is sent to by a click on a link (`text:a`, a shape's `draw:a`), as it runs one bound to an event
// (CVE-2019-9848/9850: a shipped Python script with the document's arguments); it opens .docx files too, where such
// a link is a hyperlink relationship or a HYPERLINK field. Round 53 refused event listeners that run a macro, and
// ppaction://macro in OOXML; the same URL in a plain hyperlink was delivered.
const kit = attackerKit(useLocalStack());
const ODT = 'application/vnd.oasis.opendocument.text';
const NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"';
const odt = (body: string) =>
  zipFile([
    { name: 'mimetype', data: ODT, method: 0 },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.3"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
    },
  ]);
const link = (href: string) =>
  `<text:p><text:a xlink:type="simple" xlink:href="${href}">Open the invoice</text:a></text:p>`;
const verdictOf = async (file: Buffer) => (await kit.inbound(attachedFile('invoice.odt', file)[0])).verdict;

describe('A58-9: an OpenDocument hyperlink to a macro', () => {
  it('refuses a link to a document Basic macro', async () => {
    expect(
      await verdictOf(
        odt(link('vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document')),
      ),
    ).toBe('BOUNCE');
  });
  it('refuses a link to a shipped Python script', async () => {
    expect(
      await verdictOf(
        odt(
          link('vnd.sun.star.script:LibreLogo|LibreLogo.py$commandline?language=Python&amp;location=share'),
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('refuses a shape link written macro:', async () => {
    expect(
      await verdictOf(
        odt('<text:p><draw:a xlink:href="macro:///Standard.Module1.Main"><draw:frame/></draw:a></text:p>'),
      ),
    ).toBe('BOUNCE');
  });
  it('(control) delivers links to a web page and a mailbox', async () => {
    expect(await verdictOf(odt(link('https://vendor.example/i') + link('mailto:ap@vendor.example')))).toBe(
      'DEFAULT',
    );
  });
});

describe('A58-9: an OOXML hyperlink to a macro, followed by LibreOffice', () => {
  const docx = (target: string) =>
    zipFile([
      {
        name: 'word/document.xml',
        data: '<w:document><w:body><w:p><w:hyperlink r:id="rId9"><w:r><w:t>Open the invoice</w:t></w:r></w:hyperlink></w:p></w:body></w:document>',
      },
      {
        name: 'word/_rels/document.xml.rels',
        data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${target}" TargetMode="External"/></Relationships>`,
      },
    ]);
  const docxVerdict = async (file: Buffer) =>
    (await kit.inbound(attachedFile('invoice.docx', file)[0])).verdict;
  it('refuses a .docx whose hyperlink is a macro URL', async () => {
    expect(
      await docxVerdict(
        docx('vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document'),
      ),
    ).toBe('BOUNCE');
  });
  it('refuses a .docx whose HYPERLINK field is a macro URL', async () => {
    const field =
      '<w:p><w:fldSimple w:instr="HYPERLINK &quot;macro:///Standard.Module1.Main&quot;"><w:r><w:t>Open</w:t></w:r></w:fldSimple></w:p>';
    const doc = zipFile([
      { name: 'word/document.xml', data: `<w:document><w:body>${field}</w:body></w:document>` },
    ]);
    expect(await docxVerdict(doc)).toBe('BOUNCE');
  });
  it('(control) delivers a .docx whose hyperlink is a web page', async () => {
    expect(await docxVerdict(docx('https://vendor.example/invoice'))).toBe('DEFAULT');
  });
});
