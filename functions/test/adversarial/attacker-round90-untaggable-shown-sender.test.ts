import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 90: round 89 junks outside mail under an organization From that cannot be tagged (raw 8-bit bytes
// in a header WorkMail forbids changing). Two ways round it were left open. A Sender at the organization's address
// beside an outside From (Outlook shows `ceo@corp.example on behalf of x@evil.example`), and a From at a look-alike
// of the organization's domain (`ceo@c0rp.example`), judged by impersonation only when PROTECTED_NAMES is set, so at
// the defaults delivered untagged. Both now go to Junk, saying why; untaggable mail from any other outside address is
// still delivered untagged (round 44), and the same messages made taggable are tagged.
const stack = useLocalStack();
const kit = attackerKit(stack);
const PAY = 'Please pay the attached invoice today.';
const RAW_TO = 'To: "Bøb" <bob@corp.example>';

const inbound = async (head: string[], mailFrom = 'x@evil.example') => {
  const { verdict, delivered } = await kit.inbound(
    mail([...head, 'Content-Type: text/plain'], PAY),
    {},
    mailFrom,
  );
  const text = delivered.toString('utf-8');
  return { verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(text) };
};

describe('A90-1: an organization Sender beside an outside From, made untaggable', () => {
  const cases: Record<string, string[]> = {
    'a raw UTF-8 To': ['From: x@evil.example', 'Sender: ceo@corp.example', RAW_TO],
    'a raw UTF-8 display name in the From': [
      'From: "Финансы" <fin@evil.example>',
      'Sender: ceo@corp.example',
    ],
    'a named Sender and a raw Message-ID': [
      'From: x@evil.example',
      'Sender: "CEO" <ceo@corp.example>',
      'Message-ID: <é@evil.example>',
    ],
  };
  for (const [name, head] of Object.entries(cases))
    it(`junks ${name}`, async () => {
      expect((await inbound(head)).verdict).toBe('MOVE_TO_JUNK');
    });
});

describe('A90-2: a From at a look-alike of the organization domain, made untaggable (no PROTECTED_NAMES)', () => {
  const cases: Record<string, string[]> = {
    'a zero for an o': ['From: ceo@c0rp.example', RAW_TO],
    'a doubled letter': ['From: "Финансы" <fin@corpp.example>'],
    'labels run together': ['From: ceo@corp-example.com', RAW_TO],
    'one letter off under a subdomain': ['From: ceo@mail.corp.exampel', RAW_TO],
    'a look-alike Sender': ['From: x@evil.example', 'Sender: ceo@c0rp.example', RAW_TO],
  };
  for (const [name, head] of Object.entries(cases))
    it(`junks ${name}`, async () => {
      expect((await inbound(head)).verdict).toBe('MOVE_TO_JUNK');
    });
});

describe('benign controls', () => {
  it('delivers untaggable mail from an outside address untagged, as round 44 decided', async () => {
    expect(await inbound(['From: "Jürgen Groß" <j@partner.example>'], 'j@partner.example')).toEqual({
      verdict: 'DEFAULT',
      tagged: false,
    });
  });
  it('delivers untaggable mail from a real neighbour of a short label (core.example)', async () => {
    expect(await inbound(['From: "Zoë" <zoe@core.example>'], 'zoe@core.example')).toEqual({
      verdict: 'DEFAULT',
      tagged: false,
    });
  });
  it('delivers untaggable mail whose outside Sender is the list that sent it', async () => {
    expect(
      await inbound(
        ['From: "Zoë" <zoe@partner.example>', 'Sender: list@lists.partner.example'],
        'list@lists.partner.example',
      ),
    ).toEqual({ verdict: 'DEFAULT', tagged: false });
  });
  it('still tags an organization Sender beside an outside From when it can', async () => {
    expect(await inbound(['From: x@evil.example', 'Sender: ceo@corp.example'])).toEqual({
      verdict: 'DEFAULT',
      tagged: true,
    });
  });
  it('still tags a look-alike From when it can', async () => {
    expect(await inbound(['From: ceo@c0rp.example'])).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
});
