import { describe, expect, it } from 'vitest';
import { zipFile } from '../testing/zip.js';
import { postScriptProblem, unreadDataFormat } from './unread-archives.js';
import { readVisibleText } from './visible-text.js';

// Attacker round 108: a PostScript file is a program, whose drawn text its bytes need not spell (`<3431…> show`): the
// visible-text reader reports it unread, by its first bytes, a name or the declared type, wherever it is carried.
const PROGRAM = Buffer.from('%!PS-Adobe-3.0\n72 720 moveto <34313131> show showpage\n');
const message = (headers: string, body: Buffer) =>
  Buffer.from(
    [
      'From: bob@corp.example',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'hello',
      '--b',
      headers,
      'Content-Transfer-Encoding: base64',
      '',
      body.toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );
const unreadOf = async (m: Buffer) => (await readVisibleText(m, () => undefined)).unread.join('\n');

describe('A108-1: PostScript files are unread', () => {
  it('a .ps part, by type, name or first bytes', async () => {
    for (const headers of [
      'Content-Type: application/postscript',
      'Content-Type: text/plain; name="invoice.ps"',
      'Content-Type: application/octet-stream',
    ])
      expect(await unreadOf(message(headers, PROGRAM))).toMatch(/PostScript program/);
  });
  it('a .ps in a zip', async () => {
    const zip = zipFile([{ name: 'print/invoice.ps', data: PROGRAM }]);
    expect(await unreadOf(message('Content-Type: application/zip; name="print.zip"', zip))).toMatch(
      /invoice\.ps: a PostScript program/,
    );
  });
  it('tells PostScript from what is not', () => {
    expect(postScriptProblem(PROGRAM, [])).toMatch(/PostScript/);
    expect(postScriptProblem(Buffer.from('\ufeff\x04 %!Adobe-3.0'), [])).toMatch(/PostScript/);
    expect(postScriptProblem(Buffer.from('xx'), ['logo.EPS'])).toMatch(/PostScript/);
    expect(postScriptProblem(Buffer.from([0xc5, 0xd0, 0xd3, 0xc6, 0, 0]), [])).toMatch(/PostScript/);
    // A TeX source's magic comment, an empty PostScript part, a PowerShell script, short heads.
    expect(postScriptProblem(Buffer.from('%!TEX program = xelatex\n'), ['paper.tex'])).toBeUndefined();
    expect(postScriptProblem(Buffer.alloc(0), ['x.ps'], 'application/postscript')).toBeUndefined();
    expect(postScriptProblem(Buffer.from('Write-Host hi'), ['deploy.ps1'])).toBeUndefined();
    expect(postScriptProblem(Buffer.from([0xc5]), [])).toBeUndefined();
  });
});

describe('A108-3: compiled HTML help files are unread', () => {
  const chm = Buffer.concat([
    Buffer.from('ITSF\x03\x00\x00\x00\x60\x00\x00\x00', 'latin1'),
    Buffer.alloc(88),
  ]);
  it('by their first bytes, and in a zip', async () => {
    expect(unreadDataFormat(chm)).toMatch(/compiled HTML help/);
    expect(unreadDataFormat(Buffer.from('ITSF'))).toBeUndefined();
    expect(unreadDataFormat(Buffer.from('ITSF meeting notes'))).toBeUndefined();
    const zip = zipFile([{ name: 'help/manual.chm', data: chm }]);
    expect(await unreadOf(message('Content-Type: application/zip; name="help.zip"', zip))).toMatch(
      /manual\.chm: a compiled HTML help file/,
    );
  });
});
