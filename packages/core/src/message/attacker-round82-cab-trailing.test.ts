import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listArchive } from './archive-files.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../samples/archives/${name}`, import.meta.url));

// Attacker round 82: cabextract searches the whole file for cabinets (libmspack's search, made for self-extractors)
// and extracts every one it finds, resuming after each cabinet's size (cbCabinet, at offset 8). A cabinet of a PDF
// followed by a cabinet of `invoice.exe` was listed as the PDF alone.
describe('A82-2: a second cabinet after the first', () => {
  const report = fixture('report.cab');
  const invoice = fixture('invoice.cab');

  it('refuses a cabinet followed by another, stored or MSZIP, or after padding', () => {
    for (const tail of [invoice, fixture('invoice-mszip.cab'), Buffer.concat([Buffer.alloc(13), invoice])]) {
      const listed = listArchive(Buffer.concat([report, tail]), 'cab');
      expect(listed.unreadable).toMatch(/another cabinet/);
    }
  });

  it('refuses a cabinet whose size field stops short of a cabinet inside its own data', () => {
    // A stored file whose bytes hold a cabinet that does not start the file (no nested archive to the walk).
    const short = Buffer.concat([report, invoice]);
    short.writeUInt32LE(60, 8);
    expect(listArchive(short, 'cab').unreadable).toMatch(/another cabinet/);
  });

  it('(control) lists a cabinet with bytes after it that hold no cabinet (a signature, padding)', () => {
    expect(listArchive(Buffer.concat([report, Buffer.alloc(512, 0x30)]), 'cab')).toEqual({
      names: ['report.pdf'],
      sniffedTypes: ['application/pdf'],
      encrypted: [],
    });
    expect(listArchive(report, 'cab').unreadable).toBeUndefined();
  });
});
