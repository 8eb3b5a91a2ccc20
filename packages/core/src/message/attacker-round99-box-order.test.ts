import { describe, expect, it } from 'vitest';
import { drawnBoxOrder, type Placement } from './box-order.js';
import { transformMoves } from './css-transforms.js';
import { htmlShownTexts } from './html-shown.js';

// Attacker round 99: boxes drawn in another order than the markup's, each holding more than one digit group.
type Box = { text: string; place: Placement };
const box = (text: string, place: Placement = { kind: 'flow' }): Box => ({ text, place });
const order = (boxes: Box[], rtl = false) => {
  const drawn = drawnBoxOrder(boxes, (b) => b.place, rtl);
  return { text: drawn.nodes.map((b) => b.text).join(' '), unsure: drawn.unsure };
};
const right: Placement = { kind: 'float', side: 'right' };
const left: Placement = { kind: 'float', side: 'left' };

describe('drawnBoxOrder', () => {
  it('lays right floats from the right edge leftwards, after the line’s own text', () => {
    expect(order([box('a', right), box('b'), box('c', right), box('d', left)])).toEqual({
      text: 'd b c a',
      unsure: false,
    });
  });
  it('keeps each line’s floats on its line', () => {
    expect(
      order([box('a', right), box('b', right), box('-', { kind: 'break' }), box('c', right), box('d', right)])
        .text,
    ).toBe('b a - d c');
  });
  it('sorts placed boxes by row, then column, from either edge', () => {
    expect(
      order([box('a', { kind: 'placed', y: 0, x: 120 }), box('b', { kind: 'placed', y: 0, x: 0 })]).text,
    ).toBe('b a');
    expect(
      order([
        box('a', { kind: 'placed', y: 0, fromRight: 0 }),
        box('b', { kind: 'placed', y: 0, fromRight: 120 }),
      ]).text,
    ).toBe('b a');
    expect(
      order([box('a', { kind: 'placed', y: 20, x: 0 }), box('b', { kind: 'placed', y: 0, x: 50 })]).text,
    ).toBe('b a');
  });
  it('is unsure of mixed edges and anchors, of placed boxes beside text in the line, of moved boxes', () => {
    const placed = (x: number, anchor?: string): Placement => ({
      kind: 'placed',
      y: 0,
      x,
      ...(anchor ? { anchor } : {}),
    });
    expect(order([box('a', { kind: 'placed', y: 0, fromRight: 0 }), box('b', placed(0))]).unsure).toBe(true);
    expect(order([box('a', placed(300, 'end')), box('b', placed(0))]).unsure).toBe(true);
    expect(order([box('a'), box('b', placed(0))]).unsure).toBe(true);
    expect(order([box('a'), box('b', { kind: 'moved' })]).unsure).toBe(true);
    expect(order([box('a', placed(300, 'middle')), box('b', placed(0, 'middle'))])).toEqual({
      text: 'b a',
      unsure: false,
    });
  });
  it('is unsure of two boxes in a right-to-left line, not of one', () => {
    expect(order([box('a'), box('b')], true).unsure).toBe(true);
    expect(order([box('a'), box(' ', { kind: 'none' })], true).unsure).toBe(false);
  });
  it('leaves a line of text as written', () => {
    const boxes = [box('a'), box('b'), box('c', { kind: 'break' })];
    expect(drawnBoxOrder(boxes, (b) => b.place, false).nodes).toBe(boxes);
  });
});

describe('transformMoves', () => {
  const ctx = { fontPx: 16, percentOf: 0 };
  it('moves by a translation of a pixel or more, or past half the box’s width', () => {
    expect(transformMoves('translateX(90px)', ctx)).toBe(true);
    expect(transformMoves('translate(-6em, 0)', ctx)).toBe(true);
    expect(transformMoves('translateX(-100%)', ctx)).toBe(true);
    expect(transformMoves('rotate(180deg)', { ...ctx, origin: '-200px 0' })).toBe(true);
    expect(transformMoves('scale(calc(calc(2)))', ctx)).toBe(true);
  });
  it('does not move a box turned or scaled in place, a GPU hack, a centring translation', () => {
    for (const t of [
      'rotate(3deg)',
      'scale(0.9)',
      'translateZ(0)',
      'translate3d(0,0,0)',
      'translate(-50%, -50%)',
      'skewX(10deg)',
    ])
      expect(transformMoves(t, ctx), t).toBe(false);
  });
});

