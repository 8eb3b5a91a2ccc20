import { pdfFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 13: a meeting request whose calendar carries the agenda inline (`ATTACH;ENCODING=BASE64;
// VALUE=BINARY;X-FILENAME=agenda.pdf`, as Outlook can write an appointment with its attachment) was
// bounced by the DLP as unread ("the PDF reader is not loaded") when nothing before it in the process had loaded the
// PDF reader: the calendar's files were read before the reader was loaded. Each test here is the first PDF its
// invocation reads; the file runs in a process of its own (vitest isolates test files).
const kit = attackerKit(useLocalStack());

const CRLF = '\r\n';
const fold = (line: string) => line.replace(/(.{74})/g, `$1${CRLF} `);
function invite(pdf: Buffer, name = 'agenda.pdf'): string {
  return [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'UID:040000008200E00074C5B7101A82E00800000000',
    'DTSTART:20261210T150000Z',
    'DTEND:20261210T160000Z',
    'SUMMARY:Quarterly review',
    'ORGANIZER;CN=Bob:mailto:bob@corp.example',
    'ATTENDEE;RSVP=TRUE:mailto:x@outside.example',
    fold(
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name};FMTTYPE=application/pdf:${pdf.toString('base64')}`,
    ),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join(CRLF);
}
const request = (calendar: string) =>
  mail(
    ['From: Bob <bob@corp.example>', 'Content-Type: multipart/alternative; boundary="a"'],
    [
      '--a',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Agenda attached.',
      '--a',
      'Content-Type: text/calendar; charset=utf-8; method=REQUEST',
      '',
      calendar,
      '--a--',
      '',
    ].join(CRLF),
  );

describe('FP13 an invitation carrying its agenda PDF inline in the calendar', () => {
  it('sends the invitation (the first PDF read in the process)', async () => {
    expect(await kit.outbound(request(invite(pdfFile(['Agenda', 'Q4 figures, actions']))))).toBe('DEFAULT');
  });
  it('(held) still bounces a card in the inline agenda', async () => {
    const verdict = await kit.outboundVerdict(request(invite(pdfFile(['Card 4111 1111 1111 1111']))));
    expect(verdict).toMatchObject({
      type: 'BOUNCE',
      message: expect.stringContaining('contains payment card'),
    });
  });
});
