import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 38 (session 29): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const junk = kit.protectedNameVerdict;

describe('A38-4 impersonation look-alikes', () => {
  it('control: Jane Doe is junked', async () => {
    expect(await junk('Jane Doe')).toBe('MOVE_TO_JUNK');
  });
  for (const name of ['Jaռe Doe', 'Jane D०e', 'Jane D๐e', 'Jane D၀e', 'Jane D߀e', 'Jane D౦e', 'Jane D٥e'])
    it(name, async () => {
      expect(await junk(name)).toBe('MOVE_TO_JUNK');
    });
});
