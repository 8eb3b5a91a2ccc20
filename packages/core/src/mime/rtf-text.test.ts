import { describe, expect, it } from 'vitest';
import { rtfShownTexts, rtfText } from './rtf-text.js';

const HEAD =
  '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green255\\blue255;\\red0\\green0\\blue0;}\\f0\\fs24 ';
const rtf = (body: string) => `${HEAD}${body}\\par}`;
// The body of each shown reading (destinations read apart follow a break).
const bodies = (body: string) => rtfShownTexts(rtf(body)).map((t) => t.split('\n')[0]?.trim());

describe('rtfShownTexts: RTF as Word, Outlook and LibreOffice show it (attacker round 29)', () => {
  it('leaves out hidden text, an ignorable destination and tracked deletions', () => {
    expect(bodies('Card: 4111 1111{\\v x} 1111 1111')).toEqual(Array(2).fill('Card: 4111 1111 1111 1111'));
    expect(bodies('Card: 4111 1111\\v x\\v0  1111 1111')).toEqual(Array(2).fill('Card: 4111 1111 1111 1111'));
    expect(bodies('Card: 4111 1111{\\*\\wmflowjunk x} 1111 1111')).toEqual(
      Array(2).fill('Card: 4111 1111 1111 1111'),
    );
    expect(bodies('Card: 4111 1111{\\deleted x} 1111 1111')).toEqual(
      Array(2).fill('Card: 4111 1111 1111 1111'),
    );
    // \plain ends hidden text.
    expect(bodies('4111 {\\v x\\plain 1111}')).toEqual(Array(2).fill('4111 1111'));
  });

  it('skips the \\ucN fallback characters after \\uN, as each reader counts them', () => {
    expect(bodies('\\uc1 Card: 411\\u49 x 1111 1111 1111')).toEqual(
      Array(2).fill('Card: 4111 1111 1111 1111'),
    );
    expect(bodies("\\uc3 \\u52 xyz\\u49 \\'78yz\\u49 xyz\\u49 xyz 1111")).toEqual(Array(2).fill('4111 1111'));
    expect(bodies('{\\uc0 4\\u49 111}')).toEqual(Array(2).fill('41111'));
    // RichEdit counts a control word as a fallback character and braces not at all; LibreOffice counts characters
    // only, and a group hands back its parent's count (checked with LibreOffice 7: `4111`, `4111`, `411`).
    expect(bodies('4\\uc1\\u49{}x11')).toEqual(['4111', '4111']);
    expect(bodies('4\\uc1\\u49\\b y11')).toEqual(['41y11', '4111']);
    expect(bodies('4\\uc2\\u49{\\i z}w11')).toEqual(['41w11', '411']);
  });

  it('leaves out white text on a light page and tiny text, not white text on a dark highlight', () => {
    expect(bodies('41{\\cf1 x}11')).toEqual(['4111', '4111']);
    expect(bodies('41{\\cf1\\highlight2 x}11')).toEqual(['41x11', '41x11']);
    expect(bodies('41{\\cf2 x}11')).toEqual(['41x11', '41x11']);
    expect(bodies('41{\\fs2 x}11')).toEqual(['4111', '4111']);
    // LibreOffice draws \fs0 text at the default size.
    expect(bodies('41{\\fs0 x}11')).toEqual(['41x11', '41x11']);
    // A page with a background: white text may show.
    expect(rtfShownTexts(`${HEAD}\\viewbksp1 41{\\cf1 x}11}`)[0]).toContain('41x11');
  });

  it('reads destinations apart from the body, and the field result in place', () => {
    const [shown] = rtfShownTexts(
      rtf('4111 {\\field{\\*\\fldinst HYPERLINK "x"}{\\fldrslt 1111}} 1111{\\footnote 9} 1111'),
    );
    expect(shown?.split('\n')[0]?.trim()).toBe('4111 1111 1111 1111');
    expect(shown).toContain('HYPERLINK');
    expect(shown).toContain('9');
  });

  it('stops past 4,096 nested groups, and reads a cut document to its end', () => {
    expect(rtfShownTexts(`{\\rtf1 4111 ${'{'.repeat(5000)}1111`)[0]).toBe('4111 ');
    expect(rtfShownTexts('{\\rtf1 4111 {\\b 1111')[0]).toBe('4111 1111');
  });

  it('works in linear time', () => {
    const unit = '{\\v x}\\uc1\\u49 y{\\*\\a b}';
    const time = (n: number) => {
      const input = `{\\rtf1 ${unit.repeat(n)}}`;
      const t = performance.now();
      rtfShownTexts(input);
      return performance.now() - t;
    };
    time(1000);
    const small = time(10_000);
    const large = time(100_000);
    expect(large).toBeLessThan(small * 30 + 50);
  });
});

describe('rtfText: every reading, apart', () => {
  it('keeps the full reading and adds the shown ones, a break between them', () => {
    const text = rtfText(rtf('Card: 4111 1111{\\v x} 1111 1111'));
    expect(text).toContain('4111 1111x 1111 1111');
    expect(text).toContain('Card: 4111 1111 1111 1111');
    // No number runs across the break from one reading into the next.
    expect(text).toMatch(/\n{4}\|\n{4}/);
  });

  it('gives one reading when the others are the same', () => {
    expect(rtfText('{\\rtf1 Hello}')).toBe('Hello');
  });
});
