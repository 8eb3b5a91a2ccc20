import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 90, held: cards in places a mail client shows, and scripts attached every other way a client
// reads a part (a Content-Location name, multipart/related, base64 with garbage or spaces, 8bit with NULs,
// x-uue, a calendar ATTACH, an odd Content-Transfer-Encoding, message/partial), and a protected name shown through
// bidi isolates, emoji, Cherokee letters, small capitals, tag characters and fillers, each already refused.
const stack = useLocalStack();
const kit = attackerKit(stack);
const out = (body: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'], body));
const CARD = '4539 1488 0343 6467';
// Groups without a leading zero, for numbers a counter or a list draws (`0343` draws as 343).
const CARD2 = '5425 2334 3010 9903';

describe('held: a card in a shown attribute or generated text', () => {
  const cases: Record<string, string> = {
    'an input placeholder': `<input placeholder="${CARD}">`,
    'an input value': `<input value="${CARD}">`,
    'a submit button value': `<input type="submit" value="${CARD}">`,
    'a textarea': `<textarea>${CARD}</textarea>`,
    'an option label': `<select><option label="${CARD}">x</option></select>`,
    'CSS content from attr()': `<style>p::after{content:attr(data-n)}</style><p data-n="${CARD}"></p>`,
    'SVG text': `<svg><text x="0" y="15">${CARD}</text></svg>`,
    'SVG tspans': `<svg><text>${CARD.split(' ')
      .map((g) => `<tspan>${g} </tspan>`)
      .join('')}</text></svg>`,
    'MathML numbers': `<math>${CARD.split(' ')
      .map((g) => `<mn>${g}</mn><mspace width="1em"/>`)
      .join('')}</math>`,
    'a legend': `<fieldset><legend>${CARD}</legend></fieldset>`,
    'an abbr title': `<abbr title="${CARD}">card</abbr>`,
    'a counter set to each group': `<style>p::before{content:counter(a) " " counter(b) " " counter(c) " " counter(d)}</style><p style="counter-reset:a 5425 b 2334 c 3010 d 9903"></p>`,
    'an ordered list that starts at each group': CARD2.split(' ')
      .map((g) => `<ol start="${g}" style="display:inline"><li></li></ol>`)
      .join(''),
  };
  for (const [name, page] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await out(page)).toBe('BOUNCE');
    });
});

const CRLF = '\r\n';
const vbs = Buffer.from(script('p')).toString('base64');
const part = (headers: string[], body = vbs, cte = 'base64') =>
  mail([MIXED], withPart([...headers, `Content-Transfer-Encoding: ${cte}`, '', body].join(CRLF)));
const related = (headers: string[]) =>
  mail(
    ['Content-Type: multipart/related; boundary="b"'],
    [
      '--b',
      'Content-Type: text/html',
      '',
      '<p>hi</p>',
      '--b',
      ...headers,
      'Content-Transfer-Encoding: base64',
      '',
      vbs,
      '--b--',
    ].join(CRLF),
  );
const attachments: Record<string, Buffer> = {
  'content-location only': part(['Content-Type: application/octet-stream', 'Content-Location: a.vbs']),
  'content-location url': part([
    'Content-Type: application/octet-stream',
    'Content-Location: http://x.example/a.vbs',
  ]),
  'related content-location': related(['Content-Type: application/octet-stream', 'Content-Location: a.vbs']),
  'related inline name': related([
    'Content-Type: application/octet-stream; name="a.vbs"',
    'Content-ID: <x@y>',
  ]),
  'base64 with garbage': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    vbs.split('').join('!'),
  ),
  'base64 with spaces': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    vbs.split('').join(' '),
  ),
  '8bit with NULs': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    `${script('p')}\u0000\u0000`,
    '8bit',
  ),
  'cte x-uue': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    `begin 644 a.vbs${CRLF}${'M'}${CRLF}end`,
    'x-uue',
  ),
  'ics attach': mail(
    ['Content-Type: text/calendar; method=REQUEST'],
    [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      `ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=a.vbs:${vbs}`,
      'END:VEVENT',
      'END:VCALENDAR',
    ].join(CRLF),
  ),
  'cte base64 uppercase with params': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    vbs,
    'BASE64 (x)',
  ),
  'cte quoted-printable name vbs': part(
    ['Content-Type: application/octet-stream; name="a.vbs"'],
    script('p'),
    'Quoted-Printable',
  ),
  'message/partial': mail(
    ['Content-Type: message/partial; id="x"; number=1; total=1'],
    [
      'Content-Type: application/octet-stream; name="a.vbs"',
      'Content-Transfer-Encoding: base64',
      '',
      vbs,
    ].join(CRLF),
  ),
};
describe('held: a script attached every other way', () => {
  for (const [name, m] of Object.entries(attachments))
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
    });
});

const names: Record<string, string> = {
  'bidi isolates': '\u2068Jane Doe\u2069',
  'first strong isolate around each word': '\u2068Jane\u2069 \u2068Doe\u2069',
  'emoji between': 'Jane \u{1F642} Doe',
  'emoji ZWJ sequence': 'Jane\u{1F468}\u200D\u{1F4BC}Doe',
  'Cherokee letters': 'J\u13AAne D\u13BEe',
  'tag characters': 'Jane\u{E0020}Doe',
  'mongolian vowel separator': 'Jane\u180eDoe',
  'hangul filler between': 'Jane\u3164Doe',
  'braille blank': 'Jane\u2800Doe',
  'interlinear annotation': 'Jane\uFFF9x\uFFFADoe\uFFFB',
  'ogham space': 'Jane\u1680Doe',
  'reversed with LRO/RLO': '\u202Eeod enaJ\u202C',
  'small caps': 'ᴊᴀɴᴇ ᴅᴏᴇ',
  'Doe Jane': 'DOE Jane',
  'Mrs. Jane Doe (CEO)': 'Mrs. Jane Doe (CEO)',
  'Jane D.': 'Jane D\u2024oe',
};
describe('held: a protected name shown through isolates, emoji, other scripts and fillers', () => {
  for (const [n, v] of Object.entries(names))
    it(`junks ${n}`, async () => {
      expect(await kit.protectedNameVerdict(v)).toBe('MOVE_TO_JUNK');
    });
});
