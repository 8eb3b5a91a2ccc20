import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 76: a card's groups joined by `=`, `#`, `<>` or arrows (`4111 → 1111 → 1111 → 1111`) were sent by
// outbound-policy; they are now read in a card's layout as the cell joins of round 71 are.
const stack = useLocalStack();
const kit = attackerKit(stack);
const text = (body: string) =>
  mail(
    ['From: Bob <bob@corp.example>', 'To: x@outside.example', 'Content-Type: text/plain; charset=utf-8'],
    body,
  );

describe('A76-1: card groups joined by =, #, <> or arrows, sent out', () => {
  for (const card of [
    '4111=1111=1111=1111',
    '4111#1111#1111#1111',
    '4111<>1111<>1111<>1111',
    '4111 -> 1111 -> 1111 -> 1111',
    '4111 → 1111 → 1111 → 1111',
  ])
    it(`bounces ${card} in the body`, async () => {
      expect(await kit.outbound(text(`card: ${card} exp 12/29`))).toBe('BOUNCE');
    });
  it('bounces it in a text attachment', async () => {
    const file = Buffer.from('name,card\nAnn,4111 => 1111 => 1111 => 1111\n');
    expect(await kit.outbound(outboundFile('cards.csv', file, 'text/csv'))).toBe('BOUNCE');
  });
  it('benign: a build chain and an issue list are delivered', async () => {
    expect(
      await kit.outbound(
        text('Upgrade path: 4111 → 4112 → 4113 → 4114 → 4115 → 4116. Fixes #4111 and #4112.'),
      ),
    ).toBe('DEFAULT');
  });
});
