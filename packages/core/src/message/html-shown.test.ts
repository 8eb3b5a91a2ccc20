import { describe, expect, it } from 'vitest';
import { ReadingDeadline, TIME_RAN_OUT } from '../mime/reading-deadline.js';
import { dataUrlText } from './css-rules.js';
import { transformHides } from './css-transforms.js';
import { cssPlain, declarations, lengthPx, parseColor } from './css-values.js';
import { htmlShownTexts } from './html-shown.js';
import { htmlToText } from './html-text.js';
import { xmlShownText } from './xml-shown.js';

const CARD = '4111 1111 1111 1111';
const X = '<span style="display:none">x</span>';
/** True when some reader is shown the card whole (runs of white space read as one). */
const seenWhole = (html: string) =>
  htmlShownTexts(html).texts.some((t) => t.replace(/\s+/g, ' ').includes(CARD));
// The card with `hidden` between its second and third groups.
const split = (hidden: string) => `4111 1111${hidden} 1111 1111`;

describe('htmlShownTexts: text the page hides between two groups is left out', () => {
  const cases: Record<string, string> = {
    'display:none': split(X),
    'visibility:hidden': split('<span style="visibility: hidden">x</span>'),
    'a 1px font': split('<span style="font-size: 1px">x</span>'),
    'a zero font size in the font shorthand': split('<span style="font:bold 0px Arial">x</span>'),
    'calc()': split('<span style="font-size:calc(0px)">x</span>'),
    'a custom property': split('<span style="--z:0px;font-size:var(--z)">x</span>'),
    'opacity 0': split('<span style="opacity:0.0">x</span>'),
    'filter: opacity(0)': split('<span style="filter:opacity(0)">x</span>'),
    'white on white': split('<span style="color:#FFF">x</span>'),
    'white in oklch': split('<span style="color:oklch(1 0 0)">x</span>'),
    'black on a black cell': `<div style="background:#000;color:#fff">4111 1111<span style="color:#000">x</span> 1111 1111</div>`,
    'the hidden attribute': split('<span hidden>x</span>'),
    'a class hidden by a <style> block after it': `${split('<b class="a h">x</b>')}<style>.h{display:none}</style>`,
    'an attribute selector': `<style>[data-n]{display:none}</style>${split('<b data-n>x</b>')}`,
    'a script': split('<script>x</script>'),
    'moved off screen': split('<span style="position:absolute;left:-99vw">x</span>'),
    translateX: split('<span style="display:inline-block;transform:translateX(-9999px)">x</span>'),
    'the scale property': split('<span style="display:inline-block;scale:0">x</span>'),
    'scale3d(0,0,0)': split('<span style="display:inline-block;transform:scale3d(0,0,0)">x</span>'),
    'turned edge-on': split('<span style="display:inline-block;transform:rotateY(90deg)">x</span>'),
    'a box under a pixel wide, overflow hidden': split(
      '<span style="display:inline-block;width:.01px;overflow:hidden">x</span>',
    ),
    'a closed <details>': split('<details><summary></summary>x</details>'),
    'a formatting element the parser reopens': `<span>4111 1111<b style="display:none"></span>x</b> 1111 1111`,
    'an end tag inside foreignObject, which cannot close the hidden span': `${`<span style="display:none"><svg><foreignObject></span>x</foreignObject></svg></span>`.replace(
      /^/,
      '4111 1111',
    )} 1111 1111`,
    'a CSS escape and a comment in the property': split('<span style="\\64 isplay:/**/none">x</span>'),
  };
  for (const [name, html] of Object.entries(cases)) {
    it(`${name}`, () => {
      expect(htmlToText(html).replace(/\s+/g, ' ')).not.toContain(CARD);
      expect(seenWhole(html)).toBe(true);
    });
  }
});

