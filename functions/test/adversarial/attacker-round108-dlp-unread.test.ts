import { deflateSync } from 'node:zlib';
import { pdfFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 108 (DLP, an inside user sending a card out through outbound-policy): a PostScript file. PostScript
// is a program: what a page shows is what its operators draw, from strings written in hex (`<3431…> show`), with octal
// escapes (`(\064111…) show`), in ASCII85 (`<~…~>`), decoded by a filter from the file itself (`currentfile
// /FlateDecode filter`), or computed. The DLP read a `.ps` or `.eps` file for the strings it spells as written, so a
// card drawn from any of those was sent; a viewer (Evince, Okular, Ghostscript, GSview, a printer) shows it.
const kit = attackerKit(useLocalStack());
const CARD = '4111 1111 1111 1111';
const hex = (s: string) => Buffer.from(s).toString('hex');
const octal = (s: string) => [...s].map((c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`).join('');
const ascii85 = (s: string) => {
  const bytes = Buffer.from(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const chunk = Buffer.alloc(4);
    bytes.copy(chunk, 0, i, i + 4);
    let n = chunk.readUInt32BE(0);
    const digits: string[] = [];
    for (let j = 0; j < 5; j++) {
      digits.unshift(String.fromCharCode(33 + (n % 85)));
      n = Math.floor(n / 85);
    }
    out += digits.join('').slice(0, Math.min(4, bytes.length - i) + 1);
  }
  return `<~${out}~>`;
};
const program = (draw: string, head = '%!PS-Adobe-3.0') =>
  Buffer.from(
    `${head}\n%%Pages: 1\n%%EndComments\n/Helvetica findfont 12 scalefont setfont\n72 720 moveto\n${draw}\nshowpage\n%%EOF\n`,
  );
const ps = (draw: string) => program(draw);
const flated = Buffer.concat([
  program('currentfile /FlateDecode filter cvx exec'),
  deflateSync(Buffer.from(`(${CARD}) show\n`)),
]);
// A DOS EPS binary: a 30-byte header giving the offset and length of its PostScript section (and of a preview).
function dosEps(body: Buffer): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32BE(0xc5d0d3c6, 0);
  header.writeUInt32LE(30, 4);
  header.writeUInt32LE(body.length, 8);
  header.writeUInt16LE(0xffff, 28);
  return Buffer.concat([header, body]);
}
// A part naming no file, as a scanner or print driver sends one.
const unnamed = (file: Buffer, type = 'application/octet-stream') =>
  mail(
    ['From: Bob <bob@corp.example>', MIXED],
    withPart(`Content-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}`),
  );
const epsf = program(`<${hex(CARD)}> show`, '%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 300 50');

describe('A108-1: a card drawn by a PostScript file (bounced)', () => {
  const cases: Record<string, Buffer> = {
    'a hex string (invoice.ps, application/postscript)': outboundFile(
      'invoice.ps',
      ps(`<${hex(CARD)}> show`),
      'application/postscript',
    ),
    'octal escapes in a string': outboundFile(
      'invoice.ps',
      ps(`(${octal(CARD)}) show`),
      'application/postscript',
    ),
    'an ASCII85 string': outboundFile('invoice.ps', ps(`${ascii85(CARD)} show`), 'application/postscript'),
    'a program inflated from the file itself': outboundFile('invoice.ps', flated, 'application/postscript'),
    'an .eps sent as application/octet-stream': outboundFile('logo.eps', epsf),
    'a DOS EPS binary': outboundFile('logo.eps', dosEps(epsf)),
    'an unnamed PostScript part (a viewer goes by its first bytes)': unnamed(ps(`<${hex(CARD)}> show`)),
    'a .ps typed text/plain': outboundFile('invoice.ps', ps(`<${hex(CARD)}> show`), 'text/plain'),
    'a .ps in a zip': outboundFile(
      'print.zip',
      zipFile([{ name: 'invoice.ps', data: ps(`<${hex(CARD)}> show`) }]),
      'application/zip',
    ),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
  it('held: an Illustrator .ai (a PDF) sent as application/postscript is read as the PDF it is', async () => {
    const ai = pdfFile([`Card: ${CARD}`], { font: 'winansi' });
    expect(await kit.outbound(outboundFile('logo.ai', ai, 'application/postscript'))).toBe('BOUNCE');
  });
});

describe('A108-1 controls (sent)', () => {
  const controls: Record<string, Buffer> = {
    'a PowerShell script (.ps1)': outboundFile(
      'deploy.ps1',
      Buffer.from('Write-Host "%!PS is PostScript\'s magic"\r\n'),
      'text/plain',
    ),
    'a text file quoting a PostScript line': outboundFile(
      'notes.txt',
      Buffer.from('A PostScript file starts with %!PS-Adobe-3.0 and ends with %%EOF.\r\n'),
      'text/plain',
    ),
    'an Illustrator .ai (a PDF) sent as application/postscript': outboundFile(
      'logo.ai',
      pdfFile(['Corp logo, version 3'], { font: 'winansi' }),
      'application/postscript',
    ),
    'an empty application/postscript part': unnamed(Buffer.alloc(0), 'application/postscript'),
    'a Photoshop file name (.psd) of other bytes': outboundFile(
      'mockup.psd',
      Buffer.from('8BPS\x00\x01\x00\x00\x00\x00\x00\x00', 'latin1'),
    ),
  };
  for (const [name, message] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
  }
});

// A108-3: a compiled HTML help file (`.chm`, which Windows opens in its help viewer on a double click). Its pages are
// kept LZX-compressed in its `MSCompressed` section, so its strings do not spell them; the DLP read a `.chm` for its
// strings as any binary file of no known format, and a page showing a card was sent. The bytes after the header stand
// for such a compressed section (no LZX compressor is at hand here; what matters is that nothing reads one).
function chmFile(section: Buffer): Buffer {
  const header = Buffer.alloc(0x60);
  header.write('ITSF', 0, 'latin1');
  header.writeUInt32LE(3, 4);
  header.writeUInt32LE(0x60, 8);
  header.writeUInt32LE(1, 12);
  return Buffer.concat([header, Buffer.from('ITSP'), section]);
}
const LZX_LIKE = Buffer.from('c3a9118e4f02d7b6a15e0c99f3742a5b81d06e3c', 'hex');

describe('A108-3: a compiled HTML help file (bounced as unread)', () => {
  it('help.chm', async () => {
    expect(await kit.outbound(outboundFile('help.chm', chmFile(LZX_LIKE)))).toBe('BOUNCE');
  });
  it('an unnamed one (a viewer goes by its first bytes)', async () => {
    expect(await kit.outbound(unnamed(chmFile(LZX_LIKE)))).toBe('BOUNCE');
  });
  it('control: a text file starting with the word ITSF is sent', async () => {
    const text = Buffer.from('ITSF meeting notes: agenda attached\r\n');
    expect(await kit.outbound(outboundFile('notes.txt', text, 'text/plain'))).toBe('DEFAULT');
  });
});
