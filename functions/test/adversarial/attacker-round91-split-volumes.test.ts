import { rarFile, zipAfter, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, script } from './attacker-kit.js';
import { expectStripped } from './strip-check.js';
import { twinKit, useTwinStack } from './twin-kit.js';

// Attacker round 91: a file split into numbered volumes (`invoice.zip.001`, `invoice.js.001`), as 7-Zip, WinRAR,
// Total Commander and HJSplit write them. 7-Zip and WinRAR open a `.001` (alone, or joined with the `.002`… beside
// it) as the file its name stems from: `invoice.js.001` as an archive holding `invoice.js`, `invoice.zip.001` as
// that zip, found behind whatever bytes come first. The guard read the last extension only (`001`, blocked by
// nothing), and a zip behind other bytes was refused only when the part was named or declared a zip.
const stack = useTwinStack();
const kit = attackerKit(stack);
const twins = twinKit(stack);

const JS = script('91-split');
const HTA = `<html><head><HTA:APPLICATION /></head><body><script>${JS}</script></body></html>`;
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';
// A zip of a script behind other bytes: 7-Zip finds it by its end record.
const hiddenZip = zipAfter(
  Buffer.from('volume one of a backup\r\n'),
  zipFile([{ name: 'invoice.js', data: JS }]),
);

describe('A91-1: split volumes named after the file they join into', () => {
  attachmentTests(kit, {
    'invoice.zip.001 holding a zip behind other bytes': attachedFile('invoice.zip.001', hiddenZip),
    'invoice.7z.001 holding a zip behind other bytes': attachedFile('invoice.7z.001', hiddenZip),
    'invoice.js.001 (a script in one volume)': attachedFile('invoice.js.001', Buffer.from(JS)),
    'invoice.js.002 (a later volume)': attachedFile('invoice.js.002', Buffer.from(JS)),
    'Invoice.HTA.001. (case, a trailing dot)': attachedFile('Invoice.HTA.001.', Buffer.from(HTA)),
    'invoice.vbs.0001 (four digits)': attachedFile('invoice.vbs.0001', Buffer.from(JS)),
    'invoice.rar.001 holding a RAR behind other bytes': attachedFile(
      'invoice.rar.001',
      Buffer.concat([Buffer.from('volume one\r\n'), rarFile([{ name: 'invoice.js', data: JS }])]),
    ),
    'invoice.html.001 (a page that runs script)': attachedFile(
      'invoice.html.001',
      Buffer.from(`<html><body><script>${JS}</script></body></html>`),
    ),
    'a zip holding invoice.js.001': attachedFile(
      'files.zip',
      zipFile([{ name: 'invoice.js.001', data: JS }]),
    ),
  });

  // 7-Zip shows `forward.eml` inside: Outlook opens it and offers its files. Walked as an attached message, so a
  // strip removes the file inside and keeps the message (its note inside the re-encoded message, not in the bytes).
  const forward = attachedFile(
    'forward.eml.001',
    Buffer.from(
      [
        'From: a@evil.example',
        'Subject: fw',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="i"',
        '',
        '--i',
        'Content-Type: application/octet-stream; name="invoice.js"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(JS).toString('base64'),
        '--i--',
        '',
      ].join('\r\n'),
    ),
  )[0];
  it('forward.eml.001 carrying invoice.js: bounced (ATTACHMENT_ACTION=bounce)', async () => {
    expect((await kit.inbound(forward)).verdict).toBe('BOUNCE');
  });
  it('forward.eml.001 carrying invoice.js: its file stripped (ATTACHMENT_ACTION=strip)', async () => {
    const { verdict, delivered } = await kit.inbound(forward, { ATTACHMENT_ACTION: 'strip' });
    expect(verdict).toBe('DEFAULT');
    await expectStripped(forward, delivered, { noteInBytes: false });
  });

  it('guard-ses refuses invoice.zip.001 and invoice.js.001 too', async () => {
    for (const [name, file] of [
      ['invoice.zip.001', hiddenZip],
      ['invoice.js.001', Buffer.from(JS)],
    ] as const) {
      const { answer } = await twins.sesGuard(attachedFile(name, file)[0], {});
      expect(answer, name).not.toEqual({ disposition: 'CONTINUE' });
    }
  });
});

describe('A91-1 controls: volumes of harmless files are delivered', () => {
  const cases: Record<string, Buffer> = {
    'photos.zip.001 (a whole zip of a PDF)': zipFile([{ name: 'report.pdf', data: PDF }]),
    'notes.txt.001': Buffer.from('minutes of the meeting\r\n'),
    'report.pdf.002': Buffer.from(PDF),
    'scan.001 (no extension before it)': Buffer.from('plain bytes\r\n'),
  };
  for (const [label, file] of Object.entries(cases)) {
    const name = label.split(' ')[0] as string;
    it(`${label}: delivered (guard)`, async () => {
      expect((await kit.inbound(attachedFile(name, file)[0])).verdict).toBe('DEFAULT');
    });
  }
  it('photos.zip.001: delivered (guard-ses)', async () => {
    const message = attachedFile(
      'photos.zip.001',
      cases['photos.zip.001 (a whole zip of a PDF)'] as Buffer,
    )[0];
    expect((await twins.sesGuard(message, {})).answer).toEqual({ disposition: 'CONTINUE' });
  });
});

describe('A91-1 bought: a later volume of a zip starts mid-archive', () => {
  const whole = zipFile([{ name: 'report.pdf', data: PDF.repeat(40) }]);
  const message = attachedFile('photos.zip.002', whole.subarray(60))[0];
  it('is refused as a zip that cannot be listed', async () => {
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });
  it('is delivered unread with ALLOW_UNLISTED_ARCHIVES', async () => {
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
});
