import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
// A card-number label (`KID:` exempts the number after it) hidden by a transform the reader does not work out
// (nested calc(), a function left open at the end of the attribute, the `scale` property) must not exempt it:
// a transform not understood makes the text unsure, so one reading lacks the label.
const html = (style: string) =>
  mail(
    ['Content-Type: text/html; charset=utf-8'],
    `<p>Faktura <span style="display:inline-block;${style}">KID:</span> ${CARD}</p>`,
  );
describe('a card label hidden by a transform', () => {
  for (const style of [
    '',
    'transform:scale(0.05)',
    'transform:scale(calc(calc(0.05)))',
    'transform:scale(calc(0.05))',
    'transform:scale(0.05',
    'transform:translateX(calc(calc(-5000px)))',
    'transform:translate(calc(-5000px))',
    'scale:calc(calc(0.05))',
    'transform:rotateY(calc(calc(90deg)))',
    'transform:matrix(calc(0.01),0,0,0.01,0,0)',
    'transform:scale(var(--x, 0.05))',
  ])
    it(style || 'control', async () => {
      expect(await kit.outbound(html(style))).toBe(style ? 'BOUNCE' : 'DEFAULT');
    });
});

// The same label faded by an opacity the reader does not work out (calc(), min(), clamp(), a function left open
// at the end): unsure, not shown; an opacity of a CSS-wide keyword is the default, shown.
describe('a card label faded by an opacity not worked out', () => {
  for (const style of ['opacity:calc(0.01)', 'opacity:calc(0.01', 'opacity:min(0, 1)', 'opacity:clamp(0,0,0'])
    it(style, async () => {
      expect(await kit.outbound(html(style))).toBe('BOUNCE');
    });
  for (const style of ['opacity:revert', 'opacity:unset', 'opacity:1', 'opacity:inherit'])
    it(`control: ${style}`, async () => {
      expect(await kit.outbound(html(style))).toBe('DEFAULT');
    });
});
