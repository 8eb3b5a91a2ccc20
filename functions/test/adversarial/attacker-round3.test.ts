import { gzipSync } from 'node:zlib';
import { tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Third attacker round: what the walk reads differently from the clients (calendar binaries, uuencoded
// files outside plain text, delimiter padding, nested boundaries, names and display names in charsets or
// spellings the parsers leave raw) and what a careless insider really sends (octet-stream text, legacy
// Office, separators); each replayed through the prebuilt functions at their defaults over the local
// emulator and S3.

const stack = useLocalStack();
const kit = attackerKit(stack);
const { inbound, outbound } = kit;

/** A DOS executable's first 64 bytes. */
const MZ_BYTES = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);
const MZ = MZ_BYTES.toString('base64');
const vbsPart = (tag: string) =>
  `Content-Type: application/octet-stream; name="x.vbs"\r\nContent-Disposition: attachment; filename="x.vbs"\r\n\r\n${script(tag)}`;

/** `depth` attached messages around a message holding a .vbs. */
function nested(depth: number, tag: string): string {
  let inner = `From: a@evil.example\r\nSubject: in\r\nMIME-Version: 1.0\r\n${MIXED}\r\n\r\n${withPart(vbsPart(tag))}\r\n`;
  for (let i = 0; i < depth; i++)
    inner = `From: a@evil.example\r\nSubject: fw ${i}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n${inner}`;
  return inner;
}

/** DER: a tag and its content (lengths under 64 KiB). */
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const len = body.length < 128 ? [body.length] : [0x82, body.length >> 8, body.length & 255];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
/** CMS signed data carrying `content` (a MIME entity), as an opaque S/MIME signed message holds it. */
function signedData(content: string): Buffer {
  const oid = (hex: string) => der(0x06, Buffer.from(hex, 'hex'));
  const encap = der(0x30, oid('2a864886f70d010701'), der(0xa0, der(0x04, Buffer.from(content))));
  const signed = der(0x30, der(0x02, Buffer.from([1])), der(0x31), encap);
  return der(0x30, oid('2a864886f70d010702'), der(0xa0, signed));
}
const innerVbs = `Content-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\n${vbsPart('certs')}\r\n--i--\r\n`;

/** name → [message, bytes that must never be delivered]. */
const ATTACHMENTS: Record<string, [Buffer, string]> = {
  'a calendar ATTACH binary without a file name, executable content': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nATTACH;FMTTYPE=application/octet-stream;ENCODING=BASE64;VALUE=BINARY:${MZ}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      ),
    ),
    MZ.slice(0, 12),
  ],
  'Content-Location as the only name': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Location: x.vbs\r\nContent-Disposition: attachment\r\n\r\n${script('location')}`,
      ),
    ),
    script('location'),
  ],
  'Content-Location as a URL (last path segment)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Location: https://cdn.evil.example/files/x%2Evbs?dl=1\r\nContent-Disposition: attachment\r\n\r\n${script('location-url')}`,
      ),
    ),
    script('location-url'),
  ],
  'a text/x-uuencode part': [
    mail(
      [MIXED],
      withPart(`Content-Type: text/x-uuencode\r\n\r\n${uuencode(Buffer.from(script('xuu')), 'x.vbs')}\r\n`),
    ),
    uuencode(Buffer.from(script('xuu')), 'x.vbs').split('\r\n')[1] as string,
  ],
  'uuencode inside an HTML <pre>': [
    mail(
      ['Content-Type: text/html'],
      `<html><body><pre>\r\n${uuencode(Buffer.from(script('pre')), 'x.vbs')}\r\n</pre></body></html>\r\n`,
    ),
    uuencode(Buffer.from(script('pre')), 'x.vbs').split('\r\n')[1] as string,
  ],
  'a uuencoded winmail.dat in a plain-text body, holding an .exe': [
    mail(
      ['Content-Type: text/plain'],
      `Hello\r\n\r\n${uuencode(tnefStream([{ title: 'EVIL.EXE' }]), 'winmail.dat')}\r\n`,
    ),
    uuencode(tnefStream([{ title: 'EVIL.EXE' }]), 'winmail.dat').split('\r\n')[1] as string,
  ],
  'a uuencoded executable named .pdf in a plain-text body': [
    mail(['Content-Type: text/plain'], `Hello\r\n\r\n${uuencode(MZ_BYTES, 'invoice.pdf')}\r\n`),
    uuencode(MZ_BYTES, 'invoice.pdf').split('\r\n')[1] as string,
  ],
  'a uuencoded file whose begin line has two spaces (Thunderbird reads any run)': [
    mail(
      ['Content-Type: text/plain'],
      `hi\r\n\r\n${uuencode(Buffer.from(script('uu2')), 'x.vbs').replace('begin 644 ', 'begin  644 ')}\r\n`,
    ),
    uuencode(Buffer.from(script('uu2')), 'x.vbs').split('\r\n')[1] as string,
  ],
  'a uuencoded file whose begin line has tabs': [
    mail(
      ['Content-Type: text/plain'],
      `hi\r\n\r\n${uuencode(Buffer.from(script('uu3')), 'x.vbs').replace('begin 644 ', 'begin\t644\t')}\r\n`,
    ),
    uuencode(Buffer.from(script('uu3')), 'x.vbs').split('\r\n')[1] as string,
  ],
  'a message/external-body whose phantom header names x.vbs': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/external-body; access-type=URL; URL="https://evil.example/dl?id=7"\r\n\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n`,
      ),
    ),
    'evil.example/dl?id=7',
  ],
  'a message/external-body whose URL ends in x.vbs': [
    mail(
      [MIXED],
      withPart(
        'Content-Type: message/external-body; access-type=URL;\r\n URL="https://evil.example/files/\r\n x.vbs"\r\n\r\nContent-Type: application/octet-stream\r\n\r\n',
      ),
    ),
    'evil.example/files/',
  ],
  'a uuencoded file in a text body with bare CR line ends': [
    mail(
      ['Content-Type: text/plain'],
      `hi\r${uuencode(Buffer.from(script('cr')), 'x.vbs').replaceAll('\r\n', '\r')}\r`,
    ),
    uuencode(Buffer.from(script('cr')), 'x.vbs').split('\r\n')[1] as string,
  ],
  'a calendar ATTACH after a bare CR': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\rBEGIN:VEVENT\rATTACH;VALUE=BINARY;ENCODING=BASE64;X-FILENAME=a.exe:${MZ}\rEND:VEVENT\rEND:VCALENDAR\r\n`,
      ),
    ),
    MZ.slice(0, 12),
  ],
  'S/MIME signed content that claims to be certificates only (smime-type=certs-only, .p7c)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/pkcs7-mime; smime-type=certs-only; name="smime.p7c"\r\nContent-Transfer-Encoding: base64\r\n\r\n${signedData(innerVbs).toString('base64')}`,
      ),
    ),
    signedData(innerVbs).toString('base64').slice(0, 40),
  ],
  'a delimiter line with transport padding (RFC 2046: trailing white space)': [
    mail(
      [MIXED],
      `--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b \t\r\n${vbsPart('padding')}\r\n--b--\r\n`,
    ),
    script('padding'),
  ],
  'a nested multipart reusing its parent boundary': [
    mail(
      [MIXED],
      `--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n${vbsPart('sameb')}\r\n--b--\r\n--b--\r\n`,
    ),
    script('sameb'),
  ],
  'a delimiter line with a suffix (--bX)': [
    mail(
      [MIXED],
      `--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--bX\r\n${vbsPart('suffix')}\r\n--b--\r\n`,
    ),
    script('suffix'),
  ],
  'a boundary parameter with a trailing space': [
    mail(
      ['Content-Type: multipart/mixed; boundary="b "'],
      `--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n${vbsPart('bspace')}\r\n--b--\r\n`,
    ),
    script('bspace'),
  ],
  'a name in an EBCDIC encoded word (IBM037)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="=?ibm037?Q?=A7=4B=A5=82=A2?="\r\nContent-Disposition: attachment\r\n\r\n${script('ebcdic')}`,
      ),
    ),
    script('ebcdic'),
  ],
  'an RFC 2231 name in EBCDIC (IBM037)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=ibm037''%A7%4B%A5%82%A2\r\n\r\n${script('ebcdic2231')}`,
      ),
    ),
    script('ebcdic2231'),
  ],
  'a quoted RFC 2231 extended value': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*="utf-8''x%2Evbs"\r\n\r\n${script('q2231')}`,
      ),
    ),
    script('q2231'),
  ],
  'a name folded inside its quotes (x.v<CRLF><TAB>bs)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="x.v\r\n\tbs"\r\n\r\n${script('fold')}`,
      ),
    ),
    script('fold'),
  ],
  'a NUL byte in a header line above the name': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nX-A: a\0b\r\nContent-Disposition: attachment; filename="x.vbs"\r\n\r\n${script('nul')}`,
      ),
    ),
    script('nul'),
  ],
  'attached messages 29 deep': [
    mail(['Content-Type: message/rfc822'], nested(29, 'deep29')),
    script('deep29'),
  ],
  'attached messages 40 deep': [
    mail(['Content-Type: message/rfc822'], nested(40, 'deep40')),
    script('deep40'),
  ],
  'an unnamed executable in a multipart/related with a Content-ID': [
    mail(
      ['Content-Type: multipart/related; boundary="b"'],
      `--b\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-ID: <x@y>\r\nContent-Transfer-Encoding: base64\r\n\r\n${MZ}\r\n--b--\r\n`,
    ),
    MZ.slice(0, 12),
  ],
};

describe('attacker round 3: blocked attachments through the guard at its defaults', () => {
  it('an external-body part naming a text file (an IETF draft by anon-ftp) is delivered', async () => {
    const part =
      'Content-Type: message/external-body; name="draft-00.txt"; site="ftp.ietf.org"; access-type="anon-ftp"\r\n\r\nContent-Type: text/plain\r\n\r\n';
    expect((await inbound(mail([MIXED], withPart(part)))).verdict).toBe('DEFAULT');
  });
  attachmentTests(kit, ATTACHMENTS);
});

/** name → From header value (raw bytes allowed, latin1). */
const IMPERSONATIONS: Record<string, string> = {
  'a raw windows-1252 no-break space': 'Jane\xa0Doe <x@evil.example>',
  'a raw latin-1 accented letter': 'J\xe1ne Doe <x@evil.example>',
  'an encoded word inside a word': 'Jane=?utf-8?Q?_?=Doe <x@evil.example>',
  'an empty group': 'Jane Doe:;',
  'a quoted local part as the only address': '<"Jane Doe"@evil.example>',
  'invalid UTF-8 in a utf-8 encoded word (a client falling back to Latin-1 shows Jáne Doe)':
    '=?utf-8?Q?J=E1ne_Doe?= <x@evil.example>',
  'a display name in an EBCDIC encoded word': '=?ibm037?Q?=D1=81=95=85=40=C4=96=85?= <x@evil.example>',
};

describe('attacker round 3: impersonation of a protected name through the guard at its defaults', () => {
  it('a display name in an unknown charset that holds only ASCII is read, not junked', async () => {
    const message = mail(
      ['From: =?x-unknown?Q?Bob_Smith?= <x@evil.example>', 'Content-Type: text/plain'],
      'Hi.',
    );
    expect((await inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('DEFAULT');
  });
  it('blocks a From field after a bare CR inside another field (a lenient reader ends the line there)', async () => {
    const head = Buffer.from('X-Mailer: x\rFrom: Jane Doe <x@evil.example>\r\n');
    const message = Buffer.concat([head, mail(['Content-Type: text/plain'], 'Pay today.')]);
    // Since round 31 a bare CR in any header block is a structure the walk cannot read as clients do: the
    // attachment check bounces the message, which outranks the impersonation check's Junk (tested on its own in
    // packages/rules/src/impersonation/impersonation.test.ts).
    expect((await inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('BOUNCE');
  });
  for (const [name, from] of Object.entries(IMPERSONATIONS)) {
    it(`junks ${name}`, async () => {
      const head = Buffer.from(`From: ${from}\r\n`, 'latin1');
      const message = Buffer.concat([head, mail(['Content-Type: text/plain'], 'Pay today.')]);
      expect((await inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
  }
});

const FROM_BOB = 'From: Bob <bob@corp.example>';
const plain = (text: string) => mail([FROM_BOB, 'Content-Type: text/plain'], text);
const ole = (text: Buffer) =>
  Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), text, Buffer.alloc(512)]);
const attached = (type: string, name: string, bytes: Buffer) =>
  mail(
    [FROM_BOB, MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${bytes.toString('base64')}`,
    ),
  );
