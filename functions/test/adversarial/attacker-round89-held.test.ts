import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, script, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 89, held: probes that were already refused, kept as tests. A script under a file name written
// every way a client may read it (RFC 2231 continuations out of order or beside a plain value, encoded words inside
// quotes, a UTF-16 charset, duplicate or repeated headers and parameters, folding inside quotes, paths, an alternate
// data stream, x-uuencode, comments, case, spaces around `=`, a missing disposition type); a card in digits of other
// scripts, spaces and joiners of every kind, keycaps, the Subject, a file name, HTML entities, stylesheet content,
// table cells, comments, calendar, enriched and RTF text, UTF-16BE and soft line breaks; an IBAN in Arabic-Indic
// digits; and a protected name or the organization's address shown every way a display name, a group, a comment, a
// route, an encoded word or a quoted local part can write it.

const stack = useLocalStack();
const kit = attackerKit(stack);
const CRLF = '\r\n';
const vbs = Buffer.from(script('p')).toString('base64');
const part = (headers: string[], body = vbs, cte = 'base64') =>
  mail([MIXED], withPart([...headers, `Content-Transfer-Encoding: ${cte}`, '', body].join(CRLF)));

const att: Record<string, Buffer> = {
  'cd 2231 out of order': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename*1="vbs"; filename*0="a."`,
  ]),
  'cd 2231 with plain filename pdf': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename="a.pdf"; filename*=utf-8''a.vbs`,
  ]),
  'cd 2231 after plain pdf, name pdf': part([
    'Content-Type: application/octet-stream; name="a.pdf"',
    `Content-Disposition: attachment; filename*=utf-8''a.vbs; filename="a.pdf"`,
  ]),
  'encoded word in quoted filename': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename="=?utf-8?B?${Buffer.from('a.vbs').toString('base64')}?="`,
  ]),
  'encoded word split in two': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename="=?utf-8?Q?a.v?= =?utf-8?Q?bs?="`,
  ]),
  'utf-16 2231 charset': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename*=utf-16le''a%00.%00v%00b%00s%00`,
  ]),
  'duplicate CD, second vbs': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.txt"',
    'Content-Disposition: attachment; filename="a.vbs"',
  ]),
  'duplicate CT, second vbs': part([
    'Content-Type: text/plain; name="a.txt"',
    'Content-Type: application/octet-stream; name="a.vbs"',
  ]),
  'filename param twice': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.txt"; filename="a.vbs"',
  ]),
  'name param twice': part(['Content-Type: application/octet-stream; name="a.txt"; name="a.vbs"']),
  'folded inside quoted filename': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.v\r\n\tbs"',
  ]),
  'path in filename': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="x\\\\a.vbs"',
  ]),
  'trailing slash': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.vbs/"',
  ]),
  ADS: part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.txt:b.vbs"',
  ]),
  'x-uuencode CTE': part(
    ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="a.txt"'],
    `begin 644 a.vbs${CRLF}${'M'}${CRLF}end`,
    'x-uuencode',
  ),
  'filename unquoted with semicolon-less trailing': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename=a.vbs (comment)',
  ]),
  'filename with backslash-escaped quote': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a\\".vbs"',
  ]),
  'CD with no type name, CT name encoded word': part([
    `Content-Type: application/octet-stream; name="=?utf-8?Q?a=2Evbs?="`,
  ]),
  'name with 2231 on CT and 2231 continuation encoded': part([
    `Content-Type: application/octet-stream; name*0*=utf-8''a%2E; name*1*=vbs`,
  ]),
  'filename*0 and filename both': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename="a.txt"; filename*0="a."; filename*1="vbs"`,
  ]),
  'attachment with trailing whitespace in extension quoted': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename="a.vbs\t"',
  ]),
  'CD params case': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: ATTACHMENT; FILENAME="a.vbs"',
  ]),
  'CT with space before =': part(['Content-Type: application/octet-stream; name = "a.vbs"']),
  'CD with space before =': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; filename = "a.vbs"',
  ]),
  'CD with comment before filename': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment; (x) filename="a.vbs"',
  ]),
  'CD no semicolon': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: attachment filename="a.vbs"',
  ]),
  'CD missing type': part([
    'Content-Type: application/octet-stream',
    'Content-Disposition: filename="a.vbs"',
  ]),
  'filename empty then 2231': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename=""; filename*=''a.vbs`,
  ]),
  'latin1 2231': part([
    'Content-Type: application/octet-stream',
    `Content-Disposition: attachment; filename*=iso-8859-1'en'a%2Evbs`,
  ]),
  'name in Content-Description only': part([
    'Content-Type: application/octet-stream',
    'Content-Description: a.vbs',
  ]),
};

describe('held: a script under a file name written another way', () => {
  for (const [n, m] of Object.entries(att))
    it(n, async () => {
      expect((await kit.inbound(m)).verdict).toBe('BOUNCE');
    });
});

const out = (body: string | Buffer, type: string, head: string[] = []) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', ...head, `Content-Type: ${type}`], body));
const dlp: Record<string, [string | Buffer, string, string[]?]> = {
  'arabic-indic': [
    'card \u0664\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661 \u0661\u0661\u0661\u0661',
    'text/plain; charset=utf-8',
  ],
  'extended arabic-indic': [
    'card \u06f4\u06f1\u06f1\u06f1 \u06f1\u06f1\u06f1\u06f1 \u06f1\u06f1\u06f1\u06f1 \u06f1\u06f1\u06f1\u06f1',
    'text/plain; charset=utf-8',
  ],
  devanagari: [
    'card \u096a\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967 \u0967\u0967\u0967\u0967',
    'text/plain; charset=utf-8',
  ],
  'math bold': [
    `card ${'4111 1111 1111 1111'.replace(/\d/g, (d) => String.fromCodePoint(0x1d7ce + Number(d)))}`,
    'text/plain; charset=utf-8',
  ],
  'math monospace': [
    `card ${'4111 1111 1111 1111'.replace(/\d/g, (d) => String.fromCodePoint(0x1d7f6 + Number(d)))}`,
    'text/plain; charset=utf-8',
  ],
  fullwidth: [
    'card \uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11',
    'text/plain; charset=utf-8',
  ],
  circled: [
    'card \u2463\u2460\u2460\u2460 \u2460\u2460\u2460\u2460 \u2460\u2460\u2460\u2460 \u2460\u2460\u2460\u2460',
    'text/plain; charset=utf-8',
  ],
  superscript: [
    'card \u2074\u00b9\u00b9\u00b9 \u00b9\u00b9\u00b9\u00b9 \u00b9\u00b9\u00b9\u00b9 \u00b9\u00b9\u00b9\u00b9',
    'text/plain; charset=utf-8',
  ],
  'nbsp separators': ['card 4111\u00a01111\u00a01111\u00a01111', 'text/plain; charset=utf-8'],
  'narrow nbsp': ['card 4111\u202f1111\u202f1111\u202f1111', 'text/plain; charset=utf-8'],
  'thin space': ['card 4111\u20091111\u20091111\u20091111', 'text/plain; charset=utf-8'],
  'ideographic space': ['card 4111\u30001111\u30001111\u30001111', 'text/plain; charset=utf-8'],
  'en dash': ['card 4111\u20131111\u20131111\u20131111', 'text/plain; charset=utf-8'],
  'soft hyphen': ['card 4111\u00ad1111\u00ad1111\u00ad1111', 'text/plain; charset=utf-8'],
  'word joiner': ['card 4111\u20601111\u20601111\u20601111', 'text/plain; charset=utf-8'],
  'variation selector': ['card 4\ufe0f111 1111 1111 1111', 'text/plain; charset=utf-8'],
  'keycap emoji': [
    'card 4\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e31\ufe0f\u20e3 1111 1111 1111',
    'text/plain; charset=utf-8',
  ],
  'in subject': ['hello', 'text/plain', ['Subject: card 4111 1111 1111 1111']],
  'in encoded subject': [
    'hello',
    'text/plain',
    [`Subject: =?utf-8?B?${Buffer.from('card 4111 1111 1111 1111').toString('base64')}?=`],
  ],
  'in filename': [
    [
      '--b',
      'Content-Type: text/plain',
      '',
      'hi',
      '--b',
      'Content-Type: text/plain; name="4111 1111 1111 1111.txt"',
      'Content-Disposition: attachment; filename="4111 1111 1111 1111.txt"',
      '',
      'x',
      '--b--',
    ].join(CRLF),
    'multipart/mixed; boundary="b"',
  ],
  'html entity digits hex': ['<p>card &#x34;111 1111 1111 1111</p>', 'text/html'],
  'html css ::before': [
    '<html><head><style>.a::before{content:"4111 1111 1111 1111"}</style></head><body><p class="a">x</p></body></html>',
    'text/html',
  ],
  'html split in table cells': [
    '<table><tr><td>4111</td><td>1111</td><td>1111</td><td>1111</td></tr></table>',
    'text/html',
  ],
  'html split spans': ['<p>4111<span>1111</span><b>1111</b><i>1111</i></p>', 'text/html'],
  'html entity named nbsp': ['<p>4111&nbsp;1111&nbsp;1111&nbsp;1111</p>', 'text/html'],
  'html comment inside': ['<p>4111<!-- x -->1111<!-- y -->1111<!-- z -->1111</p>', 'text/html'],
  'html wbr': ['<p>4111<wbr>1111<wbr>1111<wbr>1111</p>', 'text/html'],
  'html br': ['<p>4111<br>1111<br>1111<br>1111</p>', 'text/html'],
  'html entity zero pad': ['<p>&#0000052;111 1111 1111 1111</p>', 'text/html'],
  'text/calendar': [
    'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:card 4111 1111 1111 1111\r\nEND:VEVENT\r\nEND:VCALENDAR',
    'text/calendar',
  ],
  'text/enriched': ['card 4111 1111 <bold>1111</bold> 1111', 'text/enriched'],
  'rtf body': ['{\\rtf1 card 4111 1111 1111 1111}', 'application/rtf'],
  'rtf hex escapes': ["{\\rtf1 card \\'34111 1111 1111 1111}", 'application/rtf'],
  'rtf unicode escapes': ['{\\rtf1 card \\u52?111 1111 1111 1111}', 'application/rtf'],
  'iban arabic': [
    'IBAN DE89 3704 0044 0532 0130 00'.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d))),
    'text/plain; charset=utf-8',
  ],
  'mime-encoded html charset utf-16be': [
    Buffer.from('<p>card 4111 1111 1111 1111</p>', 'utf16le').swap16(),
    'text/html; charset=utf-16be',
  ],
  'qp soft breaks between every digit': [
    'card 4=\r\n1=\r\n1=\r\n1 1111 1111 1111',
    'text/plain',
    ['Content-Transfer-Encoding: quoted-printable'],
  ],
};
describe('held: a card or an IBAN written another way', () => {
  for (const [n, [b, t, h]] of Object.entries(dlp))
    it(n, async () => {
      expect(await out(b, t, h)).toBe('BOUNCE');
    });
});

const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const imp = async (head: string[], mailFrom = 'x@evil.example') =>
  (
    await kit.inbound(
      mail([...head, 'Content-Type: text/plain'], 'Please pay the invoice today.'),
      ENV,
      mailFrom,
    )
  ).verdict;
const impCases: Record<string, string[]> = {
  'two From addresses': ['From: Jane Doe <ceo@corp.example>, x@evil.example'],
  'group From': ['From: Board: Jane Doe <ceo@corp.example>;'],
  'comment with org address': ['From: x@evil.example (Jane Doe)'],
  'From with route': ['From: Jane Doe <@evil.example:ceo@corp.example>'],
  'encoded word address': [`From: =?utf-8?Q?ceo=40corp=2Eexample?= <x@evil.example>`],
  'Jane Doe split by encoded words': ['From: =?utf-8?Q?Jane?= =?utf-8?Q?_Doe?= <x@evil.example>'],
  'Jane Doe with zero width': ['From: "Jane\u200bDoe" <x@evil.example>'],
  'Jane Doe with nbsp': ['From: "Jane\u00a0Doe" <x@evil.example>'],
  'Jane Doe cyrillic': ['From: "J\u0430ne Doe" <x@evil.example>'],
  'Jane Doe fullwidth': ['From: "\uff2aane Doe" <x@evil.example>'],
  'Jane Doe reversed order': ['From: "Doe, Jane" <x@evil.example>'],
  'cyrillic org domain': ['From: Jane Doe <ceo@c\u043erp.example>'],
  'quoted local with @': ['From: "ceo@corp.example"@evil.example'],
  'From missing, Sender org': ['Sender: ceo@corp.example'],
};
describe('held: a protected name or the organization shown another way', () => {
  for (const [n, h] of Object.entries(impCases))
    it(n, async () => {
      expect(await imp(h)).not.toBe('DEFAULT');
    });
});