describe('htmlShownTexts: what a reader sees is kept, so a page cannot hide the digits from the shown reading', () => {
  const cases: Record<string, string> = {
    'white text on a dark block': `<div style="background:#222;color:#fff">${split(X)}</div>`,
    'a block a phone-only rule hides': `<style>@media (max-width:480px){.desktop{display:none}}</style><div class="desktop">${split(X)}</div>`,
    'a print-only stylesheet': `<style media="print">.c{display:none}</style><div class="c">${split(X)}</div>`,
    'a stylesheet inside a comment': `<!-- <style>.c{display:none}</style> --><div class="c">${split(X)}</div>`,
    'a descendant rule whose ancestor is missing': `<style>.a .b{display:none}</style><div class="b">${split(X)}</div>`,
    'a class of another case in standards mode': `<!doctype html><style>.H{display:none}</style><div class="h">${split(X)}</div>`,
    'the hidden attribute overridden by a style': `<div hidden style="display:block">${split(X)}</div>`,
    'a zero font size under children that set theirs': `<div style="font-size:0"><span style="font-size:16px">4111 1111</span>${X}<span style="font-size:16px"> 1111 1111</span></div>`,
    'children visible under a hidden parent': `<div style="visibility:hidden"><span style="visibility:visible">${split(X)}</span></div>`,
    'text written in the head': `<html><head>${split(X)}</head></html>`,
    "an object's fallback": `<object>${split(X)}</object>`,
    'a conditional comment Outlook shows': `<!--[if mso]>${split(X)}<![endif]-->`,
    'CDATA in SVG text': `<svg><text><![CDATA[${CARD}]]></text></svg>`,
    "an option's label": `<select><option label="${CARD}">x</option></select>`,
    'a card written backwards under a CSS right-to-left override': `<p style="unicode-bidi:bidi-override;direction:rtl">1111 1111 1111 1114</p>`,
    'digits sized in rem against a large root font': `<!doctype html><html style="font-size:100px"><body style="font-size:16px"><p><span style="font-size:.2rem">4111 1111</span>${X}<span style="font-size:.2rem"> 1111 1111</span></p></body></html>`,
  };
  for (const [name, html] of Object.entries(cases)) {
    it(`${name}`, () => {
      expect(seenWhole(html)).toBe(true);
    });
  }

  it('reads an ordinary page as written, and leaves a short text out only where a style it does not model could hide it', () => {
    const plain = htmlShownTexts('<p>visible <b style="color:#333">text</b> 4111</p>').texts;
    expect(plain.map((t) => t.replace(/[\s\u00b6]+/g, ' ').trim())).toEqual(['visible text 4111']);
    const masked = htmlShownTexts('<p>visible <b style="mask-image:url(x.png)">text</b> 4111</p>').texts;
    expect(masked.map((t) => t.replace(/[\s\u00b6]+/g, ' ').trim())).toContain('visible 4111');
  });

  it('leaves what Outlook alone is shown out of the other readings, and mso-hide:all out of Outlook’s', () => {
    const texts = htmlShownTexts('a<!--[if mso]>b<![endif]--><span style="mso-hide:all">c</span>').texts.map(
      (t) => t.replace(/\s+/g, ''),
    );
    expect(texts).toContain('ac');
    expect(texts).toContain('ab');
  });

  it('gives up, as undecided, on styles too costly to match', () => {
    // Each rule's first class is on every ancestor (the ancestor filter lets it through); its second is on none.
    const css = Array.from({ length: 500 }, (_, i) => `.x.q${i} div{display:none}`).join('');
    const shown = htmlShownTexts(`<style>${css}</style>${'<div class="x">'.repeat(3000)}x`);
    expect(shown.undecided).toMatch(/too costly/);
  });
});

describe('xmlShownText (Word)', () => {
  const run = (t: string, props = '') =>
    `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t>${t}</w:t></w:r>`;
  it('leaves out hidden runs, after other properties too, and white or tiny text', () => {
    for (const props of [
      '<w:vanish/>',
      '<w:rFonts w:ascii="Arial"/><w:b/><w:i/><w:vanish/>',
      '<w:color w:val="FFFFFF"/>',
      '<w:sz w:val="1"/>',
    ]) {
      const text = xmlShownText(run('4111 1111') + run('x', props) + run(' 1111 1111'));
      expect(text.replace(/\s+/g, ' ')).toContain(CARD);
    }
  });
  it('keeps runs that show: vanish off, white on dark shading', () => {
    expect(xmlShownText(run('shown', '<w:vanish w:val="false"/>'))).toMatch(/shown/);
    expect(xmlShownText(run('shown', '<w:color w:val="FFFFFF"/><w:shd w:fill="000000"/>'))).toMatch(/shown/);
  });
});

