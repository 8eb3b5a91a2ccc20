import { tnefStream, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 69, A69-2 (what round 68 left open): an invitation carried where the guard lists files but did not
// read calendars. Apple Mail decodes an AppleSingle part into its data fork, named by the real-name entry
// (`invite.ics`), and Calendar opens it offering its inline files; a zip holding an `invite.ics` whose inline file is
// unnamed (`FMTTYPE=application/hta`: Outlook saves it as `.hta`) or linked by address (`https://…/invoice.exe`) kept
// those types and names only when the zip was attached or an attAttachData: carried as a winmail.dat's
// `PidTagAttachDataBinary` or in a data fork, the archive's names were listed but not its calendars' unnamed types,
// and an attached message inside a winmail.dat (`PidTagAttachDataObject`) dropped those of its own calendars.
const stack = useLocalStack();
const kit = attackerKit(stack);

const APPLE_SINGLE = 0x00051600;
const DATA_FORK = 1;
const REAL_NAME = 3;
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(54)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const HTA = Buffer.from(
  '<html><head><hta:application id="x"/></head><body><script>close()</script></body></html>',
);

function appleSingle(entries: ReadonlyArray<[id: number, data: Buffer]>): Buffer {
  const head = Buffer.alloc(26 + 12 * entries.length);
  head.writeUInt32BE(APPLE_SINGLE, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.writeUInt16BE(entries.length, 24);
  let offset = head.length;
  entries.forEach(([id, data], i) => {
    head.writeUInt32BE(id, 26 + 12 * i);
    head.writeUInt32BE(offset, 30 + 12 * i);
    head.writeUInt32BE(data.length, 34 + 12 * i);
    offset += data.length;
  });
  return Buffer.concat([head, ...entries.map(([, data]) => data)]);
}

function applefile(name: string, file: Buffer): [Buffer, string] {
  const body = file.toString('base64');
  const part = `Content-Type: application/applefile; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'PRODID:-//Apple Inc.//macOS 15.1//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Invoice review',
    'DTSTART:20261201T100000Z',
    'DTEND:20261201T110000Z',
    'UID:69-2@evil.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
const inline = (name: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${data.toString('base64')}`;
const unnamed = (type: string, data: Buffer) =>
  `ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=${type}:${data.toString('base64')}`;
const LINK = 'ATTACH:https://files.evil.example/d/invoice.exe';

const forked = (realName: string, data: Buffer | string) =>
  appleSingle([
    [REAL_NAME, Buffer.from(realName)],
    [DATA_FORK, Buffer.from(data)],
  ]);
const zippedInvite = (attach: string) => zipFile([{ name: 'invite.ics', data: ics(attach) }]);
const dataBinary = (data: Buffer) =>
  attachedFile(
    'winmail.dat',
    tnefStream([{ title: 'invite.zip', longName: 'invite.zip', dataProperty: data }]),
    'application/ms-tnef',
  );

describe('A69-2: a calendar in a data fork, or in a zip carried as PidTagAttachDataBinary or in a data fork', () => {
  attachmentTests(kit, {
    'a data fork named invite.ics (inline invoice.exe)': applefile(
      'invite',
      forked('invite.ics', ics(inline('invoice.exe', MZ))),
    ),
    'a data fork named invite.ics (an executable named report.pdf)': applefile(
      'meeting',
      forked('invite.ics', ics(inline('report.pdf', MZ))),
    ),
    'a data fork named invite.ics (an unnamed FMTTYPE=application/hta)': applefile(
      'invite',
      forked('invite.ics', ics(unnamed('application/hta', HTA))),
    ),
    'a data fork named invite.ics (ATTACH https …/invoice.exe)': applefile(
      'invite',
      forked('invite.ics', ics(LINK)),
    ),
    'an unnamed data fork of a part named invite.vcs (inline invoice.exe)': applefile(
      'invite.vcs',
      appleSingle([[DATA_FORK, Buffer.from(ics(inline('invoice.exe', MZ)))]]),
    ),
    'a zip in a data fork holding invite.ics (an unnamed FMTTYPE=application/hta)': applefile(
      'invite',
      forked('invite.zip', zippedInvite(unnamed('application/hta', HTA))),
    ),
    'a zip in a data fork holding invite.ics (ATTACH https …/invoice.exe)': applefile(
      'invite',
      forked('invite.zip', zippedInvite(LINK)),
    ),
    'a zip as PidTagAttachDataBinary holding invite.ics (an unnamed FMTTYPE=application/hta)': dataBinary(
      zippedInvite(unnamed('application/hta', HTA)),
    ),
    'a zip as PidTagAttachDataBinary holding invite.ics (ATTACH https …/invoice.exe)': dataBinary(
      zippedInvite(LINK),
    ),
    'an attached message in a winmail.dat holding invite.ics (an unnamed FMTTYPE=application/hta)':
      attachedFile(
        'winmail.dat',
        tnefStream([
          {
            title: 'Fwd: Invoice review',
            message: [
              {
                title: 'invite.ics',
                longName: 'invite.ics',
                data: Buffer.from(ics(unnamed('application/hta', HTA))),
              },
            ],
          },
        ]),
        'application/ms-tnef',
      ),
    'an attached message in a winmail.dat holding invite.ics (ATTACH https …/invoice.exe)': attachedFile(
      'winmail.dat',
      tnefStream([
        {
          title: 'Fwd: Invoice review',
          message: [{ title: 'invite.ics', longName: 'invite.ics', data: Buffer.from(ics(LINK)) }],
        },
      ]),
      'application/ms-tnef',
    ),
  });

  it('(control) delivers invitations with documents in a data fork and in carried zips', async () => {
    for (const [i, message] of [
      applefile('invite', forked('invite.ics', ics(inline('Agenda.pdf', PDF))))[0],
      applefile('invite', forked('invite.ics', ics(unnamed('application/pdf', PDF))))[0],
      applefile('invite', forked('invite.ics', ics('ATTACH:https://docs.example.com/agenda.html')))[0],
      applefile('invite', forked('invite.zip', zippedInvite(unnamed('application/pdf', PDF))))[0],
      dataBinary(zippedInvite(unnamed('application/pdf', PDF)))[0],
      dataBinary(zippedInvite('ATTACH:https://docs.example.com/agenda.pdf'))[0],
      attachedFile(
        'winmail.dat',
        tnefStream([
          {
            title: 'Fwd: Quarterly review',
            message: [
              {
                title: 'invite.ics',
                longName: 'invite.ics',
                data: Buffer.from(ics(unnamed('application/pdf', PDF))),
              },
            ],
          },
        ]),
        'application/ms-tnef',
      )[0],
      // A text file holding calendar lines is no invitation.
      applefile('notes', forked('notes.txt', ics(inline('a.exe', PDF))))[0],
    ].entries())
      expect((await kit.inbound(message)).verdict, `control ${i}`).toBe('DEFAULT');
  });
});
