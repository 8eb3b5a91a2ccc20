import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 121 (an outside sender against the guard at its defaults: no PROTECTED_NAMES).
// A121-2: the organization's domain shown through raw 8-bit bytes of a legacy charset. A From (or Sender) in raw bytes
// cannot be tagged (WorkMail forbids changing it: round 44), and round 89 to 92 send such untaggable mail to Junk when
// it is shown as the organization's (an organization address, a look-alike domain, a display name showing one). The
// check read the bytes as Latin-1, so `ceo@сorp.example` written in windows-1251 (Cyrillic с, F1) read
// `ceo@ñorp.example`, which is no look-alike of corp.example (`norp`), and `ｃｏｒｐ.example` in Shift_JIS read as
// Latin-1 garbage: delivered untagged, while Thunderbird and Outlook show the bytes in the declared charset
// (attacker-round121-raw-names.test.ts has the names). Each was delivered (DEFAULT) before the fix; each control is
// delivered as before.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const FAILED: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' };

const latin1 = (s: string) => Buffer.from(s, 'latin1');
/** A message whose header lines are pieces (strings ASCII, Buffers raw bytes), its body declared in `charset`. */
function message(lines: (string | Buffer)[][], charset: string): Buffer {
  const head = [
    ...lines,
    ['To: bob@corp.example'],
    ['Subject: Payroll update'],
    ['Date: Sun, 29 Nov 2026 10:00:00 +0000'],
    ['Message-ID: <attacker@evil.example>'],
    ['MIME-Version: 1.0'],
    [`Content-Type: text/plain; charset=${charset}`],
  ];
  return Buffer.concat([
    ...head.map((pieces) =>
      Buffer.concat([...pieces.map((p) => (typeof p === 'string' ? latin1(p) : p)), latin1('\r\n')]),
    ),
    latin1('\r\nPlease update your bank details today.\r\n'),
  ]);
}
const verdict = async (m: Buffer) => (await kit.inbound(m)).verdict;
const CORP_CYRILLIC = '\u0441orp.example'; // сorp.example
const CORP_FULL = '\uff43\uff4f\uff52\uff50.example'; // ｃｏｒｐ.example

describe('A121-2: the organization shown through raw bytes of a legacy charset, untaggable', () => {
  const cases: [string, Buffer][] = [
    [
      'a From at сorp.example in windows-1251',
      message(
        [['From: Payroll <payroll@', iconv.encode(CORP_CYRILLIC, 'windows-1251'), '>']],
        'windows-1251',
      ),
    ],
    [
      'a From at сorp.example in KOI8-R, no display name',
      message([['From: payroll@', iconv.encode(CORP_CYRILLIC, 'koi8-r')]], 'koi8-r'),
    ],
    [
      'a From at ｃｏｒｐ.example in Shift_JIS',
      message([['From: payroll@', iconv.encode(CORP_FULL, 'shift_jis')]], 'shift_jis'),
    ],
    [
      'a display name showing payroll@сorp.example in windows-1251',
      message(
        [['From: "payroll@', iconv.encode(CORP_CYRILLIC, 'windows-1251'), '" <x@evil.example>']],
        'windows-1251',
      ),
    ],
    [
      'a display name led by the domain, сorp.example IT, in windows-1251',
      message(
        [['From: "', iconv.encode(`${CORP_CYRILLIC} IT`, 'windows-1251'), '" <x@evil.example>']],
        'windows-1251',
      ),
    ],
    [
      'a Sender at сorp.example in windows-1251, declared utf-8',
      message(
        [['From: billing@evil.example'], ['Sender: payroll@', iconv.encode(CORP_CYRILLIC, 'windows-1251')]],
        'utf-8',
      ),
    ],
  ];
  for (const [name, m] of cases)
    it(`junks ${name}`, async () => {
      expect(await verdict(m)).toBe('MOVE_TO_JUNK');
    });
  it('guard-ses holds a From at сorp.example in windows-1251', async () => {
    const m = cases[0]?.[1] as Buffer;
    expect((await sesGuard(m, FAILED, 'x@evil.example')).disposition).not.toBe('CONTINUE');
  });
});

describe('A121-2 controls: untaggable outside mail not shown as the organization, delivered as before', () => {
  const cases: [string, Buffer][] = [
    [
      'a Russian partner, name and domain raw in windows-1251',
      message(
        [
          [
            'From: "',
            iconv.encode('\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432', 'windows-1251'),
            '" <ivan@partner.example>',
          ],
        ],
        'windows-1251',
      ),
    ],
    [
      'a newsletter naming corp.example later in its raw Latin-1 name',
      message(
        [['From: "', latin1('Caf\xe9 News (for corp.example)'), '" <news@cafe.example>']],
        'iso-8859-1',
      ),
    ],
    [
      'a Japanese partner, name raw in Shift_JIS',
      message(
        [['From: "', iconv.encode('\u5c71\u7530\u592a\u90ce', 'shift_jis'), '" <taro@partner.example>']],
        'shift_jis',
      ),
    ],
    [
      'a Czech partner, name raw in windows-1250',
      message(
        [['From: "', iconv.encode('Ji\u0159\u00ed Nov\u00e1k', 'windows-1250'), '" <jiri@partner.example>']],
        'windows-1250',
      ),
    ],
  ];
  for (const [name, m] of cases)
    it(`delivers ${name}`, async () => {
      expect(await verdict(m)).toBe('DEFAULT');
    });
  it('guard-ses delivers the Russian partner', async () => {
    const m = cases[0]?.[1] as Buffer;
    expect((await sesGuard(m, FAILED, 'ivan@partner.example')).disposition).toBe('CONTINUE');
  });
});
