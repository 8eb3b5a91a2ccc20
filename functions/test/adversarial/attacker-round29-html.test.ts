import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 29 (session 24), outbound-policy on HTML bodies: each page shows 4111 1111 1111 1111 (Chromium)
// and was delivered (DEFAULT) before the fix (PoCs in .scratch/attack-s29b).

const stack = useLocalStack();
const kit = attackerKit(stack);
const page = (html: string) =>
  mail(
    ['From: Ann <ann@corp.example>', 'To: bob@partner.example', 'Content-Type: text/html; charset=utf-8'],
    `<html><head></head><body>${html}</body></html>`,
  );
const BOUNCED: Record<string, string> = {
  // #3: an override written as a character reference turns what follows it as the raw character does.
  'an override as a hexadecimal reference': '<p>&#x202E;1111 1111 1111 1114&#x202C;</p>',
  'an override as a decimal reference': '<p>&#8238;1111 1111 1111 1114</p>',
  'an override a stylesheet writes': '<style>p::before{content:"\\202e"}</style><p>1111 1111 1111 1114</p>',
  // #4: digits written by generated content.
  'counters reset to the groups':
    '<style>.c::before{content:counter(a)}</style><p><span class=c style="counter-reset:a 4111"></span> <span class=c style="counter-reset:a 1111"></span> <span class=c style="counter-reset:a 1111"></span> <span class=c style="counter-reset:a 1111"></span></p>',
  'single-digit counters counted up by hidden elements, shown elsewhere': `<style>i{counter-increment:a}b::before{content:counter(a) " "}</style><p>${[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1].map((n) => `<span style="counter-reset:a">${'<i></i>'.repeat(n)}<b></b></span>`).join('')}</p>`,
  'counters set in a sibling scope, shown after junk': `<style>.s::before{content:counter(a) " " counter(b) " " counter(c) " " counter(d)}</style><div style="counter-reset:a b c d"><i style="counter-set:a 4111"></i><em style="visibility:hidden">junk</em><i style="counter-set:b 1111 c 1111 d 1111"></i><p>Card:</p><p><span class=s></span></p></div>`,
  'nested counters() joined by an empty string': `<style>ol{counter-reset:a}li{counter-increment:a}li.x::before{content:counters(a,"")}</style><ol><li></li><li></li><li></li><li><ol><li><ol><li><ol><li class=x></li></ol></li></ol></li></ol></li></ol> 1111 1111 1111`,
  'quotes on <q> in an inline style': `<p>see <q style='quotes:"4111 1111 1111 1111" ""'></q></p>`,
  'quotes split over two <q>': `<p><q style='quotes:"4111 " " 1111"'></q><q style='quotes:"1111 " "1111"'></q></p>`,
  'a string list marker (list-style shorthand)': `<ul style='list-style:inside "4111 1111 1111 1111"'><li>&nbsp;</li></ul>`,
  'a string list marker (list-style-type)': `<ul style='list-style-type:"4111 1111 1111 1111 "'><li>&nbsp;</li></ul>`,
  'a custom property of an inline style read by content':
    '<style>p::before{content:var(--x)}</style><p style=\'--x:"4111 1111 1111 1111"\'> </p>',
  'two rules writing a group each':
    '<style>.a::before{content:"4111 1111"}.b::after{content:" 1111 1111"}</style><p><i class=a></i><i class=b></i></p>',
  'a data: stylesheet': `<link rel=stylesheet href="data:text/css,p::before%7Bcontent:%224111%201111%201111%201111%22%7D"><p> </p>`,
  'a @counter-style writing digits': `<style>@counter-style d{system:cyclic;symbols:"4" "1"}li::marker{content:counter(list-item,d)}</style><ol><li>x</li></ol>`,
  // #5: a letter hidden by browsers' defaults or by SVG presentation attributes.
  'a letter in <rp>': '<ruby>4111 1111<rp>x</rp></ruby> 1111 1111',
  'an SVG tspan with display="none"':
    '<svg width="400" height="40"><text x="0" y="20">4111 1111<tspan display="none">x</tspan> 1111 1111</text></svg>',
  'an SVG tspan with font-size="0"':
    '<svg width="400" height="40"><text x="0" y="20">4111 1111 <tspan font-size="0">x</tspan>1111 1111</text></svg>',
  'an SVG tspan with visibility="hidden"':
    '<svg><text x="0" y="20">4111 1111<tspan visibility="hidden">x</tspan> 1111 1111</text></svg>',
  'an SVG tspan with fill="none"':
    '<svg><text y="20">4111 1111<tspan fill="none">x</tspan> 1111 1111</text></svg>',
  'an SVG tspan placed elsewhere':
    '<svg><text y="20">4111 1111<tspan x="900">letters</tspan> 1111 1111</text></svg>',
};
const DELIVERED: Record<string, string> = {
  'a list numbered by counters': `<style>ol{counter-reset:item;list-style:none}li{counter-increment:item}li::before{content:counter(item) ". "}</style><ol><li>Order 4111 shipped</li><li>Invoice 1111 paid</li><li>Call 1111</li><li>Ref 1111</li></ol>`,
  'ruby with fallback parentheses': '<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> order 4111, 1111 items',
  'an SVG chart label':
    '<svg><text x="10" y="20" font-size="12" fill="#333">Q3 4111</text><text x="10" y="40">1111 units</text></svg>',
  'quotes in a stylesheet': `<style>q{quotes:"\\201c" "\\201d"}</style><p><q>4111 1111</q> of <q>1111 1111</q>?</p>`,
};

describe('attacker round 29: digits written by CSS or letters hidden by defaults (outbound-policy, HTML)', () => {
  for (const [title, html] of Object.entries(BOUNCED))
    it(`bounces ${title}`, async () => {
      expect(await kit.outbound(page(html))).toBe('BOUNCE');
    });
  for (const [title, html] of Object.entries(DELIVERED))
    it(`delivers ${title}`, async () => {
      expect(await kit.outbound(page(html))).toBe('DEFAULT');
    });
});