describe('CSS values', () => {
  it('reads declarations, lengths, colours and transforms as the CSS parser does', () => {
    expect(cssPlain('Display : None /* x */ !important')).toBe('display:none!important');
    expect(declarations(cssPlain('color: red; COLOR: blue')).get('color')?.value).toBe('blue');
    expect(lengthPx('calc(2px*3 - 1px)', { fontPx: 16, percentOf: 0 })).toBe(5);
    expect(lengthPx('1e-9px', { fontPx: 16, percentOf: 0 })).toBe(1e-9);
    expect(parseColor('rgb(255 255 255 / .1)')?.a).toBeCloseTo(0.1);
    expect(parseColor('hwb(0 100% 0%)')?.r).toBe(255);
    expect(transformHides('scale(1e-9)', { fontPx: 16, percentOf: 0 })).toBe(true);
    expect(transformHides('rotate(10deg)', { fontPx: 16, percentOf: 0 })).toBe(false);
  });
});

describe('inline elements are laid out with their neighbours (attacker round 9)', () => {
  it('puts no space at an inline tag or a comment, in the full text and in every reading', () => {
    for (const html of [
      '<p>Card number: 4111 1111 1111 11<b>11</b></p>',
      '<p>4111 1111 1111 11<a href="tel:1">11</a></p>',
      '<span>4111 1111 1111 11</span><span>11 12/29</span>',
      '<p>4111 1111 1111 11<!-- x -->11</p>',
    ]) {
      expect(htmlToText(html).replace(/\s+/g, ' '), html).toContain(CARD);
      expect(seenWhole(html), html).toBe(true);
    }
  });

  it('keeps a space at a block, a cell, a line break or an image', () => {
    for (const html of [
      '4111<div>1111</div>',
      '<td>4111</td><td>1111</td>',
      '4111<br>1111',
      '4111<img src=x>1111',
    ]) {
      expect(htmlToText(html), html).toMatch(/4111\s+1111/);
    }
  });
});

describe('htmlShownTexts: text stylesheets write (attacker round 29)', () => {
  it('writes counters where their boxes are, and refuses counters it cannot bound', () => {
    const counted = `<style>.c::before{content:counter(a)}</style><p><b class=c style="counter-reset:a 4111"></b> <b class=c style="counter-reset:a 1111"></b> <b class=c style="counter-reset:a 1111"></b> <b class=c style="counter-reset:a 1111"></b></p>`;
    expect(seenWhole(counted)).toBe(true);
    const deep = `<style>li::before{content:counters(a,".")}ol{counter-reset:a}li{counter-increment:a}</style>${'<ol><li>'.repeat(70)}x`;
    expect(htmlShownTexts(deep).undecided).toBe('counters nested too deep');
    const long = `<style>li::before{content:counters(a,"${'.'.repeat(4000)}")}ol{counter-reset:a}li{counter-increment:a}</style>${'<ol><li>'.repeat(20)}x`;
    expect(htmlShownTexts(long).undecided).toBe('stylesheets write too much text');
    expect(htmlShownTexts('<ol><li>one</li><li>two</li></ol>').undecided).toBeUndefined();
  });
});

