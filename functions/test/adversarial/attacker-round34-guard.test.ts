// Attacker round 34 (session 28, against round 33's fixes and the day's parser rewrites): each case but the
// controls got past the function (DEFAULT) before the fix (PoCs in .scratch/attack-s34).
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const shell = Buffer.from('#!/bin/sh\nopen -a Calculator\n');
const named = (headers: string, content: Buffer) =>
  mail(
    [MIXED],
    withPart(`${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${content.toString('base64')}`),
  );
const withMode = (mode: string) =>
  named(
    `Content-Type: application/octet-stream; ${mode}; name="Invoice"\r\nContent-Disposition: attachment; filename="Invoice"`,
    shell,
  );

// A34-3: the hand parser's blanks are only space, tab, CR, LF; the old regex's \s (and Apple's
// whitespaceAndNewlineCharacterSet) also take VT, FF, NBSP.
describe('A34-3 x-unix-mode spellings', () => {
  const CASES: Record<string, Buffer> = {
    'control: x-unix-mode=0755': withMode('x-unix-mode=0755'),
    'VT before the name': withMode('\x0bx-unix-mode=0755'),
    'FF before the name': withMode('\x0cx-unix-mode=0755'),
    'FF before =': withMode('x-unix-mode\x0c=0755'),
    'NBSP before the name (latin1 byte)': withMode('\u00a0x-unix-mode=0755'),
    'section 4294967295 (not an array index)': withMode('x-unix-mode*4294967295=0755'),
    'comment before the name': withMode('(perm) x-unix-mode=0755'),
  };
  for (const [name, m] of Object.entries(CASES))
    it(name, async () => {
      expect((await kit.inbound(m)).verdict).not.toBe('DEFAULT');
    });
});

// A34-5: a continuation section number near 2^32 makes `pieces` a sparse array that Array.from walks whole.
describe('A34-5 x-unix-mode section number', () => {
  // Before the fix this took 5.7 s (4294967294: minutes); sniff.test.ts holds the reading's own cases.
  it('x-unix-mode*50000000 is unknown, so executable', async () => {
    const { verdict } = await kit.inbound(withMode('x-unix-mode*50000000=0755'));
    expect(verdict).not.toBe('DEFAULT');
  }, 120_000);
});