const CARDS: Record<string, Buffer> = {
  'a CSV export sent as octet-stream under a .dat name': attached(
    'application/octet-stream',
    'export.dat',
    Buffer.from('name,card\r\nBob,4111 1111 1111 1111\r\n'),
  ),
  'a legacy Excel file (its strings in UTF-16LE)': attached(
    'application/vnd.ms-excel',
    'cards.xls',
    ole(Buffer.from('4111 1111 1111 1111', 'utf16le')),
  ),
  'an Outlook item (.msg) forwarded as a file, its text at an odd offset': attached(
    'application/vnd.ms-outlook',
    'fw.msg',
    ole(
      Buffer.from(
        `x${Buffer.from('Please charge 4111 1111 1111 1111', 'utf16le').toString('latin1')}`,
        'latin1',
      ),
    ),
  ),
  'a CSV inside Outlook rich-text mail (winmail.dat)': attached(
    'application/ms-tnef',
    'winmail.dat',
    tnefStream([{ title: 'CARDS.CSV', data: Buffer.from('Bob;4111 1111 1111 1111\r\n') }]),
  ),
  'a zip of CSV exports': attached(
    'application/zip',
    'exports.zip',
    zipFile([
      { name: 'img/logo.png', data: Buffer.from('89504e470d0a1a0a0000', 'hex') },
      { name: 'exports/cards.csv', data: 'name,card\r\nBob,4111 1111 1111 1111\r\n' },
    ]),
  ),
  'a zip holding a text file under an unknown name, sent as octet-stream': attached(
    'application/octet-stream',
    'backup.bin',
    zipFile([{ name: 'dump', data: 'Bob 4111 1111 1111 1111', method: 0 }]),
  ),
  'a zip holding a Word document': attached(
    'application/x-zip-compressed',
    'docs.zip',
    zipFile([
      {
        name: 'c.docx',
        data: zipFile([{ name: 'word/document.xml', data: '<w:t>4111 1111 1111 1111</w:t>' }]),
      },
    ]),
  ),
  'an Excel binary workbook (.xlsb: its strings in a .bin part)': attached(
    'application/vnd.ms-excel.sheet.binary.macroEnabled.12',
    'cards.xlsb',
    zipFile([
      {
        name: 'xl/sharedStrings.bin',
        data: Buffer.concat([
          Buffer.from([0x9f, 0x01, 0x08, 0x00, 0x13, 0x00, 0x00, 0x00]),
          Buffer.from('4111 1111 1111 1111', 'utf16le'),
        ]),
      },
    ]),
  ),
  'a gzip-compressed CSV export': attached(
    'application/gzip',
    'export.csv.gz',
    gzipSync(Buffer.from('name,card\r\nBob,4111 1111 1111 1111\r\n')),
  ),
  'an encrypted zip (cannot be read: not knowing is not allowing)': attached(
    'application/zip',
    'secret.zip',
    zipFile([{ name: 'cards.csv', data: 'x', encrypted: true }]),
  ),
  'a legacy Word file (its text in 8 bits)': attached(
    'application/msword',
    'c.doc',
    ole(Buffer.from('Card: 4111 1111 1111 1111')),
  ),
  'groups joined by asterisks': plain('card 4111*1111*1111*1111'),
  'groups joined by underscores (a scan file name)': plain('see card_4111_1111_1111_1111.pdf'),
  'an IBAN split by asterisks': plain('IBAN DE89*3704*0044*0532*0130*00'),
};

describe('attacker round 3: card numbers and IBANs through outbound-policy at its defaults', () => {
  it('binary attachments without numbers are sent, and an image is not read as text', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('4111 1111 1111 1111')]);
    expect(await outbound(attached('image/png', 'a.png', png))).toBe('DEFAULT');
    expect(
      await outbound(
        attached('application/vnd.ms-excel', 'a.xls', ole(Buffer.from('Total 2026', 'utf16le'))),
      ),
    ).toBe('DEFAULT');
    const photos = zipFile([
      { name: 'a.png', data: Buffer.from('89504e470d0a1a0a0000', 'hex') },
      { name: 'readme.txt', data: 'Photos of 2026' },
    ]);
    expect(await outbound(attached('application/zip', 'photos.zip', photos))).toBe('DEFAULT');
    expect(
      await outbound(attached('application/octet-stream', 'notes.dat', Buffer.from('see you at 10'))),
    ).toBe('DEFAULT');
  });
  for (const [name, message] of Object.entries(CARDS)) {
    it(`bounces ${name}`, async () => {
      expect(await outbound(message)).toBe('BOUNCE');
    });
  }
});
