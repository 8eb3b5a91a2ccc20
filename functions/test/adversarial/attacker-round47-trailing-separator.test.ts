import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A47-7 (found checking round 46's leads): a file name ending in a path separator (`invoice.vbs/`) had no
// extension to the guard, while a client that saves under the name's basename (Node's `path.basename`, which
// drops trailing separators: Electron mail apps) writes `invoice.vbs`. The last segment is read as a spelling too.
const stack = useLocalStack();
const kit = attackerKit(stack);
const script = Buffer.from('MsgBox "wmflow-attacker-a47-7"\r\n');

describe('A47-7: a blocked extension behind a trailing path separator', () => {
  for (const name of ['invoice.vbs/', 'invoice.vbs\\', 'invoice.js//', 'invoice.vbs/ .', 'docs/invoice.hta/'])
    it(`bounces ${JSON.stringify(name)}`, async () => {
      expect((await kit.inbound(attachedFile(name, script)[0])).verdict).toBe('BOUNCE');
    });
  it('delivers a text file whose name ends in a separator (control)', async () => {
    const [message] = attachedFile('notes.txt/', Buffer.from('see you at ten\r\n'), 'text/plain');
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
