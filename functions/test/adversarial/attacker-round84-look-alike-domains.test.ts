import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 84: a From at the organization's short label with one letter doubled (`ceo@corpp.example`), a domain
// the attacker owns and signs, was delivered with impersonation on (round 77 read one edit only in labels of five
// letters or more). It now goes to Junk; a short label's other neighbours (`core.example`) are still delivered.
// Held (already Junk): a protected name as the From's domain, a look-alike address as the display name. Decided, not
// flagged: a forged Resent-From (no common client shows it; round 77 reads a protected name or organization display
// name there at an outside address).
const stack = useLocalStack();
const kit = attackerKit(stack);
const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const verdict = async (from: string, mailFrom: string, extra: string[] = []) =>
  (
    await kit.inbound(
      mail(
        [`From: ${from}`, ...extra, 'Content-Type: text/plain'],
        'Please update the bank details for the invoice.',
      ),
      ENV,
      mailFrom,
    )
  ).verdict;

describe('A84-1: a doubled letter in a short organization label', () => {
  for (const from of ['ceo@corpp.example', 'Jane Doe <ceo@coorp.example>', 'ceo@ccorp.example'])
    it(`junks From: ${from}`, async () => {
      expect(await verdict(from, `b@${from.replace(/.*@|>$/g, '')}`)).toBe('MOVE_TO_JUNK');
    });
  it('benign: a real neighbour of the short label and a partner are delivered', async () => {
    expect(await verdict('sales@core.example', 'b@core.example')).toBe('DEFAULT');
    expect(await verdict('sales@coop.example', 'b@coop.example')).toBe('DEFAULT');
    expect(await verdict('Orders <orders@partner.example>', 'b@partner.example')).toBe('DEFAULT');
  });
});

describe('held: already Junk', () => {
  it('junks a protected name as the From domain and a look-alike address as the display name', async () => {
    expect(await verdict('ceo@jane-doe.example', 'b@jane-doe.example')).toBe('MOVE_TO_JUNK');
    expect(await verdict('ceo@ceo-jane-doe.example', 'b@ceo-jane-doe.example')).toBe('MOVE_TO_JUNK');
    expect(await verdict('"it@c0rp.example" <x@evil.example>', 'x@evil.example')).toBe('MOVE_TO_JUNK');
  });
});