describe('htmlShownTexts reads boxes in the order drawn', () => {
  const CARD = '4111 1111 1111 1111';
  const shows = (html: string) =>
    htmlShownTexts(html).texts.some((t) => t.replace(/\s+/g, ' ').includes(CARD));
  const A = '1111 1111';
  const B = '4111 1111';
  const cases: Record<string, string> = {
    'right floats': `<div><span style="float:right">&nbsp;${A}</span><span style="float:right">${B}</span></div>`,
    'SVG texts by x': `<svg><text x="200" y="15">${A}</text><text x="0" y="15">${B}</text></svg>`,
    'SVG tspans by x': `<svg><text y="15"><tspan x="200">${A}</tspan><tspan x="0">${B}</tspan></text></svg>`,
    'absolute spans by left': `<div style="position:relative"><span style="position:absolute;left:120px">${A}</span><span style="position:absolute;left:0">${B}</span></div>`,
    'absolute spans by right': `<div style="position:relative"><span style="position:absolute;right:0">${A}</span><span style="position:absolute;right:120px">${B}</span></div>`,
    'translated inline blocks': `<div><span style="display:inline-block;transform:translateX(90px)">${A}</span><span style="display:inline-block;transform:translateX(-90px)">${B}</span></div>`,
    'isolates in a right-to-left paragraph': `<p dir="rtl"><bdi dir="ltr">${A}</bdi> <bdi dir="ltr">${B}</bdi></p>`,
    'atomic boxes under an override': `<div style="unicode-bidi:bidi-override;direction:rtl"><span style="display:inline-block;direction:ltr">${A}</span><span style="display:inline-block;direction:ltr">&nbsp;${B}</span></div>`,
    'left-to-right cells of a right-to-left table': `<table dir="rtl"><tr><td dir="ltr">${A}</td><td dir="ltr">${B}</td></tr></table>`,
  };
  for (const [name, html] of Object.entries(cases))
    it(`shows the card of ${name}`, () => {
      expect(shows(html)).toBe(true);
    });
  it('reads a page without such boxes once per reader, with nothing turned', () => {
    expect(
      htmlShownTexts(`<p>${A}</p><p>${B}</p>`).texts.some((t) => t.replace(/\s+/g, ' ').includes(CARD)),
    ).toBe(false);
  });
  // Its time, against a page of half the boxes, is measured in bench/linear-readers.ts (`npm run bench:linear`).
  it('reads a page of many placed boxes and right-to-left isolates whole', () => {
    const spans = Array.from(
      { length: 10000 },
      (_, i) => `<span style="position:absolute;left:${(i * 37) % 1000}px">${i}</span>`,
    ).join('');
    const page = `<div style="position:relative">${spans}</div><p dir="rtl">${'<bdi>x</bdi> '.repeat(10000)}</p>`;
    expect(htmlShownTexts(page).undecided).toBeUndefined();
  });
});

describe('drawnBoxOrder keeps a group whole where the order is not decided', () => {
  it('reads a box nudged inside a group as written, not apart', () => {
    const drawn = drawnBoxOrder([box('41'), box('11', { kind: 'moved' })], (b) => b.place, false);
    expect(drawn.unsure).toBe(true);
    expect(drawn.apart.size).toBe(0);
  });
  it('shows a group whose half is nudged sideways or down, in every reader', () => {
    for (const nudge of [
      'position:relative;left:1px',
      'position:relative;top:1px',
      'position:absolute;left:36px',
    ])
      expect(
        htmlShownTexts(
          `<p>4111 11<span style="${nudge}">11</span> 1111<!--[if mso]>x<![endif]--> 1111 1111</p>`,
        ).texts.some((t) => t.includes('4111 1111 1111 1111')),
        nudge,
      ).toBe(true);
  });
});
