import { deflateSync } from 'node:zlib';
import { pdfObjects, zipFile } from '@wmflow/core/testing';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail, outboundFile, outboundPage } from './attacker-kit.js';
import { DOCX, docxOf, W } from './office-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 63: what was tried and held. Outbound, the careless sender's formats: a Word altChunk (an MHT
// holding base64 HTML, as html-docx converters write), a tracked deletion, a Word part in UTF-16 without a mark, vCard
// and iCalendar encodings (quoted-printable soft breaks and non-breaking spaces, base64 values, escaped line breaks, a
// Shift_JIS value), bodies in UTF-7, ISO-2022-JP and UTF-16 without a mark, a quoted-printable soft break followed by
// white space, a base64 body of two padded chunks, a PDF's form field value, FreeText note and XFA data, groups a PDF
// draws right to left, PDF strings in predefined CJK CMaps (bounced), RTF's non-breaking space and hyphen, an HTML
// text area and a selected option. Inbound, display names: a space before the field's colon, the name in a comment
// after the address, encoded words in UTF-16, UTF-32, ISO-2022-JP, GB 2312 and KS C 5601 (full-width letters),
// `cp65001` and `utf8mb4` labels, small capitals, squared letters, modifier-letter quotes, a group's name, a quoted
// local part, a bare address and a non-breaking space.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
const out = (head: readonly string[], body: string | Buffer) =>
  mail(['From: Bob <bob@corp.example>', ...head], body);
const pdf = (catalog: string, page: string, extra: { body: string; stream?: Buffer }[], content = '') =>
  pdfObjects([
    { body: `<< /Type /Catalog /Pages 2 0 R${catalog} >>` },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R${page} >>`,
    },
    { body: '<< >>', stream: Buffer.from(content, 'latin1') },
    { body: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>' },
    ...extra,
  ]);
const mht = (html: string) =>
  [
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="----=_NextPart_01"',
    '',
    '------=_NextPart_01',
    'Content-Location: file:///C:/mydocument.htm',
    'Content-Transfer-Encoding: base64',
    'Content-Type: text/html; charset="utf-8"',
    '',
    Buffer.from(html).toString('base64'),
    '',
    '------=_NextPart_01--',
    '',
  ].join('\r\n');
const FULL = '４１１１　１１１１　１１１１　１１１１';
// A page whose string is shown with a CJK font under a predefined CMap, with no ToUnicode map.
const cjkPdf = (cmap: string, ordering: string, bytes: Buffer) =>
  pdfObjects([
    { body: '<< /Type /Catalog /Pages 2 0 R >>' },
    { body: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
    {
      body: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    },
    { body: '<< >>', stream: Buffer.from(`BT /F1 12 Tf 100 700 Td <${bytes.toString('hex')}> Tj ET`) },
    {
      body: `<< /Type /Font /Subtype /Type0 /BaseFont /MS-Mincho /Encoding /${cmap} /DescendantFonts [6 0 R] >>`,
    },
    {
      body: `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /MS-Mincho /CIDSystemInfo << /Registry (Adobe) /Ordering (${ordering}) /Supplement 2 >> >>`,
    },
  ]);
const vcard = (lines: string) => Buffer.from(`BEGIN:VCARD\r\n${lines}\r\nEND:VCARD\r\n`, 'latin1');

describe('round 63 held: the outbound sensitive-data check reads these', () => {
  const bounced: Record<string, () => Buffer> = {
    "a Word altChunk's MHT with base64 HTML": () =>
      outboundFile(
        'report.docx',
        zipFile([
          {
            name: 'word/document.xml',
            data: `<?xml version="1.0"?><w:document xmlns:w="${W}" xmlns:r="r"><w:body><w:altChunk r:id="c"/></w:body></w:document>`,
          },
          { name: 'word/afchunk.mht', data: mht(`<html><body><p>Card ${CARD}</p></body></html>`) },
        ]),
        DOCX,
      ),
    'a tracked deletion': () =>
      outboundFile(
        'r.docx',
        docxOf(
          `<w:p><w:del w:id="1" w:author="a"><w:r><w:delText>Card ${CARD}</w:delText></w:r></w:del></w:p>`,
        ),
        DOCX,
      ),
    'a vCard note in quoted-printable with a soft break mid-number': () =>
      outboundFile(
        'bob.vcf',
        vcard(
          'VERSION:2.1\r\nN:Doe;John\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Kreditkarte f=C3=BCr die Buchung des Hotels in M=C3=BCnchen: 4111 1111 11=\r\n11 1111',
        ),
        'text/x-vcard',
      ),
    'a vCard note with quoted-printable non-breaking spaces': () =>
      outboundFile(
        'bob.vcf',
        vcard(
          'VERSION:2.1\r\nN:Doe;John\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Card=3A=204111=C2=A01111=C2=A01111=C2=A01111',
        ),
        'text/x-vcard',
      ),
    'a vCard 3.0 note in base64': () =>
      outboundFile(
        'bob.vcf',
        vcard(
          `VERSION:3.0\r\nN:Doe;John\r\nNOTE;ENCODING=b:${Buffer.from(`Card ${CARD}`).toString('base64')}`,
        ),
        'text/vcard',
      ),
    'a vCard note in Shift_JIS, quoted-printable': () =>
      outboundFile(
        'yamada.vcf',
        vcard(
          `VERSION:2.1\r\nN:Yamada\r\nNOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:${[
            ...iconv.encode(FULL, 'shift_jis'),
          ]
            .map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`)
            .join('')}`,
        ),
        'text/x-vcard',
      ),
    "an invitation's description with escaped line breaks between the groups": () =>
      outboundFile(
        'm.ics',
        Buffer.from(
          'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Booking\r\nDESCRIPTION:Card:\\n4111\\n1111\\n1111\\n1111\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
        ),
        'text/calendar',
      ),
    'a UTF-7 body with non-breaking spaces': () =>
      out(['Content-Type: text/plain; charset=utf-7'], 'Card 4111+AKA-1111+AKA-1111+AKA-1111\r\n'),
    'an ISO-2022-JP body with full-width digits': () =>
      out(
        ['Content-Type: text/plain; charset=iso-2022-jp'],
        Buffer.from('Card \x1b$B#4#1#1#1!!#1#1#1#1!!#1#1#1#1!!#1#1#1#1\x1b(B\r\n', 'latin1'),
      ),
    'a UTF-16 body without a byte order mark': () =>
      out(
        ['Content-Type: text/plain; charset=utf-16', 'Content-Transfer-Encoding: base64'],
        Buffer.from(`Card ${CARD}\r\n`, 'utf16le').swap16().toString('base64'),
      ),
    "a PDF form field's value": () =>
      outboundFile(
        'form.pdf',
        pdf(' /AcroForm << /Fields [6 0 R] >>', ' /Annots [6 0 R]', [
          {
            body: `<< /Type /Annot /Subtype /Widget /FT /Tx /T (card) /V (${CARD}) /Rect [100 100 300 120] /P 3 0 R >>`,
          },
        ]),
        'application/pdf',
      ),
    "a PDF FreeText note's contents": () =>
      outboundFile(
        'note.pdf',
        pdf('', ' /Annots [6 0 R]', [
          {
            body: `<< /Type /Annot /Subtype /FreeText /Contents (Card ${CARD}) /Rect [100 100 300 120] /DA (/Helv 12 Tf 0 g) >>`,
          },
        ]),
        'application/pdf',
      ),
    "a PDF XFA form's data": () =>
      outboundFile(
        'form.pdf',
        pdf(
          ' /AcroForm << /Fields [] /XFA [(datasets) 6 0 R] >> /NeedsRendering true',
          '',
          [
            {
              body: '<< /Filter /FlateDecode >>',
              stream: deflateSync(
                Buffer.from(
                  `<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1><card>${CARD}</card></form1></xfa:data></xfa:datasets>`,
                ),
              ),
            },
          ],
          'BT /F1 12 Tf 100 700 Td (Please wait...) Tj ET',
        ),
        'application/pdf',
      ),
    'a PDF drawing the groups from the last to the first': () =>
      outboundFile(
        'a.pdf',
        pdf(
          '',
          '',
          [],
          'BT /F1 12 Tf 400 700 Td (1111) Tj ET BT /F1 12 Tf 340 700 Td (1111) Tj ET BT /F1 12 Tf 280 700 Td (1111) Tj ET BT /F1 12 Tf 220 700 Td (4111) Tj ET',
        ),
        'application/pdf',
      ),
    'a PDF string in Shift_JIS under the predefined 90ms-RKSJ-H CMap (no ToUnicode)': () =>
      outboundFile(
        'a.pdf',
        cjkPdf('90ms-RKSJ-H', 'Japan1', iconv.encode(FULL, 'shift_jis')),
        'application/pdf',
      ),
    'a PDF string in UCS-2 under UniJIS-UCS2-H': () =>
      outboundFile(
        'a.pdf',
        cjkPdf('UniJIS-UCS2-H', 'Japan1', Buffer.from(FULL, 'utf16le').swap16()),
        'application/pdf',
      ),
    'a PDF string in GBK under GBK-EUC-H': () =>
      outboundFile('a.pdf', cjkPdf('GBK-EUC-H', 'GB1', iconv.encode(FULL, 'gbk')), 'application/pdf'),
    "RTF's non-breaking spaces": () =>
      outboundFile(
        'a.rtf',
        Buffer.from('{\\rtf1\\ansi Card 4111\\~1111\\~1111\\~1111\\par}'),
        'application/rtf',
      ),
    "RTF's non-breaking hyphens": () =>
      outboundFile(
        'a.rtf',
        Buffer.from('{\\rtf1\\ansi Card 4111\\_1111\\_1111\\_1111\\par}'),
        'application/rtf',
      ),
    'a quoted-printable soft break followed by white space': () =>
      out(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
        'Card 4111 1111 11= \t\r\n11 1111\r\n',
      ),
    'a base64 body of two padded chunks': () =>
      out(
        ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
        `${Buffer.from('Card: 4').toString('base64')}${Buffer.from('111 1111 1111 1111').toString('base64')}`,
      ),
    'a Word part in UTF-16 without a byte order mark': () =>
      outboundFile(
        'a.docx',
        zipFile([
          {
            name: 'word/document.xml',
            data: Buffer.from(
              `<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>Card ${CARD}</w:t></w:r></w:p></w:body></w:document>`,
              'utf16le',
            ),
          },
        ]),
        DOCX,
      ),
    'an HTML text area': () => outboundPage(`<textarea>${CARD}</textarea>`),
    'a selected option': () =>
      outboundPage(`<select><option>x</option><option selected>${CARD}</option></select>`),
  };
  for (const [how, build] of Object.entries(bounced))
    it(`bounces ${how}`, async () => {
      expect(await kit.outbound(build())).toBe('BOUNCE');
    });
});

