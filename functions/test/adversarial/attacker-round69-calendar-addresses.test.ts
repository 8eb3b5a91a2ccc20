import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 69, A69-3: round 68 named a calendar `ATTACH:https://…/invoice.exe` by its path's last segment, found
// by a pattern that wanted `scheme:` then slashes at the value's very start. Browsers (and Thunderbird, which opens a
// calendar's address attachments by them) parse an address as the URL Standard says: leading and trailing C0
// controls and spaces are dropped, tabs and line breaks anywhere are removed, and a special scheme (http, https, ftp,
// ws, wss) needs no slashes (`https:evil.example/invoice.exe` is `https://evil.example/invoice.exe`). Each such
// spelling was delivered. And an `smb:`, `afp:`, `nfs:` or `cifs:` address is a file on a share (macOS mounts it on
// opening, as Windows opens a UNC path, sending the user's credentials), refused as `file://` is since round 65.
const stack = useLocalStack();
const kit = attackerKit(stack);

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Invoice review',
    'DTSTART:20261201T100000Z',
    'DTEND:20261201T110000Z',
    'UID:69-3@evil.example',
    attach,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

function invitation(attach: string): [Buffer, string] {
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\n\r\n${ics(attach)}`;
  return [mail([MIXED], withPart(part)), 'UID:69-3@evil.example'];
}

describe('A69-3: a calendar ATTACH address spelled as the URL Standard reads it', () => {
  attachmentTests(kit, {
    'https: without slashes': invitation('ATTACH:https:files.evil.example/d/invoice.exe'),
    'ftp: without slashes': invitation('ATTACH:ftp:files.evil.example/pub/invoice.scr'),
    'a tab inside the scheme': invitation('ATTACH:ht\ttps://files.evil.example/d/invoice.exe'),
    'a tab after the colon, no slashes': invitation('ATTACH:https:\tfiles.evil.example/d/invoice.js'),
    'a control character first': invitation('ATTACH:\x01https://files.evil.example/d/invoice.hta'),
    'a tab inside the extension': invitation('ATTACH:https://files.evil.example/d/invoice.e\tx\te'),
    'a control character last': invitation('ATTACH:https://files.evil.example/d/invoice.vbs\x01'),
    'an smb: share': invitation('ATTACH:smb://files.evil.example/share/invoice.pdf'),
    'an afp: share': invitation('ATTACH:afp://files.evil.example/share/Invoice'),
    'an nfs: share (uppercase)': invitation('ATTACH:NFS://files.evil.example/export/invoice.pdf'),
  });

  it('(control) delivers addresses of documents, meetings and mail', async () => {
    for (const line of [
      'ATTACH:https:docs.example.com/agenda.pdf',
      'ATTACH:https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ%40thread.v2/0?context=%7b%7d',
      'ATTACH;FMTTYPE=application/pdf:https://docs.example.com/q4/\tagenda.pdf',
      'ATTACH:webcal://calendars.example.com/team.ics',
      'ATTACH:mailto:billing@partner.example.com',
      'ATTACH;VALUE=URI:Basso',
    ])
      expect((await kit.inbound(invitation(line)[0])).verdict, JSON.stringify(line)).toBe('DEFAULT');
  });
});
