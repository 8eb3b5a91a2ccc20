import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 89: outside mail that cannot be tagged (raw 8-bit bytes in a header WorkMail forbids changing: From,
// To, Cc, Date, Message-ID…) is delivered untagged, as round 44 decided for RFC 6532 mail. An outside sender writing
// the organization's own address as the From used that to switch the [EXTERNAL] tag and banner off: one raw UTF-8
// byte in the display name, a To, or the Message-ID, and the spoof of `ceo@corp.example` reached the inbox as if sent
// inside. So did a From whose domain only reads as the organization's (`corp．example` with a full-width dot,
// `corp.example` with a zero-width space after it), which is always raw 8-bit. Such a message now goes to Junk, with
// the reason; untaggable mail from any other outside address is still delivered untagged (round 44), and tagged
// spoofs still tagged.
const stack = useLocalStack();
const kit = attackerKit(stack);
const PAY = 'Please pay the attached invoice today.';

const inbound = async (head: string[], mailFrom = 'x@evil.example') => {
  const { verdict, delivered } = await kit.inbound(
    mail([...head, 'Content-Type: text/plain'], PAY),
    {},
    mailFrom,
  );
  const text = delivered.toString('utf-8');
  return { verdict, tagged: /^Subject: \[EXTERNAL\]/m.test(text) };
};

describe('A89-1: an organization From from outside, made untaggable', () => {
  const cases: Record<string, string[]> = {
    'a raw UTF-8 display name': ['From: "Финансы" <finance@corp.example>'],
    'a raw UTF-8 To': ['From: ceo@corp.example', 'To: "Bøb" <bob@corp.example>'],
    'a raw 8-bit Message-ID': ['From: ceo@corp.example', 'Message-ID: <é@evil.example>'],
    'a raw UTF-8 Cc': ['From: Payroll <payroll@corp.example>', 'Cc: "Zoë" <zoe@corp.example>'],
    'a domain with a full-width dot': ['From: ceo@corp\uff0eexample'],
    'a domain with an ideographic full stop': ['From: ceo@corp\u3002example'],
    'a domain with a zero-width space after it': ['From: ceo@corp.example\u200b'],
    'a domain in full-width letters': ['From: ceo@\uff43\uff4f\uff52\uff50.example'],
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
  it('still tags an organization From from outside when it can', async () => {
    expect(await inbound(['From: ceo@corp.example'])).toEqual({ verdict: 'DEFAULT', tagged: true });
  });
  it('delivers inside mail (DMARC passed for the organization) with a raw UTF-8 name', async () => {
    const results =
      'Authentication-Results: amazonses.com;\r\n spf=pass smtp.mailfrom=zoe@corp.example;\r\n dkim=pass header.i=@corp.example;\r\n dmarc=pass header.from=corp.example;';
    expect(await inbound([results, 'From: "Zoë" <zoe@corp.example>'], 'zoe@corp.example')).toEqual({
      verdict: 'DEFAULT',
      tagged: false,
    });
  });
});
