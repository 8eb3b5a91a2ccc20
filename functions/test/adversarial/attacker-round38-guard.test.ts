import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 38: the guard's name checks and x-unix-mode.
// Attacker round 38 (session 29): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const text = Buffer.from('print "wmflow-attacker-s38\\n";\r\n');
const verdict = async (name: string, file = text) => (await kit.inbound(attachedFile(name, file)[0])).verdict;

// Outlook's Level 1 list (the guard's doc: "the rest of Outlook's Level 1 list") holds `.pl`; every other entry of
// it is in DEFAULT_BLOCKED_EXTENSIONS or ARCHIVE_EXTENSIONS. Perl installs (Strawberry, ActiveState) register `.pl`
// to run with perl.exe on a double click.
describe('A38-1 Outlook Level 1 extension missing from the default list', () => {
  it('control: invoice.py (Outlook Level 1, listed) bounces', async () => {
    expect(await verdict('invoice.py')).toBe('BOUNCE');
  });
  it('invoice.pl bounces', async () => {
    expect(await verdict('invoice.pl')).toBe('BOUNCE');
  });
});

const part = (head: string) =>
  mail([MIXED], withPart(`${head}\r\nContent-Transfer-Encoding: base64\r\n\r\n${text.toString('base64')}`));
describe('x-unix-mode control', () => {
  it('control: x-unix-mode=0755 on Invoice bounces', async () => {
    const h = 'Content-Type: application/octet-stream; x-unix-mode=0755; name="Invoice"';
    expect((await kit.inbound(part(h))).verdict).toBe('BOUNCE');
  });
});
