import { describe, expect, it } from 'vitest';
import { htmlShownTexts } from './html-shown.js';
import { mayShowCardAcross } from './upright-blocks.js';

// False-positive round 12: a vertical block is undecided only where a card could be read across its rows (12 digits
// or more among it, the blocks beside it and the digits written next to them).
const UNDECIDED = 'digits drawn upright in a vertical writing mode (its rows are not laid out)';
const at = (page: string, text: string) => {
  const start = page.indexOf(text);
  return { start, end: start + text.length, upright: true };
};

describe('mayShowCardAcross', () => {
  it('a date is not a card', () => {
    const page = '令和６年１２月吉日';
    expect(mayShowCardAcross(page, [at(page, page)])).toBe(false);
  });
  it('counts the digits written next to a block, up to a letter', () => {
    const page = 'card 4539 1488 0343 4766';
    expect(mayShowCardAcross(page, [at(page, '4766')])).toBe(true);
    const apart = 'card 4539 1488 0343 x 4766';
    expect(mayShowCardAcross(apart, [at(apart, '4766')])).toBe(false);
  });
  it('takes blocks apart only by white space or punctuation together', () => {
    const page = '4106   5434 - 3846 9837';
    const blocks = ['4106', '5434', '3846', '9837'].map((c) => at(page, c));
    expect(mayShowCardAcross(page, blocks)).toBe(true);
    const lettered = '4106 ka 5434 ka 3846 ka 9837';
    expect(
      mayShowCardAcross(
        lettered,
        ['4106', '5434', '3846', '9837'].map((c) => at(lettered, c)),
      ),
    ).toBe(false);
  });
  it('a block drawing no digit upright is read as written', () => {
    const page = '4539 1488 0343 6467';
    expect(mayShowCardAcross(page, [{ ...at(page, page), upright: false }])).toBe(false);
  });
});

describe('htmlShownTexts: vertical blocks', () => {
  it('a vertical greeting with a date is decided', () => {
    const page = '<div style="writing-mode: vertical-rl">令和６年１２月吉日<br>株式会社サンプル</div>';
    expect(htmlShownTexts(page).undecided).toBeUndefined();
  });
  it('sixteen upright digits in columns stay undecided', () => {
    const page =
      '<div style="writing-mode: vertical-rl; text-orientation: upright">9837<br>3846<br>5434<br>4106</div>';
    expect(htmlShownTexts(page).undecided).toBe(UNDECIDED);
  });
});

describe('htmlShownTexts: text a stylesheet writes in a vertical block', () => {
  it('counts with the block: sixteen upright digits written by ::before stay undecided', () => {
    const page =
      '<style>.v::before { content: "9837 3846 5434 4106" }</style><div class="v" style="writing-mode: vertical-rl; text-orientation: upright"></div>';
    expect(htmlShownTexts(page).undecided).toBe(UNDECIDED);
  });
  it('a numbered list in a vertical page is decided (its markers drawn sideways)', () => {
    const page = '<ol style="writing-mode: vertical-rl"><li>お知らせ</li><li>ご案内</li></ol>';
    expect(htmlShownTexts(page).undecided).toBeUndefined();
  });
});

describe('mayShowCardAcross: blocks of one digit', () => {
  it('a block holding one digit reorders nothing, whatever is written around it', () => {
    const page = '第１四半期 1,204.50 998.00 1,320.75 第２四半期 877.25 912.40';
    const blocks = ['第１四半期', '第２四半期'].map((c) => at(page, c));
    expect(mayShowCardAcross(page, blocks)).toBe(false);
    const two = '第１２期 1,204.50 998.00 1,320.75';
    expect(mayShowCardAcross(two, [at(two, '第１２期')])).toBe(true);
  });
});
