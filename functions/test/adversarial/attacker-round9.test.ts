import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 9 (session 17). An attached message declared under a name other clients also open as a
// message (message/news, message/rfc2822, message/x-rfc822, message/external-body); an unnamed part whose
// declared type Windows saves under a blocked extension; a display name of invisible characters only. Each
// got past the guard or outbound-policy at their defaults before this round.

const stack = useLocalStack();
const kit = attackerKit(stack);

/** A message holding a .vbs. */
const carrying = (tag: string) =>
  `From: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i\r\nContent-Type: application/octet-stream; name="update.vbs"\r\nContent-Disposition: attachment; filename="update.vbs"\r\n\r\n${script(tag)}\r\n--i--\r\n`;
/** That message attached under `type`. */
const forwarded = (type: string, tag: string) => `Content-Type: ${type}\r\n\r\n${carrying(tag)}`;

/** An unnamed part of a declared type (Outlook saves it as ATT00001 with the type's extension). */
const unnamed = (type: string, tag: string) =>
  mail([MIXED], withPart(`Content-Type: ${type}\r\nContent-Disposition: attachment\r\n\r\n${script(tag)}`));

const ATTACHMENTS: Record<string, [Buffer, string]> = {
  'a .vbs inside an attached message/news (Thunderbird and MimeKit open it as a message)': [
    mail([MIXED], withPart(forwarded('message/news', 'news'))),
    'attacker-news',
  ],
  'a .vbs inside an attached message/rfc2822': [
    mail([MIXED], withPart(forwarded('message/rfc2822', 'rfc2822'))),
    'attacker-rfc2822',
  ],
  'a .vbs inside an attached message/x-rfc822': [
    mail([MIXED], withPart(forwarded('message/x-rfc822', 'x-rfc822'))),
    'attacker-x-rfc822',
  ],
  'a .vbs inside a message/external-body that holds a whole message (MimeKit parses it)': [
    mail([MIXED], withPart(forwarded('message/external-body; access-type=x-mail', 'external'))),
    'attacker-external',
  ],
  'a .vbs inside a message/news entry of a multipart/digest': [
    mail(
      ['Content-Type: multipart/digest; boundary="b"'],
      ['--b', forwarded('message/news', 'digest'), '--b--', ''].join('\r\n'),
    ),
    'attacker-digest',
  ],
  'an unnamed application/x-x509-ca-cert (.cer)': [
    unnamed('application/x-x509-ca-cert', 'cer'),
    'attacker-cer',
  ],
  'an unnamed application/pkix-cert (.cer)': [unnamed('application/pkix-cert', 'pkix'), 'attacker-pkix'],
  'an unnamed application/x-internet-signup (.ins)': [
    unnamed('application/x-internet-signup', 'ins'),
    'attacker-ins',
  ],
  'an unnamed application/x-msaccess (.mdb)': [unnamed('application/x-msaccess', 'mdb'), 'attacker-mdb'],
  'an unnamed text/x-ms-iqy (.iqy)': [unnamed('text/x-ms-iqy', 'iqy'), 'attacker-iqy'],
  'an unnamed application/windows-library+xml (.library-ms)': [
    unnamed('application/windows-library+xml', 'library'),
    'attacker-library',
  ],
};

