import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 60, A60-4 (medium-high, impersonation): a protected name glued to a title or a company by a vertical
// bar or a plus, the way display names and signatures are written (`Jane Doe|CEO`, `CEO|Jane Doe`, `Jane Doe|Acme
// Corp`), or its words joined by one (`Jane|Doe`). `|` and `+` are atext, so the field needs no quoting: Outlook,
// Gmail and Thunderbird show `Jane Doe|CEO` beside the address. The name check reads the ASCII signs drawn like
// letters as those letters (`J@ne`, `Do|e`, round 22), so a bar glued to a word made it another word (`doelceo`,
// `janeldoe`): the message was delivered. A name is now also read with those signs (`|`, `+`, `@`, `$`) as the
// separators they are drawn as, beside the reading as letters. Each attack was delivered (DEFAULT) before the fix;
// each control is delivered as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (from: string) =>
  (
    await kit.inbound(
      mail([`From: ${from}`, 'Content-Type: text/plain'], 'Please pay the attached invoice today.'),
      { PROTECTED_NAMES: 'Jane Doe' },
    )
  ).verdict;

describe('A60-4: a protected name glued to a title by a bar or a plus', () => {
  const junked: Record<string, string> = {
    'a title after a bar': 'Jane Doe|CEO <x@evil.example>',
    'a title before a bar': 'CEO|Jane Doe <x@evil.example>',
    'a company after a bar': '"Jane Doe|Acme Corp" <x@evil.example>',
    'the words joined by a bar': 'Jane|Doe <x@evil.example>',
    'a trailing bar': 'Jane Doe| <x@evil.example>',
    'a company after a plus': 'Jane Doe+Co <x@evil.example>',
    'a trailing at sign': '"Jane Doe@" <x@evil.example>',
    'a trailing dollar sign': 'Jane Doe$ <x@evil.example>',
    '(control) an at sign read as a letter, as before': 'J@ne Doe <x@evil.example>',
    'a bar in an encoded word': '=?utf-8?Q?Jane_Doe|CFO?= <x@evil.example>',
  };
  for (const [how, from] of Object.entries(junked))
    it(`junks ${JSON.stringify(from)} (${how})`, async () => {
      expect(await verdict(from)).toBe('MOVE_TO_JUNK');
    });
  it('junks a Reply-To naming her so', async () => {
    const { verdict: v } = await kit.inbound(
      mail(
        [
          'From: Billing <billing@vendor.example>',
          'Reply-To: Jane Doe|CEO <ceo@evil.example>',
          'Content-Type: text/plain',
        ],
        'Please pay today.',
      ),
      { PROTECTED_NAMES: 'Jane Doe' },
    );
    expect(v).toBe('MOVE_TO_JUNK');
  });
  const delivered: Record<string, string> = {
    'another person with a title': 'Jane Roe|CEO <jane.roe@partner.example>',
    'a longer name': 'Janet Doeson|Sales <janet@partner.example>',
    'a company and a department': 'Acme|Accounts+Billing <billing@partner.example>',
  };
  for (const [how, from] of Object.entries(delivered))
    it(`(control) delivers ${JSON.stringify(from)} (${how})`, async () => {
      expect(await verdict(from)).toBe('DEFAULT');
    });
});
