import { describe, expect, it } from 'vitest';
import { confusableGroups, packageTable } from '../../scripts/confusable-letters.js';
import { CONFUSABLE_LETTERS } from './confusable-letters.js';
import { skeletonName } from './index.js';
import { LETTERS_BY_HAND } from './letters-by-hand.js';

describe("Unicode's confusables as name prototypes", () => {
  it('the committed table is what the generator makes of the package (npm run generate:confusables), then the letters added by hand', () => {
    expect(CONFUSABLE_LETTERS).toEqual([...confusableGroups(packageTable()), ...LETTERS_BY_HAND]);
  });

  it('every character whose prototype is one ASCII letter reads as that letter in a name', () => {
    const misread: string[] = [];
    for (const [from, to] of Object.entries(packageTable())) {
      if ([...from].length !== 1 || (from.codePointAt(0) as number) < 0x80 || !/^[A-Za-z]$/.test(to))
        continue;
      if (skeletonName(`x${from}x`) !== skeletonName(`x${to}x`)) misread.push(`${from} (${to})`);
    }
    expect(misread).toEqual([]);
  });
});

// Security finding A49-14: letters drawn like Latin ones that neither the package's table nor the hand-picked
// tables of index.ts knew (Unicode 15's confusables with a bar or hook, stroked and hooked Latin and Cyrillic
// letters, accented Greek capitals eta and upsilon, currency signs of fancy-text fonts).
describe('letters added by hand (A49-14)', () => {
  it('are not in the generated table, and each reads as its prototype inside and at the start of a word', () => {
    const generated = new Set(confusableGroups(packageTable()).flatMap(([froms]) => [...froms]));
    const wrong: string[] = [];
    for (const [froms, to] of LETTERS_BY_HAND) {
      expect(to).toMatch(/^[a-z0-9]{1,3}$/);
      for (const ch of froms) {
        if (generated.has(ch)) wrong.push(`${ch}: generated already`);
        for (const [name, latin] of [
          [`x${ch}x`, `x${to}x`],
          [`${ch}ane`, `${to}ane`],
        ])
          if (skeletonName(name as string) !== skeletonName(latin as string))
            wrong.push(`${ch} (U+${ch.codePointAt(0)?.toString(16)}): ${skeletonName(name as string)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['\u023alice \u0243rown', 'Alice Brown'],
    ['\u0398livia \ua77bord', 'Olivia Ford'],
    ['\u0389enry \u049aing', 'Henry King'],
    ['\u1f59vonne \u0472wens', 'Yvonne Owens'],
    ['\u20b3nna \u20b1rice', 'Anna Price'],
    ['\ua779avid \u2c67all', 'David Hall'],
    ['\u01b5oe \ua796aker', 'Zoe Baker'],
    ['\u0458ane Do\u04d9', 'Jane Doe'],
  ])('%s reads as %s', (drawn, latin) => {
    expect(skeletonName(drawn)).toBe(skeletonName(latin));
  });

  it('leaves letters of real spellings alone', () => {
    expect(skeletonName('Strau\u00df')).toBe('strauss');
    expect(skeletonName('\u00de\u00f3r')).not.toBe(skeletonName('Por'));
  });
});
