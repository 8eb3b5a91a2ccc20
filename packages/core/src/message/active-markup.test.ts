import { describe, expect, it } from 'vitest';
import { markupScanFor, markupScanForName } from './active-markup.js';
import { markupVerdict } from './test-support/markup-verdict.js';
import { messagePart } from './test-support/message-part.js';

const scan = (text: string | Buffer) => markupVerdict(text);

const SMUGGLING = `<html><body><p>Your invoice is downloading…</p>
<script>const b = new Blob([atob('TVqQAAMAAAAEAAAA')], {type: 'application/octet-stream'});
const a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = 'invoice.exe'; a.click();</script></body></html>`;

describe('MarkupScan: what makes an HTML or SVG file active', () => {
  it('finds the HTML smuggling page, however its script element is spelt', () => {
    expect(scan(SMUGGLING)).toBe('a <script> element');
    expect(scan('<p>x</p><SCRIPT\tsrc=x.js></SCRIPT>')).toBe('a <script> element');
    expect(scan('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')).toBe(
      'a <script> element',
    );
  });

  it('finds event handlers, frames, objects, forms and foreign objects', () => {
    expect(scan('<img src=x onerror=alert(1)>')).toBe('an onerror attribute');
    expect(scan('<svg onload ="go()" xmlns="http://www.w3.org/2000/svg"/>')).toBe('an onload attribute');
    expect(scan('<body/onpageshow=go()>')).toBe('an onpageshow attribute');
    expect(scan('<iframe src="https://evil.example/login"></iframe>')).toBe('a <iframe> element');
    expect(scan('<object data="x.html"></object>')).toBe('a <object> element');
    expect(scan('<embed src="x.swf">')).toBe('a <embed> element');
    expect(scan('<form action="https://evil.example/collect"><input type=password></form>')).toBe(
      'a <form> element',
    );
    expect(scan('<svg><foreignObject><div>x</div></foreignObject></svg>')).toBe('a <foreignobject> element');
    expect(scan('<?xml-stylesheet type="text/xsl" href="x.xsl"?><doc/>')).toBe('a <?xml-stylesheet> element');
    expect(scan('<svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>go()</svg:script></svg>')).toBe(
      'a <script> element',
    );
    expect(scan('<html:iframe xmlns:html="http://www.w3.org/1999/xhtml" src="x"/>')).toBe(
      'a <iframe> element',
    );
  });

  it('finds script and page URLs in attributes, hidden or not', () => {
    expect(scan('<a href="javascript:go()">open</a>')).toBe('a script: URL in an attribute');
    expect(scan('<a href=" java\tscript:go()">open</a>')).toBe('a script: URL in an attribute');
    expect(scan("<a href='VBScript:go'>open</a>")).toBe('a script: URL in an attribute');
    expect(scan('<a href="java&#115;cript:go()">open</a>')).toBe(
      'a numeric character reference inside an attribute',
    );
    expect(scan('<a href="javascript&colon;go()">open</a>')).toBe('an &colon; inside an attribute');
    expect(
      scan(
        '<a href="x" download="invoice.exe">a</a><a href="data:application/octet-stream;base64,TVqQ">get</a>',
      ),
    ).toBe('a data:application/… URL in an attribute');
    expect(scan('<a href=data:text/html;base64,PHNjcmlwdD4>x</a>')).toBe(
      'a data:text/html URL in an attribute',
    );
    expect(scan('<animate attributeName="href" values="a;b;c;d;e;f;g;h;i;j;k;l;m;javascript:go()"/>')).toBe(
      'a script: URL in an attribute',
    );
    expect(scan('<meta http-equiv="Refresh" content="0; url=https://evil.example">')).toBe(
      'a <meta> refresh',
    );
  });

  it('finds SVG animations that set a script URL or an event handler', () => {
    const svg = (inner: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg"><a>${inner}<text>x</text></a></svg>`;
    expect(scan(svg('<set attributeName="href" to="javascript:alert(1)"/>'))).toBe(
      'a script: URL in an attribute',
    );
    expect(scan(svg('<animate attributeName="xlink:href" from="x" to="JavaScript:go()"/>'))).toBe(
      'a script: URL in an attribute',
    );
    expect(scan(svg('<set attributeName="onmouseover" to="alert(1)"/>'))).toBe(
      'an animation of the onmouseover attribute',
    );
    expect(scan(svg("<animateTransform attributename=' ONCLICK ' values='go()'/>"))).toBe(
      'an animation of the onclick attribute',
    );
    expect(scan(svg('<set attributeName="xlink:onload" to="go()"/>'))).toBe(
      'an animation of the onload attribute',
    );
    expect(
      scan(svg('<animate attributeName="opacity" values="0;1"/><set attributeName="href" to="#b"/>')),
    ).toBe(undefined);
  });

  it('cannot read UTF-16 or a compressed SVG, and says so', () => {
    expect(scan(Buffer.from('\ufeff<p>hello</p>', 'utf16le'))).toMatch(/NUL bytes/);
    const compressed = markupScanForName('logo.svgz');
    compressed?.push(Buffer.from('\x1f\x8b', 'latin1'));
    expect(compressed?.end()).toMatch(/compressed SVG/);
    expect(markupScanForName('archive.MHT')?.end()).toMatch(/MHT web archive/);
  });

  it('lets static documents through: a receipt, an SVG logo, entities and inline images', () => {
    const receipt = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Receipt</title>
<style>td { padding: 4px } .total { font-weight: bold }</style></head><body>
<!-- receipt 2026-11 -->
<table><tr><td>Coffee &amp; cake</td><td>&euro;4.50</td></tr></table>
<p>Questions? <a href="https://shop.example/help?order=1&amp;lang=en">Contact us</a> &#169; Shop</p>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo"> <p>script: none, onion = 3, a &lt; b, online=yes</p>
</body></html>`;
    expect(scan(receipt)).toBeUndefined();
    expect(
      scan(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href="#a"/><circle r="4"/></svg>',
      ),
    ).toBeUndefined();
  });

  it('reads comments, CDATA, raw text and stray "<" as a browser does, and cannot decide a value past </style>', () => {
    expect(scan(`<p>I <3 'you</p><script>x</script>`)).toBe('a <script> element');
    expect(scan(`<!-- it's --><script>x</script>`)).toBe('a <script> element');
    expect(scan(`<!--a><x y=' --><script>x</script>`)).toBe('a <script> element');
    expect(scan(`<!--><script>x</script> -->`)).toBe('a <script> element');
    expect(scan(`<img " onerror=go()>`)).toBe('an onerror attribute');
    // HTML ends the CDATA at its first `>` and opens a value; SVG (XML) reads on to `]]>`, then the script.
    expect(scan(`<svg><![CDATA[ > <x y=' ]]><script>x</script>`)).toMatch(/a CDATA section which HTML ends/);
    expect(scan(`<![CDATA[ x ><a title="x>y" onclick="go()">click</a>`)).toBe('an onclick attribute');
    expect(scan(`<!x <y z='><script>x</script>`)).toBe('a <script> element');
    expect(scan(`<style><x y='</style><script>x</script>`)).toMatch(/runs past <\/style>/);
    expect(scan(`<!DOCTYPE svg [<!ENTITY a "x"><!ENTITY s "<script>x</script>">]><svg>&s;</svg>`)).toBe(
      'markup inside an entity declaration',
    );
  });

  it('knows .xht (Firefox opens it as XHTML) as a page', () => {
    expect(markupScanForName('page.xht')).toBeDefined();
    expect(markupScanForName('page.XHTM')).toBeDefined();
  });

  it('lets an Illustrator SVG (entities, CDATA style) and Outlook conditional comments through', () => {
    const illustrator = `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "svg11.dtd" [
<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;"><style><![CDATA[.a{fill:#f00}]]></style>
<!-- logo --><path class='a' d="M0 0"/></svg>`;
    expect(scan(illustrator)).toBeUndefined();
    const outlook = `<!--[if mso]><table><tr><td><![endif]--><p class='x'>hi</p><textarea>a</textarea><p title='</textarea>'>`;
    expect(scan(outlook)).toBeUndefined();
  });

  it('scans the parts a browser opens as pages and no body', () => {
    const part = messagePart;
    expect(markupScanFor(part({ names: ['Invoice.HTML '] }))).toBeDefined();
    expect(markupScanFor(part({ names: ['scan.svg'] }))).toBeDefined();
    expect(markupScanFor(part({ names: ['archive.mht'] }))).toBeDefined();
    expect(markupScanFor(part({ names: ['invoice.html. '] }))).toBeDefined();
    expect(markupScanFor(part({ names: ['invoice.htm::$DATA'] }))).toBeDefined();
    expect(markupScanFor(part({ contentType: 'image/svg+xml' }))).toBeDefined();
    expect(markupScanFor(part({ contentType: 'text/html', disposition: 'attachment' }))).toBeDefined();
    expect(markupScanFor(part({ contentType: 'text/html' }))).toBeUndefined();
    // No client saves a part of this made-up type as a page.
    expect(
      markupScanFor(part({ contentType: 'message/rfc822+html', disposition: 'attachment' })),
    ).toBeUndefined();
    expect(markupScanFor(part({ names: ['report.pdf'], contentType: 'application/pdf' }))).toBeUndefined();
    const svgz = markupScanFor(part({ names: ['logo.svgz'] }));
    expect(svgz?.end()).toMatch(/compressed SVG/);
    expect(markupScanForName('report.pdf')).toBeUndefined();
  });
});
