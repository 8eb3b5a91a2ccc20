import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 40 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const junk = kit.protectedNameVerdict;

// Decimal digit zeros of other scripts drawn as a ring (the table maps some: Devanagari, Thai, Myanmar, NKo…, but
// not the rest of \p{Nd} zeros), and stroked or mirrored e's (the table maps ħ, ŧ, ł, đ but not ɇ).
describe('A40 impersonation: ring-shaped zeros and e variants not in the table', () => {
  it('control: Jane D\u0e50e (Thai zero, mapped) is junked', async () => {
    expect(await junk('Jane D\u0e50e')).toBe('MOVE_TO_JUNK');
  });
  for (const [label, name] of [
    ['Ol Chiki digit zero U+1C50', 'Jane D\u1c50e'],
    ['Limbu digit zero U+1946', 'Jane D\u1946e'],
    ['Mongolian digit zero U+1810', 'Jane D\u1810e'],
    ['Meetei Mayek digit zero U+ABF0', 'Jane D\uabf0e'],
    ['Brahmi digit zero U+11066', 'Jane D\u{11066}e'],
    ['e with stroke U+0247', 'Jane Do\u0247'],
    ['reversed e U+0258', 'Jane Do\u0258'],
    ['e with notch U+2C78', 'Jane Do\u2c78'],
  ] as const)
    it(label, async () => {
      expect(await junk(name)).toBe('MOVE_TO_JUNK');
    });
});
