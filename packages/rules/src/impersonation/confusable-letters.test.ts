import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { confusableLettersSource, packageTable } from '../../scripts/confusable-letters.js';
import { skeletonName } from './index.js';

describe("Unicode's confusables as name prototypes", () => {
  it('the committed table is what the generator makes of the package (npm run generate:confusables)', () => {
    const committed = readFileSync(new URL('./confusable-letters.ts', import.meta.url), 'utf8');
    expect(committed).toBe(confusableLettersSource(packageTable()));
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
