import { describe, expect, it } from 'vitest';
import { type CalendarScan, isCalendar, scanCalendar } from './calendar-names.js';

function namesOf(chunks: string[]): CalendarScan {
  const scan: CalendarScan = { carry: '', names: [] };
  chunks.forEach((c, i) => {
    scanCalendar(scan, c, i === chunks.length - 1);
  });
  return scan;
}

describe('calendar ATTACH names', () => {
  it('reads the file names of ATTACH properties, folded and split across chunks', () => {
    const scan = namesOf([
      'BEGIN:VEVENT\r\nATTACH;VALUE=BINARY;X-FILE',
      'NAME="a:b.exe":TVq\r\n QAA\r\nattach;X-APPLE-FILENAME=c.v\r\n bs;FMTTYPE=x/y:AA\r\n',
      'ATTACH:https://example.com/d.exe\r\nDESCRIPTION;X-FILENAME=e.exe:not an attachment\r\nEND:VEVENT',
    ]);
    // An address's last segment is the name a calendar lists it under (attacker round 68).
    // An address's last segment is the name a calendar lists it under (attacker round 68), kept apart as a link's
    // (attacker round 69).
    expect(scan.names).toEqual(['a:b.exe', 'c.vbs']);
    expect(scan.links).toEqual(['d.exe']);
    expect(scan.problem).toBeUndefined();
  });
  it('reads a long line whole, and says why when parameters split over chunks run past the bound', () => {
    expect(namesOf([`ATTACH;X-A=${'a'.repeat(5000)};X-FILENAME=f.exe:AA\r\n`]).names).toEqual(['f.exe']);
    const split = namesOf([`ATTACH;X-A=${'a'.repeat(5000)}`, ';X-FILENAME=f.exe:AA\r\n']);
    expect(split.problem).toMatch(/over 4096 characters/);
    const folded = namesOf([`ATTACH;X-A=a${'\r\n a'.repeat(5000)};X-FILENAME=f.exe:AA\r\n`]);
    expect(folded.problem).toMatch(/over 4096 characters/);
  });
  it('sniffs the first bytes of base64 ATTACH values, named or not, folded or not', () => {
    const mz = Buffer.from('MZ\x90\x00\x03\x00', 'latin1').toString('base64');
    const zip = Buffer.from('PK\x03\x04\x14\x00', 'latin1').toString('base64');
    const scan = namesOf([
      `ATTACH;ENCODING=BASE64;VALUE=BINARY:${mz.slice(0, 3)}\r\n ${mz.slice(3)}\r\n`,
      `ATTACH;FMTTYPE=application/zip;ENCODING="BASE64";VALUE=BINARY:${zip}\r\n`,
      `ATTACH;VALUE=URI:https://example.com/${mz}\r\nDESCRIPTION;ENCODING=BASE64:${mz}\r\n`,
    ]);
    expect(scan.types).toEqual(['application/x-msdownload', 'application/zip']);
  });
  it('knows calendars by type or name', () => {
    expect(isCalendar('text/calendar', [])).toBe(true);
    expect(isCalendar('application/octet-stream', ['invite.ICS'])).toBe(true);
    expect(isCalendar('text/plain', ['a.txt'])).toBe(false);
  });
});
