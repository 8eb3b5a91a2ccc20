import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tarArchive, tarEntry, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { tnefPart } from './hostile-tnef.js';
import { useLocalStack } from './stack.js';

// An archive need not be attached to be offered as one: Outlook unpacks winmail.dat, Thunderbird and MimeKit
// decode uuencoded files out of a text body, Outlook lists a calendar's inline ATTACH. A zip carried that way
// is listed as an attached zip is; an archive that cannot be listed there is refused (not knowing is not
// allowing).

const stack = useLocalStack();
const kit = attackerKit(stack);

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);
const EXE_ZIP = zipFile([{ name: 'invoice.exe', data: MZ }]);
const sample = (name: string) => readFileSync(join(import.meta.dirname, '../../../samples/archives', name));
const RAR = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64)]);

function inWinmail(files: Parameters<typeof tnefStream>[0]): [Buffer, string] {
  const winmail = tnefPart(tnefStream(files));
  return [mail([MIXED], withPart(winmail.part)), winmail.payload];
}

function uuencodedIn(name: string, bytes: Buffer): [Buffer, string] {
  const body = `Here it is.\r\n\r\n${uuencode(bytes, name)}`;
  const part = `Content-Type: text/plain; charset=us-ascii\r\n\r\n${body}`;
  return [mail([MIXED], withPart(part)), uuencode(bytes, name).split('\n')[1]?.trim() ?? ''];
}

function inCalendar(bytes: Buffer, name = 'agenda.zip'): [Buffer, string] {
  const value = bytes.toString('base64');
  const part = `Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nATTACH;FMTTYPE=application/octet-stream;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=${name}:${value}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  return [mail([MIXED], withPart(part)), value.slice(0, 40)];
}

const CASES: Record<string, [Buffer, string]> = {
  'winmail.dat holding a zip of invoice.exe': inWinmail([
    { title: 'INVOICE.ZIP', longName: 'invoice.zip', data: EXE_ZIP },
  ]),
  'winmail.dat holding a zip of a script, named .pdf': inWinmail([
    {
      title: 'SCAN.PDF',
      longName: 'scan.pdf',
      data: zipFile([{ name: 'scan.js', data: 'WScript.Echo(1)' }]),
    },
  ]),
  'winmail.dat holding a password-protected zip': inWinmail([
    { title: 'SECURE.ZIP', data: zipFile([{ name: 'statement.pdf', data: MZ, encrypted: true }]) },
  ]),
  'winmail.dat holding a zip of invoice.exe as PidTagAttachDataBinary': inWinmail([
    { title: 'REPORT.ZIP', dataProperty: EXE_ZIP },
  ]),
  'winmail.dat holding a RAR archive': inWinmail([{ title: 'PAYMENT.RAR', data: RAR }]),
  'winmail.dat holding a 7z of invoice.exe': inWinmail([{ title: 'INVOICE.7Z', data: sample('invoice.7z') }]),
  'winmail.dat holding a cabinet of invoice.exe': inWinmail([
    { title: 'INVOICE.CAB', data: sample('invoice.cab') },
  ]),
  'a uuencoded .tgz of invoice.exe in a text body': uuencodedIn('invoice.tgz', sample('invoice.tgz')),
  'a uuencoded invoice.exe.bz2 in a text body': uuencodedIn('invoice.exe.bz2', sample('invoice.exe.bz2')),
  'a uuencoded tar without its magic, named .tar': uuencodedIn(
    'old.tar',
    tarArchive(tarEntry('invoice.exe', MZ)),
  ),
  'winmail.dat holding a tar without its magic, named .tar in its property list': inWinmail([
    { title: 'OLD.DAT', longName: 'old.tar', data: tarArchive(tarEntry('invoice.exe', MZ)) },
  ]),
  'a uuencoded zip of invoice.exe in a text body': uuencodedIn('docs.zip', EXE_ZIP),
  'a uuencoded zip of a page that runs, named .dat': uuencodedIn(
    'data.dat',
    zipFile([{ name: 'statement.html', data: '<script>location="data:x"</script>' }]),
  ),
  'a uuencoded damaged zip': uuencodedIn('broken.zip', EXE_ZIP.subarray(0, EXE_ZIP.length - 30)),
  'a zip inline in a calendar ATTACH': inCalendar(EXE_ZIP),
  'a tar inline in a calendar ATTACH (its magic past the bytes sniffed)': inCalendar(
    sample('invoice.tar'),
    'agenda.tar',
  ),
};

describe('archives carried inside other content, through the guard at its defaults', () => {
  attachmentTests(kit, CASES);

  it('delivers a winmail.dat of documents, zipped or in a 7z, and a uuencoded zip of documents', async () => {
    const reports = zipFile([{ name: 'q3/report.csv', data: 'a,b\n1,2\n' }]);
    const docx = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    const [winmail] = inWinmail([
      { title: 'Q3.ZIP', longName: 'q3.zip', data: reports },
      { title: 'LETTER.DOC', longName: 'letter.docx', data: docx },
    ]);
    expect((await kit.inbound(winmail)).verdict).toBe('DEFAULT');
    const [sevenZip] = inWinmail([{ title: 'REPORT.7Z', longName: 'report.7z', data: sample('report.7z') }]);
    expect((await kit.inbound(sevenZip)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(uuencodedIn('q3.zip', reports)[0])).verdict).toBe('DEFAULT');
  });
});
