import { describe, expect, it } from 'vitest';
import { drawnBoxesText, odfDrawnBoxesText } from './drawing-order.js';

// Attacker round 120: a slide's shapes and a document's floating text boxes read in the order they are drawn.
const sp = (x: number, y: number, text: string) =>
  `<p:sp><p:spPr><a:xfrm><a:off x="${x}" y="${y}"/><a:ext cx="100" cy="40"/></a:xfrm></p:spPr><p:txBody><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;

describe('drawnBoxesText', () => {
  it('reads boxes left to right on a line, lines top to bottom and apart', () => {
    const xml = sp(300, 0, 'c 3') + sp(0, 5, 'a 1') + sp(150, 0, 'b 2') + sp(0, 200, 'd 4');
    expect(drawnBoxesText(xml).text).toBe('a 1 | b 2 | c 3\n;\nd 4');
  });
  it('takes boxes through a flipped group', () => {
    const group = `<p:grpSp><p:grpSpPr><a:xfrm flipH="1"><a:off x="0" y="0"/><a:ext cx="400" cy="40"/><a:chOff x="0" y="0"/><a:chExt cx="400" cy="40"/></a:xfrm></p:grpSpPr>${sp(0, 0, '1')}${sp(300, 0, '2')}</p:grpSp>`;
    expect(drawnBoxesText(group).text).toBe('2 | 1');
  });
  it('places Word anchors by their offsets, and leaves boxes without a digit out', () => {
    const anchor = (x: number, text: string) =>
      `<wp:anchor><wp:positionH relativeFrom="column"><wp:posOffset>${x}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="100" cy="40"/><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></wp:anchor>`;
    expect(drawnBoxesText(`<w:p>${anchor(200, '2')}${anchor(0, '1')}${anchor(100, 'logo')}</w:p>`).text).toBe(
      '1 | 2',
    );
  });
  it('reads nothing for one box, and refuses groups nested past 32', () => {
    expect(drawnBoxesText(sp(0, 0, '4111')).text).toBeUndefined();
    const deep = `${'<p:grpSp>'.repeat(40)}${sp(0, 0, '1')}`;
    expect(drawnBoxesText(deep).unread).toMatch(/nested more than 32/);
  });
});

describe('odfDrawnBoxesText', () => {
  it('places OpenDocument frames by svg:x and svg:y in any unit, or a transform’s translation', () => {
    const frame = (place: string, text: string) =>
      `<draw:frame ${place} svg:width="1cm" svg:height="1cm"><draw:text-box><text:p>${text}</text:p></draw:text-box></draw:frame>`;
    const xml =
      frame('svg:x="3in" svg:y="1cm"', '3') +
      frame('svg:x="10mm" svg:y="1cm"', '1') +
      frame('draw:transform="rotate (0.1) translate (4cm 1cm)"', '2') +
      frame('svg:x="1cm" svg:y="5cm"', 'next 4');
    expect(odfDrawnBoxesText(xml).text).toBe('1 | 2 | 3\n;\nnext 4');
  });
});
