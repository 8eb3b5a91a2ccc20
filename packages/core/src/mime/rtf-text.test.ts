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

  // Its time on 4x this input is bench/linear-readers.ts's claim (`npm run bench:linear -- --check`).
  it('reads a long run of hidden groups, Unicode escapes and ignorable destinations whole', () => {
    const unit = '{\\v x}\\uc1\\u49 y{\\*\\a b}';
    const texts = rtfShownTexts(`{\\rtf1 ${unit.repeat(100_000)}}`);
    expect(texts).toHaveLength(2);
    for (const text of texts) expect(text.split('\n')[0]).toBe('1'.repeat(100_000));
  });
});

// Colours 1 black, 2 yellow, 3 white (the attacker's table).
const HEAD30 =
  '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;\\red255\\green255\\blue0;\\red255\\green255\\blue255;}';
const bodies30 = (body: string) =>
  rtfShownTexts(`${HEAD30}${body}\\par}`).map((t) => t.split('\n')[0]?.trim());

describe('rtfShownTexts: squeezed text, styles, shading and the page (attacker round 30)', () => {
  it('leaves out text squeezed under 40 % (\\charscalex)', () => {
    expect(bodies30('41{\\charscalex1 x}11')).toEqual(['4111', '4111']);
    expect(bodies30('41{\\charscalex39 x}11')).toEqual(['4111', '4111']);
    expect(bodies30('41{\\charscalex40 x}11')).toEqual(['41x11', '41x11']);
    expect(bodies30('41{\\charscalex1\\plain x}11')).toEqual(['41x11', '41x11']);
  });

  it('applies what a character or paragraph style hides, its base styles too', () => {
    const sheet =
      '{\\stylesheet{\\s0 Normal;}{\\*\\cs15\\v\\additive Hid;}{\\*\\cs16\\charscalex1 Thin;}{\\*\\cs17\\sbasedon15 Child;}{\\s2\\cf3 White;}{\\*\\cs18\\cf1 Shown;}}';
    expect(bodies30(`${sheet}41{\\cs15 x}11`)).toEqual(['4111', '4111']);
    expect(bodies30(`${sheet}41{\\cs16 x}11`)).toEqual(['4111', '4111']);
    expect(bodies30(`${sheet}41{\\cs17 x}11`)).toEqual(['4111', '4111']);
    expect(bodies30(`${sheet}{\\pard\\s2 x\\par}\\pard 41 11`)).toEqual(['41 11', '41 11']);
    expect(bodies30(`${sheet}41{\\cs18 x}{\\cs99 y}11`)).toEqual(['41xy11', '41xy11']);
    // A style sheet written after the text still styles it, as a reader applies it.
    expect(
      rtfShownTexts(`${HEAD30}41{\\cs15 x}11{\\stylesheet{\\*\\cs15\\v Hid;}}}`)[0]?.split('\n')[0],
    ).toBe('4111');
    // A style based on itself ends.
    expect(bodies30('{\\stylesheet{\\*\\cs5\\sbasedon5\\v Loop;}}41{\\cs5 x}11')).toEqual(['4111', '4111']);
  });

  it('leaves out text the colour of the paragraph shading or of the page behind it', () => {
    const shaded = '\\pard\\cbpat1\\cfpat1\\shading10000{\\cf3 41}{\\cf1 x}{\\cf3 11}';
    expect(bodies30(shaded)).toEqual(['4111', '4111']);
    expect(bodies30('\\pard\\cbpat1{\\cf3 41}{\\cf1 x}{\\cf3 11}')).toEqual(['4111', '4111']);
    // \pard ends the shading: black text shows again.
    expect(bodies30('\\pard\\cbpat1 41\\par\\pard{\\cf1 x}11')).toEqual(['41 x11', '41 x11']);
    const page = (fill: string) =>
      `\\viewbksp1{\\*\\background{\\shp{\\*\\shpinst{\\sp{\\sn fillColor}{\\sv ${fill}}}{\\sp{\\sn fFilled}{\\sv 1}}}}}{\\cf3 41}{\\cf1 x}{\\cf3 11}`;
    expect(bodies30(page('0'))).toEqual(['4111', '4111']);
    // A white page (0xBBGGRR): the white digits are hidden, the black letter shows.
    expect(bodies30(page('16777215'))).toEqual(['x', 'x']);
    // Text on its own highlight lies over the page.
    expect(bodies30(`${page('0')}{\\cf1\\highlight3 y}`)).toEqual(['4111y', '4111y']);
  });

  it('reads \\cb both ways: as a backdrop (RichEdit) and not (Word, LibreOffice)', () => {
    expect(bodies30('41{\\cf3\\cb1 x}11')).toEqual(['41x11', '41x11', '4111', '4111']);
  });

  it('leaves out text the colour of its own highlight or shading', () => {
    expect(bodies30('41{\\cf1\\highlight1 x}11')).toEqual(['4111', '4111']);
    expect(bodies30('41{\\cf2\\highlight2 x}11')).toEqual(['4111', '4111']);
    expect(bodies30('41{\\cf1\\chshdng10000\\chcfpat1 x}11')).toEqual(['4111', '4111']);
    expect(bodies30('41{\\cf3\\highlight1 x}{\\cf1\\highlight3 y}11')).toEqual(['41xy11', '41xy11']);
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
