import { compoundFile, packagedFile, rtfWithObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-2: a Unicode packager writes the temporary path, label and source path again in UTF-16 after the content
// (counted strings); the packager then works with them as wide C strings (the path it writes the file to and
// ShellExecutes is read up to its first NUL). ole-packages.ts takes each UTF-16 string's last path segment over its
// whole counted length, NULs included: `C:\Temp\invoice.vbs<NUL>\report.pdf` is listed as `report.pdf`, while
// Windows writes and opens `C:\Temp\invoice.vbs`. With the ANSI names all `report.pdf`, nothing listed is a script.
const stack = useLocalStack();
const kit = attackerKit(stack);
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const wide = (s: string) => Buffer.concat([u32(s.length), Buffer.from(s, 'utf16le')]);
// The ANSI fields say report.pdf; the UTF-16 ones (what a Unicode packager uses) open invoice.vbs.
const unicodePackage = (temporary: string) =>
  Buffer.concat([
    packagedFile('report.pdf', vbs),
    wide(temporary),
    wide('report.pdf'),
    wide('C:\\report.pdf'),
  ]);
const ole = (native: Buffer) =>
  compoundFile([
    ['\u0001Ole10Native', Buffer.concat([u32(native.length), native])],
    ['\u0001CompObj', Buffer.from('Package\0', 'latin1')],
  ]);
const docx = (embedded: Buffer) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: '<w:document><w:body><w:p><w:r><w:t>Report</w:t></w:r></w:p></w:body></w:document>',
    },
    { name: 'word/embeddings/oleObject1.bin', data: embedded },
  ]);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

describe('A48-2: a package whose UTF-16 temporary path ends at a NUL before a harmless segment', () => {
  const hidden = unicodePackage('C:\\Users\\x\\AppData\\Local\\Temp\\{0A1B}\\invoice.vbs\u0000\\report.pdf');
  it('bounces a .docx packaging it', async () => {
    expect(await verdict('Report.docx', docx(ole(hidden)), DOCX)).toBe('BOUNCE');
  });
  it('bounces an .rtf packaging it', async () => {
    expect(await verdict('Report.rtf', Buffer.from(rtfWithObject('Package', hidden)))).toBe('BOUNCE');
  });
  it('(held) bounces a package whose only UTF-16 temporary path names a script', async () => {
    const plain = unicodePackage('C:\\Users\\x\\AppData\\Local\\Temp\\{0A1B}\\invoice.vbs');
    expect(await verdict('Report.docx', docx(ole(plain)), DOCX)).toBe('BOUNCE');
  });
});
