import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 60, A60-3 (low-medium, DLP, careless insider): an IBAN glued to its label. Text copied from a PDF
// bank statement or invoice footer, where the label and the number are separate runs placed apart by a gap rather
// than a space, pastes as `IBANDE89370400440532013000`; a spreadsheet joining a label and a cell (`="IBAN"&B2`) gives
// the same. The recipient reads the label and the number. The IBAN finder refused a country code after a letter
// (right, so that no IBAN is read inside a longer token), so the number left; a card glued to its label
// (`PAN4111…`) bounced since round 8b. The word IBAN right before the country code now starts an IBAN (iban.ts
// afterLabel). Each attack was sent (DEFAULT) before the fix; each control is as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const plain = (body: string) =>
  mail(['From: Bob <bob@corp.example>', 'Content-Type: text/plain; charset=utf-8'], `${body}\r\n`);

describe('A60-3: an IBAN glued to its label', () => {
  const cases: Record<string, string> = {
    'pasted from a PDF statement': 'Please refund to IBANDE89370400440532013000 BIC COBADEFFXXX',
    'grouped, in a signature': 'Acme GmbH | IBANDE89 3704 0044 0532 0130 00 | USt-IdNr. DE123456789',
    'lower case': 'bank: ibangb29nwbk60161331926819',
  };
  for (const [how, text] of Object.entries(cases)) {
    it(`bounces ${JSON.stringify(text)} (${how})`, async () => {
      expect(await kit.outbound(plain(text))).toBe('BOUNCE');
    });
  }
  it('bounces an HTML table cell joining label and number', async () => {
    expect(
      await kit.outbound(outboundPage('<table><tr><td>IBANFR7630006000011234567890189</td></tr></table>')),
    ).toBe('BOUNCE');
  });
  it('(control) sends an IBAN-like token inside a longer word, a VAT number and an order reference', async () => {
    const text =
      'Ref XDE89370400440532013000, CARIBANDE89370400440532013000, VAT DE123456789, order IBAN-2026-0042, IBANs on file: 3';
    expect(await kit.outbound(plain(text))).toBe('DEFAULT');
  });
});
