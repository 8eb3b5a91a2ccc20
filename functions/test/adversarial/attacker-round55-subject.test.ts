import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const kit = attackerKit(useLocalStack());
const FROM = 'From: Accounts <accounts@outside.example>';

// Attacker round 55, A55-4 (low, Thunderbird): the Subject tag is skipped when the Subject, decoded by libmime, already starts with
// it (header-edits.ts:29-34). libmime decodes an encoded word in a charset it does not know, or in HZ or
// ISO-2022-KR/CN, as its bytes, so `=?hz-gb-2312?Q?=5BEXTERNAL=5D?= Payroll` counts as tagged. Thunderbird's
// jsmime gives up on such a word (new TextDecoder throws for an unknown label and for the WHATWG "replacement"
// labels hz-gb-2312, iso-2022-kr, iso-2022-cn) and shows it raw: the reader sees `=?hz-gb-2312?Q?=5BEXTERNAL=5D?=
// Payroll`, with no tag.
const withSubject = (subject: string) =>
  Buffer.from(
    mail([FROM, 'Content-Type: text/plain'], 'hi')
      .toString('latin1')
      .replace('Subject: Invoice', `Subject: ${subject}`),
    'latin1',
  );
const subjectOf = (delivered: Buffer) =>
  delivered.toString('latin1').match(/^Subject:[ \t]*(.*)$/im)?.[1] ?? '';

describe('A55-4: an encoded word clients do not decode counts as the Subject tag', () => {
  for (const charset of ['hz-gb-2312', 'iso-2022-kr', 'x-bogus'])
    it(`tags a Subject starting with an encoded word in ${charset} that libmime reads as the tag`, async () => {
      const { verdict, delivered } = await kit.inbound(
        withSubject(`=?${charset}?Q?=5BEXTERNAL=5D?= Payroll`),
      );
      expect(verdict).toBe('DEFAULT');
      expect(subjectOf(delivered)).toMatch(/^\[EXTERNAL\]/);
    });
  it('control: a plain Subject is tagged', async () => {
    expect(subjectOf((await kit.inbound(withSubject('Payroll'))).delivered)).toBe('[EXTERNAL] Payroll');
  });
  it('control: a Subject already starting with the tag in plain ASCII keeps one tag', async () => {
    expect(subjectOf((await kit.inbound(withSubject('[EXTERNAL] Payroll'))).delivered)).toMatch(
      /^\[EXTERNAL\] Payroll/,
    );
  });
});
