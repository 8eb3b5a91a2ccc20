import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A48-11: the round-46 generated-content checks look at declarations as written, not as var() resolves them, and
// at `@counter-style` only when spelled out. Chromium resolves custom properties before using a value (CSS
// Variables 1) and unescapes at-keywords (CSS Syntax 4.3.4), so:
//  - `--q: "" "" "4111 " "1111" "1111 " ""; quotes: var(--q)` nests quotes writing digits (A46-2) unseen;
//  - `--c: A 4111 B 1111 C 1111 D 1111 a 0 b 0 c 0 d 0; counter-reset: var(--c)` sets counters that differ only in
//    case (A46-1) unseen;
//  - `@counter-st\79 le card {...}` is `@counter-style card`: its symbols are not read.
const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (html: string) => outboundPage(html);
const cases: [string, string][] = [
  [
    'nested quotes through var()',
    '<style>q{--q:"" "" "4111 " "1111" "1111 " "";quotes:var(--q)}</style><p><q><q><q>1111 </q></q></q></p>',
  ],
  [
    'counter names differing in case through var()',
    '<style>p.c::before{content:counter(A) " " counter(B) " " counter(C) " " counter(D)}</style><p class=c style="--c:A 4111 B 1111 C 1111 D 1111 a 0 b 0 c 0 d 0;counter-reset:var(--c)">.</p>',
  ],
  [
    'escaped @counter-style with escaped symbols',
    '<style>@counter-st\\79 le card { system: cyclic; symbols: \\34 111\\ 1111\\ 1111\\ 1111; suffix: " "; }</style><ul style="list-style:card inside"><li>x</li></ul>',
  ],
];
describe('A48-11: generated content through var() and escaped at-rules', () => {
  for (const [what, html] of cases)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(page(html))).toBe('BOUNCE');
    });
  it('(control) the round-46 spellings bounce', async () => {
    expect(
      await kit.outbound(
        page('<style>q{quotes:"" "" "4111 " "1111" "1111 " ""}</style><p><q><q><q>1111 </q></q></q></p>'),
      ),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(
        page(
          '<style>@counter-style card { system: cyclic; symbols: \\34 111\\ 1111\\ 1111\\ 1111; suffix: " "; }</style><ul style="list-style:card inside"><li>x</li></ul>',
        ),
      ),
    ).toBe('BOUNCE');
  });
});
