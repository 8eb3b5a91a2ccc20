import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A45-3: list numbers were read only for an <li> whose display was `list-item` or unset, and every <li> was
// counted whatever its display. CSS counts and marks every box whose display has `list-item` and only those: an
// `<li style="display:block">` before the card's item shifted the count by one (browsers draw 4111., the DLP read
// 4112.); a <div> or <summary> shown as a list item, or an <li> with `display: block list-item`, drew its number
// unread.
const stack = useLocalStack();
const kit = attackerKit(stack);
const dir = `${import.meta.dirname}/fixtures/round45/A45-3-list-item-display`;
const cases = [
  'block-li-first',
  'div-item-first',
  'div-listitem',
  'li-block-listitem',
  'li-inline-listitem',
  'details-summary',
  'div-reset',
];

describe('A45-3: the list numbers of boxes other than a plain <li>', () => {
  for (const f of cases)
    it(`bounces ${f}`, async () => {
      expect(await kit.outbound(readFileSync(`${dir}/${f}.eml`))).toBe('BOUNCE');
    });

  it('delivers a list whose items are blocks, which draw no number', async () => {
    const page =
      '<html><body><ol start="4111"><li style="display:block">1111 1111 1111</li></ol><div>ref 4112</div></body></html>';
    const mail = Buffer.from(
      [
        'From: jane.doe@corp.example',
        'To: partner@outside.example',
        'Subject: list',
        'MIME-Version: 1.0',
        'Content-Type: text/html',
        '',
        page,
        '',
      ].join('\r\n'),
    );
    expect(await kit.outbound(mail)).toBe('DEFAULT');
  });
});
