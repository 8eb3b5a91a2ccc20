import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 66, A66-6: a card's digits as the base text of ruby annotations
// (`<ruby>4<rt>a</rt>1<rt>b</rt>…</ruby> 1111 1111 1111`). Browsers (Apple Mail, Thunderbird, webmail) draw the
// annotations small above the line, which reads 4111 1111 1111 1111; the page was read with each annotation in
// line between the digits (`4 a 1 b …`), so the number went out. Browser readers now read a page without its
// annotations (no gap where they stood); Outlook's, which shows them in line, and the reading that keeps what layout
// moves still read them. The attack was sent (DEFAULT) before the fix; the controls are sent as before.
const stack = useLocalStack();
const kit = attackerKit(stack);

describe('A66-6: a card as the base text of ruby annotations', () => {
  const attacks: Record<string, string> = {
    'one annotation a digit': '<ruby>4<rt>a</rt>1<rt>b</rt>1<rt>c</rt>1<rt>d</rt></ruby> 1111 1111 1111',
    'with fallback parentheses': '<ruby>4111<rp>(</rp><rt>x</rt><rp>)</rp>1111<rt>y</rt></ruby> 1111 1111',
    'the number inside an annotation': '<ruby>total<rt>4111 1111 1111 1111</rt></ruby>',
  };
  for (const [how, body] of Object.entries(attacks))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('BOUNCE');
    });
  it('(control) sends Japanese text with furigana and a date', async () => {
    const body =
      '<p><ruby>東京<rt>とうきょう</rt></ruby>で<ruby>会議<rt>かいぎ</rt></ruby>：2026年12月6日 10:00</p>' +
      '<p><ruby>1<rt>いち</rt>2<rt>に</rt>3<rt>さん</rt></ruby> 4567</p>';
    expect(await kit.outbound(outboundPage(body))).toBe('DEFAULT');
  });
});
