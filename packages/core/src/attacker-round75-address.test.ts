import { describe, expect, it } from 'vitest';
import { isInternal, matchesAnyPattern, recipientMatchesAny } from './address.js';

// Round 75: restricted mailboxes under a folded spelling, and organization addresses that name a route.
const ORG = ['corp.example'];

describe('attacker round 75: recipient patterns compare the local part folded', () => {
  it.each([
    'all-\u017Ftaff@corp.example', // ſ upper-cases to S
    'all-staff@corp.example'.replace('a', '\uFF41'), // full-width a
    'all-st\u00ADaff@corp.example', // soft hyphen
    'all-sta\u200Bff@corp.example', // zero-width space
    'ALL-\u017FTAFF+news@corp.example',
    '"all-\u017Ftaff"@corp.example',
  ])('%s is the restricted mailbox', (address) => {
    expect(recipientMatchesAny(address, ['all-staff@corp.example'])).toBe(true);
  });
  it('a pattern written with a non-ASCII local part folds too', () => {
    expect(recipientMatchesAny('KIOSK@corp.example', ['k\u0131osk@corp.example'])).toBe(true);
  });
  it.each([
    'all-staff-news@corp.example',
    '\u0430ll-staff@corp.example', // Cyrillic а: another mailbox, not a fold
    'all-staff@corp.example.evil.example',
    'all-staffs@corp.example',
  ])('benign: %s is another mailbox', (address) => {
    expect(recipientMatchesAny(address, ['all-staff@corp.example'])).toBe(false);
  });
  it('sender lists that grant a pass are not widened', () => {
    expect(matchesAnyPattern('all-\u017Ftaff@corp.example', ['all-staff@corp.example'])).toBe(false);
  });
});

describe('attacker round 75: an organization address naming a route is not internal', () => {
  it.each([
    'x%outside.example@corp.example',
    'outside.example!x@corp.example',
    '"x@outside.example"@corp.example',
    '"x%outside.example"@corp.example',
  ])('%s', (address) => {
    expect(isInternal(address, ORG)).toBe(false);
  });
  it.each(['bob@corp.example', 'bob+x@corp.example', "o'neil@corp.example", '"bob smith"@corp.example'])(
    'benign: %s is internal',
    (address) => {
      expect(isInternal(address, ORG)).toBe(true);
    },
  );
});
