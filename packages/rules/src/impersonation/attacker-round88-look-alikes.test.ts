import { rule, when } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { impersonatesProtectedName } from './index.js';

// Attacker round 88 at the rule (the leads rounds 77 and 84 left): a look-alike of an organization domain under a
// subdomain of the attacker's (`it@mail.corrp.example`: the one-edit test compared whole domains), two edits in a long
// domain (`crop.exampel`), and either given only in a Sender or a Reply-To. Each beside benign neighbours.
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

describe('A88-2: a one-edit look-alike under a subdomain', () => {
  it('flags it in the From, the Sender and the Reply-To', async () => {
    for (const from of [
      'it@mail.corrp.example',
      'it@mail.corp.exampel',
      'it@a.b.corp.exampel',
      'IT <it@MAIL.CORRP.EXAMPLE>',
    ])
      expect(await fired(`From: ${from}`), from).toBe(true);
    expect(await fired('From: x@evil.example\r\nSender: it@mail.corrp.example')).toBe(true);
    expect(await fired('From: x@evil.example\r\nReply-To: "IT desk" <it@mail.corp.exampel>')).toBe(true);
    expect(await fired('From: it@mail.contoso-bnak.example', ['contoso-bank.example'])).toBe(true);
  });
  it('controls: a subdomain of a real neighbour, and of an unrelated domain, stay delivered', async () => {
    for (const from of [
      'ann@mail.core.example',
      'ann@mail.coop.example',
      'ann@corp.mail.example',
      'ann@mail.corporate.example',
      'ann@hr.corp.example',
    ])
      expect(await fired(`From: ${from}`), from).toBe(false);
    expect(await fired('From: x@mail.abb.io', ['ab.io'])).toBe(false);
  });
});

describe('A88-3: two edits in a long domain', () => {
  it('flags two edits across a domain of ten letters or more, one a label (two in one of eight or more)', async () => {
    for (const from of ['ceo@crop.exampel', 'ceo@corp.exmaple', 'ceo@core.exampel', 'ceo@mail.crop.exampel'])
      expect(await fired(`From: ${from}`), from).toBe(true);
    expect(await fired('From: ceo@cnotoso-bnak.com', ['contoso-bank.com'])).toBe(true);
    expect(await fired('From: ceo@mail.cnotoso-bnak.com', ['contoso-bank.com'])).toBe(true);
    expect(await fired('From: x@evil.example\r\nReply-To: ceo@crop.exampel')).toBe(true);
  });
  it('controls: country and generic endings, short domains, other words stay delivered', async () => {
    expect(await fired('From: ann@contoso-bank.de', ['contoso-bank.at'])).toBe(false);
    expect(await fired('From: ann@contoso-bank.co.uk', ['contoso-bank.com.au'])).toBe(false);
    expect(await fired('From: ann@acme.io', ['acne.co'])).toBe(false);
    expect(await fired('From: ann@cars.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@coral.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@cars.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@cropp.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@acme.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@contoso-bank.com', ['fabrikam-bank.com'])).toBe(false);
    expect(await fired('From: ann@exampel.org', ['example.com'])).toBe(false);
    expect(await fired('From: ann@partner.example', ['corp.example'])).toBe(false);
    expect(await fired('From: ann@example.com', ['example.org'])).toBe(false);
  });
});

describe('held: a look-alike address shown as the display name of a Sender or a Reply-To', () => {
  it('flags one that reads as the organization (round 76), as in the From', async () => {
    expect(await fired('From: x@evil.example\r\nReply-To: "ceo@c0rp.example" <x@evil.example>')).toBe(true);
    expect(await fired('From: x@evil.example\r\nSender: "ceo@c0rp.example" <x@evil.example>')).toBe(true);
  });
});
