import { readFileSync } from 'node:fs';
import { pdfFile, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 9 (attacker round 108 made the outbound DLP refuse every PostScript and EPS file, by its first
// bytes, a DOS EPS header, a `.ps`/`.eps` name or a PostScript type, and every compiled HTML help file): ordinary
// outgoing mail that only looks like PostScript must still be sent; an EPS really sent is refused (the trade-off),
// with a bounce that says what to do and `ALLOW_UNREAD_ARCHIVES` sending it.
const kit = attackerKit(useLocalStack());
const text = (body: string, type = 'text/plain') =>
  mail(['From: Bob <bob@corp.example>', `Content-Type: ${type}; charset=utf-8`], body);
const EPS_LOGO = Buffer.from(
  '%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 200 80\n%%Creator: Adobe Illustrator\n%%EndComments\n0 0 1 setrgbcolor\n0 0 200 80 rectfill\nshowpage\n%%EOF\n',
);
const TEX = [
  '%!TEX program = pdflatex',
  '\\documentclass{article}',
  '\\usepackage{graphicx}',
  '\\begin{document}',
  '\\includegraphics{figures/logo.eps}',
  'Converted with epstopdf; the PostScript header is \\verb|%!PS-Adobe-3.0|.',
  '\\end{document}',
].join('\n');

describe('FP9-1: mail that only looks like PostScript (sent)', () => {
  const messages: Record<string, () => Buffer> = {
    'a body quoting %!PS in a sentence': () =>
      text('Hi, a PostScript file starts with %!PS-Adobe-3.0, an EPS with %!PS-Adobe-3.0 EPSF-3.0.\r\n'),
    'a LaTeX source naming an .eps figure, and the PDF it made': () =>
      mail(
        ['From: Bob <bob@corp.example>', MIXED],
        withPart(
          `Content-Type: text/x-tex; name="paper.tex"\r\nContent-Disposition: attachment; filename="paper.tex"\r\n\r\n${TEX}\r\n--b\r\nContent-Type: application/pdf; name="paper.pdf"\r\nContent-Disposition: attachment; filename="paper.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdfFile(['Results, figure 1'], { font: 'winansi' }).toString('base64')}`,
        ),
      ),
    'an Illustrator .ai (a PDF) typed application/illustrator': () =>
      outboundFile('logo.ai', pdfFile(['Corp logo'], { font: 'winansi' }), 'application/illustrator'),
    'a PDF named .eps.pdf typed application/postscript': () =>
      outboundFile('logo.eps.pdf', pdfFile(['Corp logo'], { font: 'winansi' }), 'application/postscript'),
    'notes.ps.txt (a text file)': () =>
      outboundFile('notes.ps.txt', Buffer.from('P.S. remember the printer order\r\n'), 'text/plain'),
    'a JPEG named logo.eps.jpg': () =>
      outboundFile(
        'logo.eps.jpg',
        Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
        'image/jpeg',
      ),
    'a text file named help.chm.txt and one named readme.chm of text': () =>
      mail(
        ['From: Bob <bob@corp.example>', MIXED],
        withPart(
          'Content-Type: text/plain; name="help.chm.txt"\r\nContent-Disposition: attachment; filename="help.chm.txt"\r\n\r\nITSF help notes\r\n--b\r\nContent-Type: text/plain; name="readme.chm"\r\nContent-Disposition: attachment; filename="readme.chm"\r\n\r\nHow to open the help file.\r\n',
        ),
      ),
    'a PowerShell module and data file (.psm1, .psd1)': () =>
      mail(
        ['From: Bob <bob@corp.example>', MIXED],
        withPart(
          'Content-Type: text/plain; name="Tools.psm1"\r\nContent-Disposition: attachment; filename="Tools.psm1"\r\n\r\nfunction Get-Thing { "%!PS" }\r\n--b\r\nContent-Type: text/plain; name="Tools.psd1"\r\nContent-Disposition: attachment; filename="Tools.psd1"\r\n\r\n@{ ModuleVersion = "1.0" }\r\n',
        ),
      ),
    'a spreadsheet of earnings per share (Q3.EPS.xlsx is a zip)': () =>
      outboundFile(
        'Q3 EPS.xlsx',
        zipFile([{ name: 'xl/sharedStrings.xml', data: '<sst><si><t>EPS 1.23</t></si></sst>' }]),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ),
    'a body that is a pasted PostScript program (text/plain, no file)': () =>
      text(
        '%!PS-Adobe-3.0\r\n/Helvetica findfont 12 scalefont setfont\r\n72 720 moveto (Hello) show showpage\r\n',
      ),
  };
  for (const [name, message] of Object.entries(messages)) {
    it(name, async () => {
      expect(await kit.outbound(message())).toBe('DEFAULT');
    });
  }
});

describe('FP9-2: an EPS logo to a print shop (the trade-off: refused, told why, ALLOW_UNREAD_ARCHIVES sends it)', () => {
  const logo = () => outboundFile('logo.eps', EPS_LOGO, 'application/postscript');
  it('bounced with the unread message, which says to send a common format', async () => {
    const verdict = await kit.outboundVerdict(logo());
    expect(verdict?.type).toBe('BOUNCE');
    expect(JSON.stringify(verdict)).toMatch(/could not be checked/);
  });
  it('sent with ALLOW_UNREAD_ARCHIVES=true', async () => {
    expect(await kit.outbound(logo(), { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
  it('a .ps holding a plain-text note is refused by its name (a viewer opens it as PostScript)', async () => {
    const note = outboundFile('letter.ps', Buffer.from('P.S. see you Monday\r\n'), 'text/plain');
    expect(await kit.outbound(note)).toBe('BOUNCE');
  });
  it('an Illustrator 8 .ai (PostScript, not a PDF) is refused by its first bytes', async () => {
    const ai = outboundFile('logo.ai', EPS_LOGO, 'application/postscript');
    expect(await kit.outbound(ai)).toBe('BOUNCE');
    expect(await kit.outbound(ai, { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
});

describe('FP9-1 held: a pasted program is read as its text; one sent as a file is still refused', () => {
  const PROGRAM = '%!PS-Adobe-3.0\r\n72 720 moveto (4111 1111 1111 1111) show showpage\r\n';
  it('a card written in a pasted program is found (bounced)', async () => {
    expect(await kit.outbound(text(PROGRAM))).toBe('BOUNCE');
  });
  it('an unnamed text/plain attachment starting %!PS (saved with no extension, opened by its bytes)', async () => {
    const drawn = '%!PS-Adobe-3.0\r\n72 720 moveto <34313131> show showpage\r\n';
    const message = mail(
      ['From: Bob <bob@corp.example>', MIXED],
      withPart(`Content-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\n${drawn}`),
    );
    expect(await kit.outbound(message)).toBe('BOUNCE');
  });
});

describe('FP9-2: EPS carried in a document or a LaTeX project (the trade-off, and its way out)', () => {
  const docx = () =>
    outboundFile(
      'brochure.docx',
      zipFile([
        { name: '[Content_Types].xml', data: '<Types/>' },
        {
          name: 'word/document.xml',
          data: '<w:document><w:body><w:p><w:r><w:t>Logo</w:t></w:r></w:p></w:body></w:document>',
        },
        { name: 'word/media/image1.eps', data: EPS_LOGO },
      ]),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
  const latex = () =>
    outboundFile(
      'paper.zip',
      zipFile([
        { name: 'paper.tex', data: TEX },
        { name: 'figures/logo.eps', data: EPS_LOGO },
      ]),
      'application/zip',
    );
  it('a .docx holding an EPS picture, a LaTeX project zip with an .eps figure: bounced', async () => {
    expect(await kit.outbound(docx())).toBe('BOUNCE');
    expect(await kit.outbound(latex())).toBe('BOUNCE');
  });
  it('both sent with ALLOW_UNREAD_ARCHIVES=true', async () => {
    expect(await kit.outbound(docx(), { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
    expect(await kit.outbound(latex(), { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
  it("deploy.md's ALLOW_UNREAD_ARCHIVES row names PostScript/EPS and .chm files (the admin's way out)", () => {
    const deploy = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf-8');
    const row = deploy.split('\n').find((line) => line.startsWith('| `ALLOW_UNREAD_ARCHIVES`')) ?? '';
    expect(row).toMatch(/PostScript/);
    expect(row).toMatch(/EPS/);
    expect(row).toMatch(/\.chm/);
  });
});
