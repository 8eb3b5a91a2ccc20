import { describe, expect, it } from 'vitest';
import { attackerKit, outboundPage } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 99: boxes drawn in another order than the markup's, each holding more than one digit group. The
// card `4111 1111 1111 1111` is written `1111 1111` then `4111 1111` (no card as written, nor with its groups turned:
// `1111 4111 1111 1111`), in two boxes a client draws the other way round.
const kit = attackerKit(useLocalStack());
const A = '1111 1111';
const B = '4111 1111';
const LTR = 'display:inline-block;direction:ltr';

describe('A99: two boxes of two groups each, drawn in the other order', () => {
  const cases: Record<string, [string, string?]> = {
    // Apple Mail, Thunderbird: each `right` offset from the container's right edge.
    'absolute spans placed by right': [
      `<div style="position:relative;width:400px;height:20px"><span style="position:absolute;right:0">${A}</span><span style="position:absolute;right:120px">${B}</span></div>`,
    ],
    'absolute spans placed by left and right': [
      `<div style="position:relative;width:400px;height:20px"><span style="position:absolute;right:0">${A}</span><span style="position:absolute;left:0">${B}</span></div>`,
    ],
    'absolute spans placed by a stylesheet': [
      `<div class="w"><span class="p">${A}</span><span class="q">${B}</span></div>`,
      '.w{position:relative}.p{position:absolute;left:130px}.q{position:absolute;left:0}',
    ],
    'an absolute span before the container’s own text': [
      `<div style="position:relative;padding-left:90px">${A}<span style="position:absolute;left:0;top:0">${B}</span></div>`,
    ],
    'floats each under an inline wrapper': [
      `<div><b><span style="float:right">&nbsp;${A}</span></b><i><span style="float:right">${B}</span></i></div>`,
    ],
    'absolute spans each under a link': [
      `<div style="position:relative"><a href="#"><span style="position:absolute;left:130px">${A}</span></a><a href="#"><span style="position:absolute;left:0">${B}</span></a></div>`,
    ],
    // Apple Mail, Thunderbird, Gmail (keeps transforms).
    'inline blocks moved by translateX': [
      `<div><span style="display:inline-block;transform:translateX(90px)">${A}</span><span style="display:inline-block;transform:translateX(-90px)">${B}</span></div>`,
    ],
    'inline blocks moved by a negative margin': [
      `<div><span style="display:inline-block;margin-left:90px">${A}</span><span style="display:inline-block;margin-left:-170px">${B}</span></div>`,
    ],
    'spans moved by position relative': [
      `<div><span style="position:relative;left:80px">${A}</span><span style="position:relative;left:-80px">${B}</span></div>`,
    ],
    // Every client that does bidi (Apple Mail, Gmail, Thunderbird, Outlook on the web): isolated or atomic boxes
    // in a right-to-left line are drawn right to left, each box's own text left to right.
    'left-to-right inline blocks in a right-to-left line': [
      `<div style="direction:rtl"><span style="${LTR}">${A}</span> <span style="${LTR}">${B}</span></div>`,
    ],
    'left-to-right isolates in a right-to-left paragraph': [
      `<p dir="rtl"><bdi dir="ltr">${A}</bdi> <span dir="ltr">${B}</span></p>`,
    ],
    'an override turning two left-to-right boxes': [
      `<div style="unicode-bidi:bidi-override;direction:rtl"><span style="${LTR}">${A}</span><span style="${LTR}">&nbsp;${B}</span></div>`,
    ],
    'left-to-right cells of a right-to-left table': [
      `<table dir="rtl"><tr><td dir="ltr">${A}</td><td dir="ltr">${B}</td></tr></table>`,
    ],
    'a right-to-left table with a spanning cell': [
      `<table dir="rtl"><tr><td colspan="2" style="direction:ltr">${A}</td><td style="direction:ltr">${B}</td></tr></table>`,
    ],
    // Apple Mail, Thunderbird: chunks drawn where `x` puts them, the anchor and shifts applied.
    'SVG texts anchored at their end': [
      `<svg width="400" height="20"><text x="380" y="15" text-anchor="end">${A}</text><text x="10" y="15">${B}</text></svg>`,
    ],
    'SVG texts placed by dx': [
      `<svg width="400" height="20"><text y="15"><tspan dx="120">${A}</tspan><tspan dx="-200">${B}</tspan></text></svg>`,
    ],
    'SVG texts moved by a transform': [
      `<svg width="400" height="20"><text x="0" y="15" transform="translate(150 0)">${A}</text><text x="0" y="15">${B}</text></svg>`,
    ],
    'SVG groups moved by a transform': [
      `<svg width="400" height="20"><g transform="translate(150)"><text y="15">${A}</text></g><g><text y="15">${B}</text></g></svg>`,
    ],
    'SVG text on paths': [
      `<svg width="400" height="40"><defs><path id="p" d="M150 15 H400"/><path id="q" d="M0 15 H150"/></defs><text><textPath href="#p">${A}</textPath></text><text><textPath href="#q">${B}</textPath></text></svg>`,
    ],
  };
  for (const [name, [body, head]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
});

describe('held: boxes in another order (already refused)', () => {
  const cases: Record<string, [string, string?]> = {
    'flex items of two groups each, by order': [
      `<div style="display:flex"><span style="order:2">&nbsp;${A}</span><span style="order:1">${B}</span></div>`,
    ],
    'grid cells of two groups each': [
      `<div style="display:grid"><span style="grid-column:2;grid-row:1">&nbsp;${A}</span><span style="grid-column:1;grid-row:1">${B}</span></div>`,
    ],
    'characters turned by an override in one box': [
      '<span style="unicode-bidi:bidi-override;direction:rtl">1111 1111 1111 1114</span>',
    ],
    'a bdo': ['<bdo dir="rtl">1111 1111 1111 1114</bdo>'],
    'columns of a multi-column box': [
      `<div style="column-count:2;column-gap:0"><div>4111 1111</div><div>&nbsp;1111 1111</div></div>`,
    ],
  };
  for (const [name, [body, head]] of Object.entries(cases))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('BOUNCE');
    });
});

