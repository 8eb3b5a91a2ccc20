import { describe, expect, it } from 'vitest';
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

  it('cannot read ISO-2022-JP, whose escapes a browser drops (<scr ESC(B ipt>)', () => {
    expect(scan('<scr\x1b(Bipt>alert(1)</script>')).toMatch(/escape bytes \(ISO-2022-JP\)/);
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
