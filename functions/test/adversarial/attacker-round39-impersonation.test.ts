import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 39 (session 30): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const junk = kit.protectedNameVerdict;

// Unicode's confusables.txt maps these Arabic letters to Latin `o` (their isolated forms are small rings); a lone
// right-to-left letter between Latin ones stays in place.
describe('A39-7 impersonation: Arabic letters drawn as o', () => {
  it('control: Jane D\u0665e (Arabic-Indic five, mapped) is junked', async () => {
    expect(await junk('Jane D\u0665e')).toBe('MOVE_TO_JUNK');
  });
  for (const [label, ch] of [
    ['heh U+0647', '\u0647'],
    ['ae U+06D5', '\u06d5'],
    ['heh doachashmee U+06BE', '\u06be'],
    ['heh goal U+06C1', '\u06c1'],
    ['heh isolated form U+FEE9', '\ufee9'],
    ['heh goal isolated form U+FBA6', '\ufba6'],
    ['mathematical looped heh U+1EE84', '\u{1ee84}'],
    ['extended Arabic-Indic five U+06F5', '\u06f5'],
    ['Ethiopic pharyngeal a U+12D0', '\u12d0'],
    ['Osage capital o U+104C2', '\u{104c2}'],
    ['Deseret capital long o U+10404', '\u{10404}'],
  ] as const)
    it(label, async () => {
      expect(await junk(`Jane D${ch}e`)).toBe('MOVE_TO_JUNK');
    });
});
