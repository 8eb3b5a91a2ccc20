import {
  type SesReceiptVerdicts,
  tarArchive,
  tarEntry,
  tnefStream,
  uuencode,
  zipFile,
} from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 117 (an outside sender, the guard's attachment policy at its defaults): a file whose extension is a
// COM class id, `invoice.pdf.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}`. Windows takes an extension written as a class
// id (`.{…}`) for that class: the file opens as what the class is (this one is the HTML Application, run by
// mshta.exe; others are the Shell Scrap, the Packager, a folder shortcut), and Explorer does not show the extension
// even where extensions are shown, so the file reads `invoice.pdf`. The extension (38 characters) was longer than the
// 32 the policy reads, so the name's last extension was taken to be `.pdf`, or none: delivered, as a file in a zip or
// a folder so named in one (which Explorer opens as the class: a folder shortcut, Control Panel). What a class id
// opens as is not known from the name: such names are refused.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const HTA_CLASS = '{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}';
const PAGE = Buffer.from(
  '<html><head><hta:application id="a"/><script language="VBScript">MsgBox "wmflow-attacker-117"</script></head></html>',
);
const byParts = (headers: string) =>
  mail(
    [MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${PAGE.toString('base64')}`),
  );

describe('A117-1: an extension that is a COM class id (bounced)', () => {
  attachmentTests(kit, {
    'invoice.pdf.{HTA class}': attachedFile(`invoice.pdf.${HTA_CLASS}`, PAGE, 'application/pdf'),
    'invoice.{HTA class}': attachedFile(`invoice.${HTA_CLASS}`, PAGE),
    'the class id in lower case, a trailing dot': attachedFile(
      `invoice.pdf.${HTA_CLASS.toLowerCase()}.`,
      PAGE,
    ),
    'the Shell Scrap class': attachedFile('notes.txt.{25336921-03F9-11CF-8FD0-00AA00686F13}', PAGE),
    'an RFC 2231 name': [
      byParts(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''invoice.pdf.${encodeURIComponent(HTA_CLASS)}`,
      ),
      PAGE.toString('base64').slice(0, 40),
    ],
    'a name in the Content-Type only': [
      byParts(`Content-Type: application/octet-stream; name="invoice.pdf.${HTA_CLASS}"`),
      PAGE.toString('base64').slice(0, 40),
    ],
    'a file in a zip': attachedFile(
      'invoice.zip',
      zipFile([{ name: `docs/invoice.pdf.${HTA_CLASS}`, data: PAGE }]),
      'application/zip',
    ),
    'a folder shortcut folder in a zip': attachedFile(
      'photos.zip',
      zipFile([
        { name: 'Photos.{0AFACED1-E828-11D1-9187-B532F1E9575D}/desktop.ini', data: '[.ShellClassInfo]\r\n' },
      ]),
      'application/zip',
    ),
    'a file in a tar': attachedFile(
      'invoice.tar',
      tarArchive(tarEntry(`invoice.pdf.${HTA_CLASS}`, PAGE)),
      'application/x-tar',
    ),
    'a uuencoded file in the text': [
      mail(['Content-Type: text/plain'], `see attached\r\n\r\n${uuencode(PAGE, `invoice.pdf.${HTA_CLASS}`)}`),
      (uuencode(PAGE, 'x').split(/\r?\n/)[1] as string).slice(0, 40),
    ],
    'a file in winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([{ title: 'INVOICE.PDF', longName: `invoice.pdf.${HTA_CLASS}`, data: PAGE }]),
      'application/ms-tnef',
    ),
  });
  it('guard-ses: invoice.pdf.{HTA class} is not delivered (the same PDF name without it is)', async () => {
    const [classed] = attachedFile(`invoice.pdf.${HTA_CLASS}`, PAGE);
    const [pdf] = attachedFile('invoice.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf');
    expect(await sesGuard(classed, PASS, 'x@evil.example')).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(await sesGuard(pdf, PASS, 'x@evil.example')).toEqual({ disposition: 'CONTINUE' });
  });
});

// Names with a class id, or braces, elsewhere than as the extension are mail's everyday: system-made files named by
// a GUID, drafts in braces, a GUID folder in an export.
describe('A117-1 controls (delivered)', () => {
  const text = Buffer.from('Q3 figures: 1,200.00 EUR\r\n');
  const controls: Record<string, [string, Buffer, string?]> = {
    'a GUID as the name': [`${HTA_CLASS}.txt`, text, 'text/plain'],
    'a GUID without braces as the name': ['3050F4D8-98B5-11CF-BB82-00AA00BDCE0B.txt', text, 'text/plain'],
    'a word in braces before the extension': ['report {draft}.txt', text, 'text/plain'],
    'braces as the extension, not a class id': ['notes.{draft}', text],
    'a GUID after a dash': [`export-${HTA_CLASS}.csv`, text, 'text/csv'],
    'a zip with GUID folders': [
      'export.zip',
      zipFile([
        { name: `${HTA_CLASS}/notes.txt`, data: 'hello' },
        { name: 'a {1}/b.txt', data: 'x' },
      ]),
      'application/zip',
    ],
  };
  for (const [label, [name, bytes, type]] of Object.entries(controls)) {
    it(label, async () => {
      expect((await kit.inbound(attachedFile(name, bytes, type)[0])).verdict).toBe('DEFAULT');
    });
  }
});
