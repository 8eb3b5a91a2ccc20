import { describe, expect, it } from 'vitest';
import { drawnByX } from './shown-page.js';

// Attacker round 104: an SVG text's characters in the order a list of `x` coordinates draws them.
describe('drawnByX', () => {
  it('draws characters written backwards in order by falling x', () => {
    expect(drawnByX('4321', [30, 20, 10, 0])).toBe('1234');
  });
  it('keeps characters past the list after the one before them', () => {
    expect(drawnByX('abcde', [10, 0])).toBe('bcdea');
    expect(drawnByX('abcd', [0, 10])).toBe('abcd');
  });
  it('keeps characters at one place in their written order', () => {
    expect(drawnByX('abc', [5, 5, 0])).toBe('cab');
  });
  it('handles white space as SVG does by default', () => {
    // `ab c`: the space at 0, `c` past the list just after it.
    expect(drawnByX('\n  ab\t  c ', [20, 10, 0])).toBe(' cba');
  });
  it('reads a long text in one sort', () => {
    const text = '1'.repeat(100_000);
    expect(
      drawnByX(
        text,
        Array.from({ length: 100_000 }, (_, i) => 100_000 - i),
      ),
    ).toBe(text);
  });
});
