import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A77-1: an outside sender writing From an address at a look-alike (cousin) domain of the organization's, one the
// attacker owns and can sign (`it@c0rp.example`, `ceo@corp-example.com`, `ceo@corp.example.evil.example`), was
// delivered with impersonation on, only tagged [EXTERNAL]; the same domain written in the display name
// (`"it@c0rp.example"`) went to Junk (rounds 43, 50, 76). A From, Sender, Reply-To or Resent-From whose domain reads
// as the organization's (same letters as drawn), is one edit from it in a label of five letters or more, is its
// labels run together before another ending, or carries it whole as labels before another domain, now goes to Junk.
// A77-2: the organization's address as the Sender of outside mail (Outlook shows `payroll@corp.example on behalf of
// x@evil.example`), and a protected name in a Resent-From or Resent-Sender at an outside address, were delivered.
const stack = useLocalStack();
const kit = attackerKit(stack);
const ENV = { PROTECTED_NAMES: 'Jane Doe' };
const verdict = async (head: string[], env: Record<string, string> = ENV, mailFrom = 'x@evil.example') =>
  (
    await kit.inbound(
      mail([...head, 'Content-Type: text/plain'], 'Please update the bank details for the invoice.'),
      env,
      mailFrom,
    )
  ).verdict;

describe('A77-1: a From at a look-alike of the organization domain', () => {
  for (const from of [
    'it@c0rp.example',
    'IT Helpdesk <it@c0rp.example>',
    'ceo@corp.examp1e',
    'ceo@corp.exarnple',
    'ceo@xn--orp-3ed.example', // сorp.example, Cyrillic с, as punycode
    'ceo@hr.c0rp.example',
    'ceo@corp-example.com',
    'ceo@corpexample.com',
    'ceo@mail.corp-example.com',
    'ceo@corp.example.co',
    'ceo@corp.exampel',
    'ceo@corp.examples',
    'ceo@corp.exmple',
    'ceo@corp.example.evil.example',
    'ceo@corp.example-secure.com',
    'ceo@secure-corp.example.net',
    'CEO <ceo@CORP-EXAMPLE.COM>',
  ])
    it(`junks From: ${from}`, async () => {
      expect(await verdict([`From: ${from}`], ENV, `bounce@${from.replace(/.*@|>$/g, '')}`)).toBe(
        'MOVE_TO_JUNK',
      );
    });
  it('junks a look-alike as the Sender, Reply-To or Resent-From', async () => {
    for (const field of ['Sender', 'Reply-To', 'Resent-From'])
      expect(await verdict(['From: Ann <ann@partner.example>', `${field}: ceo@c0rp.example`])).toBe(
        'MOVE_TO_JUNK',
      );
  });

  describe('controls', () => {
    for (const from of [
      'ann@corporate.example',
      'news@example.com',
      'ann@corp.other',
      'ann@core.example', // one edit from corp.example, in a label of four letters: a real neighbour, not flagged
      'ann@partner.example',
      'ann@corp.examplepartner.com',
      'ann@mycorp.example',
      'ann@corpexamples.org',
      'ann@notcorp.example',
      'ann@corp.example', // the organization's own, outside with no DMARC result: tagged only (round 72)
      'ann@hr.corp.example', // an organization subdomain, likewise (round 73)
    ])
      it(`delivers From: ${from}`, async () => {
        expect(await verdict([`From: ${from}`], ENV, 'bounce@partner.example')).toBe('DEFAULT');
      });
    it('a short organization domain has no one-edit neighbours flagged', async () => {
      const env = { ...ENV, ORGANIZATION_DOMAINS: 'corp.example, ab.io' };
      expect(await verdict(['From: ann@ac.io'], env)).toBe('DEFAULT');
      expect(await verdict(['From: ann@ab.co'], env)).toBe('DEFAULT');
      expect(await verdict(['From: ann@a6.io'], env)).toBe('DEFAULT');
    });
    it('without PROTECTED_NAMES (impersonation off) a look-alike is delivered', async () => {
      expect(await verdict(['From: it@c0rp.example'], {})).toBe('DEFAULT');
    });
    it('a look-alike listed as an organization domain is not one', async () => {
      const env = { ...ENV, ORGANIZATION_DOMAINS: 'corp.example, corp-example.com' };
      expect(await verdict(['From: ann@corp-example.com'], env)).toBe('DEFAULT');
    });
  });
});

