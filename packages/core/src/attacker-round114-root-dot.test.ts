import { describe, expect, it } from 'vitest';
import { isInternal, normalizeDomain, reachedMailboxes, recipientMatchesAny } from './address.js';

// Attacker round 114: the root dot of a domain written as a character the IDNA mapping makes a dot (U+3002, U+FF0E,
// U+FF61; a dot then a soft hyphen) was kept, as the ASCII one was cut before the mapping: `corp.example。` was
// another domain than `corp.example` for the organization, sender lists and counters.
describe('A114: a root dot written as a character mapped to a dot', () => {
  const spellings = ['corp.example\u3002', 'corp.example\uff0e', 'corp.example\uff61', 'corp.example.\u00ad'];
  it('is cut as the ASCII root dot is', () => {
    for (const d of spellings) expect(normalizeDomain(d)).toBe('corp.example');
    for (const d of spellings) expect(isInternal(`kiosk@${d}`, ['corp.example'])).toBe(true);
    for (const d of spellings)
      expect(recipientMatchesAny(`all-staff@${d}`, ['all-staff@corp.example'])).toBe(true);
    for (const d of spellings) expect(reachedMailboxes(`Alice+1@${d}`)).toEqual(['alice@corp.example']);
  });
  it('benign: one root dot only, and other domains stay apart', () => {
    expect(normalizeDomain('corp.example..')).toBe('corp.example.');
    expect(normalizeDomain('corp.example.\u3002')).toBe('corp.example.');
    expect(isInternal('x@corp.example.\u3002', ['corp.example'])).toBe(false);
    expect(isInternal('x@corp.example.outside\u3002', ['corp.example'])).toBe(false);
    expect(normalizeDomain('M\u00dcNCHEN.de\uff0e')).toBe('xn--mnchen-3ya.de');
    expect(normalizeDomain('\u3002')).toBe('');
    expect(normalizeDomain('[192.0.2.1]')).toBe('[192.0.2.1]');
  });
});
