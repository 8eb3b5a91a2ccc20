import { gzipSync } from 'node:zlib';
import { pdfFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { appleDouble, QUARANTINE, WHERE_FROMS } from './apple-double-kit.js';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14: Apple Mail sends a file that has Finder info or a resource fork as RFC 1740's
// `multipart/appledouble`: an `application/applefile` header part (an AppleDouble file: Finder info, extended
// attributes, the resource fork; no data fork) named as the file, then the file itself under the same name. Outlook
// and webmail list both; Apple Mail joins them. The DLP read the header part named `Report.pdf` as a PDF (no header:
// unread) and `Minutes.docx` as a zip (not one: unread), and the guard listed the one named `photos.zip` or
// `server.log.gz` as the archive it is named (not one: uninspectable), so such mail was bounced both ways. A lone
// companion `._2026-11.pdf` (round 13's lead: a Mac user attaching a folder's hidden file) the same.
const kit = attackerKit(useLocalStack());
const CRLF = '\r\n';

const COMPANION = appleDouble([QUARANTINE, WHERE_FROMS]);
const CARD = '4111 1111 1111 1111';
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
const PHOTOS = zipFile([{ name: 'IMG_0001.txt', data: 'a photo' }]);

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, `$&${CRLF}`);
/** An attachment part as Apple Mail writes one (its header order, folded parameters). */
const filePart = (type: string, name: string, bytes: Buffer) =>
  [
    'Content-Transfer-Encoding: base64',
    `Content-Type: ${type};${CRLF}\tname="${name}"`,
    `Content-Disposition: attachment;${CRLF}\tfilename="${name}"`,
    '',
    base64(bytes),
  ].join(CRLF);
const multipart = (subtype: string, boundary: string, parts: readonly string[]) =>
  [
    `Content-Type: multipart/${subtype};${CRLF}\tboundary="${boundary}"`,
    '',
    ...parts.flatMap((part) => [`--${boundary}`, part]),
    `--${boundary}--`,
    '',
  ].join(CRLF);
const textPart =
  'Content-Transfer-Encoding: 7bit\r\nContent-Type: text/plain;\r\n\tcharset=us-ascii\r\n\r\nHi, the file is attached.\r\n';
/** A message from `from` to `to` with `parts` after Apple Mail's text part. */
function appleMail(from: string, to: string, parts: readonly string[]): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      'Subject: the file',
      'Date: Mon, 7 Dec 2026 10:00:00 +0100',
      'Message-Id: <5C1B2A3D-0E4F-4A5B-8C7D-1E2F3A4B5C6D@corp.example>',
      'Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))',
      'X-Mailer: Apple Mail (2.3826.300.87.4.3)',
      multipart('mixed', 'Apple-Mail=_8A2C5D0E-1F3B-4C6D-9E7F-0A1B2C3D4E5F', [textPart, ...parts]),
    ].join(CRLF),
  );
}
/** RFC 1740's pair: the AppleDouble header part named `name`, then the file. */
const appleDoublePair = (name: string, file: Buffer, header = COMPANION) =>
  multipart('appledouble', 'Apple-Mail=_0B1C2D3E-4F5A-4B6C-8D7E-9F0A1B2C3D4E', [
    filePart('application/applefile', name, header),
    filePart('application/octet-stream', name, file),
  ]);
const outbound = (parts: readonly string[]) =>
  appleMail('Bob <bob@corp.example>', 'x@outside.example', parts);
const inbound = (parts: readonly string[]) =>
  appleMail('Ann <ann@partner.example>', 'bob@corp.example', parts);

describe("FP14 Apple Mail's multipart/appledouble and a lone ._ companion are sent (outbound DLP)", () => {
  const cases: Record<string, () => Buffer> = {
    'a PDF statement (applefile header named Report.pdf)': () =>
      outbound([appleDoublePair('Report.pdf', PDF)]),
    'a Word document (Minutes.docx)': () => outbound([appleDoublePair('Minutes.docx', DOCX)]),
    'a workbook (Budget.xlsx)': () => outbound([appleDoublePair('Budget.xlsx', DOCX)]),
    'a lone companion ._2026-11.pdf typed application/pdf': () =>
      outbound([
        filePart('application/pdf', '._2026-11.pdf', COMPANION),
        filePart('application/pdf', '2026-11.pdf', PDF),
      ]),
    'a lone companion ._Minutes.docx typed octet-stream': () =>
      outbound([filePart('application/octet-stream', '._Minutes.docx', COMPANION)]),
  };
  for (const [name, message] of Object.entries(cases))
    it(`sends ${name}`, async () => {
      expect(await kit.outbound(message())).toBe('DEFAULT');
    });
  it('(control) the same PDF attached on its own is sent', async () => {
    expect(await kit.outbound(outbound([filePart('application/pdf', 'Report.pdf', PDF)]))).toBe('DEFAULT');
  });
});

