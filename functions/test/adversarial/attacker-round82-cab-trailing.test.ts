import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 82: a cabinet of a PDF with a second cabinet (`invoice.exe`) after it. Explorer and 7-Zip read the
// first; cabextract searches the whole file for cabinets and extracts both. The guard listed the PDF and delivered it.
const stack = useLocalStack();
const kit = attackerKit(stack);

const fixture = (name: string) => readFileSync(new URL(`../../../samples/archives/${name}`, import.meta.url));
const report = fixture('report.cab');

describe('A82-2: a second cabinet after the first', () => {
  attachmentTests(kit, {
    'a stored executable': attachedFile('report.cab', Buffer.concat([report, fixture('invoice.cab')])),
    'an MSZIP executable': attachedFile('report.cab', Buffer.concat([report, fixture('invoice-mszip.cab')])),
  });

  it('(control) delivers the cabinet of a PDF alone', async () => {
    const [message] = attachedFile('report.cab', report);
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
