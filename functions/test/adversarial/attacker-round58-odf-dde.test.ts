import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { flatOdf } from './slide-action-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-2: the DDE links of OpenDocument. Rounds 50 and 51 refused Word's DDE fields and Excel's
// `=cmd|'/c calc'!A0`, but LibreOffice writes its links in its own words: a spreadsheet's `table:dde-link` with an
// `office:dde-source` (server, topic, item, automatic update), a text document's `text:dde-connection-decl`, a
// cell's `of:=DDE("cmd";"/c calc";"A0")`, and the OWASP CSV payload `=DDE("cmd";"/C calc";"!A0")A0` (no `|`). Each
// was delivered.
const kit = attackerKit(useLocalStack());
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';
const ODT = 'application/vnd.oasis.opendocument.text';
const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"',
].join(' ');
const SOURCE =
  'office:dde-application="cmd" office:dde-topic="/c calc" office:dde-item="A0" office:automatic-update="true"';
const odf = (mime: string, body: string) =>
  zipFile([
    { name: 'mimetype', data: mime, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mime}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.3"><office:body>${body}</office:body></office:document-content>`,
    },
  ]);
const sheet = (cell: string, links = '') =>
  `<office:spreadsheet>${links}<table:table table:name="S"><table:table-row>${cell}</table:table-row></table:table></office:spreadsheet>`;
const cell = (formula: string) =>
  `<table:table-cell table:formula="${formula}" office:value-type="float" office:value="0"><text:p>0</text:p></table:table-cell>`;
const DDE_LINKS = `<table:dde-links><table:dde-link><office:dde-source ${SOURCE}/><table:table/></table:dde-link></table:dde-links>`;
const DDE_DECL = `<office:text><text:dde-connection-decls><text:dde-connection-decl office:name="L" ${SOURCE}/></text:dde-connection-decls><text:p><text:dde-connection text:connection-name="L">0</text:dde-connection></text:p></office:text>`;
const verdictOf = async (name: string, file: Buffer) =>
  (await kit.inbound(attachedFile(name, file)[0])).verdict;

describe('A58-2: OpenDocument DDE links', () => {
  it('refuses an .ods with a table:dde-link', async () => {
    expect(await verdictOf('prices.ods', odf(ODS, sheet(cell('of:=1'), DDE_LINKS)))).toBe('BOUNCE');
  });
  it('refuses an .ods whose cell calls DDE()', async () => {
    const formula = 'of:=DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)';
    expect(await verdictOf('prices.ods', odf(ODS, sheet(cell(formula))))).toBe('BOUNCE');
  });
  it('refuses an .odt with a text:dde-connection-decl', async () => {
    expect(await verdictOf('letter.odt', odf(ODT, DDE_DECL))).toBe('BOUNCE');
  });
  it('refuses a flat .fods with a table:dde-link', async () => {
    expect(await verdictOf('prices.fods', flatOdf(ODS, sheet(cell('of:=1'), DDE_LINKS)))).toBe('BOUNCE');
  });
  it("refuses a .csv holding OWASP's =DDE() payload", async () => {
    const csv = Buffer.from('name,total\r\n=DDE("cmd";"/C calc";"!A0")A0,1\r\n');
    expect(await verdictOf('export.csv', csv)).toBe('BOUNCE');
  });
  it('(control) delivers an .ods that sums, and a .csv that mentions DDE in text', async () => {
    expect(await verdictOf('prices.ods', odf(ODS, sheet(cell('of:=SUM([.A1:.A2])'))))).toBe('DEFAULT');
    const csv = Buffer.from('topic,notes\r\nDDE,"legacy DDE (dynamic data exchange) links"\r\n');
    expect(await verdictOf('export.csv', csv)).toBe('DEFAULT');
  });
});