describe('attacker round 9: attachments through the guard at its defaults', () => {
  attachmentTests(kit, ATTACHMENTS);

  for (const ext of ['ppam', 'vsto', 'wll', 'dqy', 'rqy', 'oqy', 'ppa']) {
    it(`bounces a .${ext} (an Office add-in or query file, as .xlam, .xll and .iqy are)`, async () => {
      const part = `Content-Type: application/octet-stream; name="tools.${ext}"\r\nContent-Disposition: attachment; filename="tools.${ext}"\r\n\r\n${script(ext)}`;
      expect((await kit.inbound(mail([MIXED], withPart(part)))).verdict).toBe('BOUNCE');
    });
  }

  // macOS: Apple Mail restores the x-unix-mode it was sent; Finder runs an executable file that has no
  // extension in Terminal, and any Mach-O binary runs once its execute bit is set.
  const fileOf = (name: string, head: string, content: Buffer) =>
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream;${head} name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`,
      ),
    );
  const shell = Buffer.from('#!/bin/sh\nopen -a Calculator\n');
  const machO = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0, 0, 0x01]), Buffer.alloc(64)]);
  const universal = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), Buffer.alloc(64)]);
  const MAC: Record<string, Buffer> = {
    'a shell script without an extension, x-unix-mode=0755': fileOf('Invoice', ' x-unix-mode=0755;', shell),
    'a text file without an extension, x-unix-mode=0700 (the shell runs it as a script)': fileOf(
      'Invoice',
      ' x-unix-mode="0700";',
      Buffer.from('open -a Calculator\n'),
    ),
    'a Mach-O binary without an extension': fileOf('Invoice', '', machO),
    'a Mach-O binary named .jpg': fileOf('photo.jpg', ' x-unix-mode=0644;', machO),
    'a universal Mach-O binary': fileOf('Installer', '', universal),
    'a Mach-O binary inside a zip': fileOf('tools.zip', '', zipFile([{ name: 'Tool', data: machO }])),
    'an extensionless script of mode 0755 inside a zip (Archive Utility keeps the mode)': fileOf(
      'invoice.zip',
      '',
      zipFile([{ name: 'Invoice/Open Me', data: shell, unixMode: 0o755 }]),
    ),
    'an extensionless script of mode 0755 inside a tar.gz': fileOf(
      'invoice.tar.gz',
      '',
      gzipSync(tarArchive(tarEntry('Open Me', shell, '0', { 100: '0000755\0' }))),
    ),
  };
  for (const [name, message] of Object.entries(MAC)) {
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }
  it('delivers a document whose x-unix-mode has execute bits (from a FAT drive), and a plain file of 0644', async () => {
    const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    expect((await kit.inbound(fileOf('report.pdf', ' x-unix-mode=0777;', pdf))).verdict).toBe('DEFAULT');
    expect((await kit.inbound(fileOf('README', ' x-unix-mode=0644;', shell))).verdict).toBe('DEFAULT');
    const javaClass = Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]), Buffer.alloc(64)]);
    expect((await kit.inbound(fileOf('Main.class', '', javaClass))).verdict).toBe('DEFAULT');
    const zip = zipFile([
      { name: 'report.pdf', data: pdf, unixMode: 0o777 },
      { name: 'README', data: shell, unixMode: 0o644 },
    ]);
    expect((await kit.inbound(fileOf('docs.zip', '', zip))).verdict).toBe('DEFAULT');
  });

  // Found by round 9's last set: file types Microsoft's and Google's filters refuse and the guard let through.
  for (const ext of [
    'kext',
    'macho',
    'elf',
    'uif',
    'apk',
    'dex',
    'deb',
    'au3',
    'a3x',
    'ahk',
    'ani',
    'hqx',
    'sit',
    'sitx',
    'rev',
  ]) {
    it(`bounces a .${ext}`, async () => {
      const part = `Content-Type: application/octet-stream; name="file.${ext}"\r\nContent-Disposition: attachment; filename="file.${ext}"\r\n\r\n${script(ext)}`;
      expect((await kit.inbound(mail([MIXED], withPart(part)))).verdict).toBe('BOUNCE');
    });
  }

  it('bounces a whole message whose body is message/news holding a .vbs', async () => {
    const root = mail(['Content-Type: message/news'], carrying('root'));
    expect((await kit.inbound(root)).verdict).toBe('BOUNCE');
  });
});

describe('attacker round 9: a card in a forwarded message/news or message/rfc2822 (outbound-policy)', () => {
  const card = Buffer.from('Card: 4111 1111 1111 1111 exp 12/29\r\n').toString('base64');
  const inner = `From: Bob <bob@corp.example>\r\nSubject: card\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${card}\r\n`;
  for (const type of ['message/news', 'message/rfc2822', 'message/x-rfc822']) {
    it(`bounces it under ${type} (read as raw bytes before, where base64 hid the card)`, async () => {
      const message = mail(
        ['From: Bob <bob@corp.example>', MIXED],
        withPart(`Content-Type: ${type}\r\n\r\n${inner}`),
      );
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  // The name clients open it by is the Content-Type's (Outlook, MimeKit) or the disposition's: either counts.
  const named: Record<string, string> = {
    '.eml only in its Content-Type name':
      'Content-Type: application/octet-stream; name="booking.eml"\r\nContent-Disposition: attachment; filename="booking.dat"',
    '.eml only in its disposition filename':
      'Content-Type: application/octet-stream; name="booking.dat"\r\nContent-Disposition: attachment; filename="booking.eml"',
    '.nws (Outlook Express news) as its only name':
      'Content-Type: application/octet-stream; name="booking.nws"',
    '.eml followed by invisible characters':
      'Content-Type: application/octet-stream; name="booking.eml\u200b"',
  };
  for (const [name, headers] of Object.entries(named)) {
    it(`bounces it in an octet-stream file named ${name}`, async () => {
      const message = mail(['From: Bob <bob@corp.example>', MIXED], withPart(`${headers}\r\n\r\n${inner}`));
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
});

describe('attacker round 9: a display name of invisible characters only', () => {
  for (const [name, blank] of [
    ['a zero-width space', '\u200b'],
    ['the Hangul filler', '\u3164'],
  ]) {
    it(`reads the address a client shows beside ${name} (jane.doe@… is Jane Doe)`, async () => {
      const message = mail(
        [`From: "${blank}" <jane.doe@freemail.example>`, 'Content-Type: text/plain'],
        'hi',
      );
      expect((await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
  }

  it('still reads a real display name, not the address, when there is one', async () => {
    const message = mail(['From: "Support" <jane.doe@freemail.example>', 'Content-Type: text/plain'], 'hi');
    expect((await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 9: a card in a file inside winmail.dat (outbound-policy)', () => {
  const winmail = (stream: Buffer) =>
    mail(
      ['From: Bob <bob@corp.example>', MIXED],
      withPart(
        `Content-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Disposition: attachment; filename="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n${stream.toString('base64').replace(/.{76}/g, '$&\r\n')}`,
      ),
    );
  const workbook = (cell: string) =>
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/sharedStrings.xml', data: `<sst><si><t>${cell}</t></si></sst>` },
    ]);
  const CARD_LINE = 'Guest card 4111 1111 1111 1111';
  const FILES: Record<string, { title: string; data: Buffer }> = {
    'an .xlsx (Outlook shows it as an attachment)': { title: 'GUESTS.XLSX', data: workbook(CARD_LINE) },
    'a zip holding a text file': {
      title: 'EXPORT.ZIP',
      data: zipFile([{ name: 'cards.txt', data: CARD_LINE }]),
    },
    'a gzip of a text file': { title: 'CARDS.GZ', data: gzipSync(Buffer.from(CARD_LINE)) },
  };
  for (const [name, file] of Object.entries(FILES)) {
    it(`bounces ${name} (its stored strings alone hid the card)`, async () => {
      expect(await kit.outbound(winmail(tnefStream([file])))).toBe('BOUNCE');
    });
  }

  it('sends a winmail.dat whose files hold no card, and refuses one cut inside a file (unread)', async () => {
    const benign = tnefStream([{ title: 'GUESTS.XLSX', data: workbook('Guest list for Friday') }]);
    expect(await kit.outbound(winmail(benign))).toBe('DEFAULT');
    const cut = tnefStream([{ title: 'NOTES.TXT', data: Buffer.from('Meeting notes '.repeat(40)) }]);
    expect(await kit.outbound(winmail(cut.subarray(0, cut.length - 100)))).toBe('BOUNCE');
  });
});

