import { tnefStream, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 68, A68-2: an iCalendar `ATTACH` by address (`ATTACH:https://…/invoice.exe`) is listed by
// Thunderbird and Apple Calendar among the event's attachments under its path's last segment, and opening it
// downloads that file in the browser. The guard read only `file:` references (round 65), so an invitation
// attaching `https://evil.example/invoice.exe` was delivered; a `Content-Location` address's last segment already
// counted as a name. A68-3: an `.ics` file inside a zip or a winmail.dat, which Outlook and Apple Calendar open as
// an invitation offering its inline files, was listed by its own name only: its `ATTACH` of an executable went
// unread.
const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(54)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** An iCalendar text whose event has the content line `attach` (folded at 75 characters). */
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
    'UID:68-2@evil.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** An invitation: a text/calendar part named invite.ics. */
function invitation(attach: string): [Buffer, string] {
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\n\r\n${ics(attach)}`;
  return [mail([MIXED], withPart(part)), attach.slice(-30)];
}

const HTA = Buffer.from(
  '<html><head><hta:application id="x"/></head><body><script>close()</script></body></html>',
);
const unnamed = (type: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=${type}:${data.toString('base64')}`;
const inline = (name: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${data.toString('base64')}`;

/** A text body holding `data` uuencoded as `name`, which Outlook and Thunderbird offer as an attachment. */
function uuencodedBody(name: string, data: Buffer): [Buffer, string] {
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
  return [mail([MIXED], withPart(part)), lines[1] ?? ''];
}

describe('A68-2: a calendar ATTACH by address to an executable', () => {
  attachmentTests(kit, {
    'ATTACH:https://…/invoice.exe': invitation('ATTACH:https://files.evil.example/d/invoice.exe'),
    'ATTACH with FMTTYPE and a query': invitation(
      'ATTACH;FMTTYPE=application/pdf:https://files.evil.example/d/invoice.js?dl=1#page=1',
    ),
    'a percent-encoded dot': invitation('ATTACH:https://files.evil.example/d/invoice%2Ehta'),
    'an ftp: address': invitation('ATTACH:ftp://files.evil.example/pub/invoice.scr'),
    'an address with backslashes': invitation('ATTACH:https:\\\\files.evil.example\\d\\invoice.exe'),
    'an address with one slash': invitation('ATTACH:https:/files.evil.example/d/invoice.vbs'),
    'a data: address': invitation(`ATTACH:data:application/octet-stream;base64,${MZ.toString('base64')}`),
  });

  it('(control) delivers links to documents, a bare host and a mail address', async () => {
    for (const line of [
      'ATTACH;FILENAME=Agenda.pdf;FMTTYPE=application/pdf:https://drive.google.com/open?id=1AbC',
      'ATTACH:https://docs.example.com/agenda.docx',
      'ATTACH:https://meet.example.com',
      'ATTACH:https://web.archive.org/web/2020/https://example.com/',
      'ATTACH:mailto:billing@partner.example.com',
      'ATTACH:https://zoom.us/j/123?pwd=invoice.exe',
    ])
      expect((await kit.inbound(invitation(line)[0])).verdict, line).toBe('DEFAULT');
  });
});

describe('A68-3: an .ics file inside a zip or a winmail.dat attaching an executable', () => {
  attachmentTests(kit, {
    'invite.ics (inline invoice.exe) in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'invite.ics', data: ics(inline('invoice.exe', MZ)) }]),
      'application/zip',
    ),
    'invite.ics (an inline executable named report.pdf) in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'meetings/invite.ics', data: ics(inline('report.pdf', MZ)) }]),
      'application/zip',
    ),
    'invite.ics. (a trailing dot Windows drops) in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'invite.ics.', data: ics(inline('invoice.exe', MZ)) }]),
      'application/zip',
    ),
    'invite.ics (ATTACH https …/invoice.exe) in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'invite.ics', data: ics('ATTACH:https://files.evil.example/invoice.exe') }]),
      'application/zip',
    ),
    'invite.ics (inline invoice.exe) in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        { title: 'invite.ics', longName: 'invite.ics', data: Buffer.from(ics(inline('invoice.exe', MZ))) },
      ]),
      'application/ms-tnef',
    ),
    'invite.ics (an unnamed inline FMTTYPE=application/hta) in a zip': attachedFile(
      'invite.zip',
      zipFile([{ name: 'invite.ics', data: ics(unnamed('application/hta', HTA)) }]),
      'application/zip',
    ),
    'invite.ics (an unnamed inline FMTTYPE=application/hta) in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'INVITE~1.ICS',
          longName: 'invite.ics',
          data: Buffer.from(ics(unnamed('application/hta', HTA))),
        },
      ]),
      'application/ms-tnef',
    ),
    'invite.ics as PidTagAttachDataBinary in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'invite.ics',
          longName: 'invite.ics',
          dataProperty: Buffer.from(ics(inline('invoice.js', HTA))),
        },
      ]),
      'application/ms-tnef',
    ),
    'invite.ics (an unnamed inline FMTTYPE=application/hta) in a zip in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'invite.zip',
          longName: 'invite.zip',
          data: zipFile([{ name: 'invite.ics', data: ics(unnamed('application/hta', HTA)) }]),
        },
      ]),
      'application/ms-tnef',
    ),
    'invite.ics (inline invoice.exe) uuencoded in a text body': uuencodedBody(
      'invite.ics',
      Buffer.from(ics(inline('invoice.exe', MZ))),
    ),
    'invite.ics (an unnamed inline FMTTYPE=application/hta) uuencoded in a text body': uuencodedBody(
      'invite.ics',
      Buffer.from(ics(unnamed('application/hta', HTA))),
    ),
    'invite.vcs (inline executable with no name) in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'invite.vcs',
          longName: 'invite.vcs',
          data: Buffer.from(ics(`ATTACH;VALUE=BINARY:${MZ.toString('base64')}`)),
        },
      ]),
      'application/ms-tnef',
    ),
  });

  it('(control) delivers invitations with documents inside a zip and a winmail.dat', async () => {
    const calendar = ics(inline('Agenda.pdf', PDF));
    for (const message of [
      attachedFile('invite.zip', zipFile([{ name: 'invite.ics', data: calendar }]), 'application/zip'),
      attachedFile(
        'invite.zip',
        zipFile([{ name: 'invite.ics', data: ics('ATTACH:https://docs.example.com/agenda.pdf') }]),
        'application/zip',
      ),
      attachedFile(
        'winmail.dat',
        tnefStream([{ title: 'invite.ics', longName: 'invite.ics', data: Buffer.from(calendar) }]),
        'application/ms-tnef',
      ),
      attachedFile(
        'winmail.dat',
        tnefStream([
          {
            title: 'invite.ics',
            longName: 'invite.ics',
            data: Buffer.from(ics(unnamed('application/pdf', PDF))),
          },
        ]),
        'application/ms-tnef',
      ),
      uuencodedBody('invite.ics', Buffer.from(calendar)),
      // A text file that happens to hold calendar lines is no invitation.
      attachedFile(
        'winmail.dat',
        tnefStream([
          { title: 'notes.txt', longName: 'notes.txt', data: Buffer.from(ics(inline('a.exe', PDF))) },
        ]),
        'application/ms-tnef',
      ),
      uuencodedBody('notes.txt', Buffer.from(ics(inline('a.exe', PDF)))),
    ])
      expect((await kit.inbound(message[0])).verdict).toBe('DEFAULT');
  });
});