describe('htmlShownTexts: attacker round 30', () => {
  it('stops, undecided, past its bound on generated boxes, and counts only the boxes something writes', () => {
    const quotes = '<style>q{quotes:"4" "1" "(" ")"}</style>';
    // 26,000 quotations: 52,000 boxes. The reading stops at the bound, in the first reader's view.
    expect(htmlShownTexts(`${quotes}${'<q>a</q>'.repeat(26_000)}`).undecided).toBe(
      'over 50000 generated boxes',
    );
    // A quotation without a `quotes` rule writes nothing and counts nothing.
    expect(htmlShownTexts('<q>a</q>'.repeat(26_000)).undecided).toBeUndefined();
    expect(seenWhole('<style>q{quotes:"4111" "1111"}</style><p>Card: <q> 1111 1111 </q></p>')).toBe(true);
  });

  it('stops at the reading deadline, undecided', () => {
    const late = htmlShownTexts('<b>a</b>'.repeat(5000), new ReadingDeadline(Date.now() - 1));
    expect(late.undecided).toBe(TIME_RAN_OUT);
    expect(htmlShownTexts('<b>a</b>'.repeat(5000), new ReadingDeadline()).undecided).toBeUndefined();
  });

  it('reads data: stylesheets imported with quotes, spaces, base64 and escaped names', () => {
    const page = (sheet: string) => `<style>${sheet}</style><p>Card: 4111 1111 <span class="c"></span></p>`;
    for (const sheet of [
      '@import url("data:text/css,span.c::after{content:%221111 1111%22}");',
      `@import url('data:text/css,span.c::after%7Bcontent:"1111%201111"%7D');`,
      '@import "data:text/css,span.c::after{content:\\"1111 1111\\"}";',
      '@import url(data:text/css;base64,c3Bhbi5jOjphZnRlcntjb250ZW50OiIxMTExIDExMTEifQ==);',
      '@\\69mport url(data:text/css,span.c::after%7Bcontent:%221111%201111%22%7D);',
      '@import u\\72l(data:text/css,span.c::after%7Bcontent:%221111%201111%22%7D);',
      '@import url(data:text/css;charset=utf-8,span.c::after{content:%221111%201111%22}) screen;',
    ])
      expect(seenWhole(page(sheet)), sheet).toBe(true);
  });

  it('turns text under unicode-bidi: isolate-override as under bidi-override', () => {
    expect(
      seenWhole(
        '<p>Card: <span style="unicode-bidi:isolate-override;direction:rtl">1111 1111 1111 1114</span></p>',
      ),
    ).toBe(true);
  });
});

describe('htmlShownTexts: attacker round 35', () => {
  const LABEL = 'OCR:';
  // True when every reader but the one keeping layout sees the label (it is not hidden, nor unsure).
  const labelShown = (label: string) => {
    const { texts } = htmlShownTexts(`<p>Your card: ${label} ${CARD}</p>`);
    return texts.every((t) => t.includes(LABEL));
  };
  const box = (style: string) => `<span style="display:inline-block;${style}">${LABEL}</span>`;

  it('leaves out what <audio> and <video> hold for a browser that plays them, not for Outlook', () => {
    expect(labelShown(`<audio>${LABEL}</audio>`)).toBe(false);
    expect(labelShown(`<video controls>${LABEL}</video>`)).toBe(false);
    expect(seenWhole(`<audio>${CARD}</audio>`)).toBe(true);
    expect(labelShown(`<audio controls></audio>${LABEL}`)).toBe(true);
  });

  it('reads a small font-size-adjust as hiding, an ordinary one as not', () => {
    expect(labelShown(`<span style="font-size-adjust:0">${LABEL}</span>`)).toBe(false);
    expect(labelShown(`<span style="font-size-adjust:ex-height calc(0)">${LABEL}</span>`)).toBe(false);
    expect(labelShown(`<span style="font-size-adjust:0.5">${LABEL}</span>`)).toBe(true);
    expect(labelShown(`<span style="font-size-adjust:from-font">${LABEL}</span>`)).toBe(true);
  });

  it('reads 3D turns, depth and hidden backs as not shown, and the common flat transforms as shown', () => {
    expect(labelShown(box('rotate:y 180deg;backface-visibility:hidden'))).toBe(false);
    expect(labelShown(box('scale:1 1 -1;backface-visibility:hidden'))).toBe(false);
    expect(labelShown(box('translate:0 0 20px'))).toBe(false);
    expect(
      labelShown(
        `<span style="display:inline-block;perspective:10px">${box('transform:rotateX(45deg)')}</span>`,
      ),
    ).toBe(false);
    expect(
      labelShown(
        `<span style="display:inline-block;transform:rotateY(180deg)">${box('backface-visibility:hidden')}</span>`,
      ),
    ).toBe(false);
    for (const style of [
      'transform:translate(-50%,-50%)',
      'rotate:90deg',
      'scale:2',
      'transform:translateZ(0);backface-visibility:hidden',
      'perspective:none',
    ])
      expect(labelShown(box(style)), style).toBe(true);
    expect(
      labelShown(
        `<span style="display:inline-block;perspective:800px">${box('transform:rotate(3deg)')}</span>`,
      ),
    ).toBe(true);
  });
});

