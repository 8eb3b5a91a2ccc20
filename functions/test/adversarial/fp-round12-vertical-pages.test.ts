import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 12 (attacker round 111 made outbound-policy's DLP refuse, as undecided, every page drawing a
// digit upright in a vertical writing mode): Japanese and Chinese mail laid out vertically writes its dates, prices
// and numbers in full-width digits (drawn upright) or combined upright (`text-combine-upright`). A card read across
// the rows of columns needs at least 12 digits (the shortest card any network issues) among the columns and the
// digits written next to them; a vertical block holding fewer cannot show one, and is read as written. Blocks with
// more stay undecided (the held cost below).
const kit = attackerKit(useLocalStack());
const VRL = 'writing-mode: vertical-rl';
const UPRIGHT = 'text-orientation: upright';
const tcy = (digits: string) => `<span style="text-combine-upright: all">${digits}</span>`;

describe('FP12-1: vertical pages with a few numbers (sent)', () => {
  const pages: Record<string, string> = {
    'a year-end greeting dated in full-width digits': `<div style="${VRL}">年末のご挨拶<br>本年も大変お世話になりました。<br>令和６年１２月吉日<br>株式会社サンプル</div>`,
    'a date with the month and day combined upright': `<p style="${VRL}">${tcy('12')}月${tcy('24')}日（火）より冬季休業となります。</p>`,
    'a vertical menu of two prices': `<div style="${VRL}; ${UPRIGHT}">ラーメン　850円<br>餃子　400円</div>`,
    'a Chinese letter dated with 〇 and a chapter number': `<div style="writing-mode: tb-rl">二〇二四年冬<br>第３章　新年快乐</div>`,
    'a table of quarterly figures whose row headers are vertical, one upright digit each': `<table>${[1, 2, 3, 4].map((q) => `<tr><th style="${VRL}">第${String.fromCharCode(0xff10 + q)}四半期</th><td>1,204.50</td><td>998.00</td><td>1,320.75</td></tr>`).join('')}</table>`,
    'a vertical heading with an issue number beside horizontal figures': `<h1 style="${VRL}">社内報　第４５号</h1><p>Sales 2024: 1,204,331 yen; staff 118; offices 7.</p>`,
  };
  for (const [name, body] of Object.entries(pages)) {
    it(name, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
    });
  }
});

describe('FP12-1 held (bounced: a card could be read across)', () => {
  const held: Record<string, string> = {
    // The cost: a vertical letter with a date, a post code and a phone number holds 21 digits.
    'a vertical letter with a date, a post code and a phone number': `<div style="${VRL}">令和６年１２月７日<br>〒１００－０００１<br>東京都千代田区千代田１－１<br>電話　０３－１２３４－５６７８</div>`,
    'twelve digits written before a vertical block of four': `<p>card 4539 1488 0343</p><div style="${VRL}; ${UPRIGHT}">47<br>66</div>`,
    'a vertical block of four before twelve digits': `<div style="${VRL}; ${UPRIGHT}">54<br>34</div><p>-1488-0343-6467</p>`,
    'four vertical blocks of four digits, apart by white space only': `<svg width="200" height="100">${['4106', '5434', '3846', '9837'].map((c, i) => `<text x="${10 + i * 20}" y="10" style="${VRL}; ${UPRIGHT}">${c}</text>${' '.repeat(300)}`).join('')}</svg>`,
    'four vertical blocks of four digits, apart by punctuation': ['9837', '3846', '5434', '4106']
      .map((c) => `<div style="${VRL}; ${UPRIGHT}">${c.slice(0, 2)}<br>${c.slice(2)}</div> - `)
      .join(''),
  };
  for (const [name, body] of Object.entries(held)) {
    it(name, async () => {
      const verdict = await kit.outboundVerdict(outboundPage(body));
      expect(verdict?.type).toBe('BOUNCE');
    });
  }
});
