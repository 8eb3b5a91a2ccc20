import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 29 (session 29), on outbound-policy's DLP: a card in a header word of a charset the reader
// does not decode (EBCDIC), in digits no detector counted (➃➀, ❹❶, Suzhou 〤〡, 四一), or in a text format read
// otherwise than its clients show it (flowed with delsp=yes, enriched `<param>`, an .ics X-ALT-DESC page, a
// vCard value in the charset it names). Each case went out (DEFAULT) before the fix and bounces after it.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
// `4111 1111 1111 1111` in EBCDIC (code page 37: digits F0–F9, space 40), as Q and as RFC 2231 bytes.
const EBCDIC = '4111 1111 1111 1111'.replace(/./g, (c) => (c === ' ' ? '=40' : `=F${c}`));
const EBCDIC_2231 = EBCDIC.replace(/=/g, '%');
const text = (body: string, head: readonly string[] = []) =>
  mail([FROM, ...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'], body);
const attached = (type: string, name: string, content: Buffer | string) =>
  mail(
    [FROM, MIXED],
    withPart(
      `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(content).toString('base64')}`,
    ),
  );
const spell = (first: number) =>
  ['4111', '1111', '1111', '1111']
    .map((g) => [...g].map((d) => String.fromCodePoint(first + Number(d) - 1)).join(''))
    .join(' ');

describe('attacker round 29: a header word or file name in a charset that is not decoded (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'a Subject in ibm037': mail([FROM, `Subject: =?ibm037?Q?${EBCDIC}?=`], 'hello\r\n'),
    'a From display name in ibm037': mail(
      [`From: =?ibm037?Q?${EBCDIC}?= <bob@corp.example>`, 'Content-Type: text/plain'],
      'hello\r\n',
    ),
    'a Cc display name in ibm037': mail(
      [FROM, `Cc: =?ibm037?Q?${EBCDIC}?= <carl@outside.example>`],
      'hello\r\n',
    ),
    'an RFC 2231 file name in ibm037': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=ibm037''${EBCDIC_2231}\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA`,
      ),
    ),
    'an encoded-word file name in ibm037, in an attached message': mail(
      [FROM, MIXED],
      withPart(
        `Content-Type: message/rfc822\r\n\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary="c"\r\n\r\n--c\r\nContent-Type: application/octet-stream; name="=?ibm037?Q?${EBCDIC}?="\r\n\r\nAAAA\r\n--c--\r\n`,
      ),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('still sends header words in a charset it decodes, and an unknown label on plain ASCII (controls)', async () => {
    expect(await kit.outbound(mail([FROM, 'Subject: =?iso-8859-1?Q?Caf=E9_menu?='], 'hello\r\n'))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(mail([FROM, 'Subject: =?x-unknown?Q?weekly_plan?='], 'hello\r\n'))).toBe(
      'DEFAULT',
    );
  });

  // Round 30's false positives: Python writes raw 8-bit header bytes as `unknown-8bit`; Java names Korean and Thai
  // Windows pages `x-windows-949`, `x-windows-874`. Their digits are ASCII bytes: read through Latin-1.
  it('sends a reply whose Subject is unknown-8bit or a label not known here, and finds a card written in one', async () => {
    for (const label of ['unknown-8bit', 'x-windows-949', 'x-user-defined'])
      expect(
        await kit.outbound(
          mail([FROM, `Subject: =?${label}?q?Re:_R=E9union_budget_d=E9cembre?=`], 'hello\r\n'),
        ),
        label,
      ).toBe('DEFAULT');
    expect(
      await kit.outbound(mail([FROM, 'Subject: =?unknown-8bit?q?R=E9f_4111_1111_1111_1111?='], 'hello\r\n')),
    ).toBe('BOUNCE');
  });
});

describe('attacker round 29: a card in enclosed digits or numerals (outbound-policy)', () => {
  const CASES: Record<string, Buffer> = {
    'dingbat circled digits ➃➀➀➀': text(`Card: ${spell(0x2780)}\r\n`),
    'negative circled digits ❹❶❶❶': text(`Card: ${spell(0x2776)}\r\n`),
    'double circled digits ⓸⓵⓵⓵': text(`Card: ${spell(0x24f5)}\r\n`),
    'parenthesized digits ⑷⑴⑴⑴': text(`Card: ${spell(0x2474)}\r\n`),
    'digits with a full stop ⒋⒈⒈⒈': text(`Card: ${spell(0x2488)}\r\n`),
    'Suzhou numerals 〤〡〡〡': text(`Card: ${spell(0x3021)}\r\n`),
    'Ethiopic digits ፬፩፩፩': text(`Card: ${spell(0x1369)}\r\n`),
    'Chinese numerals 四一一一': text('卡号：四一一一 一一一一 一一一一 一一一一\r\n'),
    'dingbat digits in an HTML body': mail(
      [FROM, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
      `<p>${spell(0x2780)}</p>`,
    ),
    'dingbat digits in the Subject': mail(
      [FROM, `Subject: =?utf-8?B?${Buffer.from(spell(0x2780)).toString('base64')}?=`],
      'hello\r\n',
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('still sends Chinese and Japanese prose with numerals, and a numbered list (controls)', async () => {
    const prose =
      '我们一个一个地检查了三四遍，第一、第二和第三项都没有问题。二〇二四年十二月一日。\r\n' +
      '東京都千代田区一丁目二番三号。〇〇様、一一〇番。\r\n➀ ship ➁ test ➂ release ❶ ❷ ❸\r\n';
    expect(await kit.outbound(text(prose.repeat(20)))).toBe('DEFAULT');
  });
});

describe('attacker round 29: a card in a plain-text format read otherwise than it is shown (outbound-policy)', () => {
  // Shift_JIS full-width digits: ４ is 82 53, １ 82 50, a space 20.
  const sjis = Buffer.from(
    '4111 1111 1111 1111'.replace(/./g, (c) => (c === ' ' ? '20' : `82${(0x4f + Number(c)).toString(16)}`)),
    'hex',
  );
  const qp = [...sjis].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const vcard = (note: Buffer | string) =>
    Buffer.concat([
      Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tanaka;Taro\r\nFN:Taro Tanaka\r\n'),
      Buffer.from(note),
      Buffer.from('\r\nEND:VCARD\r\n'),
    ]);
  const CASES: Record<string, Buffer> = {
    'format=flowed, delsp=yes, the card split in uneven soft-broken pieces': mail(
      [FROM, 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes'],
      'Card number: 41 \r\n11 \r\n11 \r\n11 \r\n1 \r\n111 \r\n11 \r\n1 \r\n1\r\nthanks\r\n',
    ),
    'text/enriched with a <param> letter between groups': mail(
      [FROM, 'Content-Type: text/enriched'],
      '4111 1111<bold><param>x</param></bold> 1111 1111\r\n',
    ),
    'text/enriched with <param> texts between colours': mail(
      [FROM, 'Content-Type: text/enriched'],
      '<color><param>red</param>4111 1111</color><color><param>x</param> 1111 1111</color>\r\n',
    ),
    'an .ics whose X-ALT-DESC page spells the card in character references': attached(
      'text/calendar',
      'booking.ics',
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'SUMMARY:Booking',
        'DESCRIPTION:see details',
        `X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Card ${[...'4111 1111 1111 1111'].map((c) => (c === ' ' ? ' ' : `&#${c.charCodeAt(0)};`)).join('')}</p></body></html>`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    ),
    'a vCard 2.1 note in Shift_JIS, quoted-printable': attached(
      'text/x-vcard',
      'taro.vcf',
      vcard(`NOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:${qp}`),
    ),
    'a vCard note written in base64 (ENCODING=b, round 30)': attached(
      'text/x-vcard',
      'taro.vcf',
      vcard(`NOTE;ENCODING=b:${Buffer.from('Card 4111 1111 1111 1111').toString('base64')}`),
    ),
    'a vCard 2.1 note in Shift_JIS, as raw bytes': attached(
      'text/x-vcard',
      'taro.vcf',
      vcard(Buffer.concat([Buffer.from('NOTE;CHARSET=SHIFT_JIS:'), sjis])),
    ),
    'a vCard note in a charset that is not decoded (ibm037)': attached(
      'text/x-vcard',
      'taro.vcf',
      vcard(`NOTE;CHARSET=IBM037;ENCODING=QUOTED-PRINTABLE:${EBCDIC}`),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('still sends flowed and enriched text, a calendar page and a Latin-1 vCard without a number (controls)', async () => {
    expect(
      await kit.outbound(
        mail(
          [FROM, 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes'],
          'Meet at 10 \r\nin room 4, \r\nfloor 2.\r\nCall 020 \r\n7946 0958.\r\n',
        ),
      ),
    ).toBe('DEFAULT');
    expect(
      await kit.outbound(
        mail(
          [FROM, 'Content-Type: text/enriched'],
          '<color><param>red</param>Room 4</color> at <bold>10</bold>\r\n',
        ),
      ),
    ).toBe('DEFAULT');
    expect(
      await kit.outbound(
        attached(
          'text/calendar',
          'booking.ics',
          'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Booking\r\nX-ALT-DESC;FMTTYPE=text/html:<p>Room &#52;\\, floor 2</p>\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
        ),
      ),
    ).toBe('DEFAULT');
    expect(
      await kit.outbound(
        attached(
          'text/x-vcard',
          'rene.vcf',
          vcard(Buffer.from('NOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9 M=FCller, room 4')),
        ),
      ),
    ).toBe('DEFAULT');
  });
});
