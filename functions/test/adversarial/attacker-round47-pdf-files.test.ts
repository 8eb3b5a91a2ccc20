import { deflateSync } from 'node:zlib';
import { pdfFile, pdfObjects, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A47-10 (found checking round 46's leads): a PDF's embedded files (its attachments pane: a viewer saves or opens
// them on a click; Chrome's and Edge's viewers download them) were not looked at by the guard: `invoice.vbs`, an
// `.exe` or a zip of one inside `Invoice.pdf` was delivered. A PDF part's files are now listed as an archive's.
const stack = useLocalStack();
const kit = attackerKit(stack);
const script = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

// A one-page PDF carrying `file` as `name` in its attachments pane; its objects in an object stream when `packed`.
function pdfCarrying(name: string, file: Buffer, packed = false): Buffer {
  return pdfObjects(
    [
      { body: '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>' },
      { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>' },
      { body: '<< /Names [(a) 5 0 R] >>' },
      { body: `<< /Type /Filespec /F (${name}) /UF (${name}) /EF << /F 6 0 R >> >>` },
      { body: '<< /Type /EmbeddedFile /Filter /FlateDecode >>', stream: deflateSync(file) },
    ],
    packed ? { inObjectStream: [4, 5] } : {},
  );
}
const verdict = async (pdf: Buffer) =>
  (await kit.inbound(attachedFile('Invoice.pdf', pdf, 'application/pdf')[0])).verdict;

describe('A47-10: a file embedded in a PDF', () => {
  it('bounces a PDF carrying a script, an executable, or a zip of one', async () => {
    expect(await verdict(pdfCarrying('invoice.vbs', script))).toBe('BOUNCE');
    expect(await verdict(pdfCarrying('invoice.pdf', exe))).toBe('BOUNCE');
    expect(await verdict(pdfCarrying('docs.zip', zipFile([{ name: 'run.exe', data: exe }])))).toBe('BOUNCE');
  });
  it('bounces a PDF whose file specifications are in a compressed object stream', async () => {
    expect(await verdict(pdfCarrying('invoice.js', script, true))).toBe('BOUNCE');
  });
  it('delivers a PDF carrying a text file, and a plain or password-protected PDF (controls)', async () => {
    expect(await verdict(pdfCarrying('notes.txt', Buffer.from('see you at ten\r\n')))).toBe('DEFAULT');
    expect(await verdict(pdfFile(['Invoice 2026-11: 120 EUR']))).toBe('DEFAULT');
    expect(await verdict(pdfFile(['Payslip'], { userPassword: 'secret' }))).toBe('DEFAULT');
  });
});

describe('A47-10: a PDF behind other bytes', () => {
  it('bounces a PDF whose header a viewer finds after 700 bytes of junk', async () => {
    const pdf = Buffer.concat([Buffer.alloc(700, 0x20), pdfCarrying('invoice.vbs', script)]);
    expect(await verdict(pdf)).toBe('BOUNCE');
  });
});

describe('A47-10: a PDF inside an archive', () => {
  it('bounces a zip holding a PDF that carries a script, and sends one carrying a text file (control)', async () => {
    const zipped = (pdf: Buffer) =>
      kit.inbound(attachedFile('docs.zip', zipFile([{ name: 'Invoice.pdf', data: pdf }]))[0]);
    expect((await zipped(pdfCarrying('invoice.vbs', script))).verdict).toBe('BOUNCE');
    expect((await zipped(pdfCarrying('notes.txt', Buffer.from('see you at ten\r\n')))).verdict).toBe(
      'DEFAULT',
    );
  });
});
