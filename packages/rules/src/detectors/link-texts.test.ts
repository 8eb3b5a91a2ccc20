import { decodeEntities, html5Reference } from '@wmflow/core/mime';
import { describe, expect, it } from 'vitest';
import { linkTexts } from './link-texts.js';
import { withEntities } from './xml-entities.js';

const CARD = '4111 1111 1111 1111';
const svg = `<svg xmlns="http://www.w3.org/2000/svg"><text>${CARD}</text></svg>`;
const b64 = Buffer.from(svg).toString('base64');
const decode = (text: string) => decodeEntities(text, html5Reference);
const read = (markup: string) => linkTexts(markup, decode).map((p) => p.markup);
const page = { markup: svg, page: 'xml' };

describe('link targets, ScreenTips and data: URLs', () => {
  it("reads a link's target with its percent-escapes and every reference decoded", () => {
    expect(read('<a href="https://x.example/?c=4111%201111&#x20;1111&hyphen;2">x</a>')).toEqual([
      '<p>https://x.example/?c=4111 1111 1111\u20102</p>',
    ]);
    expect(read("<a href='x?<b>'>y</a>")).toEqual(['<p>x?&lt;b></p>']);
    // An attribute right after a quoted value, as the HTML tokenizer takes it.
    expect(read('<a title="x"href="y">z</a>')).toEqual(['<p>y</p>']);
  });

  it('reads an SVG in a source, a srcset, a style attribute or element, as a page', () => {
    expect(linkTexts(`<img src="data:image/svg+xml;base64,${b64}">`, decode)).toEqual([page]);
    expect(linkTexts(`<img src=data:image/svg+xml,${encodeURIComponent(svg)}>`, decode)).toEqual([page]);
    expect(linkTexts(`<img srcset="data:image/svg+xml;base64,${b64} 1x, x.png 2x">`, decode)).toEqual([page]);
    expect(linkTexts(`<div style="background:u\\72l('data:image/svg+xml;base64,${b64}')">`, decode)).toEqual([
      page,
    ]);
    expect(
      linkTexts(`<style>.c{background:image-set("data:image/svg+xml;base64,${b64}" 1x)}</style>`, decode),
    ).toEqual([page]);
    expect(linkTexts(`<img src="data:image/png;base64,${b64}">`, decode)).toEqual([]); // pixels are not read
  });

  it('reads the scheme as the URL parser does, and the payload in its encoding', () => {
    for (const scheme of ['data&colon;', 'da&#9;ta:', 'da\r\nta:', ' DATA:'])
      expect(linkTexts(`<img src="${scheme}image/svg+xml;base64,${b64}">`, decode)).toEqual([page]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svg, 'utf16le')]).toString('base64');
    expect(linkTexts(`<img src="data:image/svg+xml;base64,${utf16}">`, decode)).toEqual([page]);
  });

  it("reads a Word hyperlink's ScreenTip and a relationship's target", () => {
    expect(read(`<w:hyperlink w:tooltip="${CARD}" r:id="rId9">`)).toEqual([`<p>${CARD}</p>`]);
    expect(read('<Relationship Id="rId9" Target="https://x.example/4111" TargetMode="External"/>')).toEqual([
      '<p>https://x.example/4111</p>',
    ]);
  });

  it('reads data: URLs inside data: URLs three levels deep, each piece apart', () => {
    let markup = `<img src="data:image/svg+xml;base64,${b64}">`;
    for (let k = 0; k < 4; k++)
      markup = `<img src="data:text/html;base64,${Buffer.from(markup).toString('base64')}">`;
    const pieces = read(markup);
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).not.toContain(CARD);
    const open = `<a href="data:text/html,%3C!--">x</a><a href="data:image/svg+xml,${encodeURIComponent(svg)}">y</a>`;
    expect(read(open)).toEqual(['<!--', svg]);
  });

  it('reads each value once: quotes pair up, an attribute left open ends the reading', () => {
    // `"x <a href="` is one value, then `x` an unquoted one: one piece for each two attributes written.
    expect(read('<a href="x '.repeat(2000))).toHaveLength(1000);
    expect(read(`<a href="${'x'.repeat(100_000)}`)).toEqual([]);
    expect(read('<img src=data:text/plain,1> '.repeat(2000))).toHaveLength(2000);
    expect(read(`<style>${'url(data:text/plain,1) '.repeat(2000)}</style>`)).toHaveLength(2000);
  });
});

describe("an XML page's internal entities", () => {
  it('writes them where they are referred to, nested ones too', () => {
    const xml = `<!DOCTYPE s [<!ENTITY a "4111 1111"><!ENTITY c "&a; &a;">]><t>&c;</t>`;
    expect(withEntities(xml, 1000).text).toContain('<t>4111 1111 4111 1111</t>');
  });
  it('refuses an expansion past its budget (billion laughs)', () => {
    let decl = '<!ENTITY l0 "lol">';
    for (let k = 1; k < 4; k++) decl += `<!ENTITY l${k} "${`&l${k - 1};`.repeat(10)}">`;
    expect(
      withEntities(`<!DOCTYPE s [${decl}]><t>&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;</t>`, 10_000),
    ).toHaveProperty('over', true);
  });
});