describe('attacker round 9: a card in a file encoded in a text (outbound-policy)', () => {
  const FROM = 'From: Bob <bob@corp.example>';
  const file = Buffer.from('Card for the booking: 4111 1111 1111 1111 exp 11/28\n');
  const b64 = `begin-base64 644 booking.txt\r\n${file.toString('base64')}\r\n====\r\n`;
  const CASES: Record<string, Buffer> = {
    'uuencoded in a plain-text body (Outlook and Thunderbird offer it as an attachment)': mail(
      [FROM, 'Content-Type: text/plain'],
      `See the file.\r\n\r\n${uuencode(file, 'booking.txt')}\r\n`,
    ),
    'begin-base64 in a plain-text body': mail(
      [FROM, 'Content-Type: text/plain'],
      `See the file.\r\n\r\n${b64}`,
    ),
    'a part in transfer encoding x-uuencode (MimeKit decodes it)': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: text/plain; name="booking.txt"\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n${uuencode(file, 'booking.txt')}`,
      ),
    ),
    'a zip uuencoded in a body': mail(
      [FROM, 'Content-Type: text/plain'],
      `Here.\r\n\r\n${uuencode(zipFile([{ name: 'cards.txt', data: file }]), 'cards.zip')}\r\n`,
    ),
  };
  for (const [name, message] of Object.entries(CASES)) {
    it(`bounces it ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }

  it('sends an encoded file with no card, and prose after a line that merely starts like one', async () => {
    const notes = Buffer.from('Meeting moved to Friday 10:00.\n');
    const benign = mail([FROM, 'Content-Type: text/plain'], `Notes:\r\n${uuencode(notes, 'notes.txt')}\r\n`);
    expect(await kit.outbound(benign)).toBe('DEFAULT');
    const prose = mail([FROM, 'Content-Type: text/plain'], 'begin 644 steps\r\nthen we talk it over\r\n');
    expect(await kit.outbound(prose)).toBe('DEFAULT');
  });
});
