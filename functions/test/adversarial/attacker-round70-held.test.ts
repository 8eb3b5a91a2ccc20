import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 70, what held: display names shown as a protected name through header syntax and invisible
// characters (junked), cards and IBANs in forms a recipient's client shows (bounced), and lists of business numbers
// a Luhn check alone would flag (delivered).
const stack = useLocalStack();
const kit = attackerKit(stack);

const fromVerdict = async (from: string) =>
  (await kit.inbound(mail([from, 'Content-Type: text/plain'], 'Pay today.'), { PROTECTED_NAMES: 'Jane Doe' }))
    .verdict;
const named = (name: string) => `From: ${encoded(name)} <x@evil.example>`;

describe('held: a protected name through header syntax or invisible characters', () => {
  const cases: Record<string, string> = {
    'an encoded word in a quoted string': 'From: "=?utf-8?B?SmFuZSBEb2U=?=" <x@evil.example>',
    'an encoded word with a language': 'From: =?utf-8*en?Q?Jane_Doe?= <x@evil.example>',
    'a lower-case encoding': 'From: =?UTF-8?b?SmFuZSBEb2U=?= <x@evil.example>',
    'last name first': 'From: "Doe, Jane" <x@evil.example>',
    "a group's display name": 'From: Jane Doe: x@evil.example;',
    'the old comment form': 'From: x@evil.example (Jane Doe)',
    'an encoded word glued inside the name': 'From: Jane=?utf-8?Q?_?=Doe <x@evil.example>',
    'an encoded word mid-word': 'From: J=?utf-8?Q?a?=ne Doe <x@evil.example>',
    'a folded pair of encoded words': 'From: =?utf-8?Q?Jane?=\r\n =?utf-8?Q?_Doe?= <x@evil.example>',
    'a word joiner': named('Ja\u2060ne Doe'),
    'a combining grapheme joiner': named('Ja\u034Fne Doe'),
    'a Khmer invisible vowel': named('Ja\u17B4ne Doe'),
    'a Mongolian vowel separator': named('Ja\u180Ene Doe'),
    'a tag character': named('Ja\u{E0061}ne Doe'),
    'a variation selector': named('Ja\u{E0100}ne Doe'),
    'a musical invisible': named('Ja\u{1D173}ne Doe'),
    'a Hangul filler': named('Jane\u115FDoe'),
    'an interlinear mark': named('Ja\uFFF9ne Doe'),
    'a halfwidth Hangul filler': named('Jane\uFFA0Doe'),
  };
  for (const [how, from] of Object.entries(cases))
    it(`junks ${how}`, async () => {
      expect(await fromVerdict(from)).toBe('MOVE_TO_JUNK');
    });
});

const out = (body: string, type = 'text/plain; charset=utf-8', extra: string[] = []) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}`, ...extra], body));
const calendar = (line: string) =>
  ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', line, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
const xlsx = (ss: string) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'xl/workbook.xml', data: '<workbook/>' },
    { name: 'xl/sharedStrings.xml', data: `<sst>${ss}</sst>` },
  ]);
const pptxNotes = (notes: string) =>
  zipFile([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'ppt/presentation.xml', data: '<p:presentation/>' },
    {
      name: 'ppt/notesSlides/notesSlide1.xml',
      data: `<p:notes xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody>${notes}</p:txBody></p:sp></p:spTree></p:cSld></p:notes>`,
    },
  ]);

describe('held: a card or IBAN in a form the recipient is shown', () => {
  const bodies: Record<string, () => Buffer> = {
    'format=flowed soft break in a group': () =>
      mail(
        ['From: Bob <bob@corp.example>', 'Content-Type: text/plain; format=flowed; delsp=yes'],
        'card 4111 1111 11 \r\n11 1111 ok\r\n',
      ),
    'quoted-printable soft break in a group': () =>
      mail(
        [
          'From: Bob <bob@corp.example>',
          'Content-Type: text/plain',
          'Content-Transfer-Encoding: quoted-printable',
        ],
        'card 4111 11=\r\n11 1111 1111 ok',
      ),
    'an IBAN in mixed case': () => mail(['From: Bob <bob@corp.example>'], 'iban nL91aBnA0417164300 ok'),
    'an IBAN spaced unevenly': () =>
      mail(['From: Bob <bob@corp.example>'], 'iban GB 29 NWBK 601613 31926819 ok'),
    'an xlsx shared string split across runs': () =>
      outboundFile('a.xlsx', xlsx('<si><r><t>41</t></r><r><rPr><b/></rPr><t>11111111111111</t></r></si>')),
    'a pptx notes page split across runs': () =>
      outboundFile(
        'a.pptx',
        pptxNotes('<a:p><a:r><a:t>41111111</a:t></a:r><a:r><a:t>11111111</a:t></a:r></a:p>'),
      ),
    'HTML table cells': () =>
      mail(
        ['From: Bob <bob@corp.example>', 'Content-Type: text/html'],
        '<table><tr><td>4111</td><td>1111</td><td>1111</td><td>1111</td></tr></table>',
      ),
    'an iCalendar description folded in a group': () =>
      mail(
        ['From: Bob <bob@corp.example>', 'Content-Type: text/calendar; charset=utf-8'],
        calendar('DESCRIPTION:card 4111 11\r\n  11 1111 1111'),
      ),
    'an iCalendar HTML description': () =>
      mail(
        ['From: Bob <bob@corp.example>', 'Content-Type: text/calendar; charset=utf-8'],
        calendar('X-ALT-DESC;FMTTYPE=text/html:<p>4111<span>1111</span>1111<b>1111</b></p>'),
      ),
  };
  for (const [how, message] of Object.entries(bodies))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(message())).toBe('BOUNCE');
    });
});

describe('held: business number lists are delivered', () => {
  let seed = 7;
  const digits = (n: number) =>
    Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return String(seed % 10);
    }).join('');
  const lists: Record<string, () => string> = {
    'Amazon order numbers': () => `Order #11${digits(1)}-${digits(7)}-${digits(7)}`,
    'USPS tracking numbers': () =>
      `Tracking: 9400 ${digits(4)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(2)}`,
    'UPS tracking numbers': () =>
      `UPS 1Z ${digits(3)} ${digits(3)} ${digits(2)} ${digits(4)} ${digits(3)} ${digits(1)}`,
    'FedEx tracking numbers': () => `FedEx ${digits(4)} ${digits(4)} ${digits(4)}`,
    ISBNs: () => `ISBN 978-${digits(1)}-${digits(3)}-${digits(5)}-${digits(1)}`,
    'EAN-13 codes': () => `EAN ${digits(13)}`,
    'phone numbers': () => `+44 20 ${digits(4)} ${digits(4)}, +44 20 ${digits(4)} ${digits(4)}`,
    'IMEI numbers': () => `IMEI 35 ${digits(6)} ${digits(6)} ${digits(1)}`,
    'GS1 labels': () => `(01) 0${digits(13)} (17) 261231 (10) ${digits(6)}`,
  };
  for (const [what, line] of Object.entries(lists))
    it(`(control) delivers sixty ${what}`, async () => {
      const lines = Array.from({ length: 60 }, line).join('\r\n');
      expect(await out(`Hello,\r\n${lines}\r\nThanks`)).toBe('DEFAULT');
    });
});
