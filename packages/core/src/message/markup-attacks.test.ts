import { describe, expect, it } from 'vitest';
import { XmlPageScan } from './markup-xml.js';
import { markupVerdict as scan } from './test-support/markup-verdict.js';

// Attacker round on the page scan (s10): each page here ran a script, framed a page or saved a file in a
// browser while the scan let it through.

const SVG = 'xmlns="http://www.w3.org/2000/svg"';
const SCRIPT = '<script>alert(1)</script>';

describe('MarkupScan: attacker round s10', () => {
  it('drops an empty end tag </> as a browser does, instead of reading on to the next >', () => {
    expect(scan(`</>${SCRIPT}`)).toBe('a <script> element');
    expect(scan(`</ x>${SCRIPT}`)).toBe('a <script> element');
  });

  it('reads ISO-2022-JP as a browser decodes it, whose escapes vanish (<scr ESC(B ipt>)', () => {
    const decoded = ', once decoded as ISO-2022-JP (as a browser may)';
    expect(scan('<scr\x1b(Bipt>alert(1)</script>')).toBe(`a <script> element${decoded}`);
    expect(scan('<img src=x o\x1b(Jnerror=alert(1)>')).toBe(`an onerror attribute${decoded}`);
    expect(scan('<a href="javascript\x1b(B:alert(1)">x</a>')).toBe(`a script: URL in an attribute${decoded}`);
    expect(scan('<if\x1b$B\x1b(Brame src=//evil.example>')).toBe(`a <iframe> element${decoded}`);
    // Markup spelled inside a two-byte (kanji) run is text to the browser; the bytes' own reading still sees it.
    expect(scan('\x1b$B<script>\x1b(B')).toBe('a <script> element');
  });

  it('joins where decoders have differed: escapes in a row, unknown escapes, a line break or an escape in a kanji run', () => {
    const decoded = ', once decoded as ISO-2022-JP (as a browser may)';
    for (const page of [
      '<scr\x1b(B\x1b(Bipt>alert(1)</script>',
      '<scr\x1bipt>alert(1)</script>',
      '\x1b$B\n<scr\x1b(Bipt>alert(1)</script>',
      '<scr\x1b$Bx\x1b(Bipt>alert(1)</script>',
      '<scr\x1b(B\x1b(Jipt>alert(1)</script>',
    ])
      expect(scan(page)).toBe(`a <script> element${decoded}`);
    // An escape the decoder does not know keeps the bytes after it, which then split the name.
    expect(scan('<scr\x1b(Zipt>alert(1)</scr\x1b(Zipt>')).toBeUndefined();
  });

  it('lets a genuine ISO-2022-JP page through, and stray escape bytes (terminal colours) too', () => {
    const title = '\x1b$B$3$s$K$A$O\x1b(B'; // こんにちは
    const page = `<html><head><meta charset="iso-2022-jp"><title>${title}</title></head><body><p>\x1b$BF|K\\8l\x1b(B</p><a href="https://example.com/">${title}</a></body></html>`;
    expect(new TextDecoder('iso-2022-jp').decode(Buffer.from(title, 'latin1'))).toBe('こんにちは');
    expect(scan(page)).toBeUndefined();
    expect(scan('<pre>\x1b[31mred\x1b[0m \x1b(Zx</pre>')).toBeUndefined();
  });

  it('decodes an XML page as ISO-2022-JP too', () => {
    const xhtml =
      '<html xmlns="http://www.w3.org/1999/xhtml"><body><scr\x1b(Bipt>alert(1)</script></body></html>';
    expect(scan(xhtml, () => new XmlPageScan())).toBe(
      'a <script> element, once decoded as ISO-2022-JP (as a browser may)',
    );
    expect(scan('<data><scr\x1b(Bipt>x</script></data>', () => new XmlPageScan())).toBeUndefined();
  });

  it('refuses declarations and PIs that XML reads past the > where HTML ends them', () => {
    const split = /which HTML ends at its first ">" and XML does not/;
    expect(scan(`<!DOCTYPE svg SYSTEM "><x y='"><svg ${SVG}>${SCRIPT}</svg>`)).toMatch(split);
    expect(scan(`<!DOCTYPE svg [<!-- ><x y=' -->]><svg ${SVG}>${SCRIPT}</svg>`)).toMatch(split);
    expect(scan(`<!DOCTYPE svg [<?pi ><x y='?>]><svg ${SVG}>${SCRIPT}</svg>`)).toMatch(split);
    expect(scan(`<?pi ><x y='?><svg ${SVG}>${SCRIPT}</svg>'>`)).toMatch(split);
    expect(scan(`<?pi ><!-- ?><svg ${SVG}>${SCRIPT}</svg> -->`)).toMatch(split);
    // HTML ends the DOCTYPE at the nested comment's end: what follows is read as tags.
    expect(scan(`<!DOCTYPE html [<!-- x -->${SCRIPT}`)).toBe('a <script> element');
  });

  it('reads the local name past a long namespace prefix', () => {
    const prefix = 'p'.repeat(40);
    expect(
      scan(`<svg ${SVG} xmlns:${prefix}="http://www.w3.org/2000/svg"><${prefix}:script>x</${prefix}:script>`),
    ).toBe('a <script> element');
  });

  it('reads tag names as XML does: starting with _ or a non-ASCII letter, holding dots', () => {
    const x = 'http://www.w3.org/1999/xhtml';
    for (const prefix of ['_', '\xc3\xa9', 'a.b', '\u00e9'])
      expect(scan(`<svg ${SVG}><${prefix}:script xmlns:${prefix}="${x}">go()</${prefix}:script></svg>`)).toBe(
        'a <script> element',
      );
    // HTML reads `<é x='…` as text: a quoted value there hides what HTML sees next.
    expect(scan(`<p>x</p><\xc3\xa9 x='><script>go()</script>'`)).toMatch(/a tag only XML reads/);
    expect(scan('<p>Prix <\xc3\xa9t\xc3\xa9> 3 < 4 _ ok</p>')).toBeUndefined();
  });

  it('finds a scheme or type hidden behind any named reference to punctuation', () => {
    expect(scan('<base href="data:text&sol;html;base64,PHNjcmlwdD4">')).toBe('an &sol; inside an attribute');
    expect(scan('<a href="data:application&sol;octet-stream;base64,TVqQ" download="x.exe">x</a>')).toBe(
      'an &sol; inside an attribute',
    );
    expect(scan('<a href="javascript&colon;go()">x</a>')).toBe('an &colon; inside an attribute');
    expect(
      scan('<a href="x" title="Fish &amp; chips &lt;3 &quot;ok&quot; caf&eacute;">x</a>'),
    ).toBeUndefined();
  });

  it('finds a data: link a click saves (download= needs no script), and XML data URLs', () => {
    expect(scan('<a href="data:image/png;base64,TVqQAAMA" download="invoice.exe">Invoice</a>')).toBe(
      'a data: link (a file carried in the page, saved by a click)',
    );
    expect(scan('<map><area shape=rect href=" data:,MZ" download=x.exe></map>')).toMatch(/a data: link/);
    expect(scan(`<svg ${SVG}><use href="data:text/xml,x#a"/></svg>`)).toBe(
      'a data:text/xml URL in an attribute',
    );
    expect(scan('<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">')).toBeUndefined();
    expect(scan('<a href="https://shop.example/?data:x">shop</a>')).toBeUndefined();
  });

  it('finds a fenced frame, and still finds what the task listed as held', () => {
    expect(scan('<fencedframe src="https://evil.example"></fencedframe>')).toBe('a <fencedframe> element');
    expect(scan('<a href="&#106;avascript:go()">x</a>')).toMatch(/numeric character reference/);
    expect(scan('<a href="java&Tab;script:go()">x</a>')).toBe('an &tab; inside an attribute');
    expect(scan(`<svg ${SVG}><use href="data:image/svg+xml;base64,PHN2Zz4=#x"/></svg>`)).toMatch(
      /data:image\/svg/,
    );
    expect(scan('<base href="javascript:go()//">')).toBe('a script: URL in an attribute');
    expect(scan('<iframe srcdoc="&lt;b&gt;hi"></iframe>')).toBe('a <iframe> element');
    expect(scan('<math href="JavaScript:go()">x</math>')).toBe('a script: URL in an attribute');
    expect(scan('<META HTTP-EQUIV=REFRESH CONTENT="0;URL=https://evil.example">')).toBe('a <meta> refresh');
    expect(scan('<button formaction="javascript:go()">x</button>')).toBe('a script: URL in an attribute');
    // Leading white space past the value cap does not hide the value.
    expect(scan(`<meta http-equiv="${' '.repeat(40)}refresh" content="0;url=https://evil.example">`)).toBe(
      'a <meta> refresh',
    );
    expect(scan(`<svg><set attributeName="${'\t'.repeat(40)}onclick" to="go()"/></svg>`)).toBe(
      'an animation of the onclick attribute',
    );
  });

  it('lets Word HTML (an <?xml:namespace … /> PI) and an XHTML DOCTYPE through', () => {
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" /><p class='MsoNormal'>Hi<o:p></o:p></p></body></html>`;
    expect(scan(word)).toBeUndefined();
    const xhtml = `<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><p title='a'>x</p></html>`;
    expect(scan(xhtml)).toBeUndefined();
  });
});
