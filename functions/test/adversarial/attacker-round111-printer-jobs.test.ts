import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, MIXED, mail, outboundFile, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 111 (DLP, an inside user sending a card out through outbound-policy): a printer job. Round 108
// refused a PostScript file by its first bytes (`%!PS`), but a job "printed to file" (a `.prn`) starts with the
// printer's own header: HP's Universal Exit Language (`ESC %-12345X`) and PJL lines (`@PJL ENTER
// LANGUAGE=POSTSCRIPT`) before the `%!PS` line, so the same program drawing a card in hex was read as text for what
// it spells, and sent. A PCL job draws each character where its cursor escapes put it (`ESC *p120X`), so a card
// spelt one digit a move reads as digits broken by escapes; a PCL XL (PCL 6) job is a binary stream of operators
// whose text is glyph indices. A printer, GhostPCL, or a print-file viewer shows the card.
const kit = attackerKit(useLocalStack());
const CARD = '4111 1111 1111 1111';
const ESC = '\x1b';
const UEL = `${ESC}%-12345X`;
const hex = (s: string) => Buffer.from(s).toString('hex');
const postScript = `%!PS-Adobe-3.0\n/Helvetica findfont 12 scalefont setfont\n72 720 moveto\n<${hex(CARD)}> show\nshowpage\n`;
const pjlPostScript = Buffer.from(
  `${UEL}@PJL JOB NAME="invoice"\r\n@PJL SET RESOLUTION=600\r\n@PJL ENTER LANGUAGE=POSTSCRIPT\r\n${postScript}${UEL}@PJL EOJ\r\n${UEL}`,
  'latin1',
);
// PCL 5: reset, portrait, then each digit placed by a horizontal cursor move (decipoints).
const pclDigits = [...CARD.replace(/ /g, '')].map((d, i) => `${ESC}*p${300 + i * 60}X${d}`).join('');
const pcl = Buffer.from(`${ESC}E${ESC}&l0O${ESC}*p300Y${pclDigits}\f${ESC}E`, 'latin1');
const pjlPcl = Buffer.from(`${UEL}@PJL ENTER LANGUAGE=PCL\r\n`, 'latin1');
// PCL XL: its stream header, then binary operators (here a token stand-in for a Text operator's glyph indices).
const pclXl = Buffer.concat([
  Buffer.from(') HP-PCL XL;2;0;Comment\r\n', 'latin1'),
  Buffer.from('c0015841c8c1100014151515151515', 'hex'),
]);
const unnamed = (file: Buffer) =>
  mail(
    ['From: Bob <bob@corp.example>', MIXED],
    withPart(
      `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${file.toString('base64')}`,
    ),
  );

describe('A111-1: a card in a printer job (bounced as unread)', () => {
  const cases: Record<string, Buffer> = {
    'PostScript behind a PJL header (invoice.prn)': outboundFile('invoice.prn', pjlPostScript),
    'PostScript behind a PJL header, typed text/plain': outboundFile(
      'invoice.prn',
      pjlPostScript,
      'text/plain',
    ),
    'PostScript behind a PJL header, naming no file': unnamed(pjlPostScript),
    'PostScript behind a PJL header, in a zip': outboundFile(
      'print.zip',
      zipFile([{ name: 'invoice.prn', data: pjlPostScript }]),
      'application/zip',
    ),
    'a PCL 5 job placing each digit (invoice.pcl)': outboundFile('invoice.pcl', pcl),
    'a PCL 5 job behind a PJL header': outboundFile('invoice.prn', Buffer.concat([pjlPcl, pcl])),
    'a PCL XL job': outboundFile('invoice.pxl', pclXl),
  };
  for (const [name, message] of Object.entries(cases)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('BOUNCE');
    });
  }
});

describe('A111-1 controls (sent)', () => {
  const controls: Record<string, Buffer> = {
    "Excel's space-delimited text (.prn)": outboundFile(
      'budget.prn',
      Buffer.from('Region      Q1      Q2\r\nNorth     1200    1350\r\nSouth      980    1010\r\n'),
    ),
    'a text file quoting PJL lines': outboundFile(
      'printer-notes.txt',
      Buffer.from('Send @PJL ENTER LANGUAGE=POSTSCRIPT before the job; %-12345X is the UEL.\r\n'),
      'text/plain',
    ),
    'a terminal log with colour escapes': outboundFile(
      'build.log',
      Buffer.from(`${ESC}[32mok${ESC}[0m tests passed\r\n${ESC}[31mfail${ESC}[0m none\r\n`, 'latin1'),
      'text/plain',
    ),
  };
  for (const [name, message] of Object.entries(controls)) {
    it(name, async () => {
      expect(await kit.outbound(message)).toBe('DEFAULT');
    });
  }
});
