import { gzipSync } from 'node:zlib';
import { rarFile, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 10 (session 18), against round 9's fixes and around them. Each case got past the guard or
// outbound-policy at their defaults before this round.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const CARD = 'Guest card 4111 1111 1111 1111';
const workbook = zipFile([
  { name: '[Content_Types].xml', data: '<Types/>' },
  { name: 'xl/sharedStrings.xml', data: `<sst><si><t>${CARD}</t></si></sst>` },
]);
const file = (headers: string, content: Buffer) =>
  mail(
    [FROM, MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );

/** A shell script, which Finder runs in Terminal when it has an execute bit and no extension it knows. */
const shell = Buffer.from('#!/bin/sh\nopen -a Calculator\n');
/** An inbound message with one base64 file of the given headers. */
const named = (headers: string, content: Buffer) =>
  mail(
    [MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );

describe('attacker round 10: a file read one way while clients open it another (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'an .xlsx whose Content-Type names it .txt': file(
      'Content-Type: application/octet-stream; name="guests.txt"\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      workbook,
    ),
    'an .xlsx whose Content-Type names it .eml': file(
      'Content-Type: application/octet-stream; name="guests.eml"\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      workbook,
    ),
    'an .xlsx whose Content-Type names it .htm': file(
      'Content-Type: application/octet-stream; name="guests.htm"\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      workbook,
    ),
    'an .xlsx declared text/plain': file(
      'Content-Type: text/plain; name="guests.xlsx"\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      workbook,
    ),
    'an .xlsx declared text/csv': file(
      'Content-Type: text/csv\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      workbook,
    ),
    'a gzipped CSV declared text/csv': file(
      'Content-Type: text/csv\r\nContent-Disposition: attachment; filename="guests.csv.gz"',
      gzipSync(Buffer.from(`name,card\nAnn,${CARD}\n`)),
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends the same files when they hold no card', async () => {
    const clean = zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/sharedStrings.xml', data: '<sst><si><t>Guest list</t></si></sst>' },
    ]);
    const message = file(
      'Content-Type: text/plain; name="guests.txt"\r\nContent-Disposition: attachment; filename="guests.xlsx"',
      clean,
    );
    expect(await kit.outbound(message)).toBe('DEFAULT');
  });
});

describe('attacker round 10: a message file inside a container (outbound-policy)', () => {
  const card = Buffer.from(`${CARD} exp 12/29\r\n`).toString('base64');
  const eml = Buffer.from(
    `From: Ann <ann@corp.example>\r\nSubject: booking\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${card}\r\n`,
  );
  const CASES: Record<string, Buffer> = {
    'an .eml inside a zip': file(
      'Content-Type: application/zip; name="booking.zip"',
      zipFile([{ name: 'booking.eml', data: eml }]),
    ),
    'an .eml uuencoded in a text body': mail(
      [FROM, 'Content-Type: text/plain'],
      `Forwarding the booking.\r\n\r\n${uuencode(eml, 'booking.eml')}\r\n`,
    ),
    'an .eml inside winmail.dat': file(
      'Content-Type: application/ms-tnef; name="winmail.dat"',
      tnefStream([{ title: 'BOOKING.EML', longName: 'booking.eml', data: eml }]),
    ),
    'a gzipped .eml': file('Content-Type: application/gzip; name="booking.eml.gz"', gzipSync(eml)),
    "an Apple Mail .emlx (the message's length on its first line)": file(
      'Content-Type: application/octet-stream; name="booking.emlx"',
      Buffer.concat([Buffer.from(`${eml.length}\n`), eml, Buffer.from('<?xml version="1.0"?><plist/>\n')]),
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces a card in the base64 body of ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends a zipped .eml with no card, and a text that only starts like headers', async () => {
    const clean = Buffer.from(
      eml.toString().replace(card, Buffer.from('See you at 10.\r\n').toString('base64')),
    );
    expect(
      await kit.outbound(
        file('Content-Type: application/zip; name="b.zip"', zipFile([{ name: 'b.eml', data: clean }])),
      ),
    ).toBe('DEFAULT');
    expect(
      await kit.outbound(
        mail([FROM, 'Content-Type: text/plain'], 'Note: the meeting moved.\r\nRoom: 4B\r\n'),
      ),
    ).toBe('DEFAULT');
  });
});

