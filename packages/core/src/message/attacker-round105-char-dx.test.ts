import { describe, expect, it } from 'vitest';
import { drawnByX } from './shown-page.js';

// Attacker round 105: an SVG text's characters shifted by a list of `dx`, or placed on rows by lists of `y` or `dy`,
// read in the order drawn.
describe('drawnByX with dx, y and dy', () => {
  it('draws a character shifted far left first, whatever the font', () => {
    expect(drawnByX('1411', [10], { dx: [0, -100, 100], em: 16 })).toBe('4111');
  });
  it('keeps small shifts (letter spacing, kerning) in written order', () => {
    expect(drawnByX('abcd', [], { dx: [0, 1, 1, 1], em: 16 })).toBe('abcd');
    expect(drawnByX('abcd', [], { dx: [0, -1, -1, -1], em: 16 })).toBe('abcd');
  });
  it('reads both orders where the font decides', () => {
    // The 4 shifted 8px left: before the first `1` for glyphs under 8px wide (a quarter em, 4px), not for an em.
    expect(drawnByX('14', [], { dx: [0, -8], em: 16 })).toBe('41 ; 14');
  });
  it('combines x and dx: an x starts again, dx shifts from there', () => {
    expect(drawnByX('abc', [50, 0], { dx: [0, 0, -100], em: 16 })).toBe('cba');
  });
  it('reads rows top to bottom: a y list', () => {
    expect(drawnByX('abcd', [0, 10, 0, 10], { y: [20, 20, 0, 0], em: 16 })).toBe('cd\nab');
  });
  it('reads rows top to bottom: a dy list lifting the second half', () => {
    expect(drawnByX('abcd', [], { dy: [0, 0, -20], em: 16 })).toBe('cd\nab');
  });
  it('keeps a wavy baseline (shifts under half an em) on one row', () => {
    expect(drawnByX('Hello', [], { dy: [0, 2, -2, 2, -2], em: 16 })).toBe('Hello');
  });
  it('reads a long text in a few sorts', () => {
    const text = '1'.repeat(100_000);
    expect(
      drawnByX(text, [], {
        dx: Array.from({ length: 100_000 }, () => 1),
        dy: Array.from({ length: 100_000 }, (_, i) => (i % 2 === 0 ? 1 : -1)),
        em: 16,
      }),
    ).toBe(text);
  });
});
