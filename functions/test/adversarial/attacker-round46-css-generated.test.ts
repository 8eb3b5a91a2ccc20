import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 46, the shown-text reading of outbound-policy's DLP against what Chromium draws:
// A46-1 counter names are case-sensitive (`counter-reset: A 4111 … a 0`, `counter(A)`): the reading lowercased
//   them, so the decoy `a 0` replaced `A 4111`. Names that differ only in case now leave the page undecided.
// A46-2 nested quotes take the `quotes` pair of their depth; the reading used the outermost. Digits in a deeper
//   pair now leave the page undecided.
// A46-4 `@counter-style` symbols written as identifiers with escaped digits (`symbols: \34 111\ 1111`) passed the
//   "writes digits" check once decoded into bare numbers. An escape there now leaves the page undecided.
// A46-5 a decoy between two groups in content browsers never draw: SVG `desc`/`title`, MathML `annotation`, an
//   `<object>`'s fallback when it has data, a closed `<dialog>`, a drop-down's other options, the unslotted children
//   of a declarative shadow root. Now read as browsers draw them (the shadow root: undecided).
// A46-6 `::first-letter { font-size: 0 }` hid the decoy starting an inline block; the reading without first letters
//   also dropped the first digit of every other element. It now also drops only first letters that are no digit.
const stack = useLocalStack();
const kit = attackerKit(stack);
const root = `${import.meta.dirname}/fixtures/round46`;
const cases: Record<string, string[]> = {
  'A46-1-counter-name-case': ['upper-counters', 'upper-counters-sibling'],
  'A46-2-nested-quotes': ['three-levels'],
  'A46-4-counter-style-ident-symbols': ['symbols-ident', 'additive-ident', 'prefix-ident'],
  'A46-5-ua-hidden-decoy': [
    'svg-desc-title',
    'math-annotation',
    'object-fallback',
    'dialog-closed',
    'select-options',
    'shadow-root-unslotted',
  ],
  'A46-6-first-letter-decoy': ['first-letter-size0', 'first-letter-transparent', 'first-letter-punct'],
};
const page = (body: string) => outboundPage(body);

describe('attacker round 46: generated content and never-drawn content', () => {
  for (const [dir, files] of Object.entries(cases))
    for (const name of files)
      it(`bounces ${dir.slice(0, 5)} ${name}`, async () => {
        expect(await kit.outbound(readFileSync(`${root}/${dir}/${name}.eml`))).toBe('BOUNCE');
      });

  it('still finds a card drawn where browsers do draw: an open dialog, an object without data, an HTML <desc>', async () => {
    for (const body of [
      '<dialog open>4111 1111 1111 1111</dialog>',
      '<object>4111 1111 1111 1111</object>',
      '<div>4111 1111 <desc>1111 1111</desc></div>',
      '<select><option>x</option><option selected>4111 1111 1111 1111</option></select>',
    ])
      expect(await kit.outbound(page(body)), body).toBe('BOUNCE');
  });

  it('sends ordinary pages that use these features (controls)', async () => {
    for (const body of [
      '<style>ol{counter-reset:Item}li::before{content:counter(Item) ". ";counter-increment:Item}</style><ol><li>Book</li><li>Pay</li></ol>',
      '<style>q{quotes:"\\201C" "\\201D" "\\2018" "\\2019"}</style><p><q>She said <q>yes</q></q></p>',
      '<style>@counter-style thumbs{system:cyclic;symbols:"👍";suffix:" "}</style><ul style="list-style:thumbs"><li>Fine</li></ul>',
      '<select><option>Monday</option><option>Tuesday</option></select>',
      '<style>p::first-letter{font-size:2em}</style><p>Dear Bob, invoice 2026-1124 is paid.</p>',
    ])
      expect(await kit.outbound(page(body)), body).toBe('DEFAULT');
  });
});
