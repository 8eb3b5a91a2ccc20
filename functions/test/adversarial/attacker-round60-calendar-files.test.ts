import { gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 60, A60-1 (medium-high, DLP, careless insider): Outlook writes an appointment's attachments into the
// iCalendar file it sends or saves (Forward as iCalendar, Save As .ics, a meeting exported from a shared calendar):
// `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=cards.xlsx:UEsDB…`, folded over many lines. A calendar opening
// the invitation lists the file and opens it with a double click. The DLP decoded such a value as UTF-8 text only
// (directoryBase64Values: right for a vCard NOTE or an attached .csv), so a workbook, a zip or a gzip of a card list
// attached to an appointment left unread and undetected. Each value is now also read as an attached file is, by
// its first bytes and its X-FILENAME (directoryBase64Files, visible-text.ts readDirectory). Each attack was sent
// (DEFAULT) before the fix; each control is as before.
const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const csv = Buffer.from(`name,card\r\nJane Roe,${CARD}\r\n`);
const xlsx = zipFile([
  { name: '[Content_Types].xml', data: '<Types/>' },
  { name: 'xl/workbook.xml', data: '<workbook/>' },
  {
    name: 'xl/worksheets/sheet1.xml',
    data: '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
  },
  { name: 'xl/sharedStrings.xml', data: `<sst><si><t>${CARD}</t></si></sst>` },
]);
// An Outlook appointment as an iCalendar file, with `attach` (a content line) in its event.
const ics = (attach: string) =>
  Buffer.from(
    [
      'BEGIN:VCALENDAR',
      'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'VERSION:2.0',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'SUMMARY:Chargeback review',
      'DTSTART:20261201T100000Z',
      'DTEND:20261201T110000Z',
      'UID:040000008200E00074C5B7101A82E008@corp.example',
      attach,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
// A content line folded at 75 octets, as Outlook folds it.
const fold = (line: string) => line.replace(/(.{74})(?=.)/g, '$1\r\n ');
const attach = (name: string, file: Buffer, type = 'application/octet-stream') =>
  fold(`ATTACH;FMTTYPE=${type};ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${file.toString('base64')}`);

describe('A60-1: a file attached to an appointment inside an iCalendar file', () => {
  const cases: Record<string, string> = {
    'an .xlsx workbook': attach(
      'cards.xlsx',
      xlsx,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
    'a zip of a .csv': attach('cards.zip', zipFile([{ name: 'cards.csv', data: csv }]), 'application/zip'),
    'a gzip of a .csv': attach('cards.csv.gz', gzipSync(csv), 'application/gzip'),
    'an .xlsx with FILENAME (Apple Calendar)': fold(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;FILENAME=cards.xlsx:${xlsx.toString('base64')}`,
    ),
  };
  for (const [how, line] of Object.entries(cases)) {
    it(`bounces invite.ics holding ${how}`, async () => {
      expect(await kit.outbound(outboundFile('invite.ics', ics(line), 'text/calendar'))).toBe('BOUNCE');
    });
    it(`bounces a meeting request whose text/calendar body holds ${how}`, async () => {
      const message = mail(
        ['From: Bob <bob@corp.example>', MIXED],
        [
          '--b',
          'Content-Type: text/plain',
          '',
          'See the invitation.',
          '--b',
          'Content-Type: text/calendar; method=PUBLISH; charset=utf-8',
          'Content-Transfer-Encoding: base64',
          '',
          ics(line).toString('base64').replace(/.{76}/g, '$&\r\n'),
          '--b--',
          '',
        ].join('\r\n'),
      );
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('(control) bounces a .csv so attached, read as text before the fix too', async () => {
    expect(await kit.outbound(outboundFile('invite.ics', ics(attach('cards.csv', csv, 'text/csv'))))).toBe(
      'BOUNCE',
    );
  });
  it('(control) sends an appointment with an agenda workbook, a picture and a phone number', async () => {
    const agenda = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'xl/sharedStrings.xml',
        data: '<sst><si><t>Agenda: order 12345678, call +44 20 7946 0958</t></si></sst>',
      },
    ]);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);
    const lines = [attach('agenda.xlsx', agenda), attach('map.png', png, 'image/png')].join('\r\n');
    expect(await kit.outbound(outboundFile('invite.ics', ics(lines), 'text/calendar'))).toBe('DEFAULT');
  });
});
