import { rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { impersonatesProtectedName } from './index.js';

// Attacker round 77 at the rule: a From, Sender, Reply-To or Resent-From at a look-alike of an organization domain
// (A77-1), the organization's address as an outside Sender and a protected name in a Resent field (A77-2), and a word
// of a protected name split beside another word (A77-3). Each case beside a benign sibling.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const notes = async (head: string, domains = ['corp.example']) => {
  const { outcome } = await h.run(
    [
      when(
        impersonatesProtectedName({ names: ['Jane Doe', 'Paul Kelly'] }),
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    `${head}\r\nTo: bob@corp.example\r\nSubject: invoice\r\n\r\nPlease pay.\r\n`,
    { mailFrom: 'x@evil.example' },
    { organizationDomains: domains },
  );
  return outcome;
};
const fired = async (head: string, domains?: string[]) =>
  ((await notes(head, domains)).rulesFired as string[]).includes('hit');

describe('A77-1: look-alike domains', () => {
  it('flags each kind, and says which organization domain it resembles', async () => {
    for (const from of [
      'it@c0rp.example',
      'it@xn--orp-3ed.example',
      'it@corp.exampel',
      'it@corp-example.com',
      'it@corp.example.co',
      'it@corp.example.evil.example',
      'it@secure-corp.example',
    ])
      expect(await fired(`From: ${from}`), from).toBe(true);
    const outcome = await notes('From: it@c0rp.example');
    expect(JSON.stringify(outcome)).toContain('look-alike of corp.example');
  });
  it('a look-alike of any listed domain, a `*.` pattern by its base', async () => {
    expect(await fired('From: it@partner-corp.example', ['*.partner.example', 'corp.example'])).toBe(true);
    expect(await fired('From: it@partnerr.example', ['*.partner.example'])).toBe(true);
  });
  it('controls: other domains, short ones, the organization and its subdomains', async () => {
    for (const from of [
      'ann@corporate.example',
      'ann@example.com',
      'ann@corp.other',
      'ann@core.example',
      'ann@corp.example',
      'ann@hr.corp.example',
      'ann@[192.0.2.1]',
    ])
      expect(await fired(`From: ${from}`), from).toBe(false);
    expect(await fired('From: ann@ac.io', ['ab.io'])).toBe(false);
    expect(await fired('From: ann@abio.net', ['ab.io'])).toBe(false);
  });
});

describe('A77-2: Sender and Resent fields', () => {
  it('flags the organization as an outside Sender, and a protected name in Resent-From', async () => {
    expect(await fired('From: x@evil.example\r\nSender: payroll@corp.example')).toBe(true);
    expect(await fired('From: x@evil.example\r\nResent-From: Jane Doe <x@evil.example>')).toBe(true);
    expect(await fired('From: x@evil.example\r\nResent-Sender: Jane Doe <x@evil.example>')).toBe(true);
  });
  it('controls: an organization Reply-To, and a Resent-From at the organization (a redirect)', async () => {
    expect(await fired('From: x@partner.example\r\nReply-To: hr@corp.example')).toBe(false);
    expect(await fired('From: x@partner.example\r\nResent-From: Jane Doe <jane.doe@corp.example>')).toBe(
      false,
    );
  });
});

describe('A77-3: a word of the name split beside another word', () => {
  it('flags it, and not adjacent words that make no protected one', async () => {
    expect(await fired('From: "CEO Ja-ne Doe" <x@evil.example>')).toBe(true);
    expect(await fired('From: "Paul Kel ly, CFO" <x@evil.example>')).toBe(true);
    expect(await fired('From: "Paul Kell Young" <x@evil.example>')).toBe(false);
    expect(await fired('From: "Jan E. Doerr" <x@evil.example>')).toBe(false);
  });
});