describe('htmlShownTexts: attacker round 36', () => {
  const LABEL = 'OCR:';
  const labelShown = (label: string, css = '') => {
    const { texts } = htmlShownTexts(`<style>${css}</style><p>Your card: ${label} ${CARD}</p>`);
    return texts.every((t) => t.includes(LABEL));
  };
  const styled = (css: string) => labelShown(`<span class="l">${LABEL}</span>`, css);
  const box = (style: string, inner = LABEL) => `<span style="display:inline-block;${style}">${inner}</span>`;

  it('reads a label animated by keyframes that may hide it as not shown, one fading in elsewhere as shown', () => {
    expect(styled('@keyframes h { to { opacity: 0 } } .l { animation: h .01s forwards }')).toBe(false);
    expect(styled('@keyframes h { to { font-size: 0 } } .l { animation-name: h }')).toBe(false);
    expect(styled('.l { animation: nowhere 1s }')).toBe(false);
    expect(styled('@keyframes f { from { opacity: 0 } to { opacity: 1 } } .hero { animation: f 1s }')).toBe(
      true,
    );
    expect(
      styled('@keyframes p { to { transform: scale(1.05) } } .l { animation: p 1s infinite alternate }'),
    ).toBe(true);
    expect(
      seenWhole(`<style>@keyframes h{to{opacity:0}} p{animation:h 1s forwards}</style><p>${CARD}</p>`),
    ).toBe(true);
  });

  it('resolves var() of a registered property to its initial value, and does not inherit one that does not', () => {
    const number = "@property --o { syntax: '<number>'; inherits: false; initial-value: 0 }";
    expect(styled(`${number} .l { opacity: var(--o, 1) }`)).toBe(false);
    expect(styled(`${number} p { --o: 1 } .l { opacity: var(--o) }`)).toBe(false);
    expect(styled(`${number} .l { --o: 1; opacity: var(--o) }`)).toBe(true);
    expect(styled(`${number} .l { --o: 100%; opacity: var(--o) }`)).toBe(false);
    expect(
      styled(
        "@property --c { syntax: '<color>'; inherits: false; initial-value: #fff } .l { color: var(--c, #000) }",
      ),
    ).toBe(false);
    expect(
      styled(
        "@property --d { syntax: '<custom-ident>'; inherits: false; initial-value: a } .l { display: var(--d, inline) }",
      ),
    ).toBe(false);
    expect(styled(`${number} .l { opacity: var(--other, 1) }`)).toBe(true);
  });

  it('multiplies zoom and scale down the tree, and applies them to the font size', () => {
    expect(labelShown(`<span style="zoom:0.3"><span style="zoom:0.3">${LABEL}</span></span>`)).toBe(false);
    expect(labelShown(`<span style="zoom:0.25;font-size:6px">${LABEL}</span>`)).toBe(false);
    expect(labelShown(`<span style="zoom:0.5"><b style="font-size:6px">${LABEL}</b></span>`)).toBe(false);
    expect(labelShown(box('transform:scale(0.3)', box('transform:scale(0.3)')))).toBe(false);
    expect(labelShown(box('scale:0.3;font-size:5px'))).toBe(false);
    expect(labelShown(`<span style="zoom:calc(0.1)">${LABEL}</span>`)).toBe(false);
    expect(labelShown(`<span style="zoom:0.5">${LABEL}</span>`)).toBe(true);
    expect(labelShown(`<span style="zoom:0.8"><span style="zoom:0.8">${LABEL}</span></span>`)).toBe(true);
    expect(labelShown(`<span style="zoom:normal">${LABEL}</span>`)).toBe(true);
    // An enlarging transform (which an inline box ignores) offsets no shrinking below it.
    expect(labelShown(`<span style="transform:scale(5)"><span style="zoom:0.1">${LABEL}</span></span>`)).toBe(
      false,
    );
  });

  it('turns a transform about its transform-origin', () => {
    expect(labelShown(box('transform:rotate(180deg);transform-origin:-3000px 0'))).toBe(false);
    expect(labelShown(box('scale:-1 1;transform-origin:-3000px 0'))).toBe(false);
    expect(labelShown(box('width:3000px;transform:scale(-1,1);transform-origin:left'))).toBe(false);
    expect(labelShown(box('transform:rotate(3deg);transform-origin:center'))).toBe(true);
    expect(labelShown(box('transform:scale(0.9);transform-origin:top left'))).toBe(true);
    expect(labelShown(box('transform-origin:-3000px 0'))).toBe(true);
  });
});

