import { gzipSync } from 'node:zlib';
import { tarArchive, tarEntry, USTAR_MAGIC, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 33 (session 27, against round 32's fixes), on outbound-policy's card detector: each case was
// sent (DEFAULT) at the defaults before the fix (PoCs in .scratch/attack-s27). Controls are kept beside them.

const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: Bob <bob@corp.example>';
const text = (body: string) => mail([FROM, 'Content-Type: text/plain; charset=utf-8'], body);
const html = (body: string) => mail([FROM, 'Content-Type: text/html; charset=utf-8'], body);
const CARD = '4111 1111 1111 1111';

// A27-1: a SIRET, KID or OCR label exempted the whole run of digits it began, and a run joins groups across line
// breaks, blank lines and short punctuation: any card after a labelled reference went out.
describe('A27-1: a card after a labelled reference', () => {
  const CASES: Record<string, Buffer> = {
    'on the next line': text(`Faktura KID: 12345678\r\n${CARD} exp 12/29\r\n`),
    'in the next paragraph': text(`Notre SIRET : 732 829 320 00074\r\n\r\n${CARD}\r\n`),
    'on the same line after a dash': text(`SIRET 73282932000074 - ${CARD}\r\n`),
    'after an HTML line break': html(`<p>KID: 12345678<br>${CARD}</p>`),
    'in the next HTML paragraph': html(`<p>Notre SIRET : 732 829 320 00074</p><p>${CARD}</p>`),
    'in the next row of a CSV file': outboundFile(
      'export.csv',
      Buffer.from(`Faktura KID 12345678\r\n${CARD};12/29\r\n`),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces a card ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('control: the labelled reference alone is sent', async () => {
    expect(await kit.outbound(text('Faktura KID: 4123 4567 8901 2349\r\n'))).toBe('DEFAULT');
  });
});

// A27-2: the label's trailing class took any non-Latin letter or symbol (canonical `_` and `!`), so a word after
// the label (`OCRの結果`, "the OCR result") or a check mark still made the number a reference.
describe('A27-2: a word or symbol between the label and the card', () => {
  for (const [name, body] of Object.entries({
    Japanese: `OCRの結果 ${CARD}`,
    Chinese: `OCR结果：${CARD}`,
    'a check mark': `OCR ✓ ${CARD}`,
  }))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(text(`${body}\r\n`))).toBe('BOUNCE');
    });
  it('control: n° and nº after SIRET still label it', async () => {
    expect(await kit.outbound(text('SIRET n° 36252187400010, Siret nº 38012986600014\r\n'))).toBe('DEFAULT');
  });
});

// A27-4, A27-5: a zip entry with a Unix symlink mode (external attributes 0120777) was not read, as a link to
// another file is; but Windows Explorer and Python's zipfile extract it as a regular file holding its bytes. So an
// iWork document's `.iwa` data (unread) or a text file (with a card) so marked went out.
describe('A27-4/5: zip entries marked as Unix links', () => {
  // Snappy-framed records, binary as an .iwa is, holding a card.
  const IWA = Buffer.concat([
    Buffer.from([0x00, 0x3a, 0x01, 0x00]),
    Buffer.from(`\x08\x01\x12\x05${CARD}`, 'latin1'),
    Buffer.alloc(64, 1),
  ]);
  const CASES: Record<string, Buffer> = {
    "an iWork document's .iwa data": outboundFile(
      'Budget.numbers',
      zipFile([
        { name: 'Index/Document.iwa', data: IWA, method: 0, symlink: true },
        { name: 'Index/Tables/DataList.iwa', data: IWA, method: 0, symlink: true },
        { name: 'Metadata/DocumentIdentifier', data: '6F1B1E0C-1111-4C1B-9E1E-8E2A3C7D0A11' },
      ]),
    ),
    'a text file': outboundFile(
      'cards.zip',
      zipFile([{ name: 'cards.txt', data: `Card for the booking: ${CARD}\r\n`, symlink: true }]),
    ),
    'a stored CSV file': outboundFile(
      'cards.zip',
      zipFile([{ name: 'export/cards.csv', data: `name,card\r\nBob,${CARD}\r\n`, symlink: true, method: 0 }]),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  it('control: a zip with a normal text entry holding a card bounces', async () => {
    const zip = zipFile([{ name: 'cards.txt', data: `Card: ${CARD}\r\n` }]);
    expect(await kit.outbound(outboundFile('cards.zip', zip))).toBe('BOUNCE');
  });
  it('control: a real link (its bytes a path) and a text file with no card are sent', async () => {
    const zip = zipFile([
      { name: 'docs/readme.txt', data: 'See the attached booking.\r\n' },
      { name: 'latest.txt', data: 'docs/readme.txt', symlink: true },
    ]);
    expect(await kit.outbound(outboundFile('docs.zip', zip))).toBe('DEFAULT');
  });
});

// A27-6: a Safari web archive (a binary property list, `bplist00`) was skipped as binary, alone or in a zip;
// Safari shows its page. It is now unread (the guard already treats it as unreadable), card or not.
describe('A27-6: a Safari web archive (binary property list)', () => {
  // A minimal web archive: `bplist00`, a dictionary's keys (WebMainResource, WebResourceData…), the page's bytes.
  const webArchive = (page: string) =>
    Buffer.concat([
      Buffer.from('bplist00\xd1\x01\x02_\x10\x0fWebMainResource\xd5\x03\x04\x05\x06\x07', 'latin1'),
      Buffer.from('_\x10\x0fWebResourceData_\x10\x13WebResourceMIMEType', 'latin1'),
      Buffer.from([0x4f, 0x10, page.length]),
      Buffer.from(page, 'latin1'),
      Buffer.from('Ytext/htmlUUTF-8\x00\x08\x00\x0b\x00\x1d', 'latin1'),
    ]);
  const BOOKING = `<html><body><p>Booking for Mr Smith</p><p>Card: ${CARD} exp 12/29</p></body></html>`;
  const CASES: Record<string, Buffer> = {
    'attached as a .webarchive': outboundFile(
      'booking.webarchive',
      webArchive(BOOKING),
      'application/x-webarchive',
    ),
    'in a zip': outboundFile(
      'booking.zip',
      zipFile([{ name: 'booking.webarchive', data: webArchive(BOOKING) }]),
    ),
    'under a name that says nothing': outboundFile('booking', webArchive(BOOKING)),
    'with no card (unread, not read)': outboundFile('notes.webarchive', webArchive('<p>See you soon</p>')),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces one ${name}`, async () => {
      const verdict = await kit.outboundVerdict(message);
      expect(verdict?.type).toBe('BOUNCE');
      expect((verdict as { message?: string }).message).toMatch(/could not be checked/);
    });
});

// A27-7: text a control byte made look binary was skipped: a report ending in a DOS end-of-file mark (0x1A) in a
// zip, a `.dat` export padded with NULs or in UTF-16LE without a byte order mark. Binary content of no known format
// is now read for its strings (8-bit, UTF-16LE and BE); images, audio and programs are still skipped. A short
// base64 attachment's last byte was also dropped from the bytes its kind is told by (a NUL or 0x1A there).
describe('A27-7: text that looks binary because of a control byte', () => {
  const REPORT = `STATEMENT 2026-11\r\nCUSTOMER BOB\r\nCARD ${CARD}\r\nAMOUNT 12.00\r\n`;
  const CASES: Record<string, Buffer> = {
    'a report ending in a DOS end-of-file mark in a zip': outboundFile(
      'statement.zip',
      zipFile([{ name: 'STATEMENT.PRN', data: `${REPORT}\x1a` }]),
    ),
    'a .dat export padded with NULs': outboundFile('export.dat', Buffer.from(`${REPORT}\x00\x00`)),
    'a .dat export in UTF-16LE without a byte order mark': outboundFile(
      'export.dat',
      Buffer.from(REPORT, 'utf16le'),
    ),
    'a .dat export in UTF-16BE without a byte order mark': outboundFile(
      'export.dat',
      Buffer.from(REPORT, 'utf16le').swap16(),
    ),
    'a report whose last byte, a NUL, is in a partial base64 group': outboundFile(
      'statement.prn',
      Buffer.from(`${REPORT}\x00`),
    ),
    'a gzipped report ending in a DOS end-of-file mark': outboundFile(
      'statement.prn.gz',
      gzipSync(Buffer.from(`${REPORT}\x1a`)),
    ),
    'a report with a NUL in a tar': outboundFile(
      'statement.tar.gz',
      gzipSync(tarArchive(tarEntry('STATEMENT.PRN', Buffer.from(`${REPORT}\x00`), '0', USTAR_MAGIC))),
    ),
  };
  for (const [name, message] of Object.entries(CASES))
    it(`bounces ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  const PNG = Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d494844520000001000000010080600000000', 'hex'),
    Buffer.alloc(2000, 0x34),
  ]);
  const JPEG = Buffer.concat([
    Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    Buffer.alloc(2000, 0x31),
  ]);
  const CONTROLS: Record<string, Buffer> = {
    'a PNG image': outboundFile('logo.png', PNG, 'image/png'),
    'a JPEG photo sent as octet-stream': outboundFile('photo', JPEG),
    'a zip of images': outboundFile(
      'photos.zip',
      zipFile([
        { name: 'logo.png', data: PNG },
        { name: 'photo.jpg', data: JPEG },
      ]),
    ),
    'a data file of no known format with no card': outboundFile(
      'export.dat',
      Buffer.concat([Buffer.from('HDR\x00\x01\x02', 'latin1'), Buffer.from('no numbers here', 'utf16le')]),
    ),
    'a report with a DOS end-of-file mark and no card': outboundFile(
      'statement.prn',
      Buffer.from('STATEMENT 2026-11\r\nAMOUNT 12.00\r\n\x1a'),
    ),
  };
  for (const [name, message] of Object.entries(CONTROLS))
    it(`control: sends ${name}`, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
});
