import { tnefStream, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 69 (over-blocking): round 68 counted the last segment of a calendar `ATTACH:https://…` address as
// a name of the part, and the part's names are judged as files the message carries: a page (`agenda.html`), an XML
// file (`feed.xml`), an archive (`slides.zip`) or a message file (`thread.eml`) that the walk did not read is
// refused. But an address is no file of the message: it opens in the browser, from its own site, as a link in the
// body does. Only its blocked extension matters (the browser downloads `invoice.exe` and offers to run it), and not
// that of a page a server renders (`AllItems.aspx`, how SharePoint shares a folder). A FILENAME parameter still
// names a file of the message (a lenient client may read the value as inline data).
const stack = useLocalStack();
const kit = attackerKit(stack);

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Quarterly review',
    'DTSTART:20261201T100000Z',
    'DTEND:20261201T110000Z',
    'UID:69-1@partner.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

function invitation(attach: string): [Buffer, string] {
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\n\r\n${ics(attach)}`;
  return [mail([MIXED], withPart(part)), attach.slice(-30)];
}

function uuencodedBody(name: string, data: Buffer): Buffer {
  const char = (v: number) => (v === 0 ? '`' : String.fromCharCode(32 + v));
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = char(chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const n = ((chunk[j] ?? 0) << 16) | ((chunk[j + 1] ?? 0) << 8) | (chunk[j + 2] ?? 0);
      line += [18, 12, 6, 0].map((shift) => char((n >> shift) & 63)).join('');
    }
    lines.push(line);
  }
  const part = `Content-Type: text/plain\r\n\r\nThe invitation.\r\n${[...lines, '`', 'end'].join('\r\n')}\r\n`;
  return mail([MIXED], withPart(part));
}

const LINKS = [
  'ATTACH:https://intranet.partner.example/events/agenda.html',
  'ATTACH;FMTTYPE=text/html:https://partner.example/q4/agenda.htm',
  'ATTACH:https://contoso.sharepoint.com/sites/Finance/Shared%20Documents/Forms/AllItems.aspx',
  'ATTACH:https://blog.partner.example/feed.xml',
  'ATTACH:https://partner.example/d/slides.zip',
  'ATTACH:https://partner.example/archive/thread.eml',
  'ATTACH:https://partner.example/files/photo.svg',
];

describe('A69-1 (over-block): a calendar ATTACH by address to a page, an archive or a message file', () => {
  it('(control) delivers invitations linking to pages, feeds, archives and messages on the web', async () => {
    for (const line of LINKS) expect((await kit.inbound(invitation(line)[0])).verdict, line).toBe('DEFAULT');
  });
  it('(control) delivers such an invitation inside a zip, a winmail.dat and uuencoded', async () => {
    for (const line of LINKS) {
      const calendar = ics(line);
      for (const [where, message] of [
        [
          'zip',
          attachedFile('invite.zip', zipFile([{ name: 'invite.ics', data: calendar }]), 'application/zip')[0],
        ],
        [
          'winmail.dat',
          attachedFile(
            'winmail.dat',
            tnefStream([{ title: 'invite.ics', longName: 'invite.ics', data: Buffer.from(calendar) }]),
            'application/ms-tnef',
          )[0],
        ],
        ['uuencoded', uuencodedBody('invite.ics', Buffer.from(calendar))],
      ] as const)
        expect((await kit.inbound(message)).verdict, `${line} in ${where}`).toBe('DEFAULT');
    }
  });
});

describe('A69-1: an address still counts by its blocked extension', () => {
  attachmentTests(kit, {
    'ATTACH:https://…/invoice.exe': invitation('ATTACH:https://files.evil.example/d/invoice.exe'),
    'ATTACH:https://…/invoice.hta': invitation('ATTACH:https://files.evil.example/d/invoice.hta'),
    'ATTACH:https://…/invoice.aspx.exe': invitation('ATTACH:https://files.evil.example/d/invoice.aspx.exe'),
    'ATTACH;FILENAME=agenda.html: a named page': invitation(
      'ATTACH;FILENAME=agenda.html:https://files.evil.example/d/agenda.html',
    ),
    'ATTACH:https://…/invoice.js in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'invite.ics', data: ics('ATTACH:https://files.evil.example/invoice.js') }]),
      'application/zip',
    ),
    'ATTACH:https://…/invoice.exe in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'invite.ics',
          longName: 'invite.ics',
          data: Buffer.from(ics('ATTACH:https://files.evil.example/invoice.exe')),
        },
      ]),
      'application/ms-tnef',
    ),
  });
});
