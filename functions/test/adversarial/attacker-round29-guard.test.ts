import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 29 (session 24), on the guard: each case was delivered (DEFAULT) at the defaults before the fix
// (PoCs in .scratch/attack-s29a).

const stack = useLocalStack();
const kit = attackerKit(stack);
const PROTECTED = { PROTECTED_NAMES: 'Jane Smith, Jane Doe' };

const fromName = (name: string) =>
  mail(
    [
      `From: =?utf-8?B?${Buffer.from(name).toString('base64')}?= <js@evil.example>`,
      'To: a@corp.example',
      'Subject: wire',
      'Content-Type: text/plain',
    ],
    'Please call me.',
  );
const attached = (headers: string, content: Buffer) =>
  mail(
    ['From: Ann <ann@partner.example>', 'To: a@corp.example', 'Subject: files', MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );

describe('attacker round 29: a right-to-left override over part of a protected name (guard)', () => {
  // Each is drawn "Jane Smith" by the Unicode bidi algorithm (fribidi), the override reversing only what it covers.
  const NAMES: Record<string, string> = {
    'one word reversed': 'Jane \u202Ehtims',
    'one word reversed, closed by PDF': 'Jane \u202EhtimS\u202C',
    'the first word reversed, closed before the second': '\u202Eenaj\u202C Smith',
    'the end of a word reversed': 'Jane Sm\u202Ehti',
    'a left-to-right override kept in order inside a reversed run': 'Jane \u202Eht\u202DSmi',
    'an override past level 125 ignored with its PDF (round 30)': `Jane ${'\u202E'.repeat(63)}ht\u202Dim\u202CS`,
  };
  for (const [title, name] of Object.entries(NAMES))
    it(`sends to Junk ${title}`, async () => {
      expect((await kit.inbound(fromName(name), PROTECTED)).verdict).toBe('MOVE_TO_JUNK');
    });
});

describe('attacker round 29: files a double click opens that the lists lacked (guard)', () => {
  const bytes = Buffer.from('opaque bytes of the file');
  const NAMED: Record<string, string> = {
    'a raw disk image macOS mounts (.cdr)': 'Invoice.cdr',
    'a sparse disk image (.sparseimage)': 'Invoice.sparseimage',
    'a disk image segment (.dmgpart)': 'Invoice.dmgpart',
    'a Toast image (.toast)': 'Invoice.toast',
    'a DVD master (.dvdr)': 'Invoice.dvdr',
    'an Apple Archive (.aar), extracted with its modes': 'Invoice.aar',
    'an Apple Archive (.yaa)': 'Invoice.yaa',
    'a Microsoft Data Link (.udl)': 'Connection.udl',
    'a configuration profile (.mobileconfig)': 'Wifi.mobileconfig',
  };
  for (const [title, name] of Object.entries(NAMED))
    it(`bounces ${title}`, async () => {
      const message = attached(
        `Content-Type: application/octet-stream; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"`,
        bytes,
      );
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });

  it('delivers SAMI captions (.smi), which the old macOS self-mounting images shared their extension with', async () => {
    const sami = Buffer.from('<SAMI><BODY><SYNC Start=0><P Class=KRCC>Hello</SAMI>');
    const message = attached(
      'Content-Type: application/smil; name="episode1.smi"\r\nContent-Disposition: attachment; filename="episode1.smi"',
      sami,
    );
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  // Windows' MIME database gives an unnamed part of these types a blocked extension (Outlook saves ATT00001.website).
  const TYPES = [
    'application/x-mswebsite',
    'application/x-mplayer2',
    'application/x-wmplayer',
    'application/windows-appcontent+xml',
    'application/mac-binhex40',
    'application/x-stuffit',
  ];
  for (const type of TYPES)
    it(`bounces an unnamed part of type ${type}`, async () => {
      const message = attached(`Content-Type: ${type}\r\nContent-Disposition: attachment`, bytes);
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
});

describe('attacker round 29: a multipart transfer-encoded as base64 (guard)', () => {
  const inner = [
    '--BOUND',
    'Content-Type: text/plain',
    '',
    'hi',
    '--BOUND',
    'Content-Type: application/octet-stream; name="Invoice.js"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('WScript.Echo("poc");').toString('base64'),
    '--BOUND--',
    '',
  ].join('\r\n');
  const encoded = (body: string) =>
    mail(
      [
        'From: Mallory <m@evil.example>',
        'To: bob@corp.example',
        'Subject: b33',
        'Content-Type: multipart/mixed; boundary="BOUND"',
        'Content-Transfer-Encoding: base64',
      ],
      `${Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`,
    );

  it('refuses one whose decoded body holds parts (a client that decodes it would show Invoice.js)', async () => {
    expect((await kit.inbound(encoded(inner))).verdict).toBe('BOUNCE');
  });

  it('refuses one quoted-printable with its delimiters encoded, or whose encoding hides behind a comment (round 30)', async () => {
    const qp = inner.replace(/-/g, '=2D').replace(/\r\n/g, '=\r\n\r\n');
    const quotedPrintable = mail(
      [
        'From: Mallory <m@evil.example>',
        'To: bob@corp.example',
        'Subject: b33',
        'Content-Type: multipart/mixed; boundary="BOUND"',
        'Content-Transfer-Encoding: quoted-printable',
      ],
      `${qp}\r\n`,
    );
    expect((await kit.inbound(quotedPrintable)).verdict).toBe('BOUNCE');
    const commented = encoded(inner)
      .toString('latin1')
      .replace('Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: (sic) "base64"');
    expect((await kit.inbound(Buffer.from(commented, 'latin1'))).verdict).toBe('BOUNCE');
  });

  it('delivers one whose decoded body holds no delimiter line', async () => {
    expect((await kit.inbound(encoded('just some text\r\nno parts here\r\n'))).verdict).toBe('DEFAULT');
  });
});
