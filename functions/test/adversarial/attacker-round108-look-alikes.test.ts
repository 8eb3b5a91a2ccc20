import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 108 (an outside sender, the guard's PROTECTED_NAMES): a display name with a letter drawn by a plain
// ring or an A without its bar. Round 49's letters by hand read a ring with a dot or a bar (⊙, ⊖, ☉, ⨀) as `o`, but
// the plain white circle (○), the large and heavy circles (◯, ⭘), the medium small white circle (⚬) and the white
// bullet (◦) were dropped as symbols: `Jane D○e` read as "Jane De" and was only tagged [EXTERNAL]. Likewise the Greek
// capital lambda drawn as an A without its bar (`JΛNE DOE`, as fancy-text generators write it).
const kit = attackerKit(useLocalStack());

describe('A108-2: a protected name with a ring for o, or Λ for A (junked)', () => {
  for (const name of [
    'Jane D\u25CBe',
    'Jane D\u25EFe',
    'Jane D\u2B58e',
    'Jane D\u26ACe',
    'Jane D\u25E6e',
    'J\u039BNE DOE',
    'J\u039Bne Doe',
  ]) {
    it(name, async () => {
      expect(await kit.protectedNameVerdict(name)).toBe('MOVE_TO_JUNK');
    });
  }
});

describe('A108-2 controls (delivered, tagged)', () => {
  for (const [name, protectedName] of [
    ['Sales \u25CB Support', 'Jane Doe'],
    [
      '\u039B\u0391\u039C\u03A0\u03A1\u039F\u03A3 \u0393\u0395\u03A9\u03A1\u0393\u0399\u039F\u03A5',
      'Jane Doe',
    ],
    ['Jane Dee', 'Jane Doe'],
    ['\u25E6 Newsletter \u25E6', 'Jane Doe'],
  ] as const) {
    it(name, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('DEFAULT');
    });
  }
});
