import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 12 (attacker round 111 reads 27 more rings, the degree sign among them, as `o` in a display
// name checked against PROTECTED_NAMES): display names that carry a degree sign or a ring for what it is, and names
// spelt with ø, å and ö, must read as they did. A name is junked only where it then spells a protected one.
const kit = attackerKit(useLocalStack());

describe('FP12-3: rings and ringed letters in ordinary display names (delivered, tagged)', () => {
  const cases: [string, string][] = [
    ['Room 4\u00B0C', 'Jane Doe'],
    ['Thermostat 21\u00B0 (Office 2)', 'Jane Doe'],
    ['N\u00B0 5 Boutique', 'Jane Doe'],
    ['Service Client N\u00B01', 'Jane Doe'],
    ['Dr. Jane Dee \u00B0', 'Jane Doe'],
    ['Bj\u00F8rn Hansen', 'Jane Doe'],
    ['\u00C5sa Berg', 'Jane Doe'],
    ['J\u00F6hn Smith', 'Jane Doe'],
    ['Bj\u00F8rn Hansen', 'Bjorn Hanson'],
    ['\u00C5sa Berg', 'Asa Borg'],
    ['Weather 4\u00B0C \u2601', 'Jo Doe'],
    ['Jon Doe', 'Jane Doe'],
  ];
  for (const [name, protectedName] of cases) {
    it(`${name} under ${protectedName}`, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('DEFAULT');
    });
  }
});

describe('FP12-3 held (junked, as before round 111 or by it)', () => {
  const cases: [string, string][] = [
    ['Bjorn Hansen', 'Bj\u00F8rn Hansen'],
    ['Bj\u00F8rn Hansen', 'Bjorn Hansen'],
    ['Bj\u00B0rn Hansen', 'Bj\u00F8rn Hansen'],
    ['Asa Berg', '\u00C5sa Berg'],
    ['A\u030Asa Berg', '\u00C5sa Berg'],
    ['John Smith', 'J\u00F6hn Smith'],
    ['Jane D\u00B0e', 'Jane Doe'],
  ];
  for (const [name, protectedName] of cases) {
    it(`${name} under ${protectedName}`, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('MOVE_TO_JUNK');
    });
  }
});
