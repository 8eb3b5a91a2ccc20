import { cmsFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, encoded, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Second attacker round: MIME features clients act on that the walk did not (digests, fragments, S/MIME
// wrappers, calendar attachments, transfer encodings), confusables and DLP formats; each replayed through
// the prebuilt functions at their defaults over the local emulator and S3.

const stack = useLocalStack();
const kit = attackerKit(stack);
const { inbound, outbound } = kit;

/** An attached message holding a .vbs, tagged. */
const forwarded = (tag: string) =>
  `From: a@evil.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n--i\r\nContent-Type: application/octet-stream; name="x.vbs"\r\n\r\n${script(tag)}\r\n--i--\r\n`;

/** A DOS executable's first 64 bytes, base64. */
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]).toString('base64');
const base64 = (s: string) => Buffer.from(s).toString('base64');

/** name → [message, bytes that must never be delivered]. */
const ATTACHMENTS: Record<string, [Buffer, string]> = {
  'a digest entry without Content-Type (an attached message by default)': [
    mail(['Content-Type: multipart/digest; boundary="b"'], `--b\r\n\r\n${forwarded('digest')}\r\n--b--\r\n`),
    'attacker-digest',
  ],
  'a digest entry with an empty Content-Type': [
    mail(
      ['Content-Type: multipart/digest; boundary="b"'],
      `--b\r\nContent-Type: \r\n\r\n${forwarded('digest2')}\r\n--b--\r\n`,
    ),
    'attacker-digest2',
  ],
  'a message/partial fragment (total=1) holding a message': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: message/partial; id="p1@evil.example"; number=1; total=1\r\n\r\n${forwarded('partial')}`,
      ),
    ),
    'attacker-partial',
  ],
  'a message that is itself a message/partial fragment': [
    mail(['Content-Type: message/partial; id="p2@evil.example"; number=1; total=1'], forwarded('partial2')),
    'attacker-partial2',
  ],
  'an opaque S/MIME signed-data message (clients unwrap it)': [
    mail(
      [
        'Content-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"',
        'Content-Transfer-Encoding: base64',
      ],
      base64(forwarded('signed')),
    ),
    base64(forwarded('signed')).slice(0, 40),
  ],
  'an S/MIME enveloped-data message': [
    mail(
      [
        'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
        'Content-Transfer-Encoding: base64',
      ],
      Buffer.from('0\x80\x06\x09*\x86H\x86\xf7\r\x01\x07\x03', 'latin1').toString('base64'),
    ),
    'MIAGCSqGSIb3DQEHAw',
  ],
  'an inline S/MIME part without smime-type inside a multipart': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/x-pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64(forwarded('p7inline'))}`,
      ),
    ),
    base64(forwarded('p7inline')).slice(0, 40),
  ],
  'an executable named .pdf in a quoted "base64" transfer encoding': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: "base64"\r\n\r\n${MZ}`,
      ),
    ),
    MZ.slice(0, 12),
  ],
  'a calendar invitation carrying a binary ATTACH named .exe (Outlook shows it as a file)': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=invoice.exe:${MZ}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      ),
    ),
    MZ.slice(0, 12),
  ],
  'an .ics file whose ATTACH name is folded into its parameters': [
    mail(
      [MIXED],
      withPart(
        `Content-Type: application/octet-stream; name="meet.ics"\r\nContent-Disposition: attachment; filename="meet.ics"\r\n\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTACH;VALUE=BINARY;ENCODING=BASE64;FMTTYPE="text/plain";X-APPLE-FILE\r\n NAME="a.v\r\n bs":${base64(script('ics'))}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
      ),
    ),
    base64(script('ics')),
  ],
  'an executable named .pdf in x-uuencode': [
    mail(
      [MIXED],
      withPart(
        'Content-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x.pdf\r\n%35J0`,`\r\n`\r\nend\r\n',
      ),
    ),
    '%35J0',
  ],
};

describe('attacker round 2: blocked attachments through the guard at its defaults', () => {
  it('a signed document attached as a file (contract.pdf.p7m) is not a finding', async () => {
    // Its signed content is read as the file it is (round 17): a PDF here.
    const signed = cmsFile(Buffer.from('%PDF-1.4')).toString('base64');
    const message = mail(
      [MIXED],
      withPart(
        `Content-Type: application/pkcs7-mime; smime-type=signed-data; name="contract.pdf.p7m"\r\nContent-Disposition: attachment; filename="contract.pdf.p7m"\r\nContent-Transfer-Encoding: base64\r\n\r\n${signed}`,
      ),
    );
    expect((await inbound(message)).verdict).toBe('DEFAULT');
  });
  attachmentTests(kit, ATTACHMENTS);
  it('ALLOW_SMIME=true delivers S/MIME unread, and nothing else the walk cannot open', async () => {
    const smime = Object.entries(ATTACHMENTS).filter(([name]) => /S\/MIME/.test(name));
    expect(smime.length).toBeGreaterThanOrEqual(3);
    for (const [, [message]] of smime) {
      expect((await inbound(message, { ALLOW_SMIME: 'true' })).verdict).toBe('DEFAULT');
    }
    for (const [name, [message]] of Object.entries(ATTACHMENTS)) {
      if (/S\/MIME/.test(name)) continue;
      expect([name, (await inbound(message, { ALLOW_SMIME: 'true' })).verdict]).toEqual([name, 'BOUNCE']);
    }
  });
});

