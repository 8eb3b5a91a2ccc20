import { gzipSync } from 'node:zlib';
import { cmsFile, rarFile, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 21 (session 21). The DLP refuses an archive it does not open (RAR, 7z, bzip2, xz…) as unread
// when it is a part or a file in a zip or tar; carried one level further (the content of a gzip or of a signed
// .p7m, a file uuencoded in a body, a file in a winmail.dat) it was skipped as binary, and the card numbers in it
// went out. Each case bounced at outbound-policy's defaults only after the fix.

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARDS = Buffer.from('name,card\r\nAnn,4111 1111 1111 1111\r\n');
// A stored RAR: the CSV's bytes are in it, but no reader of the DLP opens a RAR.
const RAR = rarFile([{ name: 'cards.csv', data: CARDS }], { version: 5 });
// A bzip2 file's bytes say nothing readable (its stream is not built: the kind is known by its signature).
const BZIP2 = Buffer.concat([
  Buffer.from('BZh9', 'latin1'),
  Buffer.from('314159265359', 'hex'),
  Buffer.alloc(40, 7),
]);
const FROM = 'From: Bob <bob@corp.example>';

describe('attacker round 21: an unread archive carried in a container the DLP opens (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a gzip holding a RAR': outboundFile('export.gz', gzipSync(RAR)),
    'a signed .p7m holding a RAR': outboundFile('export.rar.p7m', cmsFile(RAR)),
    'a zip holding a gzip holding a RAR': outboundFile(
      'export.zip',
      zipFile([{ name: 'export.gz', data: gzipSync(RAR) }]),
    ),
    'a RAR uuencoded in a text body': mail(
      [FROM, 'Content-Type: text/plain'],
      `See below.\r\n\r\n${uuencode(RAR, 'export.rar')}\r\n`,
    ),
    'a bzip2 file in a winmail.dat': outboundFile(
      'winmail.dat',
      tnefStream([{ title: 'CARDS~1.BZ2', longName: 'cards.csv.bz2', data: BZIP2 }]),
      'application/ms-tnef',
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('still sends a gzip, a signed file and a uuencoded file of clean text (controls)', async () => {
    const plan = Buffer.from('week,task\r\n1,ship\r\n');
    expect(await kit.outbound(outboundFile('plan.csv.gz', gzipSync(plan)))).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('plan.csv.p7m', cmsFile(plan)))).toBe('DEFAULT');
    expect(
      await kit.outbound(
        mail([FROM, 'Content-Type: text/plain'], `Plan:\r\n\r\n${uuencode(plan, 'plan.csv')}\r\n`),
      ),
    ).toBe('DEFAULT');
  });
});

// Attacker round 21, on the guard's impersonation check (PROTECTED_NAMES): names an outside sender wrote so
// that clients show "Jane Doe" while the check read another name.
const PROTECTED = { PROTECTED_NAMES: 'Jane Doe' };
const fromMail = (from: string | undefined) =>
  mail(
    [
      ...(from === undefined ? [] : [`From: ${from}`]),
      'Subject: Wire today',
      'Content-Type: text/plain; charset=utf-8',
    ],
    'Please pay today.\r\n',
  );

