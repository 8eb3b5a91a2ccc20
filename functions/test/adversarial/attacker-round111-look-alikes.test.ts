import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 111 (an outside sender, the guard's PROTECTED_NAMES): a display name with an `o` drawn by another
// ring. Round 108 read the plain rings ○ ◯ ⭘ ⚬ ◦ as `o`, beside the rings with a dot or a bar of round 49 (⊙ ⊖ ☉ ⨀),
// but every other ring was still dropped as a symbol: the ring operator ∘ (drawn as ◦), the degree sign, the medium
// white circle ⚪ and the heavy large circle ⭕ (emoji), the dotted and shadowed circles ◌ ❍, the rings in rings and
// rings with a dot ◎ ⊚ ◉ ⦾ ⦿ ⌾, the geometric extended circles 🞅 🞆 🞇, the white ellipses ⬭ ⬯, the half-filled
// circles ◐ ◑ ◒ ◓, and the slashed, underlined and dotted rings ∅ ⌀ ⦰ ⍉ ⍜ ⍥ (as ø, o̲ and ö already are): `Jane D∘e`
// read as "Jane De" and was only tagged [EXTERNAL].
const kit = attackerKit(useLocalStack());
const RINGS = [
  '\u2218', // ∘ ring operator
  '\u00B0', // ° degree sign
  '\u26AA', // ⚪ medium white circle
  '\u2B55', // ⭕ heavy large circle
  '\u25CC', // ◌ dotted circle
  '\u274D', // ❍ shadowed white circle
  '\u25CE', // ◎ bullseye
  '\u229A', // ⊚ circled ring operator
  '\u25C9', // ◉ fisheye
  '\u29BE', // ⦾ circled white bullet
  '\u29BF', // ⦿ circled bullet
  '\u233E', // ⌾ APL circle jot
  '\u{1F785}', // 🞅 medium bold white circle
  '\u{1F786}', // 🞆 bold white circle
  '\u{1F787}', // 🞇 heavy white circle
  '\u2B2D', // ⬭ white horizontal ellipse
  '\u2B2F', // ⬯ white vertical ellipse
  '\u25D0', // ◐ circle with left half black
  '\u25D1', // ◑
  '\u25D2', // ◒
  '\u25D3', // ◓
  '\u2205', // ∅ empty set
  '\u2300', // ⌀ diameter sign
  '\u29B0', // ⦰ reversed empty set
  '\u2349', // ⍉ APL circle backslash
  '\u235C', // ⍜ APL circle underbar
  '\u2365', // ⍥ APL circle diaeresis
];

describe('A111-2: a protected name with another ring for o (junked)', () => {
  for (const ring of RINGS) {
    it(`Jane D${ring}e`, async () => {
      expect(await kit.protectedNameVerdict(`Jane D${ring}e`)).toBe('MOVE_TO_JUNK');
    });
  }
  it('an emoji ring with its presentation selector (Jane D⭕\uFE0Fe)', async () => {
    expect(await kit.protectedNameVerdict('Jane D\u2B55\uFE0Fe')).toBe('MOVE_TO_JUNK');
  });
});

describe('A111-2 controls (delivered, tagged)', () => {
  for (const name of [
    'Sales \u25CE Support',
    'Weather at 21\u00B0C',
    '\u2B55 Quiz Night \u2B55',
    'Jane Dee',
    'Ops \u2205 Incidents',
  ]) {
    it(name, async () => {
      expect(await kit.protectedNameVerdict(name)).toBe('DEFAULT');
    });
  }
});
