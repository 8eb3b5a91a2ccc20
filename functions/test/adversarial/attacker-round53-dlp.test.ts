import { describe } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { bounces, card, outgoing, passes } from './dlp-text-cases.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);

// A53-6 (medium, DLP, deliberate evasion): characters drawn as a dash between digit groups that canon.ts did not
// read as one. The ideograph 一 (U+4E00, "one"), drawn as the long vowel mark ー, was read only as the numeral 1,
// so `4111一1111一1111一1111` made 19 digits that fail the card check. The superscript and subscript minus (NFKC
// makes them the minus sign) were read as symbols; ᐨ (U+1428) and ⲻ (U+2CBB), drawn as `-` in Unicode's
// confusables, as letters.
describe('A53-6: dash look-alikes still missed', () => {
  bounces(kit, {
    'card joined by 一 (U+4E00, drawn as ー)': outgoing(card('\u4e00')),
    'card in full-width digits joined by 一': outgoing('カード番号：４１１１一１１１１一１１１１一１１１１'),
    'card joined by the Kangxi radical ⼀ (U+2F00)': outgoing(card('\u2f00')),
    'card joined by the superscript minus ⁻ (U+207B)': outgoing(card('\u207b')),
    'card joined by the subscript minus ₋ (U+208B)': outgoing(card('\u208b')),
    'card joined by ᐨ (U+1428)': outgoing(card('\u1428')),
    'card joined by ⲻ (U+2CBB)': outgoing(card('\u2cbb')),
    'card joined by the Arabic tatweel ـ (U+0640)': outgoing(card('\u0640')),
    'card joined by the Roman uncia sign 𐆑 (U+10191)': outgoing(card('\u{10191}')),
    'IBAN joined by 一': outgoing('振込先 IBAN：DE89一3704一0044一0532一0130一00'),
    '(control) card spelled with 一 as its digit 1': outgoing('Card: 4一11 1111 1111 1111'),
    '(control) card joined by ー (U+30FC, fixed in round 52)': outgoing(card('\u30fc')),
    '(control) card joined by the minus sign − (U+2212)': outgoing(card('\u2212')),
    '(control) card joined by the hyphen bullet ⁃ (U+2043)': outgoing(card('\u2043')),
  });
  passes(kit, {
    '(control) Chinese numerals, exponents and look-alikes beside numbers that are no cards': outgoing(
      '电子电荷为1.6×10⁻¹⁹库仑。第1一2页。一九四九年十月一日。四一一一 一一一一 号。Cl⁻ 35, 2024ـ12ـ01.',
    ),
  });
});

// A53-7 (low, DLP): iban.ts isStart took the check digits right after the country code or after exactly one
// space, so `DE-89-3704-…` (every group dashed, as some people type it) and `DE.89.…` never started a candidate.
describe('A53-7: a separator after the IBAN country code', () => {
  bounces(kit, {
    'IBAN dashed after the country code': outgoing('IBAN: DE-89-3704-0044-0532-0130-00'),
    'IBAN with dots after the country code': outgoing('IBAN: DE.89.3704.0044.0532.0130.00'),
    'IBAN with a spaced dash after the country code': outgoing('IBAN: DE - 89 3704 0044 0532 0130 00'),
    '(control) IBAN with one space after the country code': outgoing('IBAN: DE 89 3704 0044 0532 0130 00'),
    '(control) IBAN in HTML table cells': outgoing(
      `<table><tr>${['DE89', '3704', '0044', '0532', '0130', '00'].map((g) => `<td>${g}</td>`).join('')}</tr></table>`,
      'text/html',
    ),
    '(control) IBAN wrapped in a quoted reply': outgoing(
      'Thanks, see below.\r\n\r\n> Please pay the invoice to our account, IBAN: DE89 3704 0044\r\n> 0532 0130 00, by Friday.',
    ),
    '(control) card wrapped in a quoted reply': outgoing(
      'OK\r\n\r\n>> Please charge my card 4111 1111\r\n>> 1111 1111 for the order.',
    ),
  });
  passes(kit, {
    '(control) the dashed IBAN with a wrong check digit': outgoing('IBAN: DE-88-3704-0044-0532-0130-00'),
    '(control) dashed and dotted codes in prose': outgoing(
      'Ref DE-12-3704 0044, room GB.22 floor 3, It-60 x 2nd, FR.14 2004 1010, DE - 22 3AB.',
    ),
  });
});