describe('::first-line and ::first-letter in every sheet the page applies (attacker round 49)', () => {
  const b64 = (css: string) => Buffer.from(css).toString('base64');
  const LINE = '<div>4111 1111 <span class=f style="display:inline-block">XXXX<br>1111 1111</span></div>';
  const LETTER = '<div>4111 1111 <span class=f style="display:inline-block">X1111 1111</span></div>';
  const undecided = (head: string) => htmlShownTexts(`<head>${head}</head>${LINE}`).undecided;

  it('is undecided on a ::first-line rule in a data: <link> or an @import chain, however spelled', () => {
    for (const head of [
      `<style>@import url("data:text/css;base64,${b64('.f::first-line{font-size:0}')}");</style>`,
      '<style>@import "data:text/css,.f:FIRST-L%69NE{color:transparent}";</style>',
      '<style>@import "data:text/css,.f::first-l\\69ne{font-size:0}";</style>',
      `<link rel=stylesheet href="data:text/css;base64,${b64(`@import "data:text/css,.f::first-line{font-size:0}";`)}">`,
      // A rule a parse could lose (inside what it reads as a string or comment) counts as well.
      '<style>.a{content:"/*"} .f::first-line{font-size:0} .b{content:"*/"}</style>',
    ])
      expect(undecided(head), head).toBe('a ::first-line rule (lines are not laid out)');
    expect(
      undecided(`<style>@import "data:text/css;base64,${b64('.f::first-letter{color:red}')}";</style>`),
    ).toBe(undefined);
  });

  it('reads without first letters when a data: or imported sheet has a ::first-letter rule', () => {
    for (const head of [
      `<link rel=stylesheet href="data:text/css;base64,${b64('.f::first-letter{font-size:0}')}">`,
      '<link rel=stylesheet href="data:text/css,.f:first-l%65tter%7Bfont-size:0%7D">',
      '<style>@import url(data:text/css,.f::First-L%65tter{font-size:0});</style>',
    ])
      expect(seenWhole(`<head>${head}</head>${LETTER}`), head).toBe(true);
    expect(
      seenWhole(`<head><link rel=stylesheet href="data:text/css,.f%7Bcolor:red%7D"></head>${LETTER}`),
    ).toBe(false);
  });

  it('loads a data: sheet as a browser does: tabs dropped, stray % kept, UTF-16 by its mark or charset', () => {
    expect(dataUrlText(' da\tta:text/css,.a{}\n')).toBe('.a{}');
    expect(dataUrlText('data:text/css,%ZZ.a%7B%7D%')).toBe('%ZZ.a{}%');
    expect(dataUrlText('data:text/css,%E2%82%AC%FF')).toBe('\u20ac\ufffd');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('.a{}', 'utf16le')]);
    expect(dataUrlText(`data:text/css;base64,${utf16.toString('base64')}`)).toBe('.a{}');
    expect(dataUrlText(`data:text/css;charset="UTF-16";base64,${utf16.subarray(2).toString('base64')}`)).toBe(
      '.a{}',
    );
    expect(dataUrlText(`data:text/css;charset=utf-16be,%00.%00a`)).toBe('.a');
    expect(dataUrlText('data:text/css;charset=iso-8859-1;base64,LmF7fQ==')).toBe('.a{}');
    expect(dataUrlText('text/css,.a{}')).toBeUndefined();
  });
});
