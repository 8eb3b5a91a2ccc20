// Attacker round 35 (A35-6, A35-7): an exempting label (OCR/KID/SIRET) hidden by CSS the shown-text reading
// did not model, so the recipient saw a bare card while the DLP read the label and let it through. Each case
// but the controls got past the function (DEFAULT) before the fix (PoCs in .scratch/attack-s35).
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';
const styled = (css: string) =>
  html(
    `<html><head><style>${css}</style></head><body style="background:#ffffff;color:#000000"><p>Your card: <span class="l">OCR:</span> ${CARD}</p></body></html>`,
  );
const page = (label: string) =>
  html(
    `<html><body style="background:#ffffff;color:#000000"><p>Your card: ${label} ${CARD}</p></body></html>`,
  );
const span = (style: string) => `<span style="display:inline-block;${style}">OCR:</span>`;

// A35-6: the stylesheet reader dropped nested rules, `@scope` and namespace-prefixed type selectors.
describe('A35-6 label hidden by a rule the stylesheet reader skipped', () => {
  it('control (by design): no rule, the label shows and exempts', async () => {
    expect(await kit.outbound(styled(''))).toBe('DEFAULT');
  });
  it('control: .l{display:none} bounces', async () => {
    expect(await kit.outbound(styled('.l{display:none}'))).toBe('BOUNCE');
  });
  const HIDDEN: Record<string, string> = {
    'nested rule p { .l {…} }': 'p { .l { display:none } }',
    'nested rule p { & .l {…} }': 'p { & .l { display:none } }',
    'nested rule .l { & {…} }': '.l { & { display:none } }',
    'nested @media in a rule': '.l { @media all { display:none } }',
    '@scope (p) { .l {…} }': '@scope (p) { .l { display:none } }',
    '@scope { .l {…} } (implicit root)': '@scope { .l { display:none } }',
    '@media all { @scope (p) { .l {…} } }': '@media all { @scope (p) { .l { display:none } } }',
    '*|span': '*|span{display:none}',
    '|span': '|span{display:none}',
    '@starting-style with a transition that never ends':
      '.l{transition:opacity 99999s} @starting-style { .l { opacity:0 } }',
  };
  for (const [name, css] of Object.entries(HIDDEN))
    it(name, async () => {
      expect(await kit.outbound(styled(css))).toBe('BOUNCE');
    });
  const SHOWN: Record<string, string> = {
    'control: nested rule that shows (colour)': 'p { .l { color:#000000 } }',
    'control: nested rule under an ancestor the label lacks': 'div { .l { display:none } }',
    'control: nested :hover rule': 'p { &:hover .l { display:none } }',
    'control: *|p colour': '*|p { color:#000000 }',
    'control: @font-face and @keyframes':
      '@font-face { font-family:x; src:local(Arial) } @keyframes f { to { opacity:1 } }',
  };
  for (const [name, css] of Object.entries(SHOWN))
    it(name, async () => {
      expect(await kit.outbound(styled(css))).toBe('DEFAULT');
    });
});

// A35-7: transforms, media fallback and font scaling that hide the label, read as harmless.
describe('A35-7 label hidden by what the readers did not model', () => {
  it('control (by design): visible label exempts', async () => {
    expect(await kit.outbound(page('OCR:'))).toBe('DEFAULT');
  });
  it('control: scale(0) label bounces', async () => {
    expect(await kit.outbound(page(span('transform:scale(0)')))).toBe('BOUNCE');
  });
  const HIDDEN: Record<string, string> = {
    'skew(45deg,45deg) (a singular matrix)': span('transform:skew(45deg,45deg)'),
    'skewX(89deg) (squashed)': span('transform:skewX(89deg)'),
    'perspective(10px) translateZ(20px) (behind the viewer)': span(
      'transform:perspective(10px) translateZ(20px)',
    ),
    'matrix3d with w=0': span('transform:matrix3d(1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,0)'),
    'rotateY(180deg) with its back hidden': span('transform:rotateY(180deg);backface-visibility:hidden'),
    'rotate: y 180deg with its back hidden': span('rotate:y 180deg;backface-visibility:hidden'),
    'back hidden inside a parent turned 180deg in 3D': `<span style="display:inline-block;transform:rotateY(180deg);transform-style:preserve-3d">${span('backface-visibility:hidden')}</span>`,
    'translate: 0 0 20px under a parent perspective': `<span style="perspective:10px;display:inline-block">${span('translate:0 0 20px')}</span>`,
    'rotateX(80deg) under a parent perspective': `<span style="perspective:1px;display:inline-block">${span('transform:rotateX(60deg)')}</span>`,
    'font-size-adjust:0': '<span style="font-size-adjust:0">OCR:</span>',
    '<audio> fallback': '<audio>OCR:</audio>',
    '<audio controls> fallback': '<audio controls>OCR:</audio>',
    '<video> fallback': '<video width="1" height="1">OCR:</video>',
  };
  for (const [name, label] of Object.entries(HIDDEN))
    it(name, async () => {
      expect(await kit.outbound(page(label))).toBe('BOUNCE');
    });
  // Common mail CSS that leaves the label in sight.
  const SHOWN: Record<string, string> = {
    'control: translate(-50%,-50%)': span('transform:translate(-50%,-50%)'),
    'control: rotate(45deg)': span('transform:rotate(45deg)'),
    'control: rotate: 90deg property': span('rotate:90deg'),
    'control: translateZ(0) (GPU hack)': span('transform:translateZ(0)'),
    'control: translate3d(0,0,0) with its back hidden (flicker fix)': span(
      'transform:translate3d(0,0,0);backface-visibility:hidden',
    ),
    'control: skewX(10deg)': span('transform:skewX(10deg)'),
    'control: perspective: none': span('perspective:none'),
    'control: backface-visibility:hidden alone': span('backface-visibility:hidden'),
    'control: parent perspective, flat child': `<span style="perspective:800px;display:inline-block">${span('transform:rotate(3deg)')}</span>`,
    'control: font-size-adjust:0.5': '<span style="font-size-adjust:0.5">OCR:</span>',
    'control: <audio controls> beside the label': '<audio controls src="a.mp3"></audio> OCR:',
  };
  for (const [name, label] of Object.entries(SHOWN))
    it(name, async () => {
      expect(await kit.outbound(page(label))).toBe('DEFAULT');
    });
});