describe('benign controls (sent)', () => {
  const cases: Record<string, [string, string?]> = {
    'a two-column layout of floated prose': [
      '<div><div style="float:left;width:48%">Our autumn range is in stores now, with 20 new colours.</div><div style="float:right;width:48%">Visit us at 12 High Street, open 9 to 17, or call 020 7946 0958.</div></div>',
    ],
    'a right-floated price table with order numbers': [
      '<table align="right"><tr><td>Order 2026-004211</td><td>12.50 EUR</td></tr><tr><td>Order 2026-004212</td><td>7.00 EUR</td></tr></table><p>Thank you for your order 4471 2290.</p><span style="float:right">Total 19.50</span><span style="float:right">Ref 5512 8830</span>',
    ],
    'an SVG chart with axis labels': [
      '<svg width="400" height="200"><g transform="translate(40 180)"><text x="300" text-anchor="middle">300</text><text x="200" text-anchor="middle">200</text><text x="100" text-anchor="middle">100</text><text x="0" text-anchor="middle">0</text></g><text transform="rotate(-90)" x="-100" y="15">Orders 2026</text><text x="120" y="20" dx="4">Q1 1200</text><text x="20" y="20">Q4 3400</text></svg>',
    ],
    'absolutely positioned badges': [
      '<div style="position:relative"><img src="cid:x" alt="shoe"><span style="position:absolute;top:8px;left:8px">NEW</span><span style="position:absolute;top:8px;right:8px">-20% until 31.12.2026</span><span style="position:absolute;bottom:4px;right:4px">Art. 4711 0815</span></div>',
    ],
    'a right-to-left table of dates, phones and references': [
      '<table dir="rtl"><tr><td dir="ltr">2026-12-07</td><td dir="ltr">+972 3 555 0199</td><td dir="ltr">PO 2026/4471/12</td></tr><tr><td dir="ltr">Ref 4471 2290</td><td dir="ltr">1200 3400</td><td>שלום</td></tr></table>',
    ],
    'positioned boxes holding groups that make no card in any order': [
      '<div style="position:relative"><span style="position:absolute;left:150px">1234 5678</span><span style="position:absolute;right:0">9012 3456</span><span style="position:relative;left:-4px">7890 1234</span></div>',
    ],
  };
  for (const [name, [body, head]] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body, head))).toBe('DEFAULT');
    });
});

describe('left open (sent): orders the readers neither work out nor turn', () => {
  const cases: Record<string, string> = {
    // Apple Mail, Thunderbird: `4111 1111 1111 1111`. Three boxes moved by offsets in an order that is not the
    // reverse of the markup's: the readers read such boxes as written and reversed, not in every order.
    'three inline blocks moved by translateX': `<div><span style="display:inline-block;transform:translateX(45px)">1111 1111</span><span style="display:inline-block;transform:translateX(-80px)">4111</span><span style="display:inline-block">&nbsp;1111</span></div>`,
    // SVG characters placed by a list of `x` coordinates: moved to attacker-round104-dlp-orders.test.ts (round 104).
    // As written here (rising `x`) the case drew `1111 1111 1111 1114`, no card; the attack lists them falling.
  };
  for (const [name, body] of Object.entries(cases))
    it.fails(`would bounce ${name}`, async () => {
      expect(await kit.outbound(outboundPage(body))).toBe('BOUNCE');
    });
});
