import { gzipSync } from 'node:zlib';
import { cmsFile, compoundFile, pdfFile, tnefStream, uuencode, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 26: PDFs carried where the container routing did not look for them. A gzip's or
// signed file's content and a uuencoded file named .pdf, a text file named .pdf that holds PDF objects with no
// `%PDF-` header, a winmail.dat file held in its MAPI properties, a PDF embedded as an OLE object in a .doc or a
// .docx. Each is read as the PDF a viewer opens (and refused when it cannot be read); the same shape with a
// clean PDF goes through.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const STATEMENT = pdfFile([`Statement for Bob\nCard on file: ${CARD}`], { kerned: true });
const CLEAN = pdfFile(['Statement for Bob\nNothing is due this month.'], { kerned: true });

// The same PDF with its `%PDF-1.7` replaced by junk of the same length (pdf.js and pdftotext still read it).
function headerless(pdf: Buffer): Buffer {
  return Buffer.concat([Buffer.from('\x00\x01JUNK\x00\x00', 'latin1'), pdf.subarray(8)]);
}

// An all-ASCII PDF (hex glyph strings, uncompressed) whose first line is not `%PDF-` (none, or a PostScript one).
function asciiPdf(text: string, first = ''): Buffer {
  const pdf = pdfFile([text], { kerned: true, compress: false }).toString('latin1');
  return Buffer.from(first + pdf.replace(/^%PDF-1\.7\n%[^\n]*\n/, ''), 'latin1');
}
const ASCII_STATEMENT = asciiPdf(`Statement for Bob\nCard on file: ${CARD}`);
const ASCII_CLEAN = asciiPdf('Statement for Bob\nNothing is due this month.');

// Acrobat's OLE object: the PDF in `CONTENTS`, past 1024 bytes of the file (in a regular-sector stream).
// Interleaved with another stream, its sectors are not contiguous in the file (read through the FAT's chain).
function acrobatObject(pdf: Buffer, interleave = false): Buffer {
  const contents = Buffer.concat([pdf, Buffer.from(`\n%${'x'.repeat(4200)}\n`)]);
  const other = Buffer.from(`Acrobat object ${'y'.repeat(8000)}`);
  return compoundFile(
    [
      ['CONTENTS', contents],
      ['\u0001Ole', other],
    ],
    { interleave },
  );
}

function docx(ole: Buffer): Buffer {
  return zipFile([
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>',
    },
    {
      name: 'word/document.xml',
      data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Statement attached (double-click the icon).</w:t></w:r></w:p></w:body></w:document>',
    },
    { name: 'word/embeddings/oleObject1.bin', data: ole },
  ]);
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function uuMessage(file: Buffer, name: string): Buffer {
  return mail(
    ['From: Bob <bob@corp.example>', MIXED],
    ['--b', 'Content-Type: text/plain', '', 'the statement:', '', uuencode(file, name), '--b--', ''].join(
      '\r\n',
    ),
  );
}

describe('outbound-policy: PDFs in containers (attacker round 26)', () => {
  it('reads a gzip file named .pdf.gz as the PDF it holds, and refuses one with no %PDF- header', async () => {
    const send = (file: Buffer, name = 'cards.pdf.gz') =>
      kit.outbound(outboundFile(name, gzipSync(file), 'application/gzip'));
    expect(await send(headerless(STATEMENT))).toBe('BOUNCE');
    // The name in the gzip header (gzip -N) claims a PDF too.
    const named = gzipSync(headerless(STATEMENT));
    const withName = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0, 0x03]),
      Buffer.from('cards.pdf\0', 'latin1'),
      named.subarray(10),
    ]);
    expect(await kit.outbound(outboundFile('export.gz', withName, 'application/gzip'))).toBe('BOUNCE');
    expect(await send(CLEAN)).toBe('DEFAULT');
    expect(await send(ASCII_CLEAN)).toBe('DEFAULT');
    expect(await send(ASCII_STATEMENT)).toBe('BOUNCE');
  });

  it('reads a signed .pdf.p7m as the PDF it carries, and refuses one with no %PDF- header', async () => {
    const send = (file: Buffer) =>
      kit.outbound(
        outboundFile('cards.pdf.p7m', cmsFile(file), 'application/pkcs7-mime; smime-type=signed-data'),
      );
    expect(await send(headerless(STATEMENT))).toBe('BOUNCE');
    expect(await send(CLEAN)).toBe('DEFAULT');
  });

  it('reads a uuencoded file named .pdf as a PDF, and refuses one with no %PDF- header', async () => {
    expect(await kit.outbound(uuMessage(headerless(STATEMENT), 'cards.pdf'))).toBe('BOUNCE');
    expect(await kit.outbound(uuMessage(ASCII_STATEMENT, 'cards.pdf'))).toBe('BOUNCE');
    expect(await kit.outbound(uuMessage(ASCII_CLEAN, 'cards.pdf'))).toBe('DEFAULT');
    expect(await kit.outbound(uuMessage(CLEAN, 'cards.pdf'))).toBe('DEFAULT');
  });

  it('reads a text file named or typed PDF that holds PDF objects with no %PDF- header as a PDF too', async () => {
    for (const [name, type] of [
      ['cards.pdf', 'application/octet-stream'],
      ['cards', 'application/pdf'],
    ] as const) {
      expect(await kit.outbound(outboundFile(name, ASCII_STATEMENT, type))).toBe('BOUNCE');
      const postscript = asciiPdf(`Card on file: ${CARD}`, '%!PS-Adobe-3.0\n');
      expect(await kit.outbound(outboundFile(name, postscript, type))).toBe('BOUNCE');
      expect(await kit.outbound(outboundFile(name, ASCII_CLEAN, type))).toBe('DEFAULT');
    }
    // In a zip too.
    const zipped = (pdf: Buffer) =>
      kit.outbound(outboundFile('docs.zip', zipFile([{ name: 'cards.pdf', data: pdf }]), 'application/zip'));
    expect(await zipped(ASCII_STATEMENT)).toBe('BOUNCE');
    expect(await zipped(ASCII_CLEAN)).toBe('DEFAULT');
    // Text with no PDF objects stays text (a real test.pdf says `blah blah blah`).
    expect(
      await kit.outbound(outboundFile('test.pdf', Buffer.from('blah blah blah'), 'application/pdf')),
    ).toBe('DEFAULT');
  });

  it("reads a winmail.dat file held in its attachment's MAPI properties (PR_ATTACH_DATA_BIN)", async () => {
    const send = (winmail: Buffer) =>
      kit.outbound(outboundFile('winmail.dat', winmail, 'application/ms-tnef'));
    expect(await send(tnefStream([{ longName: 'cards.pdf', dataProperty: STATEMENT }]))).toBe('BOUNCE');
    expect(await send(tnefStream([{ longName: 'cards.pdf', dataProperty: CLEAN }]))).toBe('DEFAULT');
    // Named by attAttachTitle, or by its long name: a text PDF with no header is read as a PDF.
    expect(await send(tnefStream([{ title: 'cards.pdf', dataProperty: ASCII_STATEMENT }]))).toBe('BOUNCE');
    expect(await send(tnefStream([{ longName: 'cards.pdf', dataProperty: ASCII_STATEMENT }]))).toBe('BOUNCE');
    expect(await send(tnefStream([{ title: 'cards.pdf', dataProperty: ASCII_CLEAN }]))).toBe('DEFAULT');
  });

  it('reads a PDF embedded as an OLE object (Acrobat CONTENTS stream) in a .doc and in a .docx', async () => {
    expect(
      await kit.outbound(outboundFile('statement.doc', acrobatObject(STATEMENT), 'application/msword')),
    ).toBe('BOUNCE');
    expect(
      await kit.outbound(outboundFile('statement.doc', acrobatObject(CLEAN), 'application/msword')),
    ).toBe('DEFAULT');
    expect(await kit.outbound(outboundFile('statement.docx', docx(acrobatObject(STATEMENT)), DOCX))).toBe(
      'BOUNCE',
    );
    expect(await kit.outbound(outboundFile('statement.docx', docx(acrobatObject(CLEAN)), DOCX))).toBe(
      'DEFAULT',
    );
    // Its stream fragmented across sectors: read through the compound file's tables.
    for (const [pdf, verdict] of [
      [STATEMENT, 'BOUNCE'],
      [CLEAN, 'DEFAULT'],
    ] as const) {
      const ole = acrobatObject(pdf, true);
      expect(await kit.outbound(outboundFile('statement.doc', ole, 'application/msword'))).toBe(verdict);
      expect(await kit.outbound(outboundFile('statement.docx', docx(ole), DOCX))).toBe(verdict);
    }
  });
});
