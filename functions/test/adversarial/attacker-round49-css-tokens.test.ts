import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// A49-12/13: the shown-text reader's stylesheet scanners did not tokenize as CSS Syntax Level 3 does (§4), so a
// hiding rule a browser applies was lost and the decoy (XX) it hides between a card's groups was read: the card
// the recipient sees (`4111 1111 1111 1111`) was not. The comment stripper ran before strings were known (`/*`
// inside a string opened a comment that ran to a `*/` in a later one), a string broken by a line break (a bad
// string: the declaration is dropped, the block goes on) stayed open over the rules after it, url tokens were
// read as strings, `<!--` / `-->` between rules (ignored by CSS) were read into the next selector, `}` inside a
// function's `(…)` closed its rule, decoded escapes (`\"`, `\;`) split values, and a `]` or `)` inside a selector's
// string ended its attribute selector or pseudo-class.
const stack = useLocalStack();
const kit = attackerKit(stack);

const DECOY = '<div>4111 1111<span class=h>XX</span> 1111 1111</div>';
const HIDE = '.h{display:none}';

/** [what, <style> text, body]. */
const bypasses: [string, string, string][] = [
  // A49-12: comments inside strings.
  ['`/*` … `*/` inside two strings', `.a{content:"/*"}${HIDE}.b{content:"*/"}`, DECOY],
  ['the same in single quotes', `.a{content:'/*'}${HIDE}.b{content:'*/'}`, DECOY],
  ['inside attribute selector strings', `[title="/*"]{color:red}${HIDE}[title="*/"]{color:red}`, DECOY],
  [
    'in a style attribute',
    '',
    `<div>4111 1111<span style="a:'/*';display:none;b:'*/'">XX</span> 1111 1111</div>`,
  ],
  ['an escaped slash before `*`', `.a\\/*x{}${HIDE}/**/`, DECOY],
  // A49-13: a string broken by a line break ends there as a bad string.
  ['a string broken by a line break', `.a{x:"\n}${HIDE}`, DECOY],
  ['a single-quoted one', `.a{x:'\n}${HIDE}`, DECOY],
  ['a bad string in the declaration after the hiding one', '.h{display:none;display:"\n;}', DECOY],
  [
    'a bad string in a style attribute',
    '',
    `<div>4111 1111<span style='display:none;display:"\n'>XX</span> 1111 1111</div>`,
  ],
  // Url tokens: `/*`, quotes, braces inside are the token's own (a quote makes it a bad url, which ends at `)`).
  ['`/*` … `*/` inside url tokens', `.a{background:url(/*)}${HIDE}.b{background:url(*/)}`, DECOY],
  ['url tokens spelt URL( and u\\72l(', `.a{background:URL(/*)}${HIDE}.b{background:u\\72l(*/)}`, DECOY],
  ['a quote inside a url token', `.a{background:url(x"y)}${HIDE}.b{c:"}`, DECOY],
  ['a brace inside a url token', `.a{background:url({)}${HIDE}`, DECOY],
  ['an escaped ) inside a bad url token', `.a{background:url(a\\)b{)}${HIDE}`, DECOY],
  // CDO / CDC between a sheet's rules.
  ['<!-- … --> around the rules', `<!-- ${HIDE} -->`, DECOY],
  ['<!-- on a line of its own', `<!--\n${HIDE}\n-->`, DECOY],
  // Blocks: `}` inside (…) or […] does not close the rule; `{` inside (…) does not open it.
  ['a } inside a function', `.a{x:f(})}${HIDE}`, DECOY],
  ['a } inside [ ]', `.a{x:[}]}${HIDE}`, DECOY],
  ['a { } inside :is()', '.a:is(x{}) .h, .h{display:none}', DECOY],
  ['a ) inside a string in :not()', '.h:not([data-y=")"]){display:none}', DECOY],
  ['a ) inside a string in :is()', ':is([data-y=")"], .h){display:none}', DECOY],
  // Escapes decoded only where they do not change the structure.
  ['an escaped quote in a string', '.h{content:"\\"";display:none}', DECOY],
  ['an escaped semicolon in a value', '.h{display:none;x:a\\;display:inline}', DECOY],
  [
    'an escaped semicolon in a style attribute',
    '',
    '<div>4111 1111<span style="display:none;x:a\\;display:inline">XX</span> 1111 1111</div>',
  ],
  [
    'a ] inside an attribute selector string',
    '[data-x="]"]{display:none}',
    '<div>4111 1111<span data-x="]">XX</span> 1111 1111</div>',
  ],
  [
    'an escaped quote inside an attribute selector string',
    '[data-x="a\\"b"]{display:none}',
    "<div>4111 1111<span data-x='a\"b'>XX</span> 1111 1111</div>",
  ],
];

// The decoy shows in a browser: these sheets leave it alone.
const controls: [string, string][] = [
  ['strings holding braces and a commented-out rule', `.a{content:"} ${HIDE}"} /* ${HIDE} */ .h{color:#333}`],
  ['quotes inside comments', `/* " */ .h{color:#333} /* " */`],
  [
    'a framework sheet: comments, url tokens, fonts',
    `<!--\n/* reset */ body{margin:0} .a{background:url(data:image/png;base64,AAAA) no-repeat;font-family:"Segoe UI",'Helvetica Neue',sans-serif} .h{color:#333} /* } */\n-->`,
  ],
  ['a bad string that drops its declaration only', '.h{color:#333;display:"none\n}'],
  ['a rule commented out after a url token', '.a{background:url(x.png)} /* .h{display:none} */'],
];

describe('A49-12/13: a hiding rule the stylesheet scanners lost', () => {
  for (const [what, head, body] of bypasses)
    it(`bounces: ${what}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
  for (const [what, head] of controls)
    it(`(control) sends: ${what}`, async () => {
      expect(await kit.outbound(outboundPage(DECOY, head))).toBe('DEFAULT');
    });
  it('(control) the card shown whole with such a sheet bounces', async () => {
    expect(await kit.outbound(outboundPage('<div>4111 1111 1111 1111</div>', controls[2]?.[1]))).toBe(
      'BOUNCE',
    );
  });
});
