import { describe, expect, it } from 'vitest';
import { findIbans } from './iban.js';
import { latinLookAlike } from './latin-lookalikes.js';

// Attacker round 116: IBAN letters in groups of one size other than four, and Cyrillic or Greek look-alike letters.
describe('attacker round 116: IBAN layouts and look-alike letters', () => {
  it('reads groups all of one size, letters anywhere', () => {
    for (const text of [
      'GB 82 WE ST 12 34 56 98 76 54 32',
      'GB8 2WE ST1 234 569 876 543 2',
      'GB82W EST12 34569 87654 32',
      'G B 8 2 W E S T 1 2 3 4 5 6 9 8 7 6 5 4 3 2',
    ])
      expect(findIbans(text)).toEqual(['GB82WEST12345698765432']);
  });
  it('reads Cyrillic and Greek look-alikes as the Latin letters', () => {
    expect(findIbans('GB82 W\u0415ST 1234 5698 7654 32')).toEqual(['GB82WEST12345698765432']);
    expect(findIbans('DE89 37\u039f4 0044 0532 0130 00')).toEqual(['DE89370400440532013000']);
    expect(latinLookAlike(0x0416)).toBeUndefined();
  });
  it('leaves runs of one size that fail mod-97, and mixed sizes with letters, alone', () => {
    expect(findIbans('AT 20 km DE 30 km CH 45 km IT 12 km FR 60 km')).toEqual([]);
    expect(findIbans('DE1 23A BC4 56D EF7 89G HI0 12J KL3 45M')).toEqual([]);
  });
});
