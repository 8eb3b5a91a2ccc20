import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 94, held: a protected name (Jane Smith) written so a reader still reads it, each already judged
// an impersonation (Junk) before this round. Kept so a later change does not let one through.
const kit = attackerKit(useLocalStack());
const HELD = [
  'Smith, Jane',
  'SMITH Jane',
  'Jane Smith (CEO)',
  'Mrs Jane Smith',
  'Dr. Jane Smith, PhD',
  'Jane Smith-Jones',
  'Jane\u00a0Smith',
  'Jane S\u0337mith',
  'Jane Smi\u200dth',
  '𝐉𝐚𝐧𝐞 𝐒𝐦𝐢𝐭𝐡',
  'Jane Sm1th',
  'Jane Smıth',
  'Jane Smitһ',
  'Jane\u3164Smith',
  'Jane\u2800Smith',
  'Jane\u115fSmith',
  'J\u0336ane Smith',
  'Jane Smi\u{e0074}th',
  'J\ufe0fane Smith',
  'Ｊａｎｅ Ｓｍｉｔｈ',
  '\u202ehtims enaJ',
  'Jane\u1680Smith',
  'Jane\u180eSmith',
  'Ja\u00adne Smith',
  'Jane Smitħ',
  'Jane Smiṭh',
  'ᴶᵃⁿᵉ ˢᵐⁱᵗʰ',
  'Jane \u2060Smith',
  'Jane S\u200bm\u200bith',
  'Jane Sm\u{1d17a}ith',
  'Jaɴe Smith',
  'Jane Ꮪmith',
  'Jane Sᴍith',
  'Jаnе Ѕmіth',
  'Jane 𝓢𝓶𝓲𝓽𝓱',
  'Jane ⓈⓜⓘⓉⓗ',
  'Jane 🅂🄼🄸🅃🄷',
  'jane.smith',
  'Jane_Smith',
  'JaneSmith',
  'J-a-n-e S-m-i-t-h',
  'Jane (Smith)',
  'Jane "Smith"',
  'Smith Jane',
  'Jane Smith 様',
  'Jane Smith\ufffc',
];

describe('attacker round 94, held: a protected name drawn otherwise', () => {
  for (const name of HELD)
    it(`sends ${JSON.stringify(name)} to Junk`, async () => {
      expect(await kit.protectedNameVerdict(name, 'Jane Smith')).toBe('MOVE_TO_JUNK');
    });
});
