import { afterEach, describe, expect, it } from 'vitest';
import { parseMailDate } from './mail-date.js';

const T = Date.UTC(2026, 11, 1, 10, 36, 56);
const zone = process.env.TZ;

afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('parseMailDate', () => {
  it.each([
    ['Tue, 1 Dec 2026 10:36:56 +0000', T],
    ['Tue, 01 Dec 2026 02:36:56 -0800 (PST)', T],
    ['Tue,  1 Dec 2026 12:36:56 +0200 (EET)', T],
    ['1 Dec 2026 10:36:56 GMT', T],
    ['Tue, 1 Dec 2026 05:36:56 EST', T],
    ['Tue, 1 Dec 2026 03:36:56 PDT', T],
    ['tue, 1 dec 2026 10:36:56 ut', T],
    ['Tuesday, 1 December 2026 10:36:56 +0000', T],
    ['Tue, 1-Dec-2026 10:36:56 +0000', T],
    ['Tue, 1 Dec 26 10:36:56 +0000', T],
    ['Tue, 1 Dec 2026\r\n 10:36:56 +0000', T],
    ['Tue, 1 Dec 2026 10:36:56.123 +0000', T],
    ['Tue, 1 Dec 2026 06:36:56 (EDT) -0400', T],
    ['Tue, 1 Dec 2026 04:36:56 -0600 (CST) (envelope-from x@corp.example)', T],
    ['Tue, 1 Dec 2026 10:36:56 +0000 UTC', T],
    ['Tue, 1 Dec 2026 10:36:56 +0000 (a (nested) comment)', T],
    ['Tue, 1 Dec 2026 10:36 +0000', Date.UTC(2026, 11, 1, 10, 36)],
    ['Tue, 1 Dec 2026 10:36:60 +0000', Date.UTC(2026, 11, 1, 10, 36, 59)],
    ['Wed, 1 Dec 99 10:36:56 +0000', Date.UTC(1999, 11, 1, 10, 36, 56)],
    ['Wed, 1 Dec 126 10:36:56 +0000', Date.UTC(2026, 11, 1, 10, 36, 56)],
    ['2026-12-01T10:36:56Z', T],
    ['2026-12-01T11:36:56+01:00', T],
    ['2026-12-01 10:36:56', T],
  ])('reads %j', (value, expected) => {
    expect(parseMailDate(value)).toBe(expected);
  });

  it('reads a date without a zone, or with a zone RFC 5322 leaves unknown, as UTC on any machine', () => {
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = tz;
      expect(parseMailDate('Tue, 1 Dec 2026 10:36:56')).toBe(T);
      expect(parseMailDate('Tue, 1 Dec 2026 10:36:56 CET')).toBe(T);
      expect(parseMailDate('Tue, 1 Dec 2026 10:36:56 A')).toBe(T);
      expect(parseMailDate('2026-12-01T10:36:56')).toBe(T);
    }
  });

  it.each([
    'garbage +0000',
    '',
    'yesterday',
    'Tue, 31 Feb 2026 10:00:00 +0000',
    'Tue, 0 Dec 2026 10:00:00 +0000',
    'Tue, 1 Dec 2026 24:00:00 +0000',
    'Tue, 1 Dec 2026 10:60:00 +0000',
    'Tue, 1 Dec 2026 10:00:00 +0060',
    'Tue, 1 Dec 2026 10:00:00 +00',
    'Tue, 1 Dex 2026 10:00:00 +0000',
    'Tue, 1 Dec 0099 10:00:00 +0000',
    'Tue Dec  1 10:36:56 2026',
    'Tue, 1 Dec 2026 10:36:56 +0000 and then some',
    'Tue, 1 Dec 2026 10:36:56 +0000 (an unclosed comment',
    'Tue, 1 Dec 2026 10:36:56 EST PST',
    '2026-13-01T10:00:00Z',
    `Tue, 1 Dec 2026 10:36:56 +0000 (${'x'.repeat(1000)})`,
  ])('answers undefined for %j, not a guess', (value) => {
    expect(parseMailDate(value)).toBeUndefined();
  });

  it('rejects a value longer than any date before a pattern runs (bench:linear times it)', () => {
    expect(parseMailDate(`Tue, 1 ${' '.repeat(100_000)}Dec 2026 10:36:56 +0000`)).toBeUndefined();
    expect(parseMailDate(`Tue, 1 ${' '.repeat(700)}Dec 2026 10:36:56 +0000`)).toBe(T);
  });
});
