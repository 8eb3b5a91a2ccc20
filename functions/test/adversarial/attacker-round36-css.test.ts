// Attacker round 36 (A36-9 to A36-12): an exempting label (OCR:) hidden by CSS the shown-text reading did not
// model — animations, registered custom properties, zoom and scale multiplied down the tree, transform-origin —
// so the recipient saw a bare card while the DLP read the label and let it through. Each case but the controls
// got past the function (DEFAULT) before the fix (PoCs in .scratch/attack-s36).
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';
const styled = (css: string, extra = '') =>
  html(
    `<html><head><style>${css}</style></head><body style="background:#ffffff;color:#000000">${extra}<p>Your card: <span class="l">OCR:</span> ${CARD}</p></body></html>`,
  );
const page = (label: string) =>
  html(
    `<html><body style="background:#ffffff;color:#000000"><p>Your card: ${label} ${CARD}</p></body></html>`,
  );
const box = (style: string, inner: string) => `<span style="display:inline-block;${style}">${inner}</span>`;

// A36-9 and A36-10: @keyframes and @property were skipped as blocks without style rules.
describe('A36-9/10 label hidden by an animation or a registered custom property', () => {
  it('control (by design): no rule, the label shows and exempts', async () => {
    expect(await kit.outbound(styled(''))).toBe('DEFAULT');
  });
  it('control: .l{opacity:0} bounces', async () => {
    expect(await kit.outbound(styled('.l{opacity:0}'))).toBe('BOUNCE');
  });
  const HIDDEN: Record<string, string> = {
    'animation to opacity 0, filled forwards':
      '@keyframes h { to { opacity:0 } } .l { animation: h 0.01s forwards }',
    'animation from opacity 0 running for a day':
      '@keyframes h { from { opacity:0 } to { opacity:0 } } .l { animation: h 86400s }',
    'animation to font-size 0 (longhands)':
      '@keyframes h { to { font-size:0 } } .l { animation-name:h; animation-duration:1ms; animation-fill-mode:both }',
    'animation of keyframes the page does not hold': '.l { animation: elsewhere 1s forwards }',
    '@property initial-value 0, var() fallback 1':
      "@property --o { syntax:'<number>'; inherits:false; initial-value:0 } .l { opacity: var(--o, 1) }",
    '@property initial-value white colour, fallback black':
      "@property --c { syntax:'<color>'; inherits:false; initial-value:#ffffff } .l { color: var(--c, #000000) }",
    '@property that does not inherit, set on the parent':
      "@property --o { syntax:'<number>'; inherits:false; initial-value:0 } p { --o: 1 } .l { opacity: var(--o) }",
    '@property with a syntax not read':
      "@property --d { syntax:'<custom-ident>'; inherits:false; initial-value:none } .l { display: var(--d, inline) }",
  };
  for (const [name, css] of Object.entries(HIDDEN))
    it(name, async () => {
      expect(await kit.outbound(styled(css))).toBe('BOUNCE');
    });
  const SHOWN: Record<string, [string, string?]> = {
    'control: a fade-in to opacity 1 on another element': [
      '@keyframes fadeIn { from { opacity:0 } to { opacity:1 } } .hero { animation: fadeIn 1s ease-in both }',
      '<div class="hero"><h1>Welcome</h1></div>',
    ],
    'control: a pulse (scale) on the label': [
      '@keyframes pulse { to { transform: scale(1.05) } } .l { animation: pulse 1s infinite alternate }',
    ],
    'control: an unused @property': [
      "@property --angle { syntax:'<angle>'; inherits:false; initial-value:0deg } .l { color:#000000 }",
    ],
    'control: a registered property set on the label': [
      "@property --o { syntax:'<number>'; inherits:false; initial-value:0 } .l { --o: 1; opacity: var(--o) }",
    ],
  };
  for (const [name, [css, extra]] of Object.entries(SHOWN))
    it(name, async () => {
      expect(await kit.outbound(styled(css, extra))).toBe('DEFAULT');
    });
});

// A36-11 and A36-12: zoom and scale were judged one element at a time, and transform-origin was ignored.
describe('A36-11/12 label shrunk down the tree or turned about a far origin', () => {
  const HIDDEN: Record<string, string> = {
    'control: zoom 0.1 bounces': '<span style="zoom:0.1">OCR:</span>',
    'control: 1.5px font bounces': '<span style="font-size:1.5px">OCR:</span>',
    'control: scale(0.09) bounces': box('transform:scale(0.09)', 'OCR:'),
    'control: translate(-6000px) bounces': box('transform:translate(-6000px)', 'OCR:'),
    'zoom 0.3 inside zoom 0.3 (0.09)': '<span style="zoom:0.3"><span style="zoom:0.3">OCR:</span></span>',
    'zoom 0.25 on a 6px font (1.5px)': '<span style="zoom:0.25;font-size:6px">OCR:</span>',
    'scale(0.3) inside scale(0.3) (0.09)': box('transform:scale(0.3)', box('transform:scale(0.3)', 'OCR:')),
    'scale: 0.3 on a 5px font (1.5px)': box('scale:0.3;font-size:5px', 'OCR:'),
    'rotate(180deg) about an origin 3000px to the left (6000px off the page)': box(
      'transform:rotate(180deg);transform-origin:-3000px 0',
      'OCR:',
    ),
    'scale: -1 1 about an origin 3000px to the left': box('scale:-1 1;transform-origin:-3000px 0', 'OCR:'),
    'a mirror about the left edge of a 3000px box': box(
      'width:3000px;text-align:right;transform:scaleX(-1);transform-origin:left',
      'OCR:',
    ),
  };
  for (const [name, label] of Object.entries(HIDDEN))
    it(name, async () => {
      expect(await kit.outbound(page(label))).toBe('BOUNCE');
    });
  const SHOWN: Record<string, string> = {
    'control: zoom 0.5': '<span style="zoom:0.5">OCR:</span>',
    'control: zoom 0.8 inside zoom 0.8': '<span style="zoom:0.8"><span style="zoom:0.8">OCR:</span></span>',
    'control: 6px font': '<span style="font-size:6px">OCR:</span>',
    'control: rotate(3deg)': box('transform:rotate(3deg)', 'OCR:'),
    'control: rotate(3deg) about the centre': box('transform:rotate(3deg);transform-origin:center', 'OCR:'),
    'control: scale(0.9) about the top left': box('transform:scale(0.9);transform-origin:top left', 'OCR:'),
    'control: rotate(180deg) about its centre (upside down, in place)': box(
      'transform:rotate(180deg)',
      'OCR:',
    ),
  };
  for (const [name, label] of Object.entries(SHOWN))
    it(name, async () => {
      expect(await kit.outbound(page(label))).toBe('DEFAULT');
    });
});