describe('attacker round 21: a protected name the impersonation check did not read as shown (guard)', () => {
  const CASES: Record<string, string> = {
    'an eth for the D (Ð, drawn as Đ), in Latin-1': '=?iso-8859-1?Q?Jane_=D0oe?= <jane.doe@evil.example>',
    'Latin open e (ɛ) for e': '=?utf-8?Q?Jan=C9=9B_Do=C9=9B?= <ceo@evil.example>',
    'a hair space inside the first name, and a title':
      '=?utf-8?Q?Ja=E2=80=8Ane_Doe_=28CEO=29?= <ceo@evil.example>',
    'a thin space inside the first name, and a title':
      '=?utf-8?Q?Ja=E2=80=89ne_Doe_=28CEO=29?= <ceo@evil.example>',
    'a narrow no-break space': '=?utf-8?Q?Ja=E2=80=AFne_Doe_=28CEO=29?= <ceo@evil.example>',
    'a tab': '=?utf-8?Q?Ja=09ne_Doe_=28CEO=29?= <ceo@evil.example>',
    'the braille blank': '=?utf-8?Q?Ja=E2=A0=80ne_Doe_=28CEO=29?= <ceo@evil.example>',
    'an interlinear annotation mark': '=?utf-8?Q?Ja=EF=BF=B9ne_Doe_=28CEO=29?= <ceo@evil.example>',
    'a private-use character': '=?utf-8?Q?Ja=EE=80=80ne_Doe_=28CEO=29?= <ceo@evil.example>',
    'a control byte': '=?utf-8?Q?Ja=01ne_Doe_=28CEO=29?= <ceo@evil.example>',
  };
  for (const [name, from] of Object.entries(CASES))
    it(`junks ${name}`, async () => {
      expect((await kit.inbound(fromMail(from), PROTECTED)).verdict).toBe('MOVE_TO_JUNK');
    });
  it('junks a message without From whose envelope sender reads as the name (the repair shows that address)', async () => {
    expect((await kit.inbound(fromMail(undefined), PROTECTED, 'jane.doe@evil.example')).verdict).toBe(
      'MOVE_TO_JUNK',
    );
  });
  it('still delivers other names, a name spaced as usual, and a message without From from anyone else (controls)', async () => {
    for (const from of [
      'Janet Doerr <janet@partner.example>',
      '=?utf-8?Q?Jan_E=E2=80=89Doyle?= <j@p.example>',
    ])
      expect((await kit.inbound(fromMail(from), PROTECTED)).verdict, from).toBe('DEFAULT');
    expect((await kit.inbound(fromMail(undefined), PROTECTED, 'orders@shop.example')).verdict).toBe(
      'DEFAULT',
    );
  });
});

// Attacker round 21, on the outside-mail banner: a client shows the last alternative it can render, and the
// banner went only into the first text/plain and text/html of the message.
const BANNER_WORDS = 'came from outside the organization';
const alternatives = (...parts: string[]) =>
  mail(
    ['From: Sam <sam@outside.example>', 'Content-Type: multipart/alternative; boundary="a"'],
    [...parts.flatMap((p) => ['--a', p]), '--a--', ''].join('\r\n'),
  );
const HTML = (body: string) =>
  `Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>${body}</p></body></html>`;
const PLAIN = 'Content-Type: text/plain; charset=utf-8\r\n\r\nSee the HTML.';
describe('attacker round 21: the banner in every alternative a client may show (guard)', () => {
  const CASES: Record<string, [Buffer, number]> = {
    'a multipart/related HTML after a first HTML': [
      alternatives(
        PLAIN,
        HTML('.'),
        `Content-Type: multipart/related; boundary="r"\r\n\r\n--r\r\n${HTML('REAL BODY')}\r\n--r--`,
      ),
      3,
    ],
    'two HTML alternatives': [alternatives(PLAIN, HTML('.'), HTML('REAL BODY')), 3],
  };
  for (const [name, [message, parts]] of Object.entries(CASES))
    it(`banners each of ${name}`, async () => {
      const { verdict, delivered } = await kit.inbound(message);
      expect(verdict).toBe('DEFAULT');
      const text = delivered.toString('latin1').replace(/=\r\n/g, '');
      expect(text.split(BANNER_WORDS).length - 1).toBe(parts);
    });
  it('still banners a multipart/mixed body once: a later inline text continues it (control)', async () => {
    const mixed = mail(
      ['From: Sam <sam@outside.example>', MIXED],
      [
        '--b',
        PLAIN,
        '--b',
        'Content-Type: text/plain; charset=utf-8\r\n\r\nMore text after an image.',
        '--b--',
        '',
      ].join('\r\n'),
    );
    const { delivered } = await kit.inbound(mixed);
    expect(delivered.toString('latin1').replace(/=\r\n/g, '').split(BANNER_WORDS).length - 1).toBe(1);
  });
});

