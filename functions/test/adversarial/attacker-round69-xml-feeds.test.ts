import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 69, held (over-blocking): round 68 gave unnamed `text/xsl` and `+xml` parts the XML page scan. Feeds
// and stylesheets as publishers send them are still delivered: Atom entries of XHTML content with links and images, an
// RSS 0.91 feed with its DTD, HTML (scripts, frames) inside CDATA, which is text, an XSLT building an HTML or XHTML
// page without a script, MathML, RDF, and a feed of some megabytes.
const stack = useLocalStack();
const kit = attackerKit(stack);

const unnamed = (type: string, data: string): Buffer =>
  mail(
    [MIXED],
    withPart(
      `Content-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(data).toString('base64')}`,
    ),
  );

const ATOM_XHTML =
  '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>' +
  '<entry><title>Release 2.0</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">' +
  '<p>We shipped <a href="https://example.com/2.0">2.0</a>.</p><img src="https://example.com/a.png" alt=""/>' +
  '</div></content></entry></feed>';
const RSS_091 =
  '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" ' +
  '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>News</title>' +
  '<link>https://example.com/</link><description>d</description><language>en-us</language></channel></rss>';
const RSS_CDATA =
  '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>' +
  '<title>News</title><item><title>Video</title><content:encoded><![CDATA[<p>Watch</p>' +
  '<iframe src="https://www.youtube.com/embed/x"></iframe><script async src="https://platform.twitter.com/widgets.js"></script>]]>' +
  '</content:encoded></item></channel></rss>';
const XSLT_HTML =
  '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">' +
  '<xsl:output method="html"/><xsl:template match="/"><html><body><h1>Orders</h1>' +
  '<xsl:for-each select="orders/order"><p><a href="{@url}"><xsl:value-of select="@id"/></a></p></xsl:for-each>' +
  '</body></html></xsl:template></xsl:stylesheet>';
const XSLT_XHTML =
  '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" ' +
  'xmlns="http://www.w3.org/1999/xhtml"><xsl:template match="/"><html><head><title>Orders</title>' +
  '<link rel="stylesheet" href="orders.css"/></head><body><table><xsl:for-each select="orders/order"><tr><td>' +
  '<a href="{@url}"><xsl:value-of select="@id"/></a></td></tr></xsl:for-each></table></body></html>' +
  '</xsl:template></xsl:stylesheet>';
const XHTML_DOCTYPE =
  '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" ' +
  '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>';
const MATHML =
  '<?xml version="1.0"?><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>=</mo><mn>2</mn></math>';
const RDF =
  '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description rdf:about="https://example.com/"><dc:title>x</dc:title>' +
  '</rdf:Description></rdf:RDF>';

describe('A69 held: unnamed feeds and stylesheets', () => {
  for (const [type, data] of [
    ['application/atom+xml', ATOM_XHTML],
    ['application/rss+xml', RSS_091],
    ['application/rss+xml', RSS_CDATA],
    ['text/xsl', XSLT_HTML],
    ['text/xsl', XSLT_XHTML],
    ['application/atom+xml', XHTML_DOCTYPE],
    ['application/mathml+xml', MATHML],
    ['application/rdf+xml', RDF],
    [
      'application/rss+xml',
      `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>${'<item><title>Item</title><description>d</description></item>'.repeat(30000)}</channel></rss>`,
    ],
  ] as const)
    it(`(control) delivers ${type} ${data.slice(40, 100)}`, async () => {
      const r = await kit.inbound(unnamed(type, data));
      expect(r.verdict).toBe('DEFAULT');
    });
});
