import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import {
  attachedFile,
  attachmentTests,
  attackerKit,
  encoded,
  MIXED,
  mail,
  withPart,
} from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { expectStripped } from './strip-check.js';

// Attacker round 7 (session 14): each message below got past the guard or outbound-policy at their defaults.
// Message files that clients open by name, OpenPGP content, unmapped file types, UTF-7 and look-alike
// display names, HTML5 character references, marks on digits and charsets the reader does not know.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CRLF = '\r\n';

/** One test per From line: the guard sends the message to Junk (protected names Jane Doe and Jane Smith). */
function junksEach(fromLines: Record<string, string>): void {
  for (const [name, from] of Object.entries(fromLines)) {
    it(`junks ${name}`, async () => {
      const message = mail([from, 'Content-Type: text/plain'], 'Please pay today.');
      const verdict = (await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe, Jane Smith' })).verdict;
      expect(verdict).toBe('MOVE_TO_JUNK');
    });
  }
}

/** One test per message: outbound-policy bounces it. */
function bouncesEach(messages: Record<string, Buffer>): void {
  for (const [name, message] of Object.entries(messages)) {
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
}
const CARD = '4111 1111 1111 1111';

/** An RFC 822 message carrying `name` (base64), as a client saves it to a `.eml` file. */
function innerMessage(name: string, content: string): string {
  return [
    'From: Accounts <accounts@partner.example>',
    'Subject: Invoice',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'See the invoice.',
    '--inner',
    `Content-Type: application/octet-stream; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(content).toString('base64'),
    '--inner--',
    '',
  ].join(CRLF);
}

const ISO_PAYLOAD = 'wmflow-round7-iso';
const eml = innerMessage('Invoice_Nov.iso', ISO_PAYLOAD);

// Walked as attached messages: a strip removes the file inside and keeps the message.
const OPENED_BY_NAME: Record<string, [Buffer, string]> = {
  'an .eml declared application/octet-stream holding an .iso': attachedFile(
    'Invoice_Nov.eml',
    Buffer.from(eml),
  ),
  'an .eml declared text/plain holding an .iso': attachedFile(
    'Invoice_Nov.eml',
    Buffer.from(eml),
    'text/plain',
  ),
  'an .eml declared application/vnd.ms-outlook holding a .js': attachedFile(
    'Invoice_Nov.eml',
    Buffer.from(innerMessage('Invoice_Nov.js', 'WScript.Echo("round7")')),
    'application/vnd.ms-outlook',
  ),
};

const MESSAGE_FILES: Record<string, [Buffer, string]> = {
  'a zip holding an .eml': attachedFile(
    'Invoice_Nov.zip',
    zipFile([{ name: 'Invoice_Nov.eml', data: innerMessage('Invoice_Nov.js', 'WScript.Echo(1)') }]),
    'application/zip',
  ),
  // Outlook's own message format (an OLE file): Outlook opens it and offers the files it carries.
  'an Outlook .msg file': attachedFile(
    'Invoice_Nov.msg',
    Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504, 0x20)]),
    'application/vnd.ms-outlook',
  ),
};

// PGP/MIME (RFC 3156): Thunderbird unwraps it and shows what is inside; the walk cannot open it.
const PGP_MIME = mail(
  ['Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"'],
  [
    '--b',
    'Content-Type: application/pgp-encrypted',
    '',
    'Version: 1',
    '--b',
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    '',
    '-----BEGIN PGP MESSAGE-----',
    '',
    'hQEMA1nKvM0wmflow7roundseven==',
    '-----END PGP MESSAGE-----',
    '--b--',
    '',
  ].join(CRLF),
);

const OPENPGP: Record<string, [Buffer, string]> = {
  'a PGP/MIME encrypted message': [PGP_MIME, 'hQEMA1nKvM0wmflow7roundseven'],
  // An OpenPGP file whose literal data is named Invoice_Nov.js: "Decrypt and Open" runs it.
  'a .js.pgp file': attachedFile(
    'Invoice_Nov.js.pgp',
    Buffer.from('a3016208000000005769536372697074', 'hex'),
  ),
};

const unnamed = (type: string): [Buffer, string] => [
  mail(
    [MIXED],
    withPart(`Content-Type: ${type}\r\nContent-Disposition: attachment\r\n\r\nwmflow-round7-unnamed`),
  ),
  'wmflow-round7-unnamed',
];

const UNNAMED: Record<string, [Buffer, string]> = {
  'an unnamed compiled help file (application/vnd.ms-htmlhelp, saved as .chm)': unnamed(
    'application/vnd.ms-htmlhelp',
  ),
  'an unnamed scriptlet (text/scriptlet, saved as .sct)': unnamed('text/scriptlet'),
  'an unnamed OneNote notebook (application/onenote)': unnamed('application/onenote'),
  'an unnamed Java archive (application/java-archive)': unnamed('application/java-archive'),
};

describe('attacker round 7: message files clients open by name, through the guard at its defaults', () => {
  attachmentTests(kit, MESSAGE_FILES);

  for (const [name, [message]] of Object.entries(OPENED_BY_NAME)) {
    it(`${name}: bounced (ATTACHMENT_ACTION=bounce)`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
    it(`${name}: the file inside stripped, the message kept (ATTACHMENT_ACTION=strip)`, async () => {
      const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
      expect(verdict).toBe('DEFAULT');
      // The note sits inside the attached message, which stays base64: not in the bytes as written.
      await expectStripped(message, delivered, { noteInBytes: false });
      expect(delivered.toString('latin1')).toContain('Invoice_Nov.eml');
    });
  }

  it('an .eml declared application/octet-stream carrying only a letter is delivered', async () => {
    const [message] = attachedFile('Letter.eml', Buffer.from(innerMessage('notes.txt', 'hello')));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('ALLOW_UNLISTED_ARCHIVES lets an Outlook .msg through', async () => {
    const [message] = MESSAGE_FILES['an Outlook .msg file'] as [Buffer, string];
    expect((await kit.inbound(message, { ALLOW_UNLISTED_ARCHIVES: 'true' })).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 7: OpenPGP content through the guard at its defaults', () => {
  attachmentTests(kit, OPENPGP);

  it('ALLOW_SMIME delivers PGP/MIME as it delivers S/MIME', async () => {
    expect((await kit.inbound(PGP_MIME, { ALLOW_SMIME: 'true' })).verdict).toBe('DEFAULT');
  });

  it('a PGP/MIME signed message (its content readable) is delivered', async () => {
    const signed = mail(
      [
        'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="b"',
      ],
      [
        '--b',
        'Content-Type: text/plain',
        '',
        'Signed and readable.',
        '--b',
        'Content-Type: application/pgp-signature; name="signature.asc"',
        '',
        '-----BEGIN PGP SIGNATURE-----',
        'iQEzBAEBCAAdFiEE',
        '-----END PGP SIGNATURE-----',
        '--b--',
        '',
      ].join(CRLF),
    );
    expect((await kit.inbound(signed)).verdict).toBe('DEFAULT');
  });
});

describe('attacker round 7: unnamed parts whose type a client saves under a blocked extension', () => {
  attachmentTests(kit, UNNAMED);
});

// Text as one UTF-7 run (RFC 2152): UTF-16BE in base64 without padding, between `+` and `-`.
const utf7 = (s: string) => `+${Buffer.from(s, 'utf16le').swap16().toString('base64').replace(/=+$/, '')}-`;

const LOOK_ALIKES: Record<string, string> = {
  'a UTF-7 encoded word (base64)': `From: =?utf-7?B?${Buffer.from(utf7('Jane Doe')).toString('base64')}?= <x@evil.example>`,
  'a UTF-7 encoded word (Q)': `From: =?utf-7?Q?${utf7('J')}ane_Doe?= <x@evil.example>`,
  'a UTF-7 encoded word named unicode-1-1-utf-7': `From: =?unicode-1-1-utf-7?Q?+AEo-ane_Doe?= <x@evil.example>`,
  'a Myanmar digit zero for the o': `From: "${encoded('Jane D\u1040e')}" <x@evil.example>`,
  'a Devanagari digit zero for the o': `From: "${encoded('Jane D\u0966e')}" <x@evil.example>`,
  'an ideographic zero for the o': `From: "${encoded('Jane D\u3007e')}" <x@evil.example>`,
  'an Arabic-Indic five for the o': `From: "${encoded('Jane D\u0665e')}" <x@evil.example>`,
  'an APL alpha for the a': `From: "${encoded('J\u237Ane Doe')}" <x@evil.example>`,
  'the estimated sign for the e': `From: "${encoded('Jane Do\u212E')}" <x@evil.example>`,
  'a Cyrillic ukrainian ie for the e': `From: "${encoded('Jane Do\u0454')}" <x@evil.example>`,
  'a Cyrillic pe for the n': `From: "${encoded('Ja\u043Fe Doe')}" <x@evil.example>`,
  '"cl" for the d': 'From: "Jane Cloe" <x@evil.example>',
  '"rn" for the m (Jane Srnith)': 'From: "Jane Srnith" <x@evil.example>',
  '"+" for the t (Jane Smi+h)': 'From: "Jane Smi+h" <x@evil.example>',
};

describe('attacker round 7: look-alike display names through the guard at its defaults', () => {
  junksEach(LOOK_ALIKES);

  it('a name that only shares letters with a protected one is delivered', async () => {
    const message = mail(['From: "Bernard Shaw" <x@outside.example>', 'Content-Type: text/plain'], 'Hello.');
    expect((await kit.inbound(message, { PROTECTED_NAMES: 'Jane Doe, Jane Smith' })).verdict).toBe('DEFAULT');
  });
});

const FROM_BOB = 'From: Bob <bob@corp.example>';
const html = (body: string) => mail([FROM_BOB, 'Content-Type: text/html; charset=utf-8'], body);
const between = (separator: string) => html(`<p>${CARD.split(' ').join(separator)}</p>`);
const bytesIn = (charset: string, body: Buffer) =>
  mail(
    [FROM_BOB, `Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: base64'],
    body.toString('base64'),
  );
// The card in EBCDIC (IBM037): digits F0–F9, space 40.
const EBCDIC = Buffer.from(
  CARD.replace(/\d/g, (d) => String.fromCharCode(0xf0 + Number(d))).replace(/ /g, '\x40'),
  'latin1',
);

const CARDS: Record<string, Buffer> = {
  '&NonBreakingSpace; between the groups': between('&NonBreakingSpace;'),
  '&ThickSpace; between the groups': between('&ThickSpace;'),
  '&emsp13; between the groups': between('&emsp13;'),
  '&bull; between the groups': between('&bull;'),
  '&centerdot; between the groups': between('&centerdot;'),
  '&sdot; between the groups': between('&sdot;'),
  '&ic; (invisible separator) between the groups': between('&ic;'),
  '&af; (function application) between the groups': between('&af;'),
  'keycap digits': mail(
    [FROM_BOB, 'Content-Type: text/plain; charset=utf-8'],
    [...CARD].map((c) => (c === ' ' ? ' ' : `${c}\uFE0F\u20E3`)).join(''),
  ),
  'underlined digits (combining low line)': mail(
    [FROM_BOB, 'Content-Type: text/plain; charset=utf-8'],
    [...CARD].map((c) => (c === ' ' ? ' ' : `${c}\u0332`)).join(''),
  ),
  'a body in EBCDIC (ibm037), which is not decoded here': bytesIn('ibm037', EBCDIC),
  'a body in IBM01140, which is not decoded here': bytesIn('cp1140', EBCDIC),
  'a body in HZ (GB 2312 in 7 bits), which is not decoded here': mail(
    [FROM_BOB, 'Content-Type: text/plain; charset=hz-gb-2312'],
    '~{#4#1#1#1#!#1#1#1#1#!#1#1#1#1#!#1#1#1#1~}',
  ),
  'UTF-32LE with its byte order mark': bytesIn(
    'utf-32le',
    Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from(CARD.replace(/./g, '$&\0\0\0'), 'latin1')]),
  ),
};

describe('attacker round 7: card numbers through outbound-policy at its defaults', () => {
  bouncesEach(CARDS);

  it('UTF-8 text labelled with a charset not known here (charset=X-UNKNOWN) is read as UTF-8 (no card: sent)', async () => {
    const message = mail(
      [FROM_BOB, 'Content-Type: text/plain; charset=X-UNKNOWN'],
      'Envoyé par Bell Mobilité.',
    );
    expect(await kit.outbound(message)).toBe('DEFAULT');
  });

  it('plain ASCII text in a charset not known here is still read (no card: sent)', async () => {
    const message = mail([FROM_BOB, 'Content-Type: text/plain; charset=x-unknown'], 'Lunch at noon?');
    expect(await kit.outbound(message)).toBe('DEFAULT');
  });
});

// Fault round 7: structure the editor repairs before the strip (an empty multipart given a part, a part header
// that runs into the next boundary) shifted the part ids by one, so the strip replaced the text body and
// delivered the .exe, reported committed. The editor now removes a part only when it is the one the walk listed.
const EXE = 'TVp4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4';
const exePart = [
  'Content-Type: application/octet-stream; name="invoice.exe"',
  'Content-Disposition: attachment; filename="invoice.exe"',
  'Content-Transfer-Encoding: base64',
  '',
  EXE,
].join(CRLF);
const before = (head: string[], parts: string[]) =>
  mail(head, [...parts.flatMap((p) => ['--b1', p]), '--b1', exePart, '--b1--', ''].join(CRLF));
const MIXED_B1 = 'Content-Type: multipart/mixed; boundary="b1"';
const TEXT = 'Content-Type: text/plain; charset=us-ascii\r\n\r\nPlease see the invoice.';

const SHIFTED: Record<string, Buffer> = {
  'an empty multipart/alternative before the .exe': before(
    [MIXED_B1],
    ['Content-Type: multipart/alternative; boundary="b2"\r\n\r\n--b2--', TEXT],
  ),
  'a part header that runs into the next boundary': before(
    [MIXED_B1],
    ['Content-Type: text/plain; charset=us-ascii', TEXT],
  ),
  'an inner multipart closed by its parent': before(
    [MIXED_B1],
    ['Content-Type: multipart/alternative; boundary="b2"\r\n', TEXT],
  ),
};

describe('fault round 7: a strip after a repair that shifts the part ids (ATTACHMENT_ACTION=strip)', () => {
  for (const [name, message] of Object.entries(SHIFTED)) {
    it(`${name}: the .exe is never delivered, nor the wrong part removed`, async () => {
      const { verdict, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
      if (verdict === 'BOUNCE') return;
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).not.toContain(EXE);
      expect(delivered.toString('latin1')).toContain('Please see the invoice.');
    });
  }
});

const PDF = Buffer.from(`%PDF-1.4\n${'report '.repeat(40)}`).toString('base64');
const pdfPart = exePart.replaceAll('invoice.exe', 'report.pdf').replace(EXE, PDF);

describe('fault round 7: a first read cut short inside a multipart, by a server whose length agrees', () => {
  it('fails the invocation (retried) instead of closing the multipart and committing the cut message', async () => {
    const message = mail([MIXED_B1], ['--b1', TEXT, '--b1', pdfPart, '--b1--', ''].join(CRLF));
    // Mid-line in the PDF's base64: the answer ends there, its Content-Length saying so.
    const cut = message.indexOf(PDF) + 30;
    stack().flow.injectFault({ kind: 'short-body', bytes: cut }, { operation: 'get', times: 1 });
    await expect(kit.inbound(message)).rejects.toThrow(/cut short/);
  });

  it('a whole message whose multipart is never closed is still tagged', async () => {
    const message = mail([MIXED_B1], ['--b1', TEXT, '--b1', pdfPart, ''].join(CRLF));
    const { verdict, delivered } = await kit.inbound(message);
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain('[EXTERNAL]');
  });
});

// Round 7b: a second attacker went at the fixes above. Each message below got past them.
const decoyShift = mail(
  [MIXED_B1],
  [
    '--b1',
    TEXT,
    '--b1',
    'Content-Type: multipart/mixed; boundary="EE"\r\n\r\n--EE--',
    '--b1',
    `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${PDF}`,
    '--b1',
    exePart,
    '--b1--',
    '',
  ].join(CRLF),
);

describe('attacker round 7b: a strip after a shift onto an unnamed decoy of the same type', () => {
  it('never delivers the .exe in place of the decoy', async () => {
    const { verdict, delivered } = await kit.inbound(decoyShift, { ATTACHMENT_ACTION: 'strip' });
    if (verdict === 'BOUNCE') return;
    expect(delivered.toString('latin1')).not.toContain(EXE);
  });
});

const FILES_7B: Record<string, [Buffer, string]> = {
  'an Outlook template (.oft)': attachedFile('Invoice_Nov.oft', Buffer.from('d0cf11e0a1b11ae1', 'hex')),
  'an .oft inside a zip': attachedFile(
    'forms.zip',
    zipFile([{ name: 'Invoice_Nov.oft', data: 'oft' }]),
    'application/zip',
  ),
  'an Apple Mail .emlx': attachedFile('Invoice_Nov.emlx', Buffer.from(`512\n${eml}`)),
  'a .pgp file named with a trailing dot': attachedFile('Invoice.js.pgp.', Buffer.from('a301', 'hex')),
  'a .gpg file inside a zip': attachedFile(
    'Invoice.zip',
    zipFile([{ name: 'Invoice.js.gpg', data: 'gpg' }]),
    'application/zip',
  ),
  'an armored OpenPGP message (.asc)': attachedFile(
    'Invoice.js.asc',
    Buffer.from('-----BEGIN PGP MESSAGE-----\n\nowGbwMvMwCE=\n-----END PGP MESSAGE-----\n'),
  ),
  'a legacy application/pgp part (x-action=encrypt)': attachedFile(
    'invoice.dat',
    Buffer.from('-----BEGIN PGP MESSAGE-----\n\nowGbwMvMwCE=\n-----END PGP MESSAGE-----\n'),
    'application/pgp; x-action=encrypt',
  ),
};

describe('attacker round 7b: message and OpenPGP files under other names, through the guard at its defaults', () => {
  attachmentTests(kit, FILES_7B);

  it('a public key (.asc, application/pgp-keys) is delivered', async () => {
    const [message] = attachedFile(
      'jane.asc',
      Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\n'),
      'application/pgp-keys',
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});

const NAMES_7B: Record<string, string> = {
  'a small l for the I, in capitals (JANE SMlTH)': 'From: "JANE SMlTH" <x@evil.example>',
  'a digit one for the I (JANE SM1TH)': 'From: "JANE SM1TH" <x@evil.example>',
  'a Cyrillic palochka for the I': `From: "${encoded('JANE SM\u04C0TH')}" <x@evil.example>`,
  'a Greek sigma for the o': `From: "${encoded('Jane D\u03C3e')}" <x@evil.example>`,
  'a Myanmar wa for the o': `From: "${encoded('Jane D\u101De')}" <x@evil.example>`,
  'a Hebrew samekh for the o': `From: "${encoded('Jane D\u05E1e')}" <x@evil.example>`,
  "an N'Ko digit zero for the o": `From: "${encoded('Jane D\u07C0e')}" <x@evil.example>`,
  'a Cherokee v for the i': `From: "${encoded('Jane Sm\u13A5th')}" <x@evil.example>`,
  'a UTF-7 word labelled x-unicode-2-0-utf-7': `From: =?x-unicode-2-0-utf-7?Q?${utf7('J')}ane_Doe?= <x@evil.example>`,
  'a UTF-7 word labelled csUnicode11UTF7': `From: =?csUnicode11UTF7?Q?${utf7('J')}ane_Doe?= <x@evil.example>`,
};

describe('attacker round 7b: look-alike display names through the guard at its defaults', () => {
  junksEach(NAMES_7B);
});

const CARDS_7B: Record<string, Buffer> = {
  // FF FE 00 00: UTF-16LE's mark and U+0000, or UTF-32LE's mark. The disclaimer rewrite decodes it as declared.
  'UTF-16LE with its mark then U+0000 (read as UTF-32LE)': bytesIn(
    'utf-16le',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`\0Card: ${CARD}`, 'utf16le')]),
  ),
  'decimal references with leading zeros (&#00000052;)': html(
    `<p>${[...CARD].map((c) => `&#0000${c.charCodeAt(0)};`).join('')}</p>`,
  ),
  'the number in an image alt text (shown when images are blocked)': html(
    `<p><img src="cid:x" alt="${CARD}"></p>`,
  ),
  'the number in an input value': html(`<form><input value='${CARD}'></form>`),
  'a UTF-7 body labelled x-unicode-2-0-utf-7': mail(
    [FROM_BOB, 'Content-Type: text/plain; charset=x-unicode-2-0-utf-7'],
    `Card: ${utf7('4')}111 1111 1111 1111`,
  ),
};

describe('attacker round 7b: card numbers through outbound-policy at its defaults', () => {
  bouncesEach(CARDS_7B);

  it("the values of an <object>'s <param>s, which no reader sees, are not read (sent)", async () => {
    const params = CARD.split(' ').map((g) => `<param name="x" value="${g}">`);
    expect(await kit.outbound(html(`<object>${params.join('\n')}</object>`))).toBe('DEFAULT');
  });
});
