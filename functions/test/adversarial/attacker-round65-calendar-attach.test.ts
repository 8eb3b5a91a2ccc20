import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 65, A65-3: an iCalendar ATTACH is a file of the event, inline (`ENCODING=BASE64;VALUE=BINARY`) or
// by reference (`ATTACH:<uri>`). Outlook lists an inline one with no X-FILENAME under the extension Windows maps its
// FMTTYPE to (`application/hta` as `.hta`, as it names an unnamed MIME part; an inline value may be marked only
// `VALUE=BINARY`, which lenient readers decode as base64), and Outlook, Thunderbird and Apple
// Calendar list a reference under its path's last segment and open it with the system handler: a `file:` URI or
// UNC path opens a file on a share or disk, outside the message, as a Thunderbird external attachment does (round
// 62). (An `https:` reference is a link, opened in the browser, as before.) A calendar saved in UTF-16 (a byte order
// mark first, as Windows tools write it) was scanned as bytes: its ATTACH lines went unseen.
// The guard read only the FILENAME parameters and the inline values' first bytes: each was delivered.
const stack = useLocalStack();
const kit = attackerKit(stack);

const HTA = Buffer.from(
  '<html><head><hta:application id="x"/></head><body><script language="VBScript">Window.Close</script></body></html>',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** An invitation (a text/calendar part named invite.ics) whose event has the content line `attach`. */
function invitation(attach: string, utf16 = false): [Buffer, string] {
  const ics = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Invoice review',
    'DTSTART:20261201T100000Z',
    'DTEND:20261201T110000Z',
    'UID:65-3@evil.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const body = (utf16 ? Buffer.from(`\ufeff${ics}`, 'utf16le') : Buffer.from(ics)).toString('base64');
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

describe('A65-3: calendar attachments named by their type or their URI', () => {
  attachmentTests(kit, {
    'an inline HTA with no file name (FMTTYPE=application/hta)': invitation(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/hta:${HTA.toString('base64')}`,
    ),
    'an inline script with no file name (FMTTYPE=text/vbscript)': invitation(
      `ATTACH;FMTTYPE=text/vbscript;VALUE=BINARY;ENCODING=B:${Buffer.from('MsgBox 1').toString('base64')}`,
    ),
    'an inline executable marked VALUE=BINARY with no ENCODING': invitation(
      `ATTACH;VALUE=BINARY:${Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]).toString('base64')}`,
    ),
    'an inline HTA named with no extension': invitation(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/hta;X-FILENAME=Invoice:${HTA.toString('base64')}`,
    ),
    'a file: URI on a share': invitation('ATTACH:file://files.evil.example/share/invoice.exe'),
    'a file: URI named like a PDF': invitation(
      'ATTACH;FMTTYPE=application/pdf:file://files.evil.example/share/invoice.pdf',
    ),
    'a calendar in UTF-16 attaching invoice.exe inline': invitation(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=invoice.exe:${Buffer.from('MZ\x90\x00\x03').toString('base64')}`,
      true,
    ),
    'a UNC path': invitation('ATTACH:\\\\files.evil.example\\share\\invoice.js'),
    'a file: URI to a drive, folded, percent-encoded': invitation(
      'ATTACH;FMTTYPE=application/octet-stream:file:///C:/Users/Public/Downloads/invoice%2Ehta',
    ),
  });
  it('(control) delivers a Google Calendar invitation with a Drive attachment and an inline PDF', async () => {
    const drive = invitation(
      'ATTACH;FILENAME=Agenda.pdf;FMTTYPE=application/pdf:https://drive.google.com/open?id=1AbC',
    )[0];
    expect((await kit.inbound(drive)).verdict).toBe('DEFAULT');
    const inline = invitation(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/pdf:${PDF.toString('base64')}`,
    )[0];
    expect((await kit.inbound(inline)).verdict).toBe('DEFAULT');
    const wide = invitation(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=Agenda.pdf:${PDF.toString('base64')}`,
      true,
    )[0];
    expect((await kit.inbound(wide)).verdict).toBe('DEFAULT');
    const cid = invitation('ATTACH:CID:part1.06090408.01020305@corp.example.com')[0];
    expect((await kit.inbound(cid)).verdict).toBe('DEFAULT');
    // Apple Calendar's alarm sound, and a mail address.
    for (const line of ['ATTACH;VALUE=URI:Basso', 'ATTACH:mailto:billing@partner.example.com'])
      expect((await kit.inbound(invitation(line)[0])).verdict, line).toBe('DEFAULT');
  });
});
