import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 79: what travels with a message but no client draws — a multipart's preamble and epilogue, an HTML
// comment, a `data-*` or `aria-*` attribute — was never read, so a card or an IBAN written there was sent by
// outbound-policy. The recipient reads it in the message's source, a saved .eml in a text editor, or (aria-label) a
// screen reader. Decided: data that leaves the organization counts whether or not it is drawn.
const stack = useLocalStack();
const kit = attackerKit(stack);
const out = (body: string, type: string) =>
  kit.outbound(mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}`], body));
const MULTI = 'multipart/mixed; boundary="b"';
const multipart = (preamble: string, epilogue: string) =>
  [preamble, '--b', 'Content-Type: text/plain', '', 'see you', '--b--', epilogue, ''].join('\r\n');
const page = (body: string) => `<html><body><p>see you</p>${body}</body></html>`;

describe('A79-1: a card or an IBAN in a multipart preamble or epilogue', () => {
  it('bounces a card in the preamble', async () => {
    expect(await out(multipart('card 4111 1111 1111 1111', ''), MULTI)).toBe('BOUNCE');
  });
  it('bounces a card in the epilogue', async () => {
    expect(await out(multipart('', 'card 5500 0000 0000 0004'), MULTI)).toBe('BOUNCE');
  });
  it('bounces an IBAN in the epilogue of a nested alternative', async () => {
    const body = [
      '--b',
      'Content-Type: multipart/alternative; boundary="i"',
      '',
      '--i',
      'Content-Type: text/plain',
      '',
      'see you',
      '--i--',
      'iban GB82 WEST 1234 5698 7654 32',
      '--b--',
      '',
    ].join('\r\n');
    expect(await out(body, MULTI)).toBe('BOUNCE');
  });
  it('benign: the usual preamble, an order number and a boundary of digits are delivered', async () => {
    expect(
      await out(
        multipart('This is a multi-part message in MIME format. Order 4111-1111.', 'Sent 2026-11-29 10:00'),
        MULTI,
      ),
    ).toBe('DEFAULT');
    const digits = '----=_Part_4111_1111111111111111.1600000000000';
    const body = [`--${digits}`, 'Content-Type: text/plain', '', 'see you', `--${digits}--`, ''].join('\r\n');
    expect(await out(body, `multipart/mixed; boundary="${digits}"`)).toBe('DEFAULT');
  });
});

describe('A79-2: a card or an IBAN only the page source shows', () => {
  for (const [how, body] of Object.entries({
    'an HTML comment': '<!-- card 4111 1111 1111 1111 -->',
    'commented-out markup': '<!-- <p>Card: <b>3400 000000 00009</b></p> -->',
    'a data- attribute': '<p data-card="5500 0000 0000 0004">x</p>',
    'an aria-label': '<span aria-label="IBAN DE89 3704 0044 0532 0130 00">account</span>',
  }))
    it(`bounces ${how}`, async () => {
      expect(await out(page(body), 'text/html; charset=utf-8')).toBe('BOUNCE');
    });
  it("benign: Word's style comment, conditional comments and tracking data attributes are delivered", async () => {
    const body =
      '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026"/></xml><![endif]-->' +
      '<style><!-- @font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;} --></style>' +
      '<!-- generated 2026-11-29 10:00:00, order 4111-1111, phone +44 20 7946 0958 -->' +
      '<tr data-row="4111" data-ts="1764410400000" aria-rowindex="2"><td>x</td></tr>';
    expect(await out(page(body), 'text/html; charset=utf-8')).toBe('DEFAULT');
  });
});