describe('attacker round 21: a second Subject beside a first that already carries the tag (guard)', () => {
  // Built whole: the kit's template has a Subject of its own.
  const withSubjects = (...subjects: string[]) =>
    Buffer.from(
      [
        'From: Sam <sam@outside.example>',
        'To: bob@corp.example',
        ...subjects.map((s) => `Subject: ${s}`),
        'Date: Sun, 29 Nov 2026 10:00:00 +0000',
        'Message-ID: <attacker@evil.example>',
        'Content-Type: text/plain',
        '',
        'Please pay today.',
        '',
      ].join('\r\n'),
    );
  const subjects = async (message: Buffer) =>
    ((await kit.inbound(message)).delivered.toString('latin1').split('\r\n\r\n')[0] ?? '').match(
      /^Subject:.*$/gim,
    );
  it('keeps one Subject, tagged', async () => {
    expect(await subjects(withSubjects('[EXTERNAL]', 'Urgent: wire today'))).toEqual(['Subject: [EXTERNAL]']);
    expect(await subjects(withSubjects('Lunch', '[EXTERNAL] x'))).toEqual(['Subject: [EXTERNAL] Lunch']);
  });
  it('tags a single Subject as before (control)', async () => {
    expect(await subjects(withSubjects('Lunch'))).toEqual(['Subject: [EXTERNAL] Lunch']);
  });
});

describe('attacker round 21: a charset label the editor does not know kept the banner out (guard)', () => {
  for (const charset of ['"_autodetect_all"', 'x-user-defined'])
    it(`banners an ASCII body labelled ${charset}`, async () => {
      const message = mail(
        ['From: Sam <sam@outside.example>', `Content-Type: text/html; charset=${charset}`],
        '<html><body><p>Please pay invoice 4471 today.</p></body></html>\r\n',
      );
      const { delivered } = await kit.inbound(message);
      expect(delivered.toString('latin1').replace(/=\r\n/g, '')).toContain(BANNER_WORDS);
    });
});

describe('attacker round 22: a named text/html body (guard)', () => {
  it('banners the only body when it has a name, with or without an inline disposition', async () => {
    for (const disposition of ['', '\r\nContent-Disposition: inline; filename="message.html"']) {
      const message = mail(
        [
          'From: Sam <sam@outside.example>',
          `Content-Type: text/html; charset=utf-8; name="message.html"${disposition}`,
        ],
        '<html><body><p>Please pay invoice 4471 today.</p></body></html>\r\n',
      );
      const { delivered } = await kit.inbound(message);
      expect(delivered.toString('latin1').replace(/=\r\n/g, ''), disposition).toContain(BANNER_WORDS);
    }
  });
  it('leaves an HTML attachment alone (control)', async () => {
    const message = mail(
      ['From: Sam <sam@outside.example>', MIXED],
      withPart(
        'Content-Type: text/html; name="page.html"\r\nContent-Disposition: attachment; filename="page.html"\r\n\r\n<p>file</p>',
      ),
    );
    const text = (await kit.inbound(message)).delivered.toString('latin1').replace(/=\r\n/g, '');
    expect(text.split(BANNER_WORDS).length - 1).toBe(1);
    expect(text).toContain('<p>file</p>');
  });
});