describe('round 63 held: the guard reads these display names', () => {
  const b64 = (charset: string, s: string) =>
    `=?${charset}?B?${iconv.encode(s, charset).toString('base64')}?=`;
  const u32 = (s: string) => {
    const b = Buffer.alloc(s.length * 4);
    [...s].forEach((c, i) => {
      b.writeUInt32BE(c.codePointAt(0) as number, i * 4);
    });
    return b.toString('base64');
  };
  const junked: Record<string, string> = {
    'a space before the colon': 'From : Jane Doe <x@evil.example>',
    'the name in a comment after the address': 'From: x@evil.example (Jane Doe)',
    'a UTF-16BE encoded word': `From: ${b64('utf-16be', 'Jane Doe')} <x@evil.example>`,
    'a UTF-32 encoded word': `From: =?utf-32?B?${u32('Jane Doe')}?= <x@evil.example>`,
    'full-width letters in ISO-2022-JP': `From: =?iso-2022-jp?B?${Buffer.from('\x1b$B#J#a#n#e!!#D#o#e\x1b(B', 'latin1').toString('base64')}?= <x@evil.example>`,
    'full-width letters in GB 2312': `From: ${b64('gb2312', 'Ｊａｎｅ Ｄｏｅ')} <x@evil.example>`,
    'full-width letters in KS C 5601': `From: ${b64('ks_c_5601-1987', 'Ｊａｎｅ Ｄｏｅ')} <x@evil.example>`,
    'a cp65001 label': 'From: =?cp65001?Q?J=C3=A1ne_Doe?= <x@evil.example>',
    'a utf8mb4 label': 'From: =?utf8mb4?Q?J=C3=A1ne_Doe?= <x@evil.example>',
    'small capitals': `From: ${encoded('ᴊᴀɴᴇ ᴅᴏᴇ')} <x@evil.example>`,
    'squared letters': `From: ${encoded('🄹🄰🄽🄴 🄳🄾🄴')} <x@evil.example>`,
    'modifier-letter quotes': `From: ${encoded('ʻJane Doeʼ')} <x@evil.example>`,
    "a group's name": 'From: Jane Doe:;',
    'a quoted local part': 'From: "Jane Doe"@evil.example',
    'a bare address': 'From: <jane.doe@evil.example>',
    'a non-breaking space': 'From: =?utf-8?Q?Jane=C2=A0Doe?= <x@evil.example>',
  };
  for (const [how, from] of Object.entries(junked))
    it(`junks ${how}`, async () => {
      const { verdict } = await kit.inbound(mail([from, 'Content-Type: text/plain'], 'Please pay today.'), {
        PROTECTED_NAMES: 'Jane Doe',
      });
      expect(verdict).toBe('MOVE_TO_JUNK');
    });
});
