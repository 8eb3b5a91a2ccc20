import { describe, expect, it } from 'vitest';
import { markupScanFor } from './active-markup.js';
import { XmlPageScan } from './markup-xml.js';
import { markupVerdict } from './test-support/markup-verdict.js';
import { messagePart } from './test-support/message-part.js';

const scan = (text: string | Buffer) => markupVerdict(text, () => new XmlPageScan());

const XHTML = 'http://www.w3.org/1999/xhtml';

describe('XmlPageScan: an .xml file counts when a browser renders it as a page', () => {
  it('finds the script of an XML file a browser renders as XHTML, SVG or through a stylesheet', () => {
    expect(scan(`<html xmlns="${XHTML}"><script>alert(1)</script></html>`)).toBe('a <script> element');
    expect(scan('<html><body onload="go()"/></html>')).toBe('an onload attribute');
    expect(scan('<svg><script>alert(1)</script></svg>')).toBe('a <script> element');
    // XHTML elements anywhere in a data document run too, whichever comes first.
    expect(scan(`<doc><form>a</form><h:b xmlns:h="${XHTML}"/></doc>`)).toBe('a <form> element');
    expect(scan(`<doc><x:script xmlns:x="${XHTML}">alert(1)</x:script></doc>`)).toBe('a <script> element');
    expect(scan(`<doc><s:svg xmlns:s="http://www.w3.org/2000/svg" onload="go()"/></doc>`)).toBe(
      'an onload attribute',
    );
    expect(scan('<?xml-stylesheet type="text/xsl" href="#s"?><doc/>')).toBe('a <?xml-stylesheet> element');
  });

  it('counts a namespace it cannot read (a reference, an attribute default) as a page', () => {
    const entity = `<!DOCTYPE d [<!ENTITY ns "http://www.w3.org/1999/x&#104;tml">]><d><x:script xmlns:x="&ns;">a</x:script></d>`;
    expect(scan(entity)).toBe('markup inside an entity declaration');
    const hidden = '<d><x:script xmlns:x="http://www.w3.org/1999/x&#104;tml">a</x:script></d>';
    expect(scan(hidden)).toBe('a <script> element');
    expect(scan('<d><x:script xmlns:x="urn:example:x">a</x:script></d>')).toBeUndefined();
    const attlist = '<!DOCTYPE d [<!ATTLIST script xmlns CDATA #FIXED "x">]><d><script>a</script></d>';
    expect(scan(attlist)).toBe('a <script> element');
    const doctype = '<!DOCTYPE x PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd"><x><script>a</script></x>';
    expect(scan(doctype)).toBe('a <script> element');
  });

  it('lets data XML through, forms and objects included, and an Office part', () => {
    expect(
      scan('<?xml version="1.0"?><invoice><form>A1</form><object id="7"/><script>n/a</script></invoice>'),
    ).toBe(undefined);
    const office = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>`;
    expect(scan(office)).toBeUndefined();
    const ubl = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><Note>onload=x</Note></Invoice>`;
    expect(scan(ubl)).toBeUndefined();
  });

  it('cannot read UTF-16 XML, and says so', () => {
    expect(scan(Buffer.from('\ufeff<data/>', 'utf16le'))).toMatch(/NUL bytes/);
  });

  it('is the scan for a part named .xml or an unnamed XML part (never shown as a body: attacker round 44)', () => {
    const part = messagePart;
    expect(markupScanFor(part({ names: ['invoice.XML '] }))).toBeInstanceOf(XmlPageScan);
    expect(markupScanFor(part({ names: ['style.xsl'] }))).toBeInstanceOf(XmlPageScan);
    expect(markupScanFor(part({ names: ['formula.mml'] }))).toBeInstanceOf(XmlPageScan);
    expect(markupScanFor(part({ names: ['news.rss'] }))).toBeInstanceOf(XmlPageScan);
    expect(markupScanFor(part({ names: ['saved.webarchive'] }))?.end()).toMatch(/Safari web archive/);
    expect(markupScanFor(part({ contentType: 'text/xml', disposition: 'attachment' }))).toBeInstanceOf(
      XmlPageScan,
    );
    // Inline and unnamed, it is still a file to a mail client (Thunderbird lists it, Outlook saves ATT00001.xml).
    expect(markupScanFor(part({ contentType: 'application/xml' }))).toBeInstanceOf(XmlPageScan);
    expect(markupScanFor(part({ contentType: 'application/xhtml+xml' }))).toBeDefined();
    // Named otherwise, it is that file (a .bin is no page).
    expect(markupScanFor(part({ contentType: 'application/xml', names: ['data.bin'] }))).toBeUndefined();
    // An unnamed inline HTML part is the message's body.
    expect(markupScanFor(part({ contentType: 'text/html' }))).toBeUndefined();
  });
});
