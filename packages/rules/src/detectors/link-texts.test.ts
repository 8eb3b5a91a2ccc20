import { describe, expect, it } from 'vitest';
import { linkTexts } from './link-texts.js';

const CARD = '4111 1111 1111 1111';
const svg = `<svg xmlns="http://www.w3.org/2000/svg"><text>${CARD}</text></svg>`;

describe('link targets, ScreenTips and data: URLs', () => {
  it("reads a link's target with its percent-escapes and references decoded", () => {
    expect(linkTexts('<a href="https://x.example/?c=4111%201111&#x20;1111">x</a>')).toEqual([
      '<p>https://x.example/?c=4111 1111 1111</p>',
    ]);
    expect(linkTexts("<a href='x?<b>'>y</a>")).toEqual(['<p>x?&lt;b></p>']);
  });

  it('reads an SVG in an image source or a style url(), base64 or percent-encoded, as markup', () => {
    const b64 = Buffer.from(svg).toString('base64');
    expect(linkTexts(`<img src="data:image/svg+xml;base64,${b64}">`)).toEqual([`<div>${svg}</div>`]);
    expect(linkTexts(`<img src=data:image/svg+xml,${encodeURIComponent(svg)}>`)).toEqual([
      `<div>${svg}</div>`,
    ]);
    expect(linkTexts(`<div style="background:url('data:image/svg+xml;base64,${b64}')">`)).toEqual([
      `<div>${svg}</div>`,
    ]);
    expect(linkTexts(`<img src="data:image/png;base64,${b64}">`)).toEqual([]); // pixels are not read
  });

  it("reads a Word hyperlink's ScreenTip and a relationship's target", () => {
    expect(linkTexts(`<w:hyperlink w:tooltip="${CARD}" r:id="rId9">`)).toEqual([`<p>${CARD}</p>`]);
    expect(
      linkTexts('<Relationship Id="rId9" Target="https://x.example/4111" TargetMode="External"/>'),
    ).toEqual(['<p>https://x.example/4111</p>']);
  });

  it('reads data: URLs inside data: URLs three levels deep, each piece apart', () => {
    let page = `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`;
    for (let k = 0; k < 4; k++)
      page = `<img src="data:text/html;base64,${Buffer.from(page).toString('base64')}">`;
    const pieces = linkTexts(page);
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).not.toContain(CARD);
    const open = `<a href="data:text/html,%3C!--">x</a><a href="data:image/svg+xml,${encodeURIComponent(svg)}">y</a>`;
    expect(linkTexts(open)).toEqual(['<div><!--</div>', `<div>${svg}</div>`]);
  });

  it('reads each value once: quotes pair up, an attribute left open ends the reading', () => {
    // `"x <a href="` is one value, then `x` an unquoted one: one piece for each two attributes written.
    expect(linkTexts('<a href="x '.repeat(2000))).toHaveLength(1000);
    expect(linkTexts(`<a href="${'x'.repeat(100_000)}`)).toEqual([]);
    expect(linkTexts('<img src=data:text/plain,1> '.repeat(2000))).toHaveLength(2000);
  });
});
