import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 121 (an outside sender against the guard's impersonation check, PROTECTED_NAMES=Jane Doe).
// A121-1: a display name written in raw 8-bit bytes of a legacy charset, with no encoded word. The guard reads a
// header block that is not UTF-8 as Latin-1, so `"Jаnе Dое"` in windows-1251 (Cyrillic а, е, о: E0 E5 EE) read
// `Jàn\u00e5 D\u00ee\u00e5`, and `Ｊａｎｅ Ｄｏｅ` in Shift_JIS read as Latin-1 garbage; neither is Jane Doe. Thunderbird
// and Outlook decode such bytes in the message's declared charset (else the reader's code page), and Gmail guesses:
// each shows Jаnе Dое or Ｊａｎｅ Ｄｏｅ. A raw 8-bit From is also untaggable (round 44), so the message came in
// untagged, as if inside. Also: raw ISO-2022-JP (7-bit, shifted by escapes), which Thunderbird and Japanese clients
// decode; a raw UTF-8 name in a block another field's stray byte made Latin-1 (clients decode each field apart); the
// same in a Sender, a Reply-To, a group name, a comment, a local part, a look-alike domain in the address, and the
// organization's address written as the name; raw bytes inside a Q encoded word, which Thunderbird decodes in the
// word's charset. Each was delivered (DEFAULT) before the fix; each control is delivered as before.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const FAILED: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };

const latin1 = (s: string) => Buffer.from(s, 'latin1');
// Full-width Latin letters and the ideographic space as raw ISO-2022-JP (JIS X 0208 row 3: 0x23, the ASCII letter).
const jis = (s: string) =>
  latin1(
    `\x1b$B${[...s].map((c) => (c === '\u3000' ? '!!' : `#${String.fromCharCode(c.charCodeAt(0) - 0xfee0)}`)).join('')}\x1b(B`,
  );
const raw = (text: string, charset: string) =>
  charset === 'iso-2022-jp' ? jis(text) : iconv.encode(text, charset);

/**
 * A message whose header lines are given as pieces (strings are ASCII, Buffers raw bytes), with a text body
 * declared in `charset` (none when empty), and more header lines.
 */
function message(lines: (string | Buffer)[][], charset = '', more: string[] = []): Buffer {
  const head = [
    ...lines,
    ['To: bob@corp.example'],
    ['Subject: Invoice'],
    ['Date: Sun, 29 Nov 2026 10:00:00 +0000'],
    ['Message-ID: <attacker@evil.example>'],
    ['MIME-Version: 1.0'],
    [`Content-Type: text/plain${charset ? `; charset=${charset}` : ''}`],
    ...more.map((m) => [m]),
  ];
  return Buffer.concat([
    ...head.map((pieces) =>
      Buffer.concat([...pieces.map((p) => (typeof p === 'string' ? latin1(p) : p)), latin1('\r\n')]),
    ),
    latin1('\r\nPlease pay the attached invoice today.\r\n'),
  ]);
}
const fromName = (name: string, charset: string, declared = charset, address = 'x@evil.example') =>
  message([['From: "', raw(name, charset), `" <${address}>`]], declared);
const verdict = async (m: Buffer, mailFrom = 'x@evil.example') =>
  (await kit.inbound(m, ENV, mailFrom)).verdict;

const CYRILLIC = 'J\u0430n\u0435 D\u043e\u0435'; // Jаnе Dое
const GREEK = 'J\u03b1n\u03b5 D\u03bf\u03b5'; // Jαnε Dοε
const FULL = '\uff2a\uff41\uff4e\uff45 \uff24\uff4f\uff45'; // Ｊａｎｅ Ｄｏｅ
const FULL_IDEOGRAPHIC = '\uff2a\uff41\uff4e\uff45\u3000\uff24\uff4f\uff45';

describe('A121-1: a protected name in raw bytes of a legacy charset', () => {
  const cases: [string, Buffer][] = [
    ['windows-1251, declared', fromName(CYRILLIC, 'windows-1251')],
    ['KOI8-R, declared', fromName(CYRILLIC, 'koi8-r')],
    ['KOI8-U, declared', fromName(CYRILLIC, 'koi8-u')],
    ['ISO-8859-5, declared', fromName(CYRILLIC, 'iso-8859-5')],
    ['IBM866, declared', fromName(CYRILLIC, 'cp866')],
    ['x-mac-cyrillic, declared', fromName(CYRILLIC, 'maccyrillic', 'x-mac-cyrillic')],
    ['windows-1253, declared', fromName(GREEK, 'windows-1253')],
    ['ISO-8859-7, declared', fromName(GREEK, 'iso-8859-7')],
    ['Shift_JIS, declared', fromName(FULL, 'shift_jis')],
    ['EUC-JP, declared', fromName(FULL, 'euc-jp')],
    ['GBK, declared gb2312', fromName(FULL, 'gbk', 'gb2312')],
    ['EUC-KR, declared', fromName(FULL, 'euc-kr')],
    ['Big5, declared', fromName(FULL, 'big5')],
    [
      'windows-1251, body declared utf-8 (the reader’s code page)',
      fromName(CYRILLIC, 'windows-1251', 'utf-8'),
    ],
    ['windows-1251, no charset declared', fromName(CYRILLIC, 'windows-1251', '')],
    ['KOI8-R, body declared us-ascii', fromName(CYRILLIC, 'koi8-r', 'us-ascii')],
    ['Shift_JIS, no charset declared', fromName(FULL, 'shift_jis', '')],
    ['raw ISO-2022-JP (7-bit escapes)', fromName(FULL_IDEOGRAPHIC, 'iso-2022-jp')],
    ['raw ISO-2022-JP, no charset declared', fromName(FULL_IDEOGRAPHIC, 'iso-2022-jp', '')],
    [
      'raw UTF-8 look-alikes, the block made Latin-1 by a stray byte elsewhere',
      message(
        [['From: "', raw(CYRILLIC, 'utf-8'), '" <x@evil.example>'], ['X-Mailer: Mail\xe9r 1']],
        'utf-8',
      ),
    ],
    [
      'windows-1251 without quotes',
      message([['From: ', raw(CYRILLIC, 'windows-1251'), ' <x@evil.example>']], 'windows-1251'),
    ],
    ['windows-1251, "Dое, Jаnе"', fromName('D\u043e\u0435, J\u0430n\u0435', 'windows-1251')],
    [
      'windows-1251 in a group name',
      message([['From: ', raw(CYRILLIC, 'windows-1251'), ': x@evil.example;']], 'windows-1251'),
    ],
    [
      'windows-1251 in the Sender (Outlook: on behalf of)',
      message(
        [['From: billing@evil.example'], ['Sender: "', raw(CYRILLIC, 'windows-1251'), '" <x@evil.example>']],
        'windows-1251',
      ),
    ],
    [
      'windows-1251 in the Reply-To',
      message(
        [
          ['From: billing@evil.example'],
          ['Reply-To: "', raw(CYRILLIC, 'windows-1251'), '" <x@evil.example>'],
        ],
        'windows-1251',
      ),
    ],
    [
      'windows-1251 in a Resent-From',
      message(
        [
          ['From: billing@evil.example'],
          ['Resent-From: "', raw(CYRILLIC, 'windows-1251'), '" <x@evil.example>'],
        ],
        'windows-1251',
      ),
    ],
    [
      'a look-alike domain (Cyrillic с) in raw windows-1251, no display name',
      message([['From: ceo@', raw('\u0441orp.example', 'windows-1251')]], 'windows-1251'),
    ],
    [
      'the organization’s address (Cyrillic о) written as the name in raw windows-1251',
      message(
        [['From: "', raw('ceo@c\u043erp.example', 'windows-1251'), '" <x@evil.example>']],
        'windows-1251',
      ),
    ],
    [
      'raw windows-1251 bytes inside a windows-1251 Q encoded word (Thunderbird decodes them in the word’s charset)',
      message(
        [
          [
            'From: =?windows-1251?Q?J',
            raw('\u0430n\u0435', 'windows-1251'),
            '_D',
            raw('\u043e\u0435', 'windows-1251'),
            '?= <x@evil.example>',
          ],
        ],
        'windows-1251',
      ),
    ],
    [
      'windows-1251 in a comment after the address',
      message([['From: x@evil.example (', raw(CYRILLIC, 'windows-1251'), ')']], 'windows-1251'),
    ],
    [
      'windows-1251 in the local part, no display name',
      message(
        [['From: ', raw('j\u0430n\u0435.d\u043e\u0435', 'windows-1251'), '@evil.example']],
        'windows-1251',
      ),
    ],
  ];
  for (const [name, m] of cases)
    it(`junks ${name}`, async () => {
      expect(await verdict(m)).toBe('MOVE_TO_JUNK');
    });

  it('guard-ses holds windows-1251 look-alikes', async () => {
    const answer = await sesGuard(fromName(CYRILLIC, 'windows-1251'), FAILED, 'x@evil.example', ENV);
    expect(answer.disposition).not.toBe('CONTINUE');
  });
  it('guard-ses holds Shift_JIS full-width letters', async () => {
    const answer = await sesGuard(fromName(FULL, 'shift_jis'), FAILED, 'x@evil.example', ENV);
    expect(answer.disposition).not.toBe('CONTINUE');
  });
});

describe('A121-1 controls: delivered as before', () => {
  const INSIDE =
    'Authentication-Results: amazonses.com;\r\n spf=pass smtp.mailfrom=jane.doe@corp.example;\r\n dkim=pass header.i=@corp.example;\r\n dmarc=pass header.from=corp.example;';
  it('a colleague’s real mail from the organization, her name raw in windows-1251', async () => {
    const m = Buffer.concat([
      latin1(`${INSIDE}\r\n`),
      fromName(CYRILLIC, 'windows-1251', 'windows-1251', 'jane.doe@corp.example'),
    ]);
    expect(await verdict(m, 'jane.doe@corp.example')).toBe('DEFAULT');
  });
  it('a colleague’s real mail, Cyrillic name raw in KOI8-R', async () => {
    const results = INSIDE.replaceAll('jane.doe', 'ivan');
    const m = Buffer.concat([
      latin1(`${results}\r\n`),
      fromName(
        '\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432',
        'koi8-r',
        'koi8-r',
        'ivan@corp.example',
      ),
    ]);
    expect(await verdict(m, 'ivan@corp.example')).toBe('DEFAULT');
  });
  it('the executive’s own message forwarded inside the organization (attached whole)', async () => {
    const results = INSIDE.replaceAll('jane.doe', 'bob');
    const inner =
      'From: Jane Doe <jane.doe@corp.example>\r\nTo: bob@corp.example\r\nSubject: Q3\r\n\r\nPlease pay.\r\n';
    const m = latin1(
      `${results}\r\nFrom: "Bob M\xfcller" <bob@corp.example>\r\nTo: carol@corp.example\r\nSubject: Fwd: Q3\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nsee below\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n${inner}--b--\r\n`,
    );
    expect(await verdict(m, 'bob@corp.example')).toBe('DEFAULT');
  });
  it('a newsletter mentioning the executive in its body, its name raw in Latin-1', async () => {
    const m = message(
      [['From: "', latin1('Caf\xe9 Soci\xe9t\xe9 News'), '" <news@cafe.example>']],
      'iso-8859-1',
    );
    const withBody = Buffer.concat([m, latin1('Our interview with Jane Doe, CEO of Corp.\r\n')]);
    expect(await verdict(withBody)).toBe('DEFAULT');
  });
  const outside: [string, Buffer][] = [
    [
      'an outside Jane, raw windows-1251 (Jаnе Rоwе)',
      fromName('J\u0430n\u0435 R\u043ew\u0435', 'windows-1251'),
    ],
    ['an outside Jane, raw Latin-1 (Jane M\xfcller)', fromName('Jane M\xfcller', 'latin1', 'iso-8859-1')],
    ['an outside Jane, raw UTF-8 (Jane Doerr)', fromName('Jane Do\u00ebrr', 'utf-8', 'utf-8')],
    [
      'a Russian name, raw windows-1251',
      fromName('\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432', 'windows-1251'),
    ],
    [
      'a Greek name, raw windows-1253',
      fromName(
        '\u0393\u03b9\u03ce\u03c1\u03b3\u03bf\u03c2 \u03a0\u03b1\u03c0\u03b1\u03b4\u03cc\u03c0\u03bf\u03c5\u03bb\u03bf\u03c2',
        'windows-1253',
      ),
    ],
    ['a Japanese name, raw Shift_JIS', fromName('\u5c71\u7530\u592a\u90ce', 'shift_jis')],
    [
      'a Japanese name, raw ISO-2022-JP',
      message([['From: "', latin1('\x1b$B;3ED!!B@O:\x1b(B'), '" <taro@partner.example>']], 'iso-2022-jp'),
    ],
    ['a Korean name, raw EUC-KR', fromName('\uae40\ubbfc\uc900', 'euc-kr')],
    ['a Czech name, raw windows-1250', fromName('Ji\u0159\u00ed Nov\u00e1k', 'windows-1250')],
  ];
  for (const [name, m] of outside)
    it(`delivers ${name}`, async () => {
      expect(await verdict(m)).toBe('DEFAULT');
    });
});
