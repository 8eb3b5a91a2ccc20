import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 90: an `<optgroup>`'s `label` is drawn as the group's heading in a list box (and in the list a
// drop-down opens), but the shown readings took only an `<option>`'s label: a card written there was sent by
// outbound-policy. It is now read as an option's label is.
const kit = attackerKit(useLocalStack());
const out = (body: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'], body));
const CARD = '4539 1488 0343 6467';

describe('A90-4: a card in an optgroup label', () => {
  const cases: Record<string, string> = {
    'a list box': `<select size="4"><optgroup label="${CARD}"><option>x</option></optgroup></select>`,
    'a multiple select': `<select multiple><optgroup label="${CARD}"><option>x</option></optgroup></select>`,
    'a drop-down': `<select><optgroup label="${CARD}"><option>x</option></optgroup></select>`,
    'groups split over two optgroups': `<select size="6"><optgroup label="4539 1488"></optgroup><optgroup label="0343 6467"><option>a</option></optgroup></select>`,
  };
  for (const [name, page] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await out(page)).toBe('BOUNCE');
    });
});

describe('benign control', () => {
  it('sends a list of groups labelled with words and short numbers', async () => {
    const page =
      '<select size="6"><optgroup label="Europe 2026"><option>Order 4111-1111</option></optgroup><optgroup label="Asia"><option>Room 1205</option></optgroup></select>';
    expect(await out(page)).toBe('DEFAULT');
  });
});
