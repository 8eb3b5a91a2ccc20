import type { SesReceiptVerdicts } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { mail } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 123 (guard-ses). A NUL or other control character inside the From field: the event's header list
// holds it (SES's JSON escapes it), so guard-ses reads the stored header block; a client built on C strings shows the
// field up to the NUL, so `"Jane Doe<NUL> via partner" <x@evil.example>` is shown as Jane Doe.
const stack = useTwinStack();
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const PROTECTED = { PROTECTED_NAMES: 'Jane Doe' };
const letter = (head: string[]) =>
  mail([...head, 'Content-Type: text/plain'], 'Please wire the money today.');
const HELD = { disposition: 'STOP_RULE' };
const ON = { disposition: 'CONTINUE' };

describe('A123-1: a protected name cut at a NUL', () => {
  const cases: Record<string, string[]> = {
    'a NUL after the name, in quotes': ['From: "Jane Doe\0 via partner portal" <x@evil.example>'],
    'a NUL after the name, unquoted': ['From: Jane Doe\0 via partner portal <x@evil.example>'],
    'a NUL in an encoded word': ['From: =?utf-8?Q?Jane_Doe=00_via_partner_portal?= <x@evil.example>'],
    'a CR LF in an encoded word': ['From: =?utf-8?Q?Jane_Doe=0D=0Avia_partner_portal?= <x@evil.example>'],
    'a NUL before the name': ['From: "\0Jane Doe" <x@evil.example>'],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: held`, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example', PROTECTED)).toEqual(HELD);
    });
});

describe('A123-2: the organization address cut at a NUL (defaults)', () => {
  const cases: Record<string, string[]> = {
    'a NUL after the address in the name': ['From: "ceo@corp.example\0 via portal" <x@evil.example>'],
    'a NUL after the address in an encoded word': [
      'From: =?utf-8?Q?ceo=40corp.example=00_via_portal?= <x@evil.example>',
    ],
    'a NUL inside the address': ['From: <ceo@corp.example\0.evil.example>'],
  };
  for (const [label, head] of Object.entries(cases))
    it(`${label}: held`, async () => {
      expect(await sesGuard(letter(head), PASS, 'x@evil.example')).toEqual(HELD);
    });
});

describe('A123 controls', () => {
  it('another name, plain: delivered', async () => {
    expect(
      await sesGuard(letter(['From: "Jane Roe" <x@evil.example>']), PASS, 'x@evil.example', PROTECTED),
    ).toEqual(ON);
  });
});
