import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A37 CSS/HTML: a label (OCR:) a browser-based reader does not see, which the DLP takes as shown, so the card
// after it is exempt and goes out. Each non-control case expects BOUNCE and gets DEFAULT on the current code.
// Attacker round 37 (session 29) against round 36's fixes: each case got past outbound-policy before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';
const page = (label: string, css = '') =>
  html(
    `<html><head><style>${css}</style></head><body style="background:#ffffff;color:#000000"><p>Your card: ${label} ${CARD}</p></body></html>`,
  );
const ib = (style: string, inner: string) => `<span style="display:inline-block;${style}">${inner}</span>`;
const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';
const KEYFRAMES =
  '@keyframes r { to { rotate: 180deg } } @keyframes s { to { scale: 0.3 } } @keyframes f { to { font-size: 4px } }';

describe('controls', () => {
  it('control: shown label exempts (DEFAULT)', async () => {
    expect(await kit.outbound(page('OCR:'))).toBe('DEFAULT');
  });
  it('control: display:none label bounces', async () => {
    expect(await kit.outbound(page('<span style="display:none">OCR:</span>'))).toBe('BOUNCE');
  });
  it('control: <dialog> (closed) label bounces', async () => {
    expect(await kit.outbound(page('<dialog>OCR:</dialog>'))).toBe('BOUNCE');
  });
  it('control: -webkit-text-security:none label exempts (DEFAULT)', async () => {
    expect(await kit.outbound(page('<span style="-webkit-text-security:none">OCR:</span>'))).toBe('DEFAULT');
  });
  // A frame's turn is judged without the element's origin, so any turn leaves the label unsure (the fix).
  it('a keyframes turn of 180deg in place leaves the label unsure: the card bounces', async () => {
    expect(await kit.outbound(page(ib('animation:r 1s forwards', 'OCR:'), KEYFRAMES))).toBe('BOUNCE');
  });
  it('control: static rotate 180deg about a far origin bounces', async () => {
    expect(await kit.outbound(page(ib('transform-origin:-3000px 0;rotate:180deg', 'OCR:')))).toBe('BOUNCE');
  });
  it('control: static scale 0.3 inside zoom 0.5 bounces', async () => {
    expect(await kit.outbound(page(`<span style="zoom:0.5">${ib('scale:0.3', 'OCR:')}</span>`))).toBe(
      'BOUNCE',
    );
  });
  it('control: static 4px font inside zoom 0.5 bounces', async () => {
    expect(
      await kit.outbound(page('<span style="zoom:0.5"><span style="font-size:4px">OCR:</span></span>')),
    ).toBe('BOUNCE');
  });
});

// A37-5: elements/properties a WebKit/Blink reader (Apple Mail, iOS Mail, Outlook for Mac, new Outlook) renders
// without the label's text.
describe('A37-5 label not drawn by a browser', () => {
  const CASES: Record<string, [string, string?]> = {
    // UA sheet: [popover]:not(:popover-open) { display: none } (Safari 17, Chrome 114, Firefox 125).
    '<span popover>': ['<span popover>OCR:</span>'],
    '<span popover=manual>': ['<span popover="manual">OCR:</span>'],
    // Draws each character as a disc (WebKit, Blink; Firefox 134+).
    '-webkit-text-security: disc': ['<span style="-webkit-text-security:disc">OCR:</span>'],
    '-webkit-text-security: square, by class': [
      '<span class="l">OCR:</span>',
      '.l{-webkit-text-security:square}',
    ],
    // `content: <image>` on an element replaces its children by the image (WebKit, Blink).
    'content: url(1px gif) on the element': [`<span style="content:url(${GIF})">OCR:</span>`],
    'content: linear-gradient() on the element': [
      '<span style="content:linear-gradient(#fff,#fff)">OCR:</span>',
    ],
  };
  for (const [name, [label, css]] of Object.entries(CASES))
    it(name, async () => {
      expect(await kit.outbound(page(label, css))).toBe('BOUNCE');
    });
});

// A37-4: a keyframe is judged alone (frameHides), not with what the element it plays on already has: its
// transform-origin, its ancestors' zoom, its parent's font size.
describe('A37-4 keyframes judged without the element', () => {
  it('rotate: 180deg frame on a box whose transform-origin is 3000px to the left', async () => {
    expect(
      await kit.outbound(page(ib('transform-origin:-3000px 0;animation:r 1s forwards', 'OCR:'), KEYFRAMES)),
    ).toBe('BOUNCE');
  });
  it('scale: 0.3 frame inside zoom 0.5 (0.15)', async () => {
    expect(
      await kit.outbound(
        page(`<span style="zoom:0.5">${ib('animation:s 1s forwards', 'OCR:')}</span>`, KEYFRAMES),
      ),
    ).toBe('BOUNCE');
  });
  it('font-size: 4px frame inside zoom 0.5 (2px)', async () => {
    expect(
      await kit.outbound(
        page('<span style="zoom:0.5"><span style="animation:f 1s forwards">OCR:</span></span>', KEYFRAMES),
      ),
    ).toBe('BOUNCE');
  });
});
