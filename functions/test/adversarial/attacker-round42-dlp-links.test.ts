import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 42, outbound-policy's sensitive-data rule at its defaults, against round 41's link-texts.ts (link
// targets, ScreenTips and text-like data: URLs read). Each control bounced; each attack was sent (DEFAULT) before
// the fix (srcset, style elements, CSS escapes, every reference and the URL parser's dropped characters, payloads in
// their encoding, XML entities, a data: page read by every reader).
const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const html = (body: string) =>
  mail(
    ['From: Bob <bob@corp.example>', 'Content-Type: text/html; charset=utf-8'],
    `<html><body><p>Card on file:</p>${body}</body></html>`,
  );
const svgOf = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40"><text x="4" y="26" font-size="20">${text}</text></svg>`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const svg64 = b64(svgOf(CARD));

// A42-3. Where a page takes a data: URL that link-texts.ts does not look. It reads the values of href, src, action,
// cite, background, poster, target, tooltip and style attributes, and url() in a style attribute only. But
// Thunderbird (Gecko) and Apple Mail (WebKit), which draw a data: SVG's text (round 41), also fetch pictures from a
// `<style>` element's rules (`background-image: url(data:…)`), from `srcset` (of an img, or a picture's source),
// and from `image-set()`; and CSS reads `u\72l(` as url( (escapes in a function name are decoded before the name
// is compared: CSS Syntax 3, §4.3.4). The HTML tokenizer also takes an attribute that follows a quoted value with
// no space between (`alt="x"src=…`, a parse error it recovers from), which the attribute pattern, wanting a space
// or `/` before the name, skips.
describe('A42-3 DLP: data: URLs in places link-texts.ts does not read', () => {
  it('control: <img src="data:image/svg+xml;base64,…"> bounces', async () => {
    expect(await kit.outbound(html(`<img src="data:image/svg+xml;base64,${svg64}">`))).toBe('BOUNCE');
  });
  it('control: a style attribute background-image of a data: SVG bounces', async () => {
    expect(
      await kit.outbound(
        html(
          `<div style="width:320px;height:40px;background-image:url('data:image/svg+xml;base64,${svg64}')"></div>`,
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('a <style> element rule background-image of a data: SVG bounces', async () => {
    expect(
      await kit.outbound(
        html(
          `<style>.c{width:320px;height:40px;background-image:url("data:image/svg+xml;base64,${svg64}")}</style><div class="c"></div>`,
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('<img srcset="data:… 1x"> bounces', async () => {
    expect(await kit.outbound(html(`<img srcset="data:image/svg+xml;base64,${svg64} 1x" alt="">`))).toBe(
      'BOUNCE',
    );
  });
  it('<picture><source srcset="data:…"> bounces', async () => {
    expect(
      await kit.outbound(
        html(`<picture><source srcset="data:image/svg+xml;base64,${svg64}"><img alt=""></picture>`),
      ),
    ).toBe('BOUNCE');
  });
  it('a style attribute image-set() of a data: SVG bounces', async () => {
    expect(
      await kit.outbound(
        html(
          `<div style="width:320px;height:40px;background-image:image-set('data:image/svg+xml;base64,${svg64}' 1x)"></div>`,
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('a style attribute u\\72l(…) (a CSS escape in url) bounces', async () => {
    expect(
      await kit.outbound(
        html(
          `<div style="width:320px;height:40px;background-image:u\\72l('data:image/svg+xml;base64,${svg64}')"></div>`,
        ),
      ),
    ).toBe('BOUNCE');
  });
  it('<img alt="x"src="data:…"> (no space before the attribute) bounces', async () => {
    expect(await kit.outbound(html(`<img alt="x"src="data:image/svg+xml;base64,${svg64}">`))).toBe('BOUNCE');
  });
  it('<a title="x"href="…?pan=…"> (no space before the attribute) bounces', async () => {
    expect(
      await kit.outbound(
        html(
          '<p>See <a title="record"href="https://crm.example/customer?pan=4111%201111%201111%201111">it</a></p>',
        ),
      ),
    ).toBe('BOUNCE');
  });
});

// A42-4. A data: URL's scheme as the page writes it, not as the browser reads it. The attribute value is decoded for
// numeric references and five XML names only, then taken as data: only when it starts `data:`. HTML decodes every
// named reference in an attribute value (`data&colon;` is `data:`), and the URL parser removes every ASCII tab and
// newline from a URL before reading it (WHATWG URL, "remove all ASCII tab or newline"), so `da&#9;ta:` and a
// line break inside `data:` are data: URLs to Gecko and WebKit; the reader takes them for an ordinary link and
// reads the base64 as text. A link target written with a named reference between the groups (`&hyphen;`, which
// the browser's status bar and Thunderbird's plain-text view show as ‐) is likewise read with the reference as
// written.
describe('A42-4 DLP: a data: URL or link target written with references or white space the URL parser drops', () => {
  it('<img src="data&colon;image/svg+xml;base64,…"> bounces', async () => {
    expect(await kit.outbound(html(`<img src="data&colon;image/svg+xml;base64,${svg64}">`))).toBe('BOUNCE');
  });
  it('<img src="da&#9;ta:image/svg+xml;base64,…"> (a tab inside the scheme) bounces', async () => {
    expect(await kit.outbound(html(`<img src="da&#9;ta:image/svg+xml;base64,${svg64}">`))).toBe('BOUNCE');
  });
  it('<img src="da⏎ta:…"> (a line break inside the scheme) bounces', async () => {
    expect(await kit.outbound(html(`<img src="da\r\nta:image/svg+xml;base64,${svg64}">`))).toBe('BOUNCE');
  });
  it('control: a link target with &#8208; between the groups bounces', async () => {
    expect(
      await kit.outbound(
        html('<p><a href="https://crm.example/c?pan=4111&#8208;1111&#8208;1111&#8208;1111">record</a></p>'),
      ),
    ).toBe('BOUNCE');
  });
  it('a link target with &hyphen; between the groups bounces', async () => {
    expect(
      await kit.outbound(
        html(
          '<p><a href="https://crm.example/c?pan=4111&hyphen;1111&hyphen;1111&hyphen;1111">record</a></p>',
        ),
      ),
    ).toBe('BOUNCE');
  });
});

// A42-5. What a data: SVG draws that its reading as HTML text does not find. The decoded content is read only as
// the full text of a piece of HTML, while Gecko and WebKit read it as an XML document: (a) an SVG in UTF-16 with
// its byte order mark (XML detects the encoding from the mark; the reader decodes every payload as UTF-8), its
// card in full-width digits, which the card finder reads as any other digits; (b) an internal DTD entity
// (`<!ENTITY c "4111 …">` … `&c;`), which expat and libxml2 expand and HTML drops with the doctype; (c) CSS
// generated content in a foreignObject's stylesheet, which an SVG picture draws (the page's own stylesheet is
// read for generated content; a data: URL's is not).
describe('A42-5 DLP: an SVG in a data: URL whose text only an XML reading finds', () => {
  it('control: the same SVG in UTF-8 with full-width digits bounces', async () => {
    const svg = svgOf(
      '\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11',
    );
    expect(await kit.outbound(html(`<img src="data:image/svg+xml;base64,${b64(svg)}">`))).toBe('BOUNCE');
  });
  it('an SVG in UTF-16LE (with its mark) with full-width digits bounces', async () => {
    const svg = svgOf(
      '\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11',
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(svg, 'utf16le')]);
    expect(await kit.outbound(html(`<img src="data:image/svg+xml;base64,${b64(utf16)}">`))).toBe('BOUNCE');
  });
  it('an SVG drawing the card through an internal entity bounces', async () => {
    const svg = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY c "${CARD}">]>${svgOf('&c;')}`;
    expect(await kit.outbound(html(`<img src="data:image/svg+xml;base64,${b64(svg)}">`))).toBe('BOUNCE');
  });
  it('an SVG drawing the card by CSS generated content in a foreignObject bounces', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40"><foreignObject width="320" height="40">' +
      '<div xmlns="http://www.w3.org/1999/xhtml"><style>p::after{content:"\\34 111 1111 1111 1111"}</style><p></p></div>' +
      '</foreignObject></svg>';
    expect(await kit.outbound(html(`<img src="data:image/svg+xml;base64,${b64(svg)}">`))).toBe('BOUNCE');
  });
});
