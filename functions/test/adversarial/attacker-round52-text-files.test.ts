import { rarFile, tarArchive, tarEntry, USTAR_MAGIC, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';
import { binhex, yenc } from './text-file-builders.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'), Buffer.alloc(118)]);
const ZIP = zipFile([{ name: 'invoice.exe', data: MZ }]);
const body = (text: string) => Buffer.from(`Please find the invoice attached.\r\n\r\n${text}\r\n`, 'latin1');
const plain = (text: string) =>
  mail(['Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit'], body(text));
const outgoing = (text: string) =>
  mail(
    [
      'From: Bob <bob@corp.example>',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: 8bit',
    ],
    body(text),
  );
const NOTES = Buffer.from('Meeting at ten, in the small room.\r\n'.repeat(6000));
const CARD_FILE = Buffer.from('card 4111 1111 1111 1111 exp 12/29\r\n');

// A52-6 (high, Thunderbird): Thunderbird's untyped-text reader decodes `=ybegin line=… size=… name=invoice.zip`
// out of a plain-text body and lists invoice.zip. Only the yEnc file's name was taken (part-leaf.ts): its content
// was never decoded, so the archive was neither listed nor sniffed, and invoice.exe inside was delivered. yEnc is
// now decoded as the text streams past (yenc-file.ts), as uuencode is: sniffed, archives listed, TNEF read.
describe('A52-6: yEnc-encoded archives in a text body', () => {
  const cases: Record<string, Buffer> = {
    'a yEnc invoice.zip holding invoice.exe, in the text body': plain(yenc('invoice.zip', ZIP)),
    'a yEnc invoice.zip holding invoice.js': plain(
      yenc('invoice.zip', zipFile([{ name: 'invoice.js', data: 'WScript.Echo(1)' }])),
    ),
    'a yEnc invoice.rar holding invoice.exe': plain(
      yenc('invoice.rar', rarFile([{ name: 'invoice.exe', data: MZ }])),
    ),
    'a yEnc invoice.tar holding invoice.lnk': plain(
      yenc(
        'invoice.tar',
        tarArchive(tarEntry('invoice.lnk', Buffer.from('L\0\0\0\x01\x14\x02\0', 'latin1'), '0', USTAR_MAGIC)),
      ),
    ),
    'a yEnc invoice.zip in a text/plain part of a multipart/mixed': mail(
      [MIXED],
      withPart(
        `Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${yenc('invoice.zip', ZIP)}`,
      ),
    ),
    'a yEnc invoice.zip in a quoted-printable text body': mail(
      ['Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable'],
      yenc('invoice.zip', ZIP)
        .split('\r\n')
        .map((line) =>
          line.replace(
            /[^\x21-\x3c\x3e-\x7e]/g,
            (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
          ),
        )
        .map((line) => line.replace(/.{72}(?!$)/g, '$&=\r\n'))
        .join('\r\n'),
    ),
    'a yEnc nameless-looking notes.txt that is an executable': plain(yenc('notes.txt', MZ)),
    // What the whole file holds is not known, however harmless this part.
    'a yEnc part 1 of 2 (a file in parts cannot be put together: refused)': plain(
      yenc('notes.txt', Buffer.from('Meeting at ten.\r\n'), 'part=1 total=2 line=128 size=40', [
        '=ypart begin=1 end=17',
      ]),
    ),
    // Thunderbird ends a yEnc file only at `=yend size=`: past a bare `=yend` it decodes on.
    'a yEnc file with a bare =yend (clients read on past it)': plain(
      yenc('notes.txt', Buffer.from('Meeting at ten.\r\n')).replace(/=yend size=\d+$/, '=yend\r\n=ybegi'),
    ),
    '(control) a yEnc fw.eml whose message attaches invoice.exe (a message file it cannot read)': plain(
      yenc(
        'fw.eml',
        Buffer.from(
          `From: a@b.example\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--i\r\nContent-Type: application/octet-stream; name="invoice.exe"\r\nContent-Disposition: attachment; filename="invoice.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${MZ.toString('base64')}\r\n--i--\r\n`,
        ),
      ),
    ),
    '(control) the same zip uuencoded': plain(uuencode(ZIP, 'invoice.zip')),
  };
  for (const [how, message] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  // A line longer than the text scan carries between pieces (4096 characters) would be cut: its bytes lost.
  it('bounces a yEnc file in one line longer than the scan reads whole', async () => {
    const [begin, ...rest] = yenc('notes.txt', NOTES).split('\r\n');
    const oneLine = [begin, rest.slice(0, -1).join(''), rest.at(-1)].join('\r\n');
    expect((await kit.inbound(plain(oneLine))).verdict).toBe('BOUNCE');
    expect((await kit.inbound(plain(yenc('notes.txt', NOTES)))).verdict).toBe('DEFAULT');
  });
  it('(control) delivers a yEnc notes.txt that is text', async () => {
    expect((await kit.inbound(plain(yenc('notes.txt', Buffer.from('Meeting at ten.\r\n'))))).verdict).toBe(
      'DEFAULT',
    );
  });
});

// A52-7 (medium, DLP): the same on the way out. The visible-text reader read the body as text, where a yEnc
// card.txt shows no digits (`4111` is `^[[[`). It now decodes yEnc files from the text's bytes and reads them as
// it reads uuencoded ones; a file in parts is reported unread.
describe('A52-7: DLP of a yEnc-encoded file in a text body', () => {
  it('bounces a yEnc card.txt holding a card number', async () => {
    expect(await kit.outbound(outgoing(yenc('card.txt', CARD_FILE)))).toBe('BOUNCE');
  });
  it('bounces a yEnc card.txt in a utf-8 body (its bytes are not utf-8)', async () => {
    const message = mail(
      [
        'From: Bob <bob@corp.example>',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
      ],
      body(yenc('card.txt', CARD_FILE)),
    );
    expect(await kit.outbound(message)).toBe('BOUNCE');
  });
  it('bounces a yEnc zip holding card.txt', async () => {
    expect(
      await kit.outbound(outgoing(yenc('cards.zip', zipFile([{ name: 'card.txt', data: CARD_FILE }])))),
    ).toBe('BOUNCE');
  });
  it('bounces a part of a multi-part yEnc file (unread)', async () => {
    const text = yenc('notes.txt', Buffer.from('no digits here'), 'part=2 total=2 line=128 size=40', [
      '=ypart begin=27 end=40',
    ]);
    expect(await kit.outbound(outgoing(text))).toBe('BOUNCE');
  });
  it('bounces a BinHex file in the text (not decoded: unread)', async () => {
    expect(await kit.outbound(outgoing(binhex('card.txt', CARD_FILE)))).toBe('BOUNCE');
  });
  it('(control) bounces the same file uuencoded', async () => {
    const message = mail(
      ['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=us-ascii'],
      body(uuencode(CARD_FILE, 'card.txt')),
    );
    expect(await kit.outbound(message)).toBe('BOUNCE');
  });
  it('(control) delivers a yEnc notes.txt without a card', async () => {
    expect(await kit.outbound(outgoing(yenc('notes.txt', Buffer.from('Meeting at ten.\r\n'))))).toBe(
      'DEFAULT',
    );
  });
});

// A52-8 (low-medium, speculative): Thunderbird's untyped-text reader opens an application/mac-binhex40 sub-part at
// `(This file must be converted with BinHex 4.0)` and lists it; the guard knew only `begin` and `=ybegin`. Such a
// file is now refused as its MIME part is (.hqx, an archive the guard cannot open), and the name in its header
// joins the part's names.
describe('A52-8: BinHex in a text body', () => {
  const MZ_FILE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), Buffer.alloc(120)]);
  const text = (content: string) =>
    mail(
      ['Content-Type: text/plain; charset=us-ascii'],
      `Please find the invoice attached.\r\n\r\n${content}\r\n`,
    );
  const cases: Record<string, string> = {
    'a BinHex invoice.exe in the text body': binhex('invoice.exe', MZ_FILE),
    'a BinHex invoice.vbs in the text body': binhex('invoice.vbs', Buffer.from('MsgBox "x"')),
    'a BinHex invoice.zip holding invoice.exe': binhex(
      'invoice.zip',
      zipFile([{ name: 'invoice.exe', data: MZ_FILE }]),
    ),
    'a BinHex report.txt (its content is not read)': binhex('report.txt', MZ_FILE),
  };
  for (const [how, content] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect((await kit.inbound(text(content))).verdict).toBe('BOUNCE');
    });
  it('(control) bounces the same BinHex as an unnamed application/mac-binhex40 part', async () => {
    const [message] = attachedFile(
      '',
      Buffer.from(binhex('invoice.exe', MZ_FILE)),
      'application/mac-binhex40',
    );
    const unnamed = Buffer.from(message.toString('latin1').replace(/; (?:file)?name=""/g, ''), 'latin1');
    expect((await kit.inbound(unnamed)).verdict).toBe('BOUNCE');
  });
  it('(control) delivers text that only mentions BinHex', async () => {
    expect(
      (await kit.inbound(text('Old Macs sent files in BinHex 4.0, see (This is not a file).'))).verdict,
    ).toBe('DEFAULT');
  });
});