describe('A77-2: the organization in a Sender, a protected name in a Resent field', () => {
  it('junks the organization address as the Sender of outside mail', async () => {
    expect(await verdict(['From: x@evil.example', 'Sender: payroll@corp.example'])).toBe('MOVE_TO_JUNK');
    expect(await verdict(['From: x@evil.example', 'Sender: Payroll <payroll@hr.corp.example>'])).toBe(
      'MOVE_TO_JUNK',
    );
  });
  for (const field of ['Resent-From', 'Resent-Sender'])
    it(`junks a protected name in ${field} at an outside address`, async () => {
      expect(await verdict(['From: x@evil.example', `${field}: Jane Doe <x@evil.example>`])).toBe(
        'MOVE_TO_JUNK',
      );
      expect(
        await verdict(['From: x@evil.example', `${field}: ${encoded('Jаne Dοe')} <x@evil.example>`]),
      ).toBe('MOVE_TO_JUNK');
      expect(
        await verdict(['From: x@evil.example', `${field}: "payroll@corp.example" <x@evil.example>`]),
      ).toBe('MOVE_TO_JUNK');
    });

  describe('controls', () => {
    it('a Reply-To at the organization (a service writing for it) is delivered', async () => {
      expect(
        await verdict(
          ['From: HR Portal <noreply@hrportal.example>', 'Reply-To: hr@corp.example'],
          ENV,
          'b@hrportal.example',
        ),
      ).toBe('DEFAULT');
    });
    it('a delegate (organization Sender beside an organization From) with no DMARC result is delivered', async () => {
      expect(
        await verdict(
          ['From: Ann Lee <ann.lee@corp.example>', 'Sender: assistant@corp.example'],
          ENV,
          'assistant@corp.example',
        ),
      ).toBe('DEFAULT');
    });
    it('a redirect by an organization user (Resent-From at the organization) is delivered', async () => {
      expect(
        await verdict(
          ['From: Ann <ann@partner.example>', 'Resent-From: Jane Doe <jane.doe@corp.example>'],
          ENV,
          'ann@partner.example',
        ),
      ).toBe('DEFAULT');
      expect(
        await verdict(
          ['From: Ann <ann@partner.example>', 'Resent-From: bob@corp.example'],
          ENV,
          'ann@partner.example',
        ),
      ).toBe('DEFAULT');
    });
    it('a mailing list as the Sender, and an outside Resent-From without a protected name, are delivered', async () => {
      expect(
        await verdict(
          ['From: Ann <ann@partner.example>', 'Sender: list-bounces@lists.partner.example'],
          ENV,
          'b@partner.example',
        ),
      ).toBe('DEFAULT');
      expect(
        await verdict(
          ['From: Ann <ann@partner.example>', 'Resent-From: Tom Roe <tom@partner.example>'],
          ENV,
          'b@partner.example',
        ),
      ).toBe('DEFAULT');
    });
  });
});

// Held probes (a protected name written in ways rounds 1–76 did not list; each already went to Junk): Latin
// ligatures without a decomposition (`ꜳ`, `ꝏ`, `ꜷ`, `ᵫ`, `ỻ`, `æ`, `œ`), a quoted pair in a quoted display
// name, a fold inside the quotes, an obsolete phrase with a dot, underlined letters, an invisible separator, keycap
// marks, the Hangul choseong filler.
describe('held: a protected name in ligatures and field forms', () => {
  const env = { PROTECTED_NAMES: 'Jane Doe, Michael Brooks, Chloe Moore, Paul Kelly, Samuel Aaron' };
  for (const from of [
    `${encoded('Mich\u00e6l Br\ua74fks')} <x@evil.example>`,
    `${encoded('Chl\u0153 M\ua74fre')} <x@evil.example>`,
    `${encoded('P\ua737l Ke\u1efby')} <x@evil.example>`,
    `${encoded('Sam\u1d6bl \ua733ron')} <x@evil.example>`,
    '"J\\ane D\\oe" <x@evil.example>',
    '"Jane\r\n Doe" <x@evil.example>',
    'Jane. Doe. <x@evil.example>',
    `${encoded('J\u0332a\u0332n\u0332e\u0332 Doe')} <x@evil.example>`,
    `${encoded('Jane\u2063Doe')} <x@evil.example>`,
    `${encoded('J\u20e3ane D\u20e3oe')} <x@evil.example>`,
    `${encoded('Jane\u115fDoe')} <x@evil.example>`,
  ])
    it(`junks From: ${JSON.stringify(from)}`, async () => {
      expect(await verdict([`From: ${from}`], env)).toBe('MOVE_TO_JUNK');
    });
  it('benign: a partner whose name merely shares a word is delivered', async () => {
    expect(await verdict(['From: Jane Roe <jane@partner.example>'], env, 'jane@partner.example')).toBe(
      'DEFAULT',
    );
  });
});

// A77-3: a word of a protected name split by a sign or a space (`Ja-ne`, `Kel·ly`, the Catalan `ŀ` NFKC makes `l·`,
// `Col lins`), beside any other word (`CEO Ja-ne Doe`), was delivered: single letters are joined and the whole name is
// matched glued, but a split word beside a title was neither. Adjacent words are now also read joined.
describe('A77-3: a word of a protected name split, beside another word', () => {
  const env = { PROTECTED_NAMES: 'Jane Doe, Paul Kelly, Anna Collins' };
  for (const name of [
    'CEO Paul Ke\u0140ly',
    'Paul Ke\u0140ly, CFO',
    'CEO Paul Kel\u00b7ly',
    'Paul Kel.ly CFO',
    'CFO Anna Co\u0140lins',
    'CFO Anna Col-lins',
    'CFO Anna Col lins',
    'CEO Jane Do-e',
    'CEO Ja ne Doe',
    'CEO Ja-ne Doe',
  ])
    it(`junks From: ${name}`, async () => {
      expect(await verdict([`From: ${encoded(name)} <x@evil.example>`], env)).toBe('MOVE_TO_JUNK');
    });
  it('benign: names whose adjacent words do not join into a protected one are delivered', async () => {
    for (const name of ['Paul Kell Young', 'Anna Col Linsey', 'Jan E. Doerr', 'Jane Dough', 'Ann Collin S.'])
      expect(await verdict([`From: ${name} <x@partner.example>`], env, 'x@partner.example'), name).toBe(
        'DEFAULT',
      );
  });
});
