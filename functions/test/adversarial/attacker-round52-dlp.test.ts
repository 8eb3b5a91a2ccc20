import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const text = (body: string) =>
  mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'], body);
const bounces = (cases: Record<string, string>) => {
  for (const [how, body] of Object.entries(cases))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(text(body))).toBe('BOUNCE');
    });
};
const passes = (cases: Record<string, string>) => {
  for (const [how, body] of Object.entries(cases))
    it(`passes ${how}`, async () => {
      expect(await kit.outbound(text(body))).toBe('DEFAULT');
    });
};

// A52-1 (high, DLP): IBANs printed in their national layouts (Italy and San Marino: CIN, ABI, CAB, account;
// France: the RIB's bank, branch, account, key), where a group holding a letter is not four long. iban.ts ended a
// candidate at the separator after such a group, so the IBAN was never assembled.
describe('A52-1: IBANs in national layouts', () => {
  bounces({
    'an Italian IBAN as Italian invoices print it (IT 60 X 05428 11101 000000123456)':
      'Coordinate bancarie per il bonifico:\nIBAN: IT 60 X 05428 11101 000000123456\nGrazie',
    'an Italian IBAN with its CIN glued to the check digits (IT60X 05428 11101 000000123456)':
      'Please pay to IBAN IT60X 05428 11101 000000123456 by Friday.',
    'an Italian IBAN with the CIN apart (IT60 X 05428 11101 000000123456)':
      'Please pay to IBAN IT60 X 05428 11101 000000123456 by Friday.',
    'a San Marino IBAN in the same layout (SM86 U 03225 09800 000000270100)':
      'IBAN: SM86 U 03225 09800 000000270100 - thank you',
    'a French IBAN in RIB groups with a letter in the account (FR14 20041 01005 0500013M026 06)':
      'RIB : FR14 20041 01005 0500013M026 06 (Banque)',
    '(control) the Italian IBAN in fours': 'Please pay to IBAN IT60 X054 2811 1010 0000 0123 456 by Friday.',
    '(control) the Italian IBAN compact': 'Please pay to IBAN IT60X0542811101000000123456 by Friday.',
  });
  passes({
    '(control) prose, times, ordinals and postcodes after a country code and two digits':
      'See you at 10 a 2nd time on the 3rd floor, room 4b, at 10 10am or 3pm. It 60 x 2nd door.\n' +
      'Derby DE22 3AB\n01332 123456\n07700 900123 0800 123 4567\nno 12 a 4 b 6 c 8 d 0000 0000 0000',
    '(control) the Italian layout with one wrong check digit': 'IBAN: IT 61 X 05428 11101 000000123456',
  });
});

// A52-10 (high, DLP): a card or IBAN typed with a Japanese IME, whose minus key gives `ー` (U+30FC, a letter) with
// full-width digits. canon.ts read it as a word character, so no group stood alone as a number.
describe('A52-10: a Japanese IME long-vowel mark as the dash', () => {
  bounces({
    'full-width digits joined by ー (U+30FC), as the IME types them':
      'お客様のカード番号：４１１１ー１１１１ー１１１１ー１１１１ です。',
    'ASCII digits joined by ー': 'カード番号: 4111ー1111ー1111ー1111',
    'half-width ｰ (U+FF70)': 'ｶｰﾄﾞ番号: 4111ｰ1111ｰ1111ｰ1111',
    'an IBAN joined by ー': '振込先 IBAN：DE89ー3704ー0044ー0532ー0130ー00',
    '(control) full-width digits joined by the full-width hyphen-minus －':
      'カード番号：４１１１－１１１１－１１１１－１１１１',
  });
  passes({
    '(control) katakana words with ー and numbers beside them':
      'コーヒー 4111本、ケーキ 1111個、セール 1111円、データ 1111件。ｺｰﾋｰ ４１１１ー',
  });
});

// A52-11 (medium, DLP, deliberate evasion): other characters drawn as a dash that are not dash punctuation,
// each read as a symbol (`!`) or a letter (`_`) between the groups.
describe('A52-11: other dash look-alikes that are not dash punctuation', () => {
  bounces({
    'box-drawing horizontal U+2500': 'カード番号: 4111─1111─1111─1111',
    'modifier letter minus U+02D7': 'card 4111˗1111˗1111˗1111',
    'heavy minus sign U+2796': 'card 4111➖1111➖1111➖1111',
    'full-width tilde U+FF5E': 'カード ４１１１～１１１１～１１１１～１１１１',
    'ASCII tilde, which NFKC makes of U+FF5E': 'card 4111~1111~1111~1111',
    'heavy box-drawing horizontal U+2501': 'card 4111━1111━1111━1111',
  });
});
