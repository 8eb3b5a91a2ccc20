// Attacker round 34 (session 28, against round 33's fixes and the day's parser rewrites): each case but the
// controls got past the function (DEFAULT) before the fix (PoCs in .scratch/attack-s34).
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const text = (body: string) => mail([FROM, 'Content-Type: text/plain; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';
const page = (label: string) =>
  html(
    `<html><body style="background:#ffffff;color:#000000"><p>Your card: <span ${label}>OCR:</span> ${CARD}</p></body></html>`,
  );

// A34-4: an exempting label (OCR/KID/SIRET) the recipient does not see, but the shown-text reading keeps.
describe('A34-4 invisible reference label', () => {
  it('control (by design): visible label exempts', async () => {
    expect(await kit.outbound(page(''))).toBe('DEFAULT');
  });
  it('control: display:none label bounces', async () => {
    expect(await kit.outbound(page('style="display:none"'))).toBe('BOUNCE');
  });
  it('control: filter invert(1) label bounces', async () => {
    expect(await kit.outbound(page('style="filter:invert(1)"'))).toBe('BOUNCE');
  });
  const CASES: Record<string, string> = {
    'filter invert(calc(calc(1)))': 'style="filter:invert(calc(calc(1)))"',
    'filter INVERT(1)': 'style="filter:INVERT(1)"',
    'filter Invert(100%)': 'style="filter:Invert(100%)"',
    'filter invert(calc(100% - (0%)))': 'style="filter:invert(calc(100% - (0%)))"',
    'filter invert(min(1, max(1,1)))': 'style="filter:invert(min(1, max(1,1)))"',
    'filter opacity(calc(calc(0)))': 'style="filter:opacity(calc(calc(0)))"',
    'control-ish: filter opacity(0)': 'style="filter:opacity(0)"',
    'COLOR:#FFF upper': 'style="COLOR:#FFFFFF"',
    'DISPLAY:NONE upper': 'style="DISPLAY:NONE"',
  };
  for (const [name, style] of Object.entries(CASES))
    it(name, async () => {
      expect(await kit.outbound(page(style))).toBe('BOUNCE');
    });
  it('SIRET label before a 16-digit card (a SIRET has 14)', async () => {
    expect(await kit.outbound(text(`SIRET: ${CARD}\r\n`))).toBe('BOUNCE');
  });
});
