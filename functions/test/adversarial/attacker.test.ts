import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, encoded, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Bypasses found by an attacker's review (MIME edge cases, name spellings, homoglyphs, DLP evasions),
// each replayed through the prebuilt functions at their defaults over the local emulator and S3.

const stack = useLocalStack();
const CRLF = '\r\n';
const CARD = '4111 1111 1111 1111';

const kit = attackerKit(stack);
const { inbound, outbound } = kit;

/** name → [message, bytes that must never be delivered]. */
const ATTACHMENTS: Record<string, [Buffer, string]> = {
  'a NUL before a harmless extension (raw)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="x.vbs\0.txt"\r\n\r\n${script('nul')}`,
      ),
    ),
    'attacker-nul',
  ],
  'a NUL before a harmless extension (RFC 2231)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''x.vbs%00.txt\r\n\r\n${script('nul2231')}`,
      ),
    ),
    'attacker-nul2231',
  ],
  'a NUL before a harmless extension (RFC 2047)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="=?utf-8?Q?x.vbs=00.txt?="\r\n\r\n${script('nul2047')}`,
      ),
    ),
    'attacker-nul2047',
  ],
  'an unquoted filename followed by a comment': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=x.vbs (scan)\r\n\r\n${script('comment')}`,
      ),
    ),
    'attacker-comment',
  ],
  'RFC 2231 segments with a gap (a client stops at the gap)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*0="x"; filename*1=".vbs"; filename*3="x"\r\n\r\n${script('gap')}`,
      ),
    ),
    'attacker-gap',
  ],
  'the name in a Content-Name header': [
    mail(
      [MIXED],
      withPart(`Content-Type: application/octet-stream\r\nContent-Name: x.vbs\r\n\r\n${script('cname')}`),
    ),
    'attacker-cname',
  ],
  'the name in an X-Sun-Data-Name header': [
    mail(
      [MIXED],
      withPart(`Content-Type: application/octet-stream\r\nX-Sun-Data-Name: x.vbs\r\n\r\n${script('sun')}`),
    ),
    'attacker-sun',
  ],
  'a filename parameter on Content-Type': [
    mail(
      [MIXED],
      withPart(`Content-Type: application/octet-stream; filename="x.vbs"\r\n\r\n${script('ctfile')}`),
    ),
    'attacker-ctfile',
  ],
  'a name parameter on Content-Disposition': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; name="x.vbs"\r\n\r\n${script('cdname')}`,
      ),
    ),
    'attacker-cdname',
  ],
  'a part after the closing delimiter (epilogue)': [
    mail(
      [MIXED],
      withPart(
        'Content-Type: text/plain\r\n\r\nsee below',
        `--b\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('epilogue')}\r\n--b--\r\n`,
      ),
    ),
    'attacker-epilogue',
  ],
  'a boundary given twice (a client takes the other one)': [
    mail(
      ['Content-Type: multipart/mixed; boundary="a"; boundary="b"'],
      `--a\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('twoboundaries')}\r\n--b--\r\n--a--\r\n`,
    ),
    'attacker-twoboundaries',
  ],
  'a boundary behind a comment': [
    mail(
      ['Content-Type: multipart/mixed; boundary=(c)"b"'],
      withPart(`Content-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('bcomment')}`),
    ),
    'attacker-bcomment',
  ],
  'an attached message with two transfer encodings (7bit first, base64 second)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`From: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('twocte')}\r\n`).toString('base64')}`,
      ),
    ),
    Buffer.from(`From: a@evil.example\r\nSubject: fw`).toString('base64').slice(0, 24),
  ],
  'an .vbs inside an attached message/global (RFC 6532)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/global\r\n\r\nFrom: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('global')}\r\n--i--\r\n`,
      ),
    ),
    'attacker-global',
  ],
  'a uuencoded .vbs in a plain-text body (Outlook, Thunderbird decode it)': [
    mail(
      ['Content-Type: text/plain'],
      `See attached.\r\n\r\nbegin 644 invoice.vbs\r\nM36%G0F]X("IP=VXM=75U(@\r\n\`\r\nend\r\n`,
    ),
    'begin 644',
  ],
  'a yEnc-encoded .exe in a plain-text body': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/plain\r\n\r\n=ybegin line=128 size=10 name=invoice.exe\r\nwmflow-yenc\r\n=yend size=10\r\n`,
      ),
    ),
    'wmflow-yenc',
  ],
  'a UTF-7 encoded-word name': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="=?utf-7?Q?x+AC4-vbs?="\r\n\r\n${script('utf7')}`,
      ),
    ),
    'attacker-utf7',
  ],
  'a UTF-7 RFC 2231 name': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-7''x+AC4-vbs\r\n\r\n${script('utf7b')}`,
      ),
    ),
    'attacker-utf7b',
  ],
  'an unnamed application/hta part (Outlook saves it as ATT00001.hta)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/hta\r\nContent-Disposition: attachment\r\n\r\n<script>wmflow-attacker-hta</script>`,
      ),
    ),
    'attacker-hta',
  ],
  'bare CR line ends in a multipart body': [
    mail(
      [MIXED],
      [
        '--b',
        'Content-Type: text/plain',
        '',
        'hi',
        '--b',
        'Content-Type: application/octet-stream; name="x.vbs"',
        '',
        script('cr'),
        '--b--',
        '',
      ].join('\r'),
    ),
    'attacker-cr',
  ],
  'bare CR line ends in a part header': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/plain\rContent-Disposition: attachment; filename="x.vbs"\r\n\r\n${script('crhead')}`,
      ),
    ),
    'attacker-crhead',
  ],
  'a name parameter without the semicolon before it': [
    mail([MIXED], withPart(`Content-Type: application/octet-stream name="x.vbs"\r\n\r\n${script('nosemi')}`)),
    'attacker-nosemi',
  ],
  'a filename parameter without the semicolon before it': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment filename="x.vbs"\r\n\r\n${script('cdnosemi')}`,
      ),
    ),
    'attacker-cdnosemi',
  ],
  'an attached message in x-uuencode transfer encoding': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/rfc822\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 fw.eml\r\nM1G)O;3H@84!E=FEL+F5X86UP;&4-"E-U8FIE8W0Z(&9W#0H-"@\r\n\`\r\nend`,
      ),
    ),
    'M1G)O;3H@84!E',
  ],
  'a part in the epilogue of a multipart whose boundary is dashes': [
    mail(
      ['Content-Type: multipart/mixed; boundary="-"'],
      `---\r\nContent-Type: text/plain\r\n\r\nhi\r\n-----\r\n---\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script('dashes')}\r\n-----\r\n`,
    ),
    'attacker-dashes',
  ],
};

