import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 12 (attacker round 111 made outbound-policy's DLP refuse a printer job, PJL, PCL or PCL XL, by
// its first bytes): Excel's and Lotus's "Formatted Text (Space delimited)" `.prn` files are text and still read; a
// real print job sent to a print shop is refused at the defaults (the trade-off), with a bounce saying why and what
// lets it out, and `ALLOW_UNREAD_ARCHIVES` sends it.
const kit = attackerKit(useLocalStack());
const ESC = '\x1b';
const UEL = `${ESC}%-12345X`;
// Excel pads each column to its width; numbers are right-aligned, so a file can start with spaces.
const excelPrn = Buffer.from(
  [
    '      Region       Q1       Q2       Q3',
    'North         1204.50   998.00  1320.75',
    'South          877.25   912.40   940.00',
    '@Home online    88.00    91.50   102.00',
    '',
  ].join('\r\n'),
  'latin1',
);
const lotusPrn = Buffer.from('\x0c"Name"      "Dept"   "Ext"\r\n"A. Berg"   "Sales"  4417\r\n', 'latin1');
// A PCL 5 poster job from a Windows driver: UEL, PJL job header, PCL reset, raster graphics.
const posterJob = Buffer.from(
  `${UEL}@PJL JOB NAME="poster.pdf"\r\n@PJL SET COPIES=1\r\n@PJL ENTER LANGUAGE=PCL\r\n${ESC}E${ESC}&l26A${ESC}*t300R${ESC}*r1A${ESC}*b4W\xff\x00\xff\x00${ESC}*rB\f${ESC}E${UEL}@PJL EOJ\r\n${UEL}`,
  'latin1',
);

describe('FP12-4: space-delimited text saved as .prn (sent)', () => {
  it("Excel's Formatted Text (Space delimited), its first column right-aligned", async () => {
    expect(await kit.outbound(outboundFile('budget.prn', excelPrn))).toBe('DEFAULT');
  });
  it('typed text/plain', async () => {
    expect(await kit.outbound(outboundFile('budget.prn', excelPrn, 'text/plain'))).toBe('DEFAULT');
  });
  it("Lotus 1-2-3's print file starting with a form feed", async () => {
    expect(await kit.outbound(outboundFile('staff.prn', lotusPrn))).toBe('DEFAULT');
  });
});

describe('FP12-4: a print job for a print shop (refused at the defaults, sent when allowed)', () => {
  it('bounced with the unread message, which says to send a common format', async () => {
    const verdict = await kit.outboundVerdict(outboundFile('poster.prn', posterJob));
    expect(verdict?.type).toBe('BOUNCE');
    expect(JSON.stringify(verdict)).toMatch(/could not be checked.*common format/);
  });
  it("deploy.md's ALLOW_UNREAD_ARCHIVES row names printer jobs (the admin's way out)", () => {
    const deploy = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf-8');
    const row = deploy.split('\n').find((line) => line.startsWith('| `ALLOW_UNREAD_ARCHIVES`')) ?? '';
    expect(row).toMatch(/printer jobs \(PJL, PCL, PCL XL/);
  });
  it('sent with ALLOW_UNREAD_ARCHIVES=true', async () => {
    expect(await kit.outbound(outboundFile('poster.prn', posterJob), { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe(
      'DEFAULT',
    );
  });
});
