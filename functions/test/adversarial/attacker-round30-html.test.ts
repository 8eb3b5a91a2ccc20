import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 30 (session 24), outbound-policy on HTML bodies: each page shows 4111 1111 1111 1111 (Chromium)
// and was delivered (DEFAULT) before the fix, the quotations past WorkMail's 15 s (PoCs in .scratch/attack-s30a).

const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (head: string, body: string) =>
  mail(
    ['From: Ann <ann@corp.example>', 'To: bob@partner.example', 'Content-Type: text/html; charset=utf-8'],
    `<html><head>${head}</head><body>${body}</body></html>`,
  );
const HALF = '<p>Card: 4111 1111 <span class="c"></span></p>';
const BOUNCED: Record<string, [string, string]> = {
  // #3: the second half written by a data: stylesheet brought in with @import.
  'an @import whose quoted URL holds a space': [
    '<style>@import url("data:text/css,span.c::after{content:%221111 1111%22}");</style>',
    HALF,
  ],
  'an @import whose single-quoted URL holds a double quote': [
    `<style>@import url('data:text/css,span.c::after%7Bcontent:"1111%201111"%7D');</style>`,
    HALF,
  ],
  'an @import of a base64 URL, unquoted': [
    '<style>@import url(data:text/css;base64,c3Bhbi5jOjphZnRlcntjb250ZW50OiIxMTExIDExMTEifQ==);</style>',
    HALF,
  ],
  'an @import written with an escape': [
    '<style>@\\69mport url(data:text/css,span.c::after%7Bcontent:%221111%201111%22%7D);</style>',
    HALF,
  ],
  'an @import whose url( is written with an escape': [
    '<style>@import u\\72l(data:text/css,span.c::after%7Bcontent:%221111%201111%22%7D);</style>',
    HALF,
  ],
  // #4: the CSS override inside an isolate.
  'digits turned by unicode-bidi: isolate-override': [
    '',
    '<p>Card: <span style="unicode-bidi:isolate-override;direction:rtl">1111 1111 1111 1114</span></p>',
  ],
  // #1b: quotations past the bound on generated boxes (before: 22 s and 811 MB, past WorkMail's deadline).
  '120,000 quotations with a quotes rule (not read as shown)': [
    '<style>q{quotes:"4" "1" "2" "3"}</style>',
    '<q>a</q>'.repeat(120_000),
  ],
};
const DELIVERED: Record<string, [string, string]> = {
  'an @import of a stylesheet writing no digits': [
    '<style>@import url(data:text/css;base64,LmM6OmFmdGVye2NvbnRlbnQ6IuKAlCJ9);</style>',
    '<p>Order 4111 shipped <span class="c"></span> 1111 items</p>',
  ],
  'right-to-left text in an isolate': [
    '',
    '<p>Order 4111: <span style="unicode-bidi:isolate;direction:rtl">שלום</span> 1111 items</p>',
  ],
  'a thousand quotations': ['<style>q{quotes:"\\201c" "\\201d"}</style>', '<p><q>a</q></p>'.repeat(1000)],
};

describe('attacker round 30: stylesheets imported, overrides in isolates, many quotations (outbound-policy, HTML)', () => {
  for (const [title, [head, body]] of Object.entries(BOUNCED))
    it(`bounces ${title}`, async () => {
      expect(await kit.outbound(page(head, body))).toBe('BOUNCE');
    });
  for (const [title, [head, body]] of Object.entries(DELIVERED))
    it(`delivers ${title}`, async () => {
      expect(await kit.outbound(page(head, body))).toBe('DEFAULT');
    });
});
