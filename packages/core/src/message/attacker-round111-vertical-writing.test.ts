import { describe, expect, it } from 'vitest';
import { htmlShownTexts } from './html-shown.js';
import { uprightDigits, verticalWriting } from './vertical-writing.js';

// Attacker round 111: upright digits in columns read across as rows, which the reader does not lay out.
const style = (values: Record<string, string>) => (property: string) => values[property];

describe('verticalWriting', () => {
  it('reads a vertical mode and an upright orientation, and inherits both', () => {
    const parent = verticalWriting(style({ 'text-orientation': 'upright' }), {});
    expect(parent).toEqual({ vertical: undefined, upright: true });
    expect(verticalWriting(style({ 'writing-mode': 'vertical-rl' }), parent)).toEqual({
      vertical: true,
      upright: true,
    });
  });
  it('takes SVG 1.1 modes, glyph orientation and combined digits', () => {
    expect(
      verticalWriting(style({ 'writing-mode': 'TB', 'glyph-orientation-vertical': '0deg' }), {}),
    ).toEqual({
      vertical: true,
      upright: true,
    });
    expect(verticalWriting(style({ 'text-combine-upright': 'digits 2' }), { vertical: true }).upright).toBe(
      true,
    );
    expect(verticalWriting(style({ 'layout-flow': 'vertical-ideographic' }), {}).vertical).toBe(true);
  });
  it('sets them back', () => {
    const inherited = { vertical: true, upright: true };
    expect(
      verticalWriting(style({ 'writing-mode': 'horizontal-tb', 'text-orientation': 'mixed' }), inherited),
    ).toEqual({ vertical: undefined, upright: undefined });
    expect(verticalWriting(style({ 'writing-mode': 'sideways-rl' }), inherited).vertical).toBeUndefined();
  });
});

describe('uprightDigits', () => {
  it('finds digits drawn upright, and other digits under any orientation', () => {
    expect(uprightDigits('4106', { vertical: true, upright: true })).toBe(true);
    expect(uprightDigits('４１０６', { vertical: true })).toBe(true);
    expect(uprightDigits('Q1 2024', { vertical: true })).toBe(false);
    expect(uprightDigits('4106', { upright: true })).toBe(false);
  });
  it('is one pass over a long text', () => {
    expect(uprightDigits('x'.repeat(2_000_000), { vertical: true })).toBe(false);
  });
});

describe('htmlShownTexts', () => {
  it('leaves a page with upright digits in columns undecided, saying why', () => {
    const page =
      '<div style="writing-mode: vertical-rl; text-orientation: upright">9837<br>3846<br>5434<br>4106</div>';
    expect(htmlShownTexts(page).undecided).toMatch(/upright in a vertical writing mode/);
  });
  it('reads a rotated header of years as written', () => {
    const page = '<table><tr><th style="writing-mode: vertical-rl">Q1 2024</th></tr></table>';
    const shown = htmlShownTexts(page);
    expect(shown.undecided).toBeUndefined();
    expect(shown.texts.join(' ')).toContain('Q1 2024');
  });
});
