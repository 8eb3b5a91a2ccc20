import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 33 (session 27, against round 32's fixes), on outbound-policy's card detector: each case was
// sent (DEFAULT) at the defaults before the fix (PoCs in .scratch/attack-s27). Controls are kept beside them.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const text = (body: string) => mail([FROM, 'Content-Type: text/plain; charset=utf-8'], body);
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';

// A27-1: a SIRET, KID or OCR label exempted the whole run of digits it began, and a run joins groups across line
// breaks, blank lines and short punctuation: any card after a labelled reference went out.
describe('A27-1: a card after a labelled reference', () => {
  const CASES: Record<string, Buffer> = {
    'on the next line': text(`Faktura KID: 12345678\r\n${CARD} exp 12/29\r\n`),
    'in the next paragraph': text(`Notre SIRET : 732 829 320 00074\r\n\r\n${CARD}\r\n`),
    'on the same line after a dash': text(`SIRET 73282932000074 - ${CARD}\r\n`),
    'after an HTML line break': html(`<p>KID: 12345678<br>${CARD}</p>`),
    'in the next HTML paragraph': html(`<p>Notre SIRET : 732 829 320 00074</p><p>${CARD}</p>`),
    'in the next row of a CSV file': outboundFile(
      'export.csv',
      Buffer.from(`Faktura KID 12345678\r\n${CARD};12/29\r\n`),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces a card ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('control: the labelled reference alone is sent', async () => {
    expect(await kit.outbound(text('Faktura KID: 4123 4567 8901 2349\r\n'))).toBe('DEFAULT');
  });
});

// A27-2: the label's trailing class took any non-Latin letter or symbol (canonical `_` and `!`), so a word after
// the label (`OCRの結果`, "the OCR result") or a check mark still made the number a reference.
describe('A27-2: a word or symbol between the label and the card', () => {
  for (const [name, body] of Object.entries({
    Japanese: `OCRの結果 ${CARD}`,
    Chinese: `OCR结果：${CARD}`,
    'a check mark': `OCR ✓ ${CARD}`,
  }))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(text(`${body}\r\n`))).toBe('BOUNCE');
    });
  it('control: n° and nº after SIRET still label it', async () => {
    expect(await kit.outbound(text('SIRET n° 36252187400010, Siret nº 38012986600014\r\n'))).toBe('DEFAULT');
  });
});