describe("FP14 Apple Mail's multipart/appledouble and a lone ._ companion are delivered (guard)", () => {
  const cases: Record<string, () => Buffer> = {
    'a zip of photos (applefile header named photos.zip)': () =>
      inbound([appleDoublePair('photos.zip', PHOTOS)]),
    'a gzipped log (server.log.gz)': () => inbound([appleDoublePair('server.log.gz', gzipSync('started\n'))]),
    'a lone companion ._photos.zip': () =>
      inbound([
        filePart('application/octet-stream', '._photos.zip', COMPANION),
        filePart('application/zip', 'photos.zip', PHOTOS),
      ]),
  };
  for (const [name, message] of Object.entries(cases))
    it(`delivers ${name}, its parts unchanged`, async () => {
      const sent = message();
      const { verdict, delivered } = await kit.inbound(sent, {}, 'ann@partner.example');
      expect(verdict).toBe('DEFAULT');
      // Tagged as outside mail (subject, banner); every attachment's bytes as sent.
      const text = delivered.toString('latin1');
      expect(text).toContain('[EXTERNAL]');
      for (const line of sent
        .toString('latin1')
        .split(CRLF)
        .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)))
        expect(text).toContain(line);
    });
  it("(control) a PDF in Apple Mail's pair is delivered", async () => {
    expect(
      (await kit.inbound(inbound([appleDoublePair('Report.pdf', PDF)]), {}, 'ann@partner.example')).verdict,
    ).toBe('DEFAULT');
  });
});

// What the header part's new reading must not let through: its strings are read (a card there is found), one that
// holds what a viewer or an archive tool would open is read as its name says, and a file's own checks still apply.
describe('FP14 held: what an applefile or ._ part hides is still found or refused', () => {
  const held: Record<string, () => Buffer> = {
    'a card in an attribute of the header part (Report.pdf)': () =>
      outbound([
        appleDoublePair(
          'Report.pdf',
          PDF,
          appleDouble([['com.apple.metadata:kMDItemComment', Buffer.from(`card ${CARD}`)]]),
        ),
      ]),
    'a card as UTF-16 in the resource fork of ._2026-11.pdf': () =>
      outbound([
        filePart(
          'application/pdf',
          '._2026-11.pdf',
          appleDouble([QUARANTINE], Buffer.from(`card ${CARD}`, 'utf16le')),
        ),
      ]),
    'a PDF with no header in the resource fork of the header part': () =>
      outbound([
        appleDoublePair(
          'Report.pdf',
          PDF,
          appleDouble(
            [QUARANTINE],
            Buffer.concat([Buffer.alloc(1200), pdfFile([`Card ${CARD}`]).subarray(15)]),
          ),
        ),
      ]),
    'a zip holding a card in the resource fork of the header part (Minutes.docx)': () =>
      outbound([
        appleDoublePair(
          'Minutes.docx',
          DOCX,
          appleDouble([QUARANTINE], zipFile([{ name: 'cards.txt', data: CARD, method: 8 }])),
        ),
      ]),
    'AppleDouble bytes under a plain name typed application/pdf (statement.pdf)': () =>
      outbound([filePart('application/pdf', 'statement.pdf', COMPANION)]),
  };
  for (const [name, message] of Object.entries(held))
    it(`does not send ${name}`, async () => {
      const verdict = await kit.outboundVerdict(message());
      expect(verdict?.type).toBe('BOUNCE');
      if (name.startsWith('a card'))
        expect(verdict).toMatchObject({ message: expect.stringContaining('contains payment card') });
    });
  const EXE = Buffer.from('MZ\x90\x00this program cannot be run in DOS mode', 'latin1');
  const bounced: Record<string, () => Buffer> = {
    'a zip holding an executable in the resource fork of the header part (photos.zip)': () =>
      inbound([
        appleDoublePair(
          'photos.zip',
          PHOTOS,
          appleDouble([QUARANTINE], zipFile([{ name: 'setup.exe', data: EXE }])),
        ),
      ]),
    'a gzipped executable in the resource fork of ._server.log.gz': () =>
      inbound([
        filePart('application/octet-stream', '._server.log.gz', appleDouble([QUARANTINE], gzipSync(EXE))),
      ]),
    'an applefile header part named invoice.exe': () => inbound([appleDoublePair('invoice.exe', EXE)]),
    'AppleDouble bytes named photos.zip, typed octet-stream (no ._, not applefile)': () =>
      inbound([filePart('application/octet-stream', 'photos.zip', COMPANION)]),
  };
  for (const [name, message] of Object.entries(bounced))
    it(`bounces ${name}`, async () => {
      expect((await kit.inbound(message(), {}, 'ann@partner.example')).verdict).toBe('BOUNCE');
    });
});