describe('attacker round 22: an address shown as the name, its domain without a dot (guard)', () => {
  const CASES: Record<string, [string | undefined, string?]> = {
    'a dotless domain': ['<jane.doe@ai>'],
    'an IPv4 literal': ['<jane.doe@[192.0.2.1]>'],
    'an IPv6 literal': ['<jane.doe@[IPv6:2001:db8::1]>'],
    'a display name written as a dotless address': ['"jane.doe@ceo" <x@evil.example>'],
    'no From, the envelope sender at a dotless domain': [undefined, 'jane.doe@ai'],
  };
  for (const [name, [from, mailFrom]] of Object.entries(CASES))
    it(`junks ${name}`, async () => {
      expect((await kit.inbound(fromMail(from), PROTECTED, mailFrom)).verdict).toBe('MOVE_TO_JUNK');
    });
  it('still reads J@ne Doe as Jane Doe, and delivers other addresses (controls)', async () => {
    expect((await kit.inbound(fromMail('J@ne Doe <x@evil.example>'), PROTECTED)).verdict).toBe(
      'MOVE_TO_JUNK',
    );
    expect((await kit.inbound(fromMail('<orders@ai>'), PROTECTED)).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 22: an archive the DLP does not open, embedded in an OLE file (outbound-policy)', () => {
  // A compound file's header, then an embedded object's package holding an xz file (as Word stores one).
  const OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
  const ole = (inside: Buffer) =>
    Buffer.concat([
      OLE,
      Buffer.alloc(504),
      Buffer.from('\x01Ole10Native', 'latin1'),
      inside,
      Buffer.alloc(512),
    ]);
  const XZ_FILE = Buffer.concat([Buffer.from('\xfd7zXZ\x00', 'latin1'), Buffer.alloc(64, 9)]);
  const BZ_FILE = Buffer.concat([
    Buffer.from('BZh9', 'latin1'),
    Buffer.from('314159265359', 'hex'),
    Buffer.alloc(64, 9),
  ]);
  it('bounces a .doc whose embedded object is an xz or bzip2 file, and sends it with ALLOW_UNREAD_ARCHIVES', async () => {
    for (const inside of [XZ_FILE, BZ_FILE]) {
      const message = outboundFile('report.doc', ole(inside));
      expect(await kit.outbound(message)).toBe('BOUNCE');
      expect(await kit.outbound(message, { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
    }
  });
  it('sends a .doc with no such object (control)', async () => {
    expect(await kit.outbound(outboundFile('report.doc', ole(Buffer.from('plain words'))))).toBe('DEFAULT');
  });
});

describe('attacker round 22: look-alike letters not mapped before (guard)', () => {
  const CASES: Record<string, string> = {
    'blackletter o': 'Jane Dꬽe',
    'blackletter e': 'Janꬲ Doꬲ',
    'sideways o': 'Jane Dᴑe',
    'a with a retroflex hook': 'Jᶏne Doe',
    'n with a descender': 'Jaꞑe Doe',
    'the intersection sign for n': 'Ja∩e Doe',
    'Oriya ttha for o': 'Jane Dଠe',
    'a Georgian sign for o': 'Jane Dჿe',
  };
  for (const [name, display] of Object.entries(CASES))
    it(`junks ${name}`, async () => {
      const from = `=?utf-8?B?${Buffer.from(display).toString('base64')}?= <ceo@evil.example>`;
      expect((await kit.inbound(fromMail(from), PROTECTED)).verdict).toBe('MOVE_TO_JUNK');
    });
});

describe('attacker round 22: a self-extracting archive (outbound-policy)', () => {
  const CARDS_CSV = Buffer.from('name,card\r\nAnn,4111 1111 1111 1111\r\n');
  const STUB = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(4000, 0x90)]);
  const sfx = (archive: Buffer) => Buffer.concat([STUB, archive]);
  const RAR_OF_CARDS = rarFile([{ name: 'cards.csv', data: CARDS_CSV }], { version: 5 });
  const ZIP_OF_CARDS = zipFile([{ name: 'cards.csv', data: CARDS_CSV }]);
  it('bounces a program carrying a RAR or a zip, attached or in a zip; ALLOW_UNREAD_ARCHIVES sends it', async () => {
    for (const program of [sfx(RAR_OF_CARDS), sfx(ZIP_OF_CARDS)]) {
      expect(await kit.outbound(outboundFile('export.exe', program))).toBe('BOUNCE');
      expect(
        await kit.outbound(outboundFile('export.zip', zipFile([{ name: 'export.exe', data: program }]))),
      ).toBe('BOUNCE');
      expect(await kit.outbound(outboundFile('export.exe', program), { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe(
        'DEFAULT',
      );
    }
  });
  it('sends a program that carries no archive (control)', async () => {
    expect(await kit.outbound(outboundFile('tool.exe', STUB))).toBe('DEFAULT');
  });
});