const IMPERSONATIONS: Record<string, string> = {
  'Canadian syllabics': 'ᒍane ᗪoe',
  'Coptic capitals': 'JⲀⲚⲈ DⲞⲈ',
  'a Coptic small o': 'Jane Dⲟe',
  'a Cyrillic Abkhasian che (looks like e)': 'Janҽ Doҽ',
  'a Tifinagh o': 'Jane Dⵔe',
  'digits for letters (4 for a)': 'J4ne D0e',
  'negative squared letters': '🅹🅰🅽🅴 🅳🅾🅴',
  'negative circled letters': '🅙🅐🅝🅔 🅓🅞🅔',
  'squared letters (NFKC)': '🄹🄰🄽🄴 🄳🄾🄴',
  'regional indicators not forming flags': '🇯 🇦 🇳 🇪  🇩 🇴 🇪',
};

describe('attacker round 2: impersonation of a protected name through the guard at its defaults', () => {
  for (const [name, shown] of Object.entries(IMPERSONATIONS)) {
    it(`junks ${name}`, async () => {
      const message = mail(
        [`From: "${encoded(shown)}" <x@evil.example>`, 'Content-Type: text/plain'],
        'Pay today.',
      );
      expect((await inbound(message, { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
  }
});

const CARD = '4111 1111 1111 1111';
const FROM_BOB = 'From: Bob <bob@corp.example>';
const CARDS: Record<string, Buffer> = {
  'an SVG whose digit groups are separate <tspan> elements': mail(
    [FROM_BOB, MIXED],
    withPart(
      `Content-Type: image/svg+xml; name="c.svg"\r\n\r\n<svg><text>${CARD.split(' ')
        .map((g) => `<tspan>${g} </tspan>`)
        .join('')}</text></svg>`,
    ),
  ),
  'an XML file with a character reference for the first digit': mail(
    [FROM_BOB, MIXED],
    withPart(`Content-Type: application/xml; name="c.xml"\r\n\r\n<a>&#52;111 1111 1111 1111</a>`),
  ),
  'a text/enriched body with the groups in formatting commands': mail(
    [FROM_BOB, 'Content-Type: text/enriched'],
    '<bold>4111</bold><italic>1111</italic> 1111 1111',
  ),
  'an iCalendar DESCRIPTION with the groups on escaped line breaks': mail(
    [FROM_BOB, 'Content-Type: text/calendar; method=REQUEST'],
    'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:card 4111\\n1111\\n1111\\n1111\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
  ),
  'a vCard 2.1 note in quoted-printable': mail(
    [FROM_BOB, MIXED],
    withPart(
      'Content-Type: text/x-vcard; name="c.vcf"\r\n\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:4111=201111=\r\n=201111=201111\r\nEND:VCARD\r\n',
    ),
  ),
  'an RTF document with the groups in formatting groups and a hex escape': mail(
    [FROM_BOB, MIXED],
    withPart(
      'Content-Type: application/rtf; name="c.rtf"\r\n\r\n{\\rtf1 card {\\b 4111}{\\i 1111}\\par \\\'31111 \\u49?111}',
    ),
  ),
  'a number wrapped in a quoted reply': mail(
    [FROM_BOB, 'Content-Type: text/plain'],
    'See below.\r\n\r\n> > Please charge 4111 1111\r\n> > 1111 1111 today.\r\n',
  ),
  'a message/partial fragment (not reassembled, so not known)': mail(
    [FROM_BOB, 'Content-Type: message/partial; id="a@corp.example"; number=1; total=2'],
    `Subject: part\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(`\ufeff${CARD}`, 'utf16le').toString('base64')}`,
  ),
};

const office = (type: string, name: string, zip: Buffer) =>
  mail(
    [FROM_BOB, MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${zip.toString('base64')}`,
    ),
  );
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const runs = (text: string) =>
  text
    .split(' ')
    .map((g) => `<w:r><w:t xml:space="preserve">${g} </w:t></w:r>`)
    .join('');
const OFFICE: Record<string, Buffer> = {
  'a Word document, the number split over runs': office(
    DOCX,
    'c.docx',
    zipFile([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'word/document.xml',
        data: `<w:document><w:body><w:p>${runs(CARD)}</w:p></w:body></w:document>`,
      },
    ]),
  ),
  'a Word document whose runs split the digit groups (a spelling mark)': office(
    DOCX,
    'split.docx',
    zipFile([
      {
        name: 'word/document.xml',
        data: '<w:p><w:r><w:t>Card 41</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>11 1111 11</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>11 1111</w:t></w:r></w:p>',
      },
    ]),
  ),
  'an Excel workbook sent as octet-stream': office(
    'application/octet-stream',
    'cards.xlsx',
    zipFile([{ name: 'xl/sharedStrings.xml', data: `<sst><si><t>${CARD}</t></si></sst>` }]),
  ),
  'an OpenDocument text': office(
    'application/vnd.oasis.opendocument.text',
    'c.odt',
    zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
      {
        name: 'content.xml',
        data: `<office:text><text:p>4111<text:s/>1111 1111 1111</text:p></office:text>`,
      },
    ]),
  ),
  'a Word document that cannot be read (not knowing is not allowing)': office(
    DOCX,
    'c.docx',
    Buffer.from('PK\x03\x04 truncated', 'latin1'),
  ),
};
Object.assign(CARDS, OFFICE);

describe('attacker round 2: card numbers through outbound-policy at its defaults', () => {
  it('an Office document without card numbers is sent', async () => {
    const zip = zipFile([
      { name: 'word/document.xml', data: `<w:p>${runs('Order 2026 11 30 total 1111')}</w:p>` },
    ]);
    expect(await outbound(office(DOCX, 'order.docx', zip))).toBe('DEFAULT');
  });
  for (const [name, message] of Object.entries(CARDS)) {
    it(`bounces ${name}`, async () => {
      expect(await outbound(message)).toBe('BOUNCE');
    });
  }
});
