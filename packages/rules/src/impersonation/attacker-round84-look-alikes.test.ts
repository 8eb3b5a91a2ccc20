import { rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { impersonatesProtectedName } from './index.js';

// Attacker round 84 at the rule: a From at a look-alike of a short organization label (four letters or fewer) was
// delivered when the look-alike doubles one of its letters (`ceo@corpp.example`, `ceo@coorp.example`): round 77 read
// one edit only inside labels of five letters or more, because a short label's one-letter neighbours are real words
// (`core.example`, `coop.example`); a doubled letter is the typo a typosquatter registers and seldom a word.
// Held (probed, already flagged): a protected name in the From's domain, a look-alike address in the display name.
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const fired = async (head: string, domains = ['corp.example']) => {
  const { outcome } = await h.run(
    [
      when(
        impersonatesProtectedName({ names: ['Jane Doe'] }),
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    `${head}\r\nTo: bob@corp.example\r\nSubject: invoice\r\n\r\nPlease pay.\r\n`,
    { mailFrom: 'x@evil.example' },
    { organizationDomains: domains },
  );
  return (outcome.rulesFired as string[]).includes('hit');
};

describe('A84-1: a short label with a doubled letter', () => {
  it('flags a doubled letter in a label of three or four letters', async () => {
    for (const from of [
      'ceo@corpp.example',
      'ceo@coorp.example',
      'ceo@ccorp.example',
      'CEO <ceo@CORPP.EXAMPLE>',
    ])
      expect(await fired(`From: ${from}`), from).toBe(true);
    expect(await fired('From: ceo@acmme.io', ['acme.io'])).toBe(true);
    expect(await fired('From: ceo@iibm.example', ['ibm.example'])).toBe(true);
  });
  it('benign: a short label one other letter away, a two-letter label, or a longer word stays delivered', async () => {
    for (const from of [
      'ceo@core.example',
      'ceo@coop.example',
      'ceo@corps.example',
      'ceo@scorp.example',
      'ceo@cor.example',
      'ceo@corporate.example',
    ])
      expect(await fired(`From: ${from}`), from).toBe(false);
    expect(await fired('From: x@abb.io', ['ab.io'])).toBe(false);
    expect(await fired('From: x@acme.io', ['acme.io'])).toBe(false);
  });
});

describe('held: already flagged', () => {
  it('flags a protected name in the From domain and a look-alike address as the display name', async () => {
    for (const from of [
      'ceo@jane-doe.example',
      'ceo@ceo-jane-doe.example',
      'x@janedoe.example',
      '"it@c0rp.example" <x@evil.example>',
    ])
      expect(await fired(`From: ${from}`), from).toBe(true);
    expect(await fired('From: x@partner.example')).toBe(false);
  });
});
