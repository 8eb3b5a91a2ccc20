import { gzipSync } from 'node:zlib';
import { pdfFile, tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { appleDouble, QUARANTINE, WHERE_FROMS } from './apple-double-kit.js';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 13: a zip made by the Finder's "Compress" (and a tarball made by macOS `tar`) carries, beside
// each file with extended attributes (every downloaded file has `com.apple.quarantine`), an AppleDouble companion
// `__MACOSX/<folder>/._<name>` (`./._<name>` in the tarball): a binary header, the attributes and an empty resource
// fork, under the file's own extension. The DLP read `._2026-11.pdf` as a PDF (no `%PDF-` header: unread) and
// `._Report.docx` as a zip (not one: unread), so a Mac user's zip of statements or documents could not be sent.
const kit = attackerKit(useLocalStack());

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
