// Attacker round 86, held probes: MIME and container tricks the attachment walk already reads as a client would
// (each message must be found to carry a blocked file): a boundary a lenient client matches otherwise (case, a
// trailing space, RFC 2231, an encoded word), archives nested across formats (zip in zip five deep; a zip in a tar in
// a gzip in an attached message in TNEF), an attached message or a multipart named as a file, encoded words with an
// RFC 2231 language or in UTF-16/UTF-32, RFC 2231 values whole and continued at once or in UTF-16, archive entry
// names holding a NUL (RAR 4, RAR 5, zip, tar) and a RAR 5 folder named as a script. Fixed in this round: a RAR 5
// quick-open copy that renames a file (`packages/core/src/message/attacker-round86-rar-quick-open.test.ts`,
// `functions/test/adversarial/attacker-round86-rar-quick-open.test.ts`). Delivered on purpose: benign controls, and
// files whose content is a disk image (UDF, VHDX) or whose "dot" is not one (U+2024, U+FF0E) under a name that opens
// them as something harmless: Windows and macOS mount a disk image by its extension only.
import { gzipSync } from 'node:zlib';
import { rule, when } from '@wmflow/core';
import { cmsFile, rarFile, tarArchive, tarEntry, tnefStream, zipFile } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../test/support/stack.js';
import { hasBlockedAttachment } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const fired = async (message: string) => {
  const { outcome } = await h.run(
    [
      when(
        hasBlockedAttachment(),
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    {},
  );
  return (outcome.rulesFired as string[]).includes('hit');
};
const b64 = (b: Buffer) => b.toString('base64').replace(/.{76}/g, '$&\r\n');
const head = [
  'From: y@partner.example',
  'To: ap@corp.example',
  'Subject: probe',
  'Date: Tue, 24 Nov 2026 10:00:00 +0000',
  'MIME-Version: 1.0',
];
const raw = (top: string, body: string) => [...head, top, '', body].join('\r\n');
const msg = (partHeaders: readonly string[], body: string) =>
  raw(
    'Content-Type: multipart/mixed; boundary=o',
    [
      '--o',
      'Content-Type: text/plain',
      '',
      'see attached',
      '--o',
      ...partHeaders,
      '',
      body,
      '--o--',
      '',
    ].join('\r\n'),
  );
const file = (name: string, bytes: Buffer, type = 'application/octet-stream') =>
  msg([`Content-Type: ${type}; name="${name}"`, 'Content-Transfer-Encoding: base64'], b64(bytes));
const exePart = (delimiter: string) =>
  [
    delimiter,
    'Content-Type: application/octet-stream; name="invoice.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(MZ),
  ].join('\r\n');
const underBoundary = (top: string, delimiter: string) =>
  raw(
    top,
    [delimiter, 'Content-Type: text/plain', '', 'hi', exePart(delimiter), `${delimiter}--`, ''].join('\r\n'),
  );
const ewName = (charset: string, bytes: Buffer) =>
  msg(
    [
      'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename="=?${charset}?B?${bytes.toString('base64')}?="`,
    ],
    'x',
  );
const nested = (depth: number): Buffer =>
  depth === 0
    ? zipFile([{ name: 'e.exe', data: MZ }])
    : zipFile([{ name: `l${depth}.zip`, data: nested(depth - 1) }]);
const SCRIPT = 'WScript.Echo(1)';

const held: Record<string, string> = {
  'a boundary matched case-insensitively': underBoundary(
    'Content-Type: multipart/mixed; boundary="ABC"',
    '--abc',
  ),
  'a boundary with a trailing space': underBoundary('Content-Type: multipart/mixed; boundary="o "', '--o'),
  'a boundary in RFC 2231 only': underBoundary("Content-Type: multipart/mixed; boundary*=''o", '--o'),
  'a boundary as an encoded word': underBoundary(
    'Content-Type: multipart/mixed; boundary="=?us-ascii?q?o?="',
    '--o',
  ),
  'zips nested five deep': file('d.zip', nested(5), 'application/zip'),
  'a zip in a tar in a gzip in an attached message in TNEF': file(
    'winmail.dat',
    tnefStream([
      {
        title: 'fwd',
        message: [
          {
            title: 'a.tgz',
            data: gzipSync(tarArchive(tarEntry('docs/a.zip', zipFile([{ name: 'x.pdf', data: MZ }])))),
          },
        ],
      },
    ]),
    'application/ms-tnef',
  ),
  'an attached message named .hta': msg(
    [
      'Content-Type: message/rfc822; name="invoice.hta"',
      'Content-Disposition: attachment; filename="invoice.hta"',
    ],
    [...head, '', '<script>x</script>'].join('\r\n'),
  ),
  'a multipart named .hta': msg(
    ['Content-Type: multipart/mixed; boundary=i', 'Content-Disposition: attachment; filename="invoice.hta"'],
    ['--i', 'Content-Type: text/html', '', '<script>x</script>', '--i--'].join('\r\n'),
  ),
  'an encoded word with an RFC 2231 language (Q)': msg(
    [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="=?utf-8*en?Q?invoice=2Eexe?="',
    ],
    'x',
  ),
  'an encoded word with an RFC 2231 language (B)': msg(
    ['Content-Type: application/octet-stream; name="=?UTF-8*EN?B?aW52b2ljZS5leGU=?="'],
    'x',
  ),
  'an RFC 2231 name whole and continued at once': msg(
    [
      'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; filename*=utf-8''invoice.pdf; filename*0*=utf-8''invoice.e; filename*1=xe",
    ],
    'x',
  ),
  'an encoded word in UTF-16LE': ewName('utf-16le', Buffer.from('invoice.exe', 'utf16le')),
  'an encoded word in UTF-32LE': ewName(
    'utf-32le',
    Buffer.from([...'invoice.exe'].flatMap((c) => [c.charCodeAt(0), 0, 0, 0])),
  ),
  'an RFC 2231 name in UTF-16LE': msg(
    [
      'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename*=utf-16le''${[...Buffer.from('invoice.exe', 'utf16le')]
        .map((b) => `%${b.toString(16).padStart(2, '0')}`)
        .join('')}`,
    ],
    'x',
  ),
  'a RAR 5 entry named invoice.js<NUL>.txt': file(
    'files.rar',
    rarFile([{ name: 'invoice.js\u0000.txt', data: SCRIPT }], { version: 5 }),
  ),
  'a RAR 4 entry named invoice.js<NUL>.txt': file(
    'files.rar',
    rarFile([{ name: 'invoice.js\u0000.txt', data: SCRIPT }]),
  ),
  'a zip entry named invoice.js<NUL>.txt': file(
    'files.zip',
    zipFile([{ name: 'invoice.js\u0000.txt', data: SCRIPT }]),
  ),
  'a tar entry named invoice.js<NUL>.txt': file(
    'files.tar',
    tarArchive(tarEntry('invoice.js\u0000.txt', Buffer.from(SCRIPT))),
  ),
  'a RAR 5 folder named invoice.js': file(
    'files.rar',
    rarFile([{ name: 'invoice.js', data: 'x', dir: true }], { version: 5 }),
  ),
};

const udf = Buffer.alloc(0x9800);
udf.write('BEA01', 0x8001, 'latin1');
udf.write('NSR02', 0x8801, 'latin1');
const docx = zipFile([
  { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
  { name: '_rels/.rels', data: '<?xml version="1.0"?><Relationships/>' },
  { name: 'word/document.xml', data: '<?xml version="1.0"?><w:document/>' },
]);
const invite = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:r86@partner.example',
  'DTSTART:20261201T100000Z',
  'SUMMARY:Quarterly review',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');
const delivered: Record<string, string> = {
  'a PDF': file('report.pdf', PDF, 'application/pdf'),
  'a docx': file(
    'report.docx',
    docx,
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ),
  'a zip of PDFs': file(
    'reports.zip',
    zipFile([
      { name: 'a.pdf', data: PDF },
      { name: 'b.pdf', data: PDF },
    ]),
    'application/zip',
  ),
  'a calendar invite': msg(['Content-Type: text/calendar; method=REQUEST; charset=utf-8'], invite),
  'a signed message': raw(
    'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary=s',
    [
      '--s',
      'Content-Type: text/plain',
      '',
      'signed text',
      '--s',
      'Content-Type: application/pkcs7-signature; name="smime.p7s"',
      'Content-Disposition: attachment; filename="smime.p7s"',
      'Content-Transfer-Encoding: base64',
      '',
      b64(cmsFile(Buffer.from('signed text'), { type: 'detached' })),
      '--s--',
      '',
    ].join('\r\n'),
  ),
  'a UDF image in a zip under a PDF name (opens as a PDF)': file(
    'docs.zip',
    zipFile([{ name: 'report.pdf', data: udf }]),
    'application/zip',
  ),
  'a VHDX in a zip without an extension (Windows mounts by extension)': file(
    'docs.zip',
    zipFile([{ name: 'disk', data: Buffer.concat([Buffer.from('vhdxfile', 'latin1'), Buffer.alloc(1000)]) }]),
    'application/zip',
  ),
  'a name whose dot is U+2024 ONE DOT LEADER': msg(
    ['Content-Type: application/octet-stream; name="invoice\u2024exe"'],
    'x',
  ),
  'a name whose dot is U+FF0E FULLWIDTH FULL STOP': msg(
    [
      'Content-Type: application/octet-stream',
      'Content-Disposition: attachment; filename="invoice\uFF0Eexe"',
    ],
    'x',
  ),
};

describe('attacker round 86: held (found)', () => {
  for (const [name, message] of Object.entries(held))
    it(name, async () => {
      expect(await fired(message), name).toBe(true);
    });
});

describe('attacker round 86: delivered (benign, or not opened as anything blocked)', () => {
  for (const [name, message] of Object.entries(delivered))
    it(name, async () => {
      expect(await fired(message), name).toBe(false);
    });
});
