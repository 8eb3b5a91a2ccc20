import { describe, expect, it } from 'vitest';
import { confusableGroups, packageTable } from '../../scripts/confusable-letters.js';
import { CONFUSABLE_LETTERS } from './confusable-letters.js';
import { skeletonName } from './index.js';

describe("Unicode's confusables as name prototypes", () => {
  it('the committed table is what the generator makes of the package (npm run generate:confusables)', () => {
    expect(CONFUSABLE_LETTERS).toEqual(confusableGroups(packageTable()));
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
