// Attacker round 74, held probes: MIME structure and naming tricks the attachment walk already reads as a client
// would (each message must be found to carry a blocked file): header names with white space before the colon, a
// transfer encoding with a comment or parameters, encoded words inside RFC 2231 values or split across them, in
// UTF-16 or with a language, glued to other text; RFC 2231 segments out of order, with leading zeros, a gap, a
// charset in each; parameters without a disposition type, after a comma, with an unclosed quote; an attached message
// with a broken header line; a zip as a PDF's embedded file. Fixed in this round: a name in single quotes
// (`functions/test/adversarial/attacker-round74-quoted-names.test.ts`) and unnamed parts of types Windows saves
// as `.rqy`, `.htc`… (`attacker-round74-typed-parts.test.ts`).
import { rule, when } from '@wmflow/core';
import { pdfObjects, zipFile } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { hasBlockedAttachment } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120)]);
const fired = async (message: string) => {
  const { outcome } = await h.run(
    [
      when(
        hasBlockedAttachment(),
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    {},
  );
  return (outcome.rulesFired as string[]).includes('hit');
};
const msg = (
  partHeaders: readonly string[],
  body: string,
  top = 'Content-Type: multipart/mixed; boundary=o',
) =>
  [
    'From: y@partner.example',
    'To: ap@corp.example',
    'Subject: probe',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    top,
    '',
    '--o',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--o',
    ...partHeaders,
    '',
    body,
    '--o--',
    '',
  ].join('\r\n');
const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');

const cases: Record<string, string> = {
  'space before colon': msg(
    [
      'Content-Type: application/octet-stream',
      'Content-Disposition : attachment; filename="invoice.exe"',
      'Content-Transfer-Encoding: base64',
    ],
    b64(MZ),
  ),
  'tab before colon in CT': msg(
    ['Content-Type\t: application/octet-stream; name="invoice.exe"', 'Content-Transfer-Encoding: base64'],
    b64(MZ),
  ),
  'CTE with comment, zip named pdf-free': msg(
    ['Content-Type: application/octet-stream; name="invoice"', 'Content-Transfer-Encoding: base64 (x)'],
    b64(zipFile([{ name: 'a.exe', data: MZ }])),
  ),
  'CTE base64 then semicolon': msg(
    ['Content-Type: application/octet-stream; name="docs"', 'Content-Transfer-Encoding: base64; x=y'],
    b64(zipFile([{ name: 'a.exe', data: MZ }])),
  ),
  'CTE with leading junk': msg(
    ['Content-Type: application/octet-stream; name="docs"', 'Content-Transfer-Encoding:  Base64 '],
    b64(zipFile([{ name: 'a.exe', data: MZ }])),
  ),
  'encoded word in rfc2231': msg(
    [
      'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename*="=?utf-8?B?${Buffer.from('invoice.exe').toString('base64')}?="`,
    ],
    'x',
  ),
  'encoded word split over 2231 continuations': msg(
    [
      'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename*0="=?utf-8?B?aW52b2"; filename*1="ljZS5leGU=?="`,
    ],
    'x',
  ),
  'encoded word in name split in two words': msg(
    [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="=?utf-8?Q?invoice=2E?= =?utf-8?Q?exe?="',
    ],
    'x',
  ),
  'RFC2231 filename*0* then plain filename*1 mixed case': msg(
    [
      'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; FileName*0*=utf-8''inv%6Fice; FILENAME*1=.exe",
    ],
    'x',
  ),
  'name param with backslash escape': msg(
    ['Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="invoice.e\\xe"'],
    'x',
  ),
  'broken header line in attached message': [
    'From: y@partner.example',
    'To: ap@corp.example',
    'Subject: probe',
    'MIME-Version: 1.0',
    'Content-Type: message/rfc822',
    '',
    'From: z@x',
    'this is not a header',
    'Content-Type: multipart/mixed; boundary=q',
    '',
    '--q',
    'Content-Type: application/octet-stream; name="inv.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(MZ),
    '--q--',
    '',
  ].join('\r\n'),
  'top-level header continuation after blank-with-space': [
    'From: y@partner.example',
    'To: ap@corp.example',
    'Subject: probe',
    'MIME-Version: 1.0',
    'Content-Type: application/octet-stream;',
    ' ',
    ' name="inv.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(MZ),
  ].join('\r\n'),
  'pdf embedded zip with exe': msg(
    ['Content-Type: application/pdf; name="doc.pdf"', 'Content-Transfer-Encoding: base64'],
    b64(
      pdfObjects([
        {
          body: '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(docs.zip) 3 0 R] >> >> >>',
        },
        { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
        { body: '<< /Type /Filespec /F (docs.zip) /UF (docs.zip) /EF << /F 4 0 R >> >>' },
        { body: '<< /Type /EmbeddedFile >>', stream: zipFile([{ name: 'run.exe', data: MZ }]) },
      ]),
    ),
  ),
  'pdf embedded file named data with zip bytes': msg(
    ['Content-Type: application/pdf; name="doc.pdf"', 'Content-Transfer-Encoding: base64'],
    b64(
      pdfObjects([
        { body: '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(data) 3 0 R] >> >> >>' },
        { body: '<< /Type /Pages /Kids [] /Count 0 >>' },
        { body: '<< /Type /Filespec /F (data) /EF << /F 4 0 R >> >>' },
        { body: '<< /Type /EmbeddedFile >>', stream: zipFile([{ name: 'run.js', data: 'WScript.Echo(1)' }]) },
      ]),
    ),
  ),
};
describe('attacker round 74: held structures', () => {
  for (const [n, m] of Object.entries(cases))
    it(n, async () => {
      expect(await fired(m)).toBe(true);
    });
});

const cd = (v: string) =>
  msg(['Content-Type: application/octet-stream', `Content-Disposition: attachment; ${v}`], 'x');
const ct = (v: string) => msg([`Content-Type: application/octet-stream; ${v}`], 'x');
const more: Record<string, string> = {
  'lang tag': cd("filename*=utf-8'en'invoice.exe"),
  'empty charset': cd("filename*=''invoice%2Eexe"),
  'quoted ext value': cd('filename*="utf-8\'\'invoice.exe"'),
  'no ticks': cd('filename*=invoice.exe'),
  'leading zero index': cd('filename*0="invoice"; filename*01=".exe"'),
  'leading zero index 2': cd('filename*0="invoice.pdf"; filename*01=".exe"'),
  'gap index': cd('filename*0="invoice"; filename*2=".exe"'),
  'out of order': cd('filename*1="oice.exe"; filename*0="inv"'),
  'charset in every segment': cd("filename*0*=utf-8''inv; filename*1*=utf-8''oice.exe"),
  'space in param name': cd('file name="invoice.exe"'),
  'space before equals': cd('filename ="invoice.exe"'),
  'comma separated': msg(
    ['Content-Type: application/octet-stream', 'Content-Disposition: attachment, filename="invoice.exe"'],
    'x',
  ),
  'no disposition type': msg(
    ['Content-Type: application/octet-stream', 'Content-Disposition: filename="invoice.exe"'],
    'x',
  ),
  'unterminated quote': cd('filename="invoice.exe'),
  'ct name with 2231 and ew': ct(`name*0="=?utf-8?Q?invoice?="; name*1=".exe"`),
  'ct NAME upper 2231': ct("NAME*=UTF-8''invoice.exe"),
  'semicolon in quoted': cd('filename="invoice;.exe"'),
  'hex index': cd('filename*0="invoice"; filename*0x1=".exe"'),
  'negative index zero': cd('filename*-0="invoice"; filename*0=".exe"'),
};
describe('attacker round 74: held parameter spellings', () => {
  for (const [n, m] of Object.entries(more))
    it(n, async () => {
      expect(await fired(m)).toBe(true);
    });
});
const b = (s: string) => Buffer.from(s).toString('base64');
const u16 = (s: string) => Buffer.from(s, 'utf16le').swap16().toString('base64');
const more3: Record<string, string> = {
  'utf-16be encoded word': cd(`filename="=?utf-16be?B?${u16('invoice.exe')}?="`),
  'utf-16 encoded word no bom': cd(`filename="=?utf-16?B?${u16('invoice.exe')}?="`),
  'language in ew': cd(`filename="=?utf-8*en?B?${b('invoice.exe')}?="`),
  'ew glued to word': cd('filename="report=?utf-8?Q?=2Eexe?="'),
  'ew glued after': cd('filename="=?utf-8?Q?report=2E?=exe"'),
  'ew split base64 mid': cd(`filename="=?utf-8?B?aW52b2ljZS5l?= =?utf-8?B?eGU=?="`),
  'unquoted ew in ct name': ct(`name==?utf-8?B?${b('invoice.exe')}?=`),
  'ew with space inside b64': cd('filename="=?utf-8?B?aW52b2 ljZS5leGU=?="'),
  'ew unpadded truncated': cd('filename="=?utf-8?B?aW52b2ljZS5leGU?="'),
  'ew in 2231 ext value percent': cd("filename*=utf-8''%3D%3Futf-8%3FB%3FaW52b2ljZS5leGU%3D%3F%3D"),
  'double quotes inside single': cd(`filename='"invoice.exe"'`),
};
describe('attacker round 74: held encoded words', () => {
  for (const [n, m] of Object.entries(more3))
    it(n, async () => {
      expect(await fired(m)).toBe(true);
    });
});

const EXE_PART = [
  'Content-Type: application/octet-stream; name="inv.exe"',
  'Content-Transfer-Encoding: base64',
  '',
  b64(MZ),
];
const nested = (levels: number): string => {
  let inner = EXE_PART.join('\r\n');
  for (let i = levels; i > 0; i--)
    inner = [`Content-Type: multipart/mixed; boundary=n${i}`, '', `--n${i}`, inner, `--n${i}--`, ''].join(
      '\r\n',
    );
  return [
    'From: y@partner.example',
    'To: ap@corp.example',
    'Subject: probe',
    'MIME-Version: 1.0',
    inner,
  ].join('\r\n');
};
const structures: Record<string, string> = {
  'an executable as the last alternative': msg(
    ['Content-Type: multipart/alternative; boundary=a'],
    ['--a', 'Content-Type: text/plain', '', 'hi', '--a', ...EXE_PART, '--a--'].join('\r\n'),
  ),
  'two parts sharing a Content-ID, the second an executable': msg(
    ['Content-Type: multipart/related; boundary=r'],
    [
      '--r',
      'Content-Type: text/html',
      '',
      '<img src="cid:x@y">',
      '--r',
      'Content-ID: <x@y>',
      'Content-Type: image/png',
      '',
      'png',
      '--r',
      'Content-ID: <x@y>',
      ...EXE_PART,
      '--r--',
    ].join('\r\n'),
  ),
  'an executable 29 multiparts deep': nested(29),
  'an executable 40 multiparts deep': nested(40),
};
describe('attacker round 74: held structures at the limits', () => {
  for (const [n, m] of Object.entries(structures))
    it(n, async () => {
      expect(await fired(m)).toBe(true);
    });
});