describe('attacker: blocked attachments through the guard at its defaults', () => {
  it("the enclosing multipart's delimiters after a nested closing one are not a finding", async () => {
    const inner = [
      'Content-Type: multipart/alternative; boundary="i"',
      '',
      '--i',
      'Content-Type: text/plain',
      '',
      'hi',
      '--i',
      'Content-Type: text/html',
      '',
      '<p>hi</p>',
      '--i--',
      '',
    ].join(CRLF);
    const message = mail(
      [MIXED],
      [`--b`, inner, '--b', 'Content-Type: text/plain', '', 'footer', '--b--', ''].join(CRLF),
    );
    expect((await inbound(message)).verdict).toBe('DEFAULT');
  });
  it('a ruler of dashes after the closing delimiter is not a finding', async () => {
    const message = mail(
      [MIXED],
      withPart('Content-Type: text/plain\r\n\r\nsee you', '------------\r\nList footer\r\n'),
    );
    expect((await inbound(message)).verdict).toBe('DEFAULT');
  });

  attachmentTests(kit, ATTACHMENTS);
});

const IMPERSONATIONS: Record<string, string> = {
  'a right-to-left override showing the name reversed': `From: "${encoded('\u202Eeod enaJ')}" <x@evil.example>`,
  'a Hangul filler (default-ignorable) between the words': `From: "${encoded('Jane\u3164Doe')}" <x@evil.example>`,
  'Latin small capitals': `From: "${encoded('ᴊᴀɴᴇ ᴅᴏᴇ')}" <x@evil.example>`,
  'Lisu letters': `From: "${encoded('ꓙꓮꓠꓰ ꓓꓳꓰ')}" <x@evil.example>`,
  'Cherokee letters': `From: "${encoded('ᎫᎪNᎬ ᎠOᎬ')}" <x@evil.example>`,
  'an Armenian o': `From: "${encoded('Jane Dօe')}" <x@evil.example>`,
  'a dotless j': `From: "${encoded('ȷane Doe')}" <x@evil.example>`,
  'Greek capitals (Ν folds to ν, which looks like v)': `From: "${encoded('JΑΝΕ DΟΕ')}" <x@evil.example>`,
  'Latin letters with hooks and strokes': `From: "${encoded('Ɉane Ɗoe')}" <x@evil.example>`,
  'the name as a group name in From': 'From: Jane Doe: x@evil.example;',
  'a From without a display name, the name in the address': 'From: jane.doe@evil.example',
  'white space before the colon of From': 'From : Jane Doe <x@evil.example>',
};

