import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 66, impersonation.
// A66-1: a protected name glued to a title in the same case, where no change of case shows the join: `Jane Doeceo`,
// `JANE DOECFO`, `Drjane doe`, `janedoeceo`, `ceojanedoe`. A reader sees Jane Doe with her title; the name check saw
// the words `doeceo`, `drjane`. A name is now also read with one known title (honorifics and roles before, roles and
// degrees after: titles.ts) taken off each word; an ordinary name that merely holds a protected one is not.
// A66-2: letters of other scripts drawn as punctuation between or around the name's words, not yet read as such:
// Tifinagh letters drawn as dots (`ⴾ` ⁖, `ⵂ` ⁝, `ⵆ` ⁘, `ⵗ` a colon, `ⵘ` ∵), a plus (`ⵜ`) or a bar (`ⵏ`, `ⵊ`),
// Lisu's tone letter drawn as a semicolon (`ꓼ`), and the bar-shaped letters of other scripts (`ǀ`, `ו`, `ا`, `ߊ`,
// `ᛁ`, Lisu `ꓲ`), which the tables read as an `l` only (`doelceo`). Each attack was delivered (DEFAULT) before the
// fix; each control is delivered as before.
// A66-5: a character split across two adjacent encoded words of one charset but different encodings
// (`=?utf-8?Q?J=D0?= =?utf-8?B?sG5lIERvZQ==?=`): Thunderbird joins the words' bytes before decoding them and shows
// Jаne Doe (a Cyrillic а); libmime joins only words of one encoding, so the name check read `J\uFFFD\uFFFDne Doe`.
// Adjacent encoded words of one charset are now also read with their bytes joined (joined-words.ts).
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (name: string) =>
  (
    await kit.inbound(
      mail(
        [`From: ${encoded(name)} <x@evil.example>`, 'Content-Type: text/plain'],
        'Please pay the attached invoice today.',
      ),
      { PROTECTED_NAMES: 'Jane Doe' },
    )
  ).verdict;

const junks = (names: readonly string[]) => {
  for (const name of names)
    it(`junks ${JSON.stringify(name)}`, async () => {
      expect(await verdict(name)).toBe('MOVE_TO_JUNK');
    });
};
const delivers = (names: readonly string[]) => {
  for (const name of names)
    it(`(control) delivers ${JSON.stringify(name)}`, async () => {
      expect(await verdict(name)).toBe('DEFAULT');
    });
};

describe('A66-1: a protected name glued to a title in the same case', () => {
  junks([
    'Jane Doeceo',
    'jane doeceo',
    'JANE DOECFO',
    'Drjane doe',
    'Mrsjane doe',
    'janedoeceo',
    'ceojanedoe',
  ]);
  delivers([
    'Janet Doerr',
    'Jane Doerr',
    'Jane Roeceo',
    'Janet Doeceo',
    'Adams Doe',
    'Jane Does',
    'Janeen Doe',
    'Drew Doe',
  ]);
});

describe('A66-2: letters of other scripts drawn as punctuation around the name', () => {
  junks([
    'Jane Doe\u2d3eCEO',
    'Jane Doe\u2d42CEO',
    'Jane Doe\u2d46CEO',
    'Jane Doe\u2d57CEO',
    'Jane Doe\u2d58CEO',
    'Jane\u2d57Doe',
    '\u2d42Jane Doe\u2d42',
    'Jane Doe\u2d5cCo',
    'Jane Doe\u2d4fCEO',
    'Jane Doe\u2d4aCEO',
    'Jane Doe\ua4fcCEO',
    'Jane Doe\ua4f2CEO',
    'Jane Doe\u01c0CEO',
    'Jane Doe\u05d5CEO',
    'Jane Doe\u0627CEO',
    'Jane Doe\u07caCEO',
    'Jane Doe\u16c1CEO',
  ]);
  delivers(['Jane\u2d57Roe', 'Jane Roe\u2d4fCEO', 'ⵣⵉⵔⵉ ⵏⴰⵢⵜ', 'Janet\u2d42Doeson']);
});

describe('A66-5: a character split across a Q and a B encoded word', () => {
  const from = async (value: string) =>
    (
      await kit.inbound(mail([`From: ${value}`, 'Content-Type: text/plain'], 'Please pay today.'), {
        PROTECTED_NAMES: 'Jane Doe',
      })
    ).verdict;
  it('junks =?utf-8?Q?J=D0?= =?utf-8?B?sG5lIERvZQ==?= (Jаne Doe, the а split)', async () => {
    expect(await from('=?utf-8?Q?J=D0?= =?utf-8?B?sG5lIERvZQ==?= <x@evil.example>')).toBe('MOVE_TO_JUNK');
  });
  it('junks the split across a folded line, in a Reply-To', async () => {
    const value =
      'Billing <b@vendor.example>\r\nReply-To: =?UTF-8?B?StA=?=\r\n =?utf-8?q?=B0ne_Doe?= <x@evil.example>';
    expect(await from(value)).toBe('MOVE_TO_JUNK');
  });
  it('(control) delivers split words of another name, and words of two charsets', async () => {
    expect(await from('=?utf-8?Q?J=D0?= =?utf-8?B?sG5lIFJvZQ==?= <x@evil.example>')).toBe('DEFAULT');
    expect(await from('=?iso-8859-1?Q?Jane?= =?utf-8?Q?_R=C3=B6e?= <x@evil.example>')).toBe('DEFAULT');
  });
});
