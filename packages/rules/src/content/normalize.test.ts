import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('ASCII text (the fast path) comes out as the full Unicode pipeline would make it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }),
        (s) => {
          const full = s.normalize('NFKC').toUpperCase().toLowerCase().replace(/\s+/g, ' ');
          expect(normalizeText(s)).toBe(full);
          expect(normalizeText(s, { caseFold: false, collapseWhitespace: false })).toBe(s);
        },
      ),
    );
  });

  it('non-ASCII text still gets every pass', () => {
    expect(normalizeText('ＵＲＧＥＮＴ  Wi\u200Bre')).toBe('urgent wire');
    expect(normalizeText('a\u00adb\u200dc\ufeffd\u2062e')).toBe('abcde');
    expect(normalizeText('Straße', {})).toBe('strasse');
    expect(normalizeText('Café', { stripDiacritics: true })).toBe('cafe');
  });
});
