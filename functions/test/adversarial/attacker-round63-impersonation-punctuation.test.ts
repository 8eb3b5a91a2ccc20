import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-4 (medium, impersonation): a protected name glued to its title, or its words joined, by a
// letter drawn as punctuation or as a blank. Unicode has letters whose only look is a dot, an apostrophe or a question mark: the
// Latin sinological dot `ꞏ` and the Canadian syllabics final middle dot `ᐧ` (drawn as `·`), N'Ko's tone apostrophes
// `ߴ ߵ`, the glottal stop `ʔ` (drawn as `?`), the Armenian half ring `ՙ`, the Cyrillic payerok `ꙿ`. Outlook and
// Gmail show `JaneꞏDoe` as Jane·Doe and `Jane DoeꞏCEO` as Jane Doe·CEO (the style of round 60's `Jane Doe|CEO`),
// `ߴJane Doeߵ` as the name in quotes; the name check took them for letters of the words (`janeꞏdoe`, `doeꞏceo`), so
// the message was delivered. So was a name glued to its title by a Hangul filler, which clients draw as a blank
// (`Jane Doe\u3164CEO` shows Jane Doe CEO; round 60 read the filler as nothing, `doeceo`), by Korean `ㆍ` (typed as a
// middle dot), `ㅡ`, the katakana long vowel mark or the Arabic tatweel (drawn as a dash), or followed by an honorific
// (`Jane Doe様`). A name is now also read with every letter whose prototype in Unicode's confusables is punctuation
// or symbols only (generated, confusable-letters.ts PUNCTUATION_LETTERS; the half ring and payerok by hand), every
// modifier letter and every Han, Hangul, kana, Bopomofo or Mongolian letter no table reads as Latin as a separator,
// beside the reading round 60 added for `|`, `+`, `@` and `$`. Each attack was delivered (DEFAULT) before the fix;
// each control is delivered as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (from: string, head: readonly string[] = []) =>
  (
    await kit.inbound(
      mail([`From: ${from}`, ...head, 'Content-Type: text/plain'], 'Please pay the attached invoice today.'),
      { PROTECTED_NAMES: 'Jane Doe' },
    )
  ).verdict;

describe('A63-4: a protected name joined by a letter drawn as punctuation', () => {
  const junked: Record<string, string> = {
    'words joined by a sinological dot': 'JaneꞏDoe',
    'a title after a sinological dot': 'Jane DoeꞏCEO',
    'words joined by a syllabics middle dot': 'JaneᐧDoe',
    'a company after a syllabics middle dot': 'Jane DoeᐧAcme',
    "N'Ko tone apostrophes as quotes": 'ߴJane Doeߵ',
    'a glottal stop as a question mark': 'Jane Doeʔ',
    'an Armenian half ring as an opening quote': 'ՙJane Doe',
    'a payerok after the name': 'Jane Doeꙿ',
    'a title after a Hangul filler, drawn blank': 'Jane Doe\u3164CEO',
    'a title after a half-width Hangul filler': 'Jane Doe\uffa0CEO',
    'a title after a Hangul araea, drawn as a dot': 'Jane DoeㆍCEO',
    'words joined by a Hangul eu, drawn as a dash': 'JaneㅡDoe',
    'a title after a katakana long vowel mark': 'Jane DoeーCEO',
    'a title after an Arabic tatweel': 'Jane DoeـCEO',
    'a Japanese honorific': 'Jane Doe様',
  };
  for (const [how, name] of Object.entries(junked))
    it(`junks ${JSON.stringify(name)} (${how})`, async () => {
      expect(await verdict(`${encoded(name)} <x@evil.example>`)).toBe('MOVE_TO_JUNK');
    });
  it('junks a Reply-To naming her so', async () => {
    const v = await verdict('Billing <billing@vendor.example>', [
      `Reply-To: ${encoded('Jane DoeꞏCEO')} <ceo@evil.example>`,
    ]);
    expect(v).toBe('MOVE_TO_JUNK');
  });
  const delivered: Record<string, string> = {
    'another person with a title': 'Jane RoeꞏCEO',
    'a longer surname': 'JaneꞏDoeson',
    'a Hawaiian name with an ʻokina': 'Kaʻiulani Doe',
    'a Salish name with glottal stops': 'ʔaʔaʔ Doe',
    'another person with an honorific': 'Jane Roe様',
    'a Korean name with a dot': '김ㆍ제인',
    'a Japanese name in katakana': 'ジェーン・ドゥ',
    'a longer name glued to a filler': 'Janet\u3164Doeson',
  };
  for (const [how, name] of Object.entries(delivered))
    it(`(control) delivers ${JSON.stringify(name)} (${how})`, async () => {
      expect(await verdict(`${encoded(name)} <x@partner.example>`)).toBe('DEFAULT');
    });
});
