import { describe, expect, it } from 'vitest';
import { printerJobProblem } from './printer-jobs.js';
import { unreadFileProblem } from './unread-archives.js';

// Attacker round 111: a printer job (a `.prn` "printed to file", PCL, PCL XL) is a program for a printer; what it
// prints is placed or computed, not spelt, so it is unread by its first bytes, never by its name.
const job = (s: string) => Buffer.from(s, 'latin1');

describe('printerJobProblem', () => {
  for (const [name, head] of [
    [
      'the Universal Exit Language',
      '\x1b%-12345X@PJL JOB\r\n@PJL ENTER LANGUAGE=POSTSCRIPT\r\n%!PS-Adobe-3.0\n',
    ],
    ['a PJL command first', '@PJL ENTER LANGUAGE=PCL\r\n\x1bE'],
    ['after a byte order mark, a Ctrl-D and white space', '\xef\xbb\xbf\x04 \r\n\x1b%-12345X@PJL\r\n'],
    ['a PCL reset', '\x1bE\x1b&l0O\x1b*p300Y'],
    ['a PCL XL stream header (big-endian binding)', ') HP-PCL XL;2;0;Comment\r\n\xc0\x01'],
    ['a PCL XL stream header (little-endian binding)', '( HP-PCL XL;3;0\r\n\xc0\x01'],
  ] as const) {
    it(`refuses ${name}`, () => {
      expect(printerJobProblem(job(head))).toMatch(/printer job/);
      expect(unreadFileProblem('text', job(head), ['invoice.prn'])).toMatch(/printer job/);
    });
  }
  for (const [name, head] of [
    ["Excel's space-delimited text (.prn)", 'Region      Q1      Q2\r\nNorth     1200    1350\r\n'],
    ['a terminal log with colour escapes', '\x1b[32mok\x1b[0m tests passed\r\n'],
    ['text quoting PJL later on', 'Send @PJL ENTER LANGUAGE first; ESC %-12345X is the UEL.\r\n'],
    ['an empty file', ''],
  ] as const) {
    it(`passes ${name}`, () => {
      expect(printerJobProblem(job(head))).toBeUndefined();
    });
  }
  it('looks at the first 64 bytes only (white space that never reaches a job answers at once)', () => {
    expect(printerJobProblem(Buffer.concat([Buffer.alloc(1_000_000, 0x20), job('@PJL')]))).toBeUndefined();
  });
});