describe('attacker round 10: macOS executables past round 9 (guard)', () => {
  const withMode = (mode: string) =>
    named(
      `Content-Type: application/octet-stream; ${mode}; name="Invoice"\r\nContent-Disposition: attachment; filename="Invoice"`,
      shell,
    );
  const zipped = (entries: Parameters<typeof zipFile>[0]) =>
    named('Content-Type: application/zip; name="invoice.zip"', zipFile(entries));
  const asi = Buffer.alloc(16);
  asi.writeUInt16LE(0x756e, 0);
  asi.writeUInt16LE(12, 2);
  asi.writeUInt16LE(0o100755, 8);
  const fat = (count: number, cpu: number) => {
    const head = Buffer.alloc(64);
    head.writeUInt32BE(0xcafebabe, 0);
    head.writeUInt32BE(count, 4);
    head.writeUInt32BE(cpu, 8);
    return head;
  };
  const inner = `From: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: application/octet-stream; name="update.vbs"\r\n\r\n${script('inner')}\r\n--i--\r\n`;
  const CASES: Record<string, Buffer> = {
    'x-unix-mode=00000755 (eight digits)': withMode('x-unix-mode=00000755'),
    "x-unix-mode*=us-ascii''0755 (RFC 2231)": withMode("x-unix-mode*=us-ascii''0755"),
    'x-unix-mode*0=07; x-unix-mode*1=55 (RFC 2231 continued)': withMode('x-unix-mode*0=07; x-unix-mode*1=55'),
    'x-unix-mode="\\0755" (a quoted pair)': withMode('x-unix-mode="\\0755"'),
    'x-unix-mode=(perm)0755 (a comment)': withMode('x-unix-mode=(perm)0755'),
    'x-unix-mode=+755 (not plain octal: not known)': withMode('x-unix-mode=+755'),
    'a Content-Type name with an extension, a filename without': named(
      'Content-Type: application/octet-stream; x-unix-mode=0755; name="Invoice.pdf"\r\nContent-Disposition: attachment; filename="Invoice"',
      shell,
    ),
    'a filename with an extension, a Content-Type name without': named(
      'Content-Type: application/octet-stream; x-unix-mode=0755; name="Invoice"\r\nContent-Disposition: attachment; filename="Invoice.pdf"',
      shell,
    ),
    'a zip entry made on BeOS (host 16) of mode 0755': zipped([
      { name: 'Invoice', data: shell, madeBy: { host: 16, mode: 0o100755 } },
    ]),
    'a zip entry made on Atari (host 5) of mode 0755': zipped([
      { name: 'Invoice', data: shell, madeBy: { host: 5, mode: 0o100755 } },
    ]),
    'a Unix zip entry whose mode says FIFO (UnZip extracts a file)': zipped([
      { name: 'Invoice', data: shell, madeBy: { host: 3, mode: 0o010755 } },
    ]),
    'a Unix zip entry whose mode says folder, named without a slash': zipped([
      { name: 'Invoice', data: shell, madeBy: { host: 3, mode: 0o040755 } },
    ]),
    'a zip entry whose mode is only in its ASi extra field': zipped([
      { name: 'Invoice', data: shell, extra: asi },
    ]),
    'an .app bundle inside a zip (the extension is on a folder)': zipped([
      { name: 'Invoice.app/Contents/Info.plist', data: '<plist/>' },
      { name: 'Invoice.app/Contents/MacOS/run.bin', data: shell, unixMode: 0o755 },
    ]),
    'an extensionless script of mode 0755 in a RAR 5 archive': named(
      'Content-Type: application/vnd.rar; name="invoice.rar"',
      rarFile([{ name: 'Invoice', data: shell, unixMode: 0o755 }], { version: 5 }),
    ),
    'an extensionless script of mode 0755 in a RAR 4 archive': named(
      'Content-Type: application/vnd.rar; name="invoice.rar"',
      rarFile([{ name: 'Invoice', data: shell, unixMode: 0o755 }]),
    ),
    'a universal binary of 40 architectures named .pdf': named(
      'Content-Type: application/pdf; name="Invoice.pdf"',
      fat(40, 0x01000007),
    ),
    'an .eml carrying a .vbs, uuencoded in a text body': mail(
      ['Content-Type: text/plain'],
      `See the forwarded mail.\r\n\r\n${uuencode(Buffer.from(inner), 'fw.eml')}\r\n`,
    ),
    'an .eml carrying a .vbs, inside winmail.dat': named(
      'Content-Type: application/ms-tnef; name="winmail.dat"',
      tnefStream([{ title: 'FW.EML', longName: 'fw.eml', data: Buffer.from(inner) }]),
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }

  it('delivers what only looks alike: a Windows zip, hidden files of a document, a Java class, 0644', async () => {
    const windows = zipped([{ name: 'Invoice', data: 'text', madeBy: { host: 0, mode: 0o100755 } }]);
    expect((await kit.inbound(windows)).verdict).toBe('DEFAULT');
    const hidden = zipped([
      { name: '_rels/.rels', data: '<Relationships/>', unixMode: 0o755 },
      { name: 'report.txt', data: 'hello', unixMode: 0o755 },
    ]);
    expect((await kit.inbound(hidden)).verdict).toBe('DEFAULT');
    const javaClass = fat(52, 0x00120a00);
    expect(
      (await kit.inbound(named('Content-Type: application/octet-stream; name="Main.class"', javaClass)))
        .verdict,
    ).toBe('DEFAULT');
    expect((await kit.inbound(withMode('x-unix-mode=0644'))).verdict).toBe('DEFAULT');
    const rar = rarFile(
      [
        { name: 'notes.txt', data: 'hello', unixMode: 0o755 },
        { name: 'README', data: 'hi', unixMode: 0o644 },
      ],
      {
        version: 5,
      },
    );
    expect(
      (await kit.inbound(named('Content-Type: application/vnd.rar; name="notes.rar"', rar))).verdict,
    ).toBe('DEFAULT');
  });
});

describe('attacker round 11: past round 10 (guard)', () => {
  const moded = (name: string) =>
    named(
      `Content-Type: application/octet-stream; x-unix-mode=0755; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"`,
      shell,
    );
  const zipped = (entries: Parameters<typeof zipFile>[0]) =>
    named('Content-Type: application/zip; name="invoice.zip"', zipFile(entries));
  const exe = `From: a@evil.example\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i\r\nContent-Type: application/octet-stream; name="Invoice.exe"\r\n\r\n${script('tpl')}\r\n--i--\r\n`;
  const fat = Buffer.alloc(64);
  fat.writeUInt32BE(0xcafebabe, 0);
  fat.writeUInt32BE(50, 4);
  fat.writeUInt32BE(6, 8); // mc680x0 first
  const CASES: Record<string, Buffer> = {
    'an executable named .pdf with a trailing space (Finder: unknown extension, runs it)':
      moded('Invoice.pdf '),
    'an executable named .pdf and a zero-width space': moded('Invoice.pdf\u200b'),
    'an executable named .pdf and a no-break space': moded('Invoice.pdf\u00a0'),
    'an executable with a made-up extension': moded('Invoice.2026-11'),
    'an executable named .pdf with a trailing space inside a zip': zipped([
      { name: 'Invoice.pdf ', data: shell, unixMode: 0o755 },
    ]),
    'a universal binary whose first architecture is a 680x0': named(
      'Content-Type: application/pdf; name="report.pdf"',
      fat,
    ),
    'an Outlook for Mac template (.emltpl) carrying an .exe': named(
      'Content-Type: application/octet-stream; name="Offer.emltpl"',
      Buffer.from(exe),
    ),
    'an .emltpl inside a zip': zipped([{ name: 'Offer.emltpl', data: exe }]),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }

  it('delivers archives whose folders are only named like files (chart.js/, www.site.com/, X.Cmd/)', async () => {
    const zip = zipped([
      { name: 'node_modules/chart.js/package.json', data: '{}' },
      { name: 'www.corp-example.com/index.txt', data: 'site' },
      { name: 'Contoso.Billing.Cmd/readme.txt', data: 'hello' },
    ]);
    expect((await kit.inbound(zip)).verdict).toBe('DEFAULT');
    expect((await kit.inbound(moded('Invoice.pdf'))).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 11: past round 10 (outbound-policy)', () => {
  const card = Buffer.from(`${CARD} exp 12/29\r\n`).toString('base64');
  const eml = (lead: string, headers = '') =>
    Buffer.from(
      `${lead}From: Ann <ann@corp.example>\r\nSubject: booking\r\n${headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${card}\r\n`,
      'latin1',
    );
  const inZip = (name: string, data: Buffer) =>
    file('Content-Type: application/zip; name="b.zip"', zipFile([{ name, data }]));
  const msg = Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from('__substg1.0_0037001F\0__attach_version1.0_#00000000\0', 'utf16le'),
    Buffer.from('PK\x03\x04 compressed workbook bytes', 'latin1'),
  ]);
  const CASES: Record<string, Buffer> = {
    'an .eml in a zip with 72 KB of header fields before MIME-Version': inZip(
      'b.eml',
      eml('', `X-Pad: ${'x'.repeat(70)}\r\n`.repeat(1000)),
    ),
    'an .eml in a zip starting with an mbox From line': inZip(
      'b.eml',
      eml('From ann@corp.example Tue Nov 24 09:00:00 2026\r\n'),
    ),
    'an .eml in a zip starting with a byte order mark': inZip('b.eml', eml('\xEF\xBB\xBF')),
    'an .eml in a zip starting with a blank line': inZip('b.eml', eml('\r\n')),
    'an .eml with a control character in a header, gzipped': file(
      'Content-Type: application/gzip; name="b.eml.gz"',
      gzipSync(eml('', 'X-Mailer: Outlook\x7f 16.0\r\n')),
    ),
    'an .eml with a control character in a header, uuencoded': mail(
      [FROM, 'Content-Type: text/plain'],
      `Here.\r\n\r\n${uuencode(eml('', 'X-Mailer: Outlook\x7f 16.0\r\n'), 'b.eml')}\r\n`,
    ),
    'an .eml with a control character in a header, in winmail.dat': file(
      'Content-Type: application/ms-tnef; name="winmail.dat"',
      tnefStream([{ title: 'B.EML', longName: 'b.eml', data: eml('', 'X-Mailer: Outlook\x7f 16.0\r\n') }]),
    ),
    'RTF named .doc, its digits escaped': file(
      'Content-Type: application/msword; name="booking.doc"',
      Buffer.from("{\\rtf1\\ansi Guest card \\'34111 1111 1111 1111\\par}"),
    ),
    'RTF named .doc inside a zip': inZip(
      'booking.doc',
      Buffer.from("{\\rtf1\\ansi Guest card \\'34111 1111 1111 1111\\par}"),
    ),
    'HTML named .doc, a digit as a character reference': file(
      'Content-Type: application/msword; name="booking.doc"',
      Buffer.from('<html><body><p>Guest card &#52;111 1111 1111 1111</p></body></html>'),
    ),
    'an HTML table named .xls, a group split by a span': file(
      'Content-Type: application/vnd.ms-excel; name="guests.xls"',
      Buffer.from('<table><tr><td>Ann</td><td>4111 11<span>11</span> 1111 1111</td></tr></table>'),
    ),
    'an Outlook .msg with an attachment (its attachments are not read)': file(
      'Content-Type: application/vnd.ms-outlook; name="booking.msg"',
      msg,
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends a .msg without attachments, and RTF and HTML files with no card', async () => {
    const plain = Buffer.concat([
      msg.subarray(0, 512),
      Buffer.from('__substg1.0_0037001F\0Lunch at noon\0', 'utf16le'),
    ]);
    expect(
      await kit.outbound(file('Content-Type: application/vnd.ms-outlook; name="lunch.msg"', plain)),
    ).toBe('DEFAULT');
    const rtf = file(
      'Content-Type: application/msword; name="menu.doc"',
      Buffer.from('{\\rtf1\\ansi Menu: soup\\par}'),
    );
    expect(await kit.outbound(rtf)).toBe('DEFAULT');
  });
});

describe('attacker round 12: past round 11', () => {
  const msgWith = (storage: string) =>
    Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from(`__substg1.0_0037001F\0${storage}\0`, 'utf16le'),
    ]);
  const mht = Buffer.from(
    `From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`<html><body>${CARD}</body></html>`).toString('base64')}\r\n`,
  );
  const CASES: Record<string, Buffer> = {
    'RTF named .doc whose header is only {\\rt (Word checks no more)': file(
      'Content-Type: application/msword; name="booking.doc"',
      Buffer.from("{\\rtxa1\\ansi Guest card \\'34111 1111 1111 1111\\par}"),
    ),
    'HTML named .xls behind a saved-from comment': file(
      'Content-Type: application/vnd.ms-excel; name="guests.xls"',
      Buffer.from(
        '<!-- saved from url=(0014)about:internet -->\r\n<html><body>&#52;111 1111 1111 1111</body></html>',
      ),
    ),
    'XHTML named .doc (an XML declaration and a DOCTYPE first)': file(
      'Content-Type: application/msword; name="booking.doc"',
      Buffer.from(
        '<?xml version="1.0"?>\r\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">\r\n<html><body>&#52;111 1111 1111 1111</body></html>',
      ),
    ),
    'an XML Spreadsheet 2003 named .xls': file(
      'Content-Type: application/vnd.ms-excel; name="guests.xls"',
      Buffer.from(
        '<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n<Workbook><Worksheet><Table><Row><Cell><Data ss:Type="String">&#52;111 1111 1111 1111</Data></Cell></Row></Table></Worksheet></Workbook>',
      ),
    ),
    'an MHT declared text/html, named .doc': file('Content-Type: text/html; name="guests.doc"', mht),
    'an MHT declared application/rtf': file('Content-Type: application/rtf; name="guests.doc"', mht),
    'an Outlook .msg whose attachment storage is named in capitals': file(
      'Content-Type: application/vnd.ms-outlook; name="b.msg"',
      msgWith('__ATTACH_VERSION1.0_#00000000'),
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces ${name} (outbound-policy)`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  const fileOf = (name: string, mode: string) =>
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; x-unix-mode=${mode}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('bplist00').toString('base64')}`,
      ),
    );
  it('bounces a macOS file-location shortcut (.fileloc, abused to bypass Gatekeeper) (guard)', async () => {
    expect((await kit.inbound(fileOf('Invoice.fileloc', '0644'))).verdict).toBe('BOUNCE');
  });
  it('delivers Apple Mail attachments of mode 0777 with long extensions (from a network share) (guard)', async () => {
    for (const name of ['Note.textClipping', 'Dev.mobileprovision', 'Photo.heic'])
      expect((await kit.inbound(fileOf(name, '0777'))).verdict).toBe('DEFAULT');
  });
});