describe('attacker: impersonation of a protected name through the guard at its defaults', () => {
  for (const [name, from] of Object.entries(IMPERSONATIONS)) {
    it(`junks ${name}`, async () => {
      const message = mail([from, 'Content-Type: text/plain'], 'Please pay today.');
      expect((await inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
  }
});

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const csv = (type: string, name: string, bytes: Buffer) =>
  withPart(
    `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${bytes.toString('base64')}`,
  );
const FROM_BOB = 'From: Bob <bob@corp.example>';

const CARDS: Record<string, Buffer> = {
  'a UTF-16LE text file with a BOM (Excel "Unicode text")': mail(
    [FROM_BOB, MIXED],
    csv('text/plain', 'cards.txt', utf16(`name\tcard\r\nBob\t${CARD}\r\n`)),
  ),
  'a UTF-16LE CSV sent as octet-stream': mail(
    [FROM_BOB, MIXED],
    csv('application/octet-stream', 'cards.csv', utf16(`Bob,${CARD}\r\n`)),
  ),
  '&nbsp without its semicolon': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    '<p>4111&nbsp1111&nbsp1111&nbsp1111</p>',
  ),
  'numeric references without their semicolon': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    '<p>&#x34 111 1111 1111 1111</p>',
  ),
  '&NoBreak; between the groups': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    '<p>4111&NoBreak;1111&NoBreak;1111&NoBreak;1111</p>',
  ),
  '&hairsp; between the groups': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    '<p>4111&hairsp;1111&hairsp;1111&hairsp;1111</p>',
  ),
  'the number after an empty comment <!-->': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    `<p>x<!-->${CARD}<!-- --></p>`,
  ),
  'a card in the Content-Type name when Content-Disposition names the file otherwise': mail(
    [FROM_BOB, MIXED],
    withPart(
      `Content-Type: image/png; name="${CARD}.png"\r\nContent-Disposition: attachment; filename="a.png"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=`,
    ),
  ),
  'a WordPad RTF attachment': mail(
    [FROM_BOB, MIXED],
    withPart(`Content-Type: application/rtf; name="c.rtf"\r\n\r\n{\\rtf1 card ${CARD}}`),
  ),
  'groups in indented HTML table cells (white space collapses on screen)': mail(
    [FROM_BOB, 'Content-Type: text/html'],
    `<table><tr>\r\n${CARD.split(' ')
      .map((g) => `        <td>${g}</td>`)
      .join('\r\n')}\r\n</tr></table>`,
  ),
  'a UTF-7 body': mail([FROM_BOB, 'Content-Type: text/plain; charset=utf-7'], '+ADQ-111 1111 1111 1111'),
  'tag characters (default-ignorable) between the digits': mail(
    [FROM_BOB, 'Content-Type: text/plain; charset=utf-8'],
    '4111\u{E0020}1111\u{E0020}1111\u{E0020}1111',
  ),
};

describe('attacker: card numbers through outbound-policy at its defaults', () => {
  for (const [name, message] of Object.entries(CARDS)) {
    it(`bounces ${name}`, async () => {
      expect(await outbound(message)).toBe('BOUNCE');
    });
  }
});
