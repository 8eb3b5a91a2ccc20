import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  domainOf,
  isInternal,
  localPart,
  matchesAnyPattern,
  matchesPattern,
  normalizeAddress,
  recipientMatchesAny,
  sameAddress,
} from './address.js';

describe('address helpers', () => {
  it('splits local part and domain at the last @', () => {
    expect(localPart('"a@b"@Example.COM')).toBe('"a@b"');
    expect(domainOf('"a@b"@Example.COM')).toBe('example.com');
    expect(domainOf('Example.com.')).toBe('example.com');
  });

  it('normalizes IDN domains to punycode and compares case-insensitively', () => {
    expect(domainOf('user@Bücher.example')).toBe('xn--bcher-kva.example');
    expect(sameAddress('A@Bücher.example', 'a@xn--bcher-kva.EXAMPLE')).toBe(true);
    expect(sameAddress('a@example.com', 'b@example.com')).toBe(false);
    expect(normalizeAddress(' Jane@EXAMPLE.com ')).toBe('jane@example.com');
  });

  it('gives an empty domain for invalid domains', () => {
    expect(domainOf('user@exa mple.com')).toBe('');
    expect(matchesPattern('user@exa mple.com', 'exa mple.com')).toBe(false);
  });

  it.each([
    ['ceo@example.com', 'CEO@Example.com', true],
    ['ceo@example.com', 'cfo@example.com', false],
    ['ceo@example.com', 'example.com', true],
    ['ceo@sub.example.com', 'example.com', false],
    ['ceo@sub.example.com', '*.example.com', true],
    ['ceo@deep.sub.example.com', '*.example.com', true],
    ['ceo@example.com', '*.example.com', false],
    ['ceo@badexample.com', '*.example.com', false],
    ['anyone@anything.test', '*', true],
    ['u@münchen.de', 'MÜNCHEN.de', true],
    ['u@xn--mnchen-3ya.de', '*.de', true],
  ])('matches %s against pattern %s → %s', (address, pattern, expected) => {
    expect(matchesPattern(address, pattern)).toBe(expected);
  });

  it('matches any of several patterns', () => {
    expect(matchesAnyPattern('x@partner.example', ['example.org', '*.partner.example'])).toBe(false);
    expect(matchesAnyPattern('x@a.partner.example', ['example.org', '*.partner.example'])).toBe(true);
    expect(matchesAnyPattern('x@a.example', [])).toBe(false);
  });

  it('matches a recipient by its mailbox, sub-address cut off (RFC 5233 `+`)', () => {
    const list = ['all-staff@corp.example'];
    expect(recipientMatchesAny('All-Staff+news@Corp.example', list)).toBe(true);
    expect(recipientMatchesAny('"all-staff+x"@corp.example', list)).toBe(true);
    expect(recipientMatchesAny('all-staff@corp.example', list)).toBe(true);
    expect(recipientMatchesAny('all-staffer@corp.example', list)).toBe(false);
    expect(recipientMatchesAny('+all-staff@corp.example', list)).toBe(false);
    expect(recipientMatchesAny('bob+all-staff@corp.example', list)).toBe(false);
    expect(recipientMatchesAny('all-staff+news@other.example', list)).toBe(false);
    // A pattern naming a sub-address names that one only.
    expect(recipientMatchesAny('all-staff@corp.example', ['all-staff+news@corp.example'])).toBe(false);
  });

  it('treats RFC 5321 spellings of one mailbox as the same address', () => {
    expect(sameAddress('"Jane"@Corp.example', 'jane@corp.example')).toBe(true);
    expect(sameAddress('"a b"@corp.example', '"A B"@corp.example')).toBe(true);
    expect(sameAddress('"a b"@corp.example', 'ab@corp.example')).toBe(false);
    expect(normalizeAddress('"a\\"b"@x.example')).toBe('"a\\"b"@x.example');
    expect(domainOf('u@[IPv6:2001:DB8::1]')).toBe('[ipv6:2001:db8::1]');
    expect(matchesPattern('u@[192.0.2.1]', '[192.0.2.1]')).toBe(true);
    expect(isInternal('u@[192.0.2.1]', ['corp.example'])).toBe(false);
    expect(sameAddress('Jörg@bücher.example', 'jo\u0308rg@xn--bcher-kva.example')).toBe(true);
  });

  it('tells internal from external: organization domains exactly, subdomains only when listed', () => {
    expect(isInternal('bob@corp.example', ['corp.example'])).toBe(true);
    expect(isInternal('bob@CORP.example', ['corp.example'])).toBe(true);
    expect(isInternal('bob@mail.CORP.example', ['corp.example'])).toBe(false);
    expect(isInternal('bob@support.corp.example', ['corp.example', 'support.corp.example'])).toBe(true);
    expect(isInternal('bob@a.b.corp.example', ['corp.example', '*.corp.example'])).toBe(true);
    expect(isInternal('bob@corp.example', ['*.corp.example'])).toBe(false);
    expect(isInternal('bob@evilcorp.example', ['corp.example'])).toBe(false);
    expect(isInternal('bob@corp.example', [])).toBe(false);
    expect(isInternal('not-an-address', ['corp.example'])).toBe(false);
  });

  it('never matches a domain pattern across the label boundary (property)', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
    fc.assert(
      fc.property(label, label, label, (prefix, name, tld) => {
        const domain = `${name}.${tld}`;
        expect(matchesPattern(`u@${prefix}${domain}`, domain)).toBe(prefix === '');
        expect(matchesPattern(`u@${prefix}.${domain}`, `*.${domain}`)).toBe(true);
        expect(isInternal(`u@${prefix}${domain}`, [domain])).toBe(prefix === '');
      }),
    );
  });
});
