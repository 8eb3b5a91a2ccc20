import { describe } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { bounces, card, iban, outgoing, passes } from './dlp-text-cases.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);

// A54-3 (medium, DLP, deliberate evasion): the round-52/53 dash look-alikes (canon.ts DASH_LOOKALIKE, the stroke
// numerals) counted as a dash only right between two digits. With a space on each side, as people write a dash
// (`4111 ー 1111 ー …`), the look-alike was left a letter or symbol and the groups were never joined, though a true
// dash with spaces (`4111 – 1111 – …`) was read. A reader sees the same number.
describe('A54-3: a dash look-alike with spaces around it', () => {
  bounces(kit, {
    'card joined by " ー " (U+30FC)': outgoing(card(' \u30fc ')),
    'card joined by " ─ " (U+2500, box line)': outgoing(card(' \u2500 ')),
    'card joined by " ━ " (U+2501)': outgoing(card(' \u2501 ')),
    'card joined by " ㅡ " (U+3161, Hangul EU)': outgoing(card(' \u3161 ')),
    'card joined by " 一 " (U+4E00)': outgoing(card(' \u4e00 ')),
    'card joined by " ⎯ " (U+23AF)': outgoing(card(' \u23af ')),
    'card joined by ideographic spaces around ー': outgoing(card('\u3000\u30fc\u3000')),
    'card in full-width digits joined by " ー "': outgoing(
      'カード番号：４１１１ ー １１１１ ー １１１１ ー １１１１',
    ),
    'IBAN joined by " ー "': outgoing(iban(' \u30fc ')),
    'IBAN joined by " 一 "': outgoing(iban(' \u4e00 ')),
    '(control) card joined by " – " (en dash with spaces)': outgoing(card(' \u2013 ')),
    '(control) card joined by "ー" (no spaces, round 52)': outgoing(card('\u30fc')),
  });
  passes(kit, {
    '(control) katakana words, numbers and box lines that are no cards': outgoing(
      'コーヒー 2 杯とケーキ 1 個 ー 合計 4111 円。ラーメン 1111 ー 1111 ー チャーハン 1111 ー 1111 杯。\r\n' +
        '4111 ー ー 1111 ー ー 1111 ー ー 1111\r\n4111 ─── 1111 ─── 1111 ─── 1111\r\n第 1 一 2 页',
    ),
  });
});

// A54-4 (low-medium, DLP, deliberate evasion): more single-stroke look-alikes not in the list: the Bopomofo letter
// I ㄧ (U+3127, drawn and listed in newer UTS #39 confusables as the stroke 一, typed by Taiwanese Zhuyin users),
// the monogram for yang ⚊ (U+268A), the double box line ═ (U+2550), the lower blocks ▂ ▃ ▄.
describe('A54-4: single-stroke look-alikes not yet listed', () => {
  bounces(kit, {
    'card joined by ㄧ (U+3127, Bopomofo I)': outgoing(card('\u3127')),
    'card joined by ⚊ (U+268A)': outgoing(card('\u268a')),
    'card joined by ═ (U+2550)': outgoing(card('\u2550')),
    'card joined by ▂ (U+2582)': outgoing(card('\u2582')),
    'card joined by ▄ (U+2584)': outgoing(card('\u2584')),
    'card joined by ∸ (U+2238, drawn as - in confusables 10.0)': outgoing(card('\u2238')),
    'card joined by " ═ "': outgoing(card(' \u2550 ')),
    'IBAN joined by ㄧ (U+3127)': outgoing(iban('\u3127')),
  });
  passes(kit, {
    '(control) Zhuyin and box tables beside numbers': outgoing(
      'ㄧ ㄨ ㄩ 注音 1 ㄧ 2 號\r\n╔══════╦══════╗\r\n║ 4111 ║ 1111 ║\r\n╠══════╬══════╣\r\n║ 1111 ║ 1111 ║\r\n╚══════╩══════╝',
    ),
  });
});
