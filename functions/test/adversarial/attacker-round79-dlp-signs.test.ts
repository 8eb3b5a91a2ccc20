import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 79: a card's groups joined by a sign no round had listed (`&`, `@`, `!`, `?`, `^`, Markdown's inline
// code, an emoji) were sent by outbound-policy; every sign but commas, semicolons, currency signs and `%` now joins
// groups in a card's own layout, as round 71's and 76's joins do.
const stack = useLocalStack();
const kit = attackerKit(stack);
const text = (body: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'], body));

describe('A79-3: card groups joined by other signs, sent out', () => {
  for (const card of [
    '4111&1111&1111&1111',
    '4111@1111@1111@1111',
    '4111!1111!1111!1111',
    '4111?1111?1111?1111',
    '4111^1111^1111^1111',
    '`4111` `1111` `1111` `1111`',
    '4111 💳 1111 💳 1111 💳 1111',
  ])
    it(`bounces ${card} in the body`, async () => {
      expect(await text(`card: ${card} exp 12/29`)).toBe('BOUNCE');
    });
  it('bounces it in a text attachment', async () => {
    const file = Buffer.from('name,card\nAnn,5500 ★ 0000 ★ 0000 ★ 0004\n');
    expect(await kit.outbound(outboundFile('cards.csv', file, 'text/csv'))).toBe('BOUNCE');
  });
  it('benign: prices, percentages, lists and Q&A are delivered', async () => {
    expect(
      await text(
        'Q&A 2025 & 2026. Prices: $4111 $1111 $1111 $1111. Growth 4111% 1111% 1111% 1111%. ' +
          'Items 4111, 1111, 1111, 1111. Ticket #4111! Call 020 7946 0958? 1920×1080.',
      ),
    ).toBe('DEFAULT');
  });
});
