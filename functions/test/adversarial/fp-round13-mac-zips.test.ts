import { gzipSync } from 'node:zlib';
import { pdfFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 13: a zip made by the Finder's "Compress" (and a tarball made by macOS `tar`) carries, beside
// each file with extended attributes (every downloaded file has `com.apple.quarantine`), an AppleDouble companion
// `__MACOSX/<folder>/._<name>` (`./._<name>` in the tarball): a binary header, the attributes and an empty resource
// fork, under the file's own extension. The DLP read `._2026-11.pdf` as a PDF (no `%PDF-` header: unread) and
// `._Report.docx` as a zip (not one: unread), so a Mac user's zip of statements or documents could not be sent.
const kit = attackerKit(useLocalStack());

/** A macOS AppleDouble file (copyfile's layout): Finder info with an `ATTR` block of extended attributes, then an empty resource fork. */
function appleDouble(
  attributes: ReadonlyArray<[string, Buffer]>,
  resourceFork = emptyResourceFork(),
): Buffer {
  const finderStart = 50;
  const attrStart = finderStart + 34;
  const entries = attributes.map(([name, value]) => {
    const entry = Buffer.alloc((11 + name.length + 1 + 3) & ~3);
    entry.writeUInt32BE(value.length, 4);
    entry.writeUInt8(name.length + 1, 10);
    entry.write(name, 11, 'latin1');
    return entry;
  });
  let at = attrStart + 36 + entries.reduce((n, e) => n + e.length, 0);
  const dataStart = at;
  entries.forEach((entry, i) => {
    entry.writeUInt32BE(at, 0);
    at += attributes[i]?.[1].length ?? 0;
  });
  const attrHeader = Buffer.alloc(36);
  attrHeader.write('ATTR', 0, 'latin1');
  attrHeader.writeUInt32BE(at, 8);
  attrHeader.writeUInt32BE(dataStart, 12);
  attrHeader.writeUInt32BE(at - dataStart, 16);
  attrHeader.writeUInt16BE(attributes.length, 34);
  const finder = Buffer.concat([Buffer.alloc(34), attrHeader, ...entries, ...attributes.map(([, v]) => v)]);
  const head = Buffer.alloc(50);
  head.writeUInt32BE(0x00051607, 0);
  head.writeUInt32BE(0x00020000, 4);
  head.write('Mac OS X        ', 8, 'latin1');
  head.writeUInt16BE(2, 24);
  head.writeUInt32BE(9, 26);
  head.writeUInt32BE(finderStart, 30);
  head.writeUInt32BE(finder.length, 34);
  head.writeUInt32BE(2, 38);
  head.writeUInt32BE(finderStart + finder.length, 42);
  head.writeUInt32BE(resourceFork.length, 46);
  return Buffer.concat([head, finder, resourceFork]);
}
function emptyResourceFork(): Buffer {
  const fork = Buffer.alloc(286);
  fork.writeUInt32BE(256, 0);
  fork.writeUInt32BE(256, 4);
  fork.writeUInt32BE(30, 12);
  fork.write('This resource fork intentionally left blank   ', 16 + 256 - 256, 'latin1');
  return fork;
}
const QUARANTINE: [string, Buffer] = [
  'com.apple.quarantine',
  Buffer.from('0083;6752a1b2;Safari;4E8A6F0C-1D2B-4C3D-9E8F-0A1B2C3D4E5F'),
];
const WHERE_FROMS: [string, Buffer] = [
  'com.apple.metadata:kMDItemWhereFroms',
  Buffer.concat([
    Buffer.from('bplist00\xa2\x01\x02_\x10\x2bhttps://bank.example/statements/2026-11.pdf', 'latin1'),
    Buffer.from('_\x10\x18https://bank.example/home\x08\x0b\x39', 'latin1'),
    Buffer.alloc(32),
  ]),
];
const COMPANION = appleDouble([QUARANTINE, WHERE_FROMS]);

const PDF = pdfFile(['Statement November 2026', 'Closing balance 1,350.52']);
const DOCX = zipFile([
  {
    name: '[Content_Types].xml',
    data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  },
  {
    name: 'word/document.xml',
    data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:p></w:body></w:document>',
  },
]);
/** A Finder zip of `folder` holding `files`, each with its `__MACOSX` companion (`companion` by default). */
const finderZip = (folder: string, files: ReadonlyArray<[string, Buffer]>, companion = COMPANION) =>
  zipFile([
    ...files.map(([name, data]) => ({ name: `${folder}/${name}`, data })),
    ...files.map(([name]) => ({ name: `__MACOSX/${folder}/._${name}`, data: companion })),
  ]);
const tarFile = (name: string, data: Buffer) => tarEntry(name, data, '0', USTAR_MAGIC);

describe('FP13 a Mac zip or tarball of documents, AppleDouble companions beside them, is sent', () => {
  const cases: Record<string, () => Buffer> = {
    'a Finder zip of a downloaded PDF statement': () =>
      outboundFile('Statements.zip', finderZip('Statements', [['2026-11.pdf', PDF]]), 'application/zip'),
    'a Finder zip of two PDFs and a Word document': () =>
      outboundFile(
        'Board pack.zip',
        finderZip('Board pack', [
          ['Agenda.pdf', PDF],
          ['Minutes.docx', DOCX],
          ['Accounts.pdf', PDF],
        ]),
        'application/zip',
      ),
    'a Finder zip of a workbook (._Budget.xlsx)': () =>
      outboundFile('Budget.zip', finderZip('Budget', [['Budget.xlsx', DOCX]]), 'application/zip'),
    'a macOS tar.gz with ./._2026-11.pdf beside the PDF': () =>
      outboundFile(
        'statements.tar.gz',
        gzipSync(tarArchive(tarFile('./._2026-11.pdf', COMPANION), tarFile('./2026-11.pdf', PDF))),
        'application/gzip',
      ),
  };
  for (const [name, message] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(message())).toBe('DEFAULT');
    });
  it('(inbound control) the guard delivers the Finder zip of PDFs', async () => {
    const [message] = attachedFile('Statements.zip', finderZip('Statements', [['2026-11.pdf', PDF]]));
    expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('DEFAULT');
  });
});

