import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  paxHeader,
  paxRecord,
  tarArchive,
  tarEntry,
  USTAR_MAGIC,
  zipAfter,
  zipFile,
} from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 13 (session 19). Each case got past the guard or outbound-policy at their defaults before
// this round.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';

const guard = async (message: Buffer) => (await kit.inbound(message)).verdict;
const outbound = (message: Buffer) => kit.outbound(message);
const inboundWith = (env: Record<string, string>) => async (message: Buffer) =>
  (await kit.inbound(message, env)).verdict;
/** One test per case: `run` gives `verdict` for it. */
function expectEach(
  cases: Record<string, Buffer>,
  verdict: string,
  run: (message: Buffer) => Promise<string | undefined>,
  title: (name: string) => string,
): void {
  for (const [name, message] of Object.entries(cases))
    it(title(name), async () => {
      expect(await run(message)).toBe(verdict);
    });
}
const env = { PROTECTED_NAMES: 'Jane Smith, Jane Doe' };
const from = (field: string) =>
  mail([field, 'To: a@corp.example', 'Subject: invoice', 'Content-Type: text/plain'], 'hello');
const file = (headers: string, content: Buffer) =>
  mail(
    [FROM, MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );
const sheet = (cell: string) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<worksheet><sheetData><row r="1">${cell}</row></sheetData></worksheet>`,
    },
  ]);

describe('attacker round 13: a card a spreadsheet formula builds (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a CSV cell joining two strings with &': file(
      'Content-Type: text/csv; name="guests.csv"',
      Buffer.from('name,card\r\nAnn,="4111 1111 "&"1111 1111"\r\n'),
    ),
    'a CSV cell calling CONCATENATE, in CSV quoting': file(
      'Content-Type: text/csv; name="guests.csv"',
      Buffer.from('name,card\r\nAnn,"=CONCATENATE(""4111 1111 "";""1111 1111"")"\r\n'),
    ),
    'an .xlsx cell whose formula has no cached value': file(
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="guests.xlsx"',
      sheet('<c r="A1" t="str"><f>"4111 1111 "&amp;"1111 "&amp;1111</f></c>'),
    ),
  };
  expectEach(CASES, 'BOUNCE', outbound, (name) => `bounces ${name}`);
  it('sends spreadsheets whose formulas join other things (R&D, cell references, short numbers)', async () => {
    const csv =
      'team,code\r\nR&D,="DEPT-"&"4111"\r\nSales,=A2&B2\r\nOps,"=CONCATENATE(""1111 "",""2222"")"\r\n';
    expect(await kit.outbound(file('Content-Type: text/csv; name="teams.csv"', Buffer.from(csv)))).toBe(
      'DEFAULT',
    );
    const xlsx = sheet('<c r="A1" t="str"><f>"Q"&amp;4&amp;"-"&amp;2026</f><v>Q4-2026</v></c>');
    expect(await kit.outbound(file('Content-Type: application/octet-stream; name="plan.xlsx"', xlsx))).toBe(
      'DEFAULT',
    );
  });
});

describe('attacker round 13: a tar whose pax size moves the next header (guard)', () => {
  const pax = (type: 'x' | 'g', r: string) => paxHeader(paxRecord(r), type);
  const exe = tarEntry(
    'Invoice.exe',
    Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]),
    '0',
    USTAR_MAGIC,
  );
  // Read without the pax size, readme.txt is empty and notes.txt holds a block of text, then Invoice.exe's header
  // and data; GNU tar, libarchive (Windows Explorer), 7-Zip and Python read readme.txt's 1,024 bytes (notes.txt's
  // header and the text), then Invoice.exe.
  const notes = tarEntry('notes.txt', Buffer.alloc(1536, 'x'), '0', USTAR_MAGIC);
  const desync = (type: 'x' | 'g') =>
    Buffer.concat([
      pax(type, 'size=1024'),
      tarEntry('readme.txt', Buffer.alloc(0), '0', USTAR_MAGIC),
      notes.subarray(0, 1024),
      exe,
      Buffer.alloc(1024),
    ]);
  const CASES: Record<string, Buffer> = {
    'a pax size record for the file before it (.tar)': attachedFile('documents.tar', desync('x'))[0],
    'the same tar gzipped (.tgz)': attachedFile('documents.tgz', gzipSync(desync('x')))[0],
    'a global pax size, which GNU tar applies': attachedFile('documents.tar', desync('g'))[0],
  };
  expectEach(CASES, 'BOUNCE', guard, (name) => `bounces ${name}`);
  it('delivers a pax tar whose records agree with its headers', async () => {
    const tar = tarArchive(
      pax('x', 'path=docs/readme.txt'),
      tarEntry('readme.txt', Buffer.from('hi'), '0', USTAR_MAGIC),
    );
    expect((await kit.inbound(attachedFile('documents.tar', tar)[0])).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 13: a protected name a client decodes and wmflow did not (guard)', () => {
  const utf16 = (text: string, be = false) => {
    const le = Buffer.from(text, 'utf16le');
    return (be ? le.swap16() : le).toString('base64');
  };
  const CASES: Record<string, Buffer> = {
    // ESC ( B switches ISO-2022-JP to ASCII and decodes to nothing; a parser reading the field first opens a
    // comment at its `(`, Thunderbird takes the encoded word whole.
    'an ISO-2022-JP escape whose ( opens a comment to a field parser': from(
      'From: =?iso-2022-jp?Q?=1B(BJane_Doe?= <x@evil.example>',
    ),
    'the same in Reply-To': from(
      'From: Billing <x@evil.example>\r\nReply-To: =?iso-2022-jp?Q?Jane=1B(B_Doe?= <y@evil.example>',
    ),
    // WHATWG decoders (Thunderbird) and Windows read these labels as UTF-16; Cyrillic look-alikes.
    ...Object.fromEntries(
      ['unicode', 'csUnicode', 'iso-10646-ucs-2', 'unicodeFEFF'].map((label) => [
        `a look-alike name in UTF-16 labelled ${label}`,
        from(`From: =?${label}?B?${utf16('\u0408\u0430n\u0435 D\u043e\u0435')}?= <x@evil.example>`),
      ]),
    ),
    'a look-alike name in UTF-16BE labelled unicodeFFFE': from(
      `From: =?unicodeFFFE?B?${utf16('\u0408\u0430n\u0435 D\u043e\u0435', true)}?= <x@evil.example>`,
    ),
    // Not knowing is not allowing: a label no one here knows, with bytes no ASCII-compatible charset uses.
    'a look-alike name in UTF-16 under a label no decoder here knows': from(
      `From: =?x-wide?B?${utf16('\u0408\u0430n\u0435 D\u043e\u0435')}?= <x@evil.example>`,
    ),
  };
  expectEach(CASES, 'MOVE_TO_JUNK', inboundWith(env), (name) => `sends to Junk ${name}`);
  it('delivers other names written the same ways', async () => {
    for (const field of [
      'From: =?iso-2022-jp?Q?=1B(BJohn_Roe?= <x@evil.example>',
      `From: =?unicode?B?${utf16('John Roe')}?= <x@evil.example>`,
    ])
      expect((await kit.inbound(from(field), env)).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 13: a digit Word draws from a symbol element (outbound-policy)', () => {
  const docx = (run: string) =>
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: `<w:document><w:body><w:p>${run}</w:p></w:body></w:document>` },
    ]);
  const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="guest.docx"';
  it('bounces a card whose last digit is <w:sym w:char="0031"/>', async () => {
    const run = '<w:r><w:t>4111 1111 1111 111</w:t></w:r><w:r><w:sym w:font="Arial" w:char="0031"/></w:r>';
    expect(await kit.outbound(file(`Content-Type: ${DOCX}`, docx(run)))).toBe('BOUNCE');
  });
  it("bounces the same digit from a symbol font's private-use code (F031)", async () => {
    const run = '<w:r><w:t>4111 1111 1111 111</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F031"/></w:r>';
    expect(await kit.outbound(file(`Content-Type: ${DOCX}`, docx(run)))).toBe('BOUNCE');
  });
  it('sends a document with Wingdings symbols and no card', async () => {
    const run = '<w:r><w:t>Thanks </w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r>';
    expect(await kit.outbound(file(`Content-Type: ${DOCX}`, docx(run)))).toBe('DEFAULT');
  });
});

describe('attacker round 14: past round 13', () => {
  const readme = tarEntry('readme.txt', Buffer.alloc(0), '0', USTAR_MAGIC);
  const vbs = tarEntry('notes.txt', Buffer.from('MsgBox "x"'), '0', USTAR_MAGIC);
  const GUARD: Record<string, Buffer> = {
    // Solaris tar's X is read as a pax header by GNU tar, libarchive (Windows Explorer) and 7-Zip.
    'a Solaris X header whose path names the file Invoice.vbs': attachedFile(
      'documents.tar',
      tarArchive(paxHeader(paxRecord('path=Invoice.vbs'), 'X'), vbs),
    )[0],
    'a Solaris X header whose size moves the next header': attachedFile(
      'documents.tar',
      Buffer.concat([
        paxHeader(paxRecord('size=1024'), 'X'),
        readme,
        tarEntry('notes.txt', Buffer.alloc(1536, 'x'), '0', USTAR_MAGIC).subarray(0, 1024),
        tarEntry('Invoice.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510)]), '0', USTAR_MAGIC),
        Buffer.alloc(1024),
      ]),
    )[0],
    // GNU tar stops at a record it cannot read (and extracts Invoice.vbs); libarchive and 7-Zip read on.
    'a pax path, a record with a hexadecimal length, then another path': attachedFile(
      'documents.tar',
      tarArchive(paxHeader(`${paxRecord('path=Invoice.vbs')}0x14 path=notes.txt\n`), vbs),
    )[0],
  };
  expectEach(GUARD, 'BOUNCE', guard, (name) => `bounces ${name} (guard)`);

  const NAMES: Record<string, Buffer> = {
    // WHATWG labels of windows-1252 and ISO-8859-x that libmime does not read; Thunderbird decodes them.
    'a name in an encoded word labelled ANSI_X3.4-1968': from(
      'From: =?ANSI_X3.4-1968?B?SmFuZSBEb2U=?= <x@evil.example>',
    ),
    'a name labelled iso_8859-1:1987, whose colon opens a group to a field parser': from(
      'From: =?iso_8859-1:1987?Q?=4A=61=6E=65_=44=6F=65?= <x@evil.example>',
    ),
    'Cyrillic look-alikes labelled iso_8859-5:1988, in Sender': from(
      'From: Billing <x@evil.example>\r\nSender: =?iso_8859-5:1988?Q?=A8=D0ne_D=DE=D5?= <y@evil.example>',
    ),
  };
  expectEach(NAMES, 'MOVE_TO_JUNK', inboundWith(env), (name) => `sends to Junk ${name} (guard)`);

  const csv = (cell: string) =>
    file('Content-Type: text/csv; name="guests.csv"', Buffer.from(`name,card\r\nAnn,${cell}\r\n`));
  const docx = (parts: { name: string; data: string }[]) =>
    file(
      'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="guest.docx"',
      zipFile([{ name: '[Content_Types].xml', data: '<Types/>' }, ...parts]),
    );
  const DLP: Record<string, Buffer> = {
    'nested CONCATENATE': csv('=CONCATENATE(CONCATENATE("4111 1111 ","1111 "),"1111")'),
    'TEXT with a digit format': csv('="4111 1111 1111 "&TEXT(1111,"0000")'),
    'REPT of a group': csv('="4111 "&REPT("1111 ",3)'),
    'CHAR of a digit': csv('=CHAR(52)&"111 1111 1111 1111"'),
    SUBSTITUTE: csv('=SUBSTITUTE("4111x1111x1111x1111","x"," ")'),
    'a constant in parentheses': csv('="4111 1111 1111 "&(1111)'),
    'an .xlsx cell with nested calls and no cached value': file(
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="guests.xlsx"',
      sheet(
        '<c r="A1" t="inlineStr"><is><t>card</t></is></c><c r="B1" t="str"><f>CONCATENATE(CONCATENATE("4111 1111 ","1111 "),"1111")</f></c>',
      ),
    ),
    'an OpenDocument cell whose formula has no value': file(
      'Content-Type: application/vnd.oasis.opendocument.spreadsheet; name="guests.ods"',
      zipFile([
        { name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' },
        {
          name: 'content.xml',
          data: '<office:document-content><table:table><table:table-row><table:table-cell table:formula="of:=&quot;4111 1111 &quot;&amp;&quot;1111 1111&quot;"/></table:table-row></table:table></office:document-content>',
        },
      ]),
    ),
    'an Excel 2003 XML cell formula (ss:Formula)': file(
      'Content-Type: application/vnd.ms-excel; name="guests.xls"',
      Buffer.from(
        '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook><Worksheet><Table><Row><Cell ss:Formula="=&quot;4111 1111 &quot;&amp;&quot;1111 1111&quot;"><Data ss:Type="String"></Data></Cell></Row></Table></Worksheet></Workbook>',
      ),
    ),
    "a Word altChunk's HTML, which Word shows in the body": docx([
      {
        name: 'word/document.xml',
        data: '<w:document><w:body><w:altChunk r:id="c1"/></w:body></w:document>',
      },
      { name: 'word/afchunk.htm', data: '<html><body><p>Card 4111 1111 1111 1111</p></body></html>' },
    ]),
    "a Word list's number label": docx([
      {
        name: 'word/document.xml',
        data: '<w:document><w:body><w:p><w:r><w:t>Guest</w:t></w:r></w:p></w:body></w:document>',
      },
      {
        name: 'word/numbering.xml',
        data: '<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1111"/><w:lvlText w:val="4111 1111 1111 %1"/></w:lvl></w:abstractNum></w:numbering>',
      },
    ]),
  };
  expectEach(DLP, 'BOUNCE', outbound, (name) => `bounces a card built by ${name} (outbound-policy)`);
  it('sends sheets and documents whose formulas and lists show no card (outbound-policy)', async () => {
    for (const cell of ['=SUM(A1:A3)', '=TEXT(2026,"0000")&"-"&REPT("-",20)', '=CONCATENATE("Q",4,"-",2026)'])
      expect(await kit.outbound(csv(cell)), cell).toBe('DEFAULT');
    const list = docx([
      {
        name: 'word/document.xml',
        data: '<w:document><w:body><w:p><w:r><w:t>Agenda</w:t></w:r></w:p></w:body></w:document>',
      },
      {
        name: 'word/numbering.xml',
        data: '<w:numbering><w:abstractNum><w:lvl w:ilvl="0"><w:start w:val="1"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum></w:numbering>',
      },
    ]);
    expect(await kit.outbound(list)).toBe('DEFAULT');
  });
});

describe('attacker round 15: zips that extractors read otherwise (guard)', () => {
  const mz = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62)]);
  const exe = zipFile([{ name: 'Invoice.exe', data: mz, method: 0 }]);
  const pdf = zipFile([{ name: 'Invoice.pdf', data: '%PDF-1.7', method: 0 }]);
  const endOf = (zip: Buffer) => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const html = zipFile([
    {
      name: 'invoice.html',
      data: '<p>Invoice</p><script>location="https://evil.example/"</script>',
      method: 0,
    },
  ]);
  const shortDirectory = Buffer.from(html);
  const central = shortDirectory.readUInt32LE(endOf(html) + 16);
  shortDirectory.writeUInt32LE(14, central + 20);
  shortDirectory.writeUInt32LE(14, central + 24);
  const CASES: Record<string, Buffer> = {
    // 7-Zip extracts it, with "Everything is Ok".
    'an Invoice.exe named only by a local header before the listed files': attachedFile(
      'documents.zip',
      zipAfter(exe.subarray(0, exe.readUInt32LE(endOf(exe) + 16)), pdf),
    )[0],
    // 7-Zip reads the first archive; unzip and libarchive the second.
    'two archives one after the other, the first out of reach of the end-record search': attachedFile(
      'documents.zip',
      zipAfter(Buffer.concat([exe, Buffer.alloc(70_000)]), pdf),
    )[0],
    // Extractors take the local header's 62 bytes; the directory says 14.
    'a page whose directory size leaves out its script': attachedFile('documents.zip', shortDirectory)[0],
  };
  expectEach(CASES, 'BOUNCE', guard, (name) => `bounces ${name}`);
  it('delivers the same zips written plainly', async () => {
    expect((await kit.inbound(attachedFile('documents.zip', pdf)[0])).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 16: paths extractors resolve, and modes they restore (guard)', () => {
  const CASES: Record<string, Buffer> = {
    // libarchive (bsdtar, Windows tar.exe) and Python extract these as a file named Invoice.vbs.
    'a zip entry named Invoice.vbs/.': attachedFile(
      'docs.zip',
      zipFile([{ name: 'Invoice.vbs/.', data: 'MsgBox "x"' }]),
    )[0],
    'a zip entry named Invoice.vbs/ with content': attachedFile(
      'docs.zip',
      zipFile([{ name: 'Invoice.vbs/', data: 'MsgBox "x"', method: 0 }]),
    )[0],
    'a tar entry named Invoice.vbs/.': attachedFile(
      'docs.tar',
      tarArchive(tarEntry('Invoice.vbs/.', Buffer.from('MsgBox "x"'), '0', USTAR_MAGIC)),
    )[0],
    // 7-Zip on Linux stores the Unix mode; 7-Zip and libarchive restore it, Finder runs the file in Terminal.
    'a 7z file of mode 0755 without an extension': attachedFile(
      'docs.7z',
      readFileSync(new URL('../../../samples/archives/unix-exec.7z', import.meta.url)),
    )[0],
  };
  expectEach(CASES, 'BOUNCE', guard, (name) => `bounces ${name}`);
  it('delivers a zip with a folder and a file in it', async () => {
    const zip = zipFile([
      { name: 'docs/', data: '' },
      { name: 'docs/notes.txt', data: 'hello' },
    ]);
    expect((await kit.inbound(attachedFile('docs.zip', zip)[0])).verdict).toBe('DEFAULT');
  });
});
