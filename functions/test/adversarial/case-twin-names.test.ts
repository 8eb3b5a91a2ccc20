import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A name whose extension is spelled with a letter that case-maps to ASCII (ſ → S, ı → I, K → k): a comparison by
// Unicode case mappings (many libraries, some file systems) takes `invoice.vbſ` for `invoice.vbs`. Whether Windows
// does is not something the guard can know, and no real file needs such a name: it bounces.
const stack = useLocalStack();
const kit = attackerKit(stack);
const script = Buffer.from('MsgBox "wmflow-attacker-case-twin"\r\n');
const verdict = async (name: string) => (await kit.inbound(attachedFile(name, script)[0])).verdict;

describe('extensions spelled with case twins of ASCII letters', () => {
  it('control: invoice.vbs bounces', async () => {
    expect(await verdict('invoice.vbs')).toBe('BOUNCE');
  });
  for (const name of ['invoice.vbſ', 'invoice.ſcr', 'invoice.ıso', 'invoice.\u212Ash', 'invoice.vbſ:x:$DATA'])
    it(`${name} bounces`, async () => {
      expect(await verdict(name)).toBe('BOUNCE');
    });
  it('a harmless name with a long s is delivered', async () => {
    const note = Buffer.from('Meeting notes\r\n');
    expect((await kit.inbound(attachedFile('Meſſe.txt', note, 'text/plain')[0])).verdict).toBe('DEFAULT');
  });
});