// What the companion's reading must not let through: it is read for its strings (a card there is found), and one that
// holds what a PDF viewer or a zip reader would open, or that is not named as a companion, is read as before.
describe('FP13 held: what an AppleDouble-shaped file hides is still read or refused', () => {
  const CARD = '4111 1111 1111 1111';
  const held: Record<string, () => Buffer> = {
    'a card in a companion attribute': () =>
      outboundFile(
        'Statements.zip',
        finderZip(
          'Statements',
          [['2026-11.pdf', PDF]],
          appleDouble([['com.apple.metadata:kMDItemComment', Buffer.from(`card ${CARD}`)]]),
        ),
        'application/zip',
      ),
    'a card as UTF-16 in the resource fork': () =>
      outboundFile(
        'Statements.zip',
        finderZip(
          'Statements',
          [['2026-11.pdf', PDF]],
          appleDouble([QUARANTINE], Buffer.from(`card ${CARD}`, 'utf16le')),
        ),
        'application/zip',
      ),
    'a PDF (past 1024 bytes, no header) in the resource fork of ._x.pdf': () =>
      outboundFile(
        'Statements.zip',
        finderZip(
          'Statements',
          [['2026-11.pdf', PDF]],
          appleDouble(
            [QUARANTINE],
            Buffer.concat([Buffer.alloc(1200), pdfFile([`Card ${CARD}`]).subarray(15)]),
          ),
        ),
        'application/zip',
      ),
    'a PDF with its header past 1024 bytes in the resource fork of ._x.pdf': () =>
      outboundFile(
        'Statements.zip',
        finderZip(
          'Statements',
          [['2026-11.pdf', PDF]],
          appleDouble([QUARANTINE], Buffer.concat([Buffer.alloc(1200), pdfFile([`Card ${CARD}`])])),
        ),
        'application/zip',
      ),
    'a zip holding a card in the resource fork of ._x.docx': () =>
      outboundFile(
        'Docs.zip',
        finderZip(
          'Docs',
          [['Minutes.docx', DOCX]],
          appleDouble([QUARANTINE], zipFile([{ name: 'cards.txt', data: CARD, method: 8 }])),
        ),
        'application/zip',
      ),
    'a companion under a name without ._ (statement.pdf)': () =>
      outboundFile(
        'Statements.zip',
        zipFile([{ name: 'Statements/statement.pdf', data: COMPANION }]),
        'application/zip',
      ),
  };
  for (const [name, message] of Object.entries(held))
    it(`bounces ${name}`, async () => {
      const verdict = await kit.outboundVerdict(message());
      expect(verdict?.type).toBe('BOUNCE');
      // A companion read for its strings: the card itself is found, not the file refused as unread.
      if (name.startsWith('a card'))
        expect(verdict).toMatchObject({ message: expect.stringContaining('contains payment card') });
    });
});

// The guard lists the files of an archive inside an archive: a Finder zip of a folder holding a zip or a `.gz` carried
// `__MACOSX/<folder>/._inner.zip`, which the walk opened as a zip (not one: uninspectable, bounced).
const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1');
describe('FP13 the guard: a Finder zip of a folder holding archives is delivered', () => {
  const cases: Record<string, () => Buffer> = {
    'a zip inside (._photos.zip beside it)': () =>
      finderZip('Shoot', [
        ['photos.zip', zipFile([{ name: 'IMG_0001.jpg', data: Buffer.from('ffd8ffe0', 'hex') }])],
      ]),
    'a gzip log inside (._server.log.gz beside it)': () =>
      finderZip('Logs', [['server.log.gz', gzipSync(Buffer.from('2026-12-07 10:00 started\n'))]]),
  };
  for (const [name, zip] of Object.entries(cases))
    it(`delivers ${name}`, async () => {
      const [message] = attachedFile('Folder.zip', zip());
      expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('DEFAULT');
    });
  const held: Record<string, () => Buffer> = {
    'an executable zipped in the companion of ._photos.zip': () =>
      finderZip(
        'Shoot',
        [['photos.zip', zipFile([{ name: 'IMG_0001.jpg', data: Buffer.from('ffd8ffe0', 'hex') }])]],
        appleDouble([QUARANTINE], zipFile([{ name: 'invoice.exe', data: EXE, method: 8 }])),
      ),
    'an executable gzipped in the companion of ._server.log.gz': () =>
      finderZip(
        'Logs',
        [['server.log.gz', gzipSync(Buffer.from('log\n'))]],
        appleDouble([QUARANTINE], gzipSync(EXE)),
      ),
    'a companion named ._photos.zip that is AppleSingle (a data fork)': () => {
      const single = appleDouble([QUARANTINE]);
      single.writeUInt32BE(0x00051600, 0);
      return finderZip('Shoot', [['photos.zip', zipFile([{ name: 'a.jpg', data: 'x' }])]], single);
    },
  };
  for (const [name, zip] of Object.entries(held))
    it(`bounces ${name}`, async () => {
      const [message] = attachedFile('Folder.zip', zip());
      expect((await kit.inbound(message, {}, 'ann@partner.example')).verdict).toBe('BOUNCE');
    });
});
