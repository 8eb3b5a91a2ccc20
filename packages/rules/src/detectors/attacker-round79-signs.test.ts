import { describe, expect, it } from 'vitest';
import { findCardNumbers } from './card.js';
import { findIbans } from './iban.js';
import { sourceTexts } from './source-texts.js';

// Attacker round 79: a card's groups joined by any sign the earlier rounds had not listed (`&`, `@`, `!`, `?`, `^`,
// Markdown's inline code, an emoji, a multiplication sign) were not read as a card; a reader reads each as the
// number. Every sign but commas, semicolons, currency signs and `%` now joins groups, in a card's own layout only.
const CARD = '4111111111111111';

describe('card groups joined by other signs', () => {
  it('finds four groups of four so joined', () => {
    for (const text of [
      'card 4111&1111&1111&1111',
      'card 4111 & 1111 & 1111 & 1111',
      'card 4111@1111@1111@1111',
      'card 4111!1111!1111!1111',
      'card 4111?1111?1111?1111',
      'card 4111^1111^1111^1111',
      'card `4111` `1111` `1111` `1111`',
      'card 4111 💳 1111 💳 1111 💳 1111',
      'card 4111 ❤️ 1111 ❤️ 1111 ❤️ 1111',
      'card 4111×1111×1111×1111',
      'card 4111 ★ 1111 ★ 1111 ★ 1111',
      'card 4111§1111§1111§1111',
      'card 4111¿1111¿1111¿1111',
    ])
      expect(findCardNumbers(text), text).toEqual([CARD]);
    expect(findCardNumbers('amex 3400 & 000000 & 00009')).toEqual(['340000000000009']);
  });
  it('finds an IBAN so joined', () => {
    expect(findIbans('GB82&WEST&1234&5698&7654&32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('DE89 🏦 3704 🏦 0044 🏦 0532 🏦 0130 🏦 00')).toEqual(['DE89370400440532013000']);
  });

  describe('controls', () => {
    it('finds no card in lists, amounts, addresses or tables that are not a card layout', () => {
      for (const text of [
        'Q&A on 2025 & 2026',
        'orders@4111.example, ref 1111!',
        'Prices: $4111 $1111 $1111 $1111',
        'Growth 4111% 1111% 1111% 1111%',
        '4111, 1111, 1111, 1111',
        '4111; 1111; 1111; 1111',
        '4111، 1111، 1111، 1111',
        '4001 & 4002 & 4003 & 4004 & 4005 & 4006',
        'Rooms 4111 ★ 4112 ★ 4113',
        'size 1920×1080, 3840×2160',
      ])
        expect(findCardNumbers(text), text).toEqual([]);
    });
  });
});

describe('sourceTexts: what only a page source shows', () => {
  it('answers comments and data-/aria- values that hold a digit', () => {
    expect(
      sourceTexts(
        '<p data-pan="4111 1111" aria-label=\'1111 1111\' data-x=no>x</p><!-- note 5500 --><!-- none --><!-- open 0004',
      ),
    ).toEqual([' note 5500 ', ' open 0004', '4111 1111', '1111 1111']);
    expect(sourceTexts('<p title="4111">x</p>')).toEqual([]);
  });
  // Its growth on a page four times as large is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('reads a hostile page of unclosed comments and attributes to its end', () => {
    const page = '<!--'.repeat(200_000) + ' data-a="'.repeat(100_000);
    expect(sourceTexts(page)).toEqual([]);
  });
});
