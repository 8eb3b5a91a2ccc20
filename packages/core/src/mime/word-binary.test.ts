import { describe, expect, it } from 'vitest';
import { compoundFile } from '../testing/compound.js';
import { type WordRun, wordBinary } from '../testing/word-binary.js';
import { oleTextViews } from './binary-text.js';
import { wordShownTexts } from './word-binary.js';

const read = (doc: Buffer) => wordShownTexts(doc, 2 * doc.length);
const card = (letter: Omit<WordRun, 'text'>): WordRun[] => [
  { text: 'Card: 4111 1111' },
  { text: 'x', ...letter },
  { text: ' 1111 1111\r' },
];

describe('a legacy Word document read as shown', () => {
  it('leaves out a letter its formatting hides (hidden, deleted, tiny, white)', () => {
    for (const letter of [
      { vanish: 1 },
      { deleted: 1 },
      { vanish: 0x81 },
      { halfPoints: 2 },
      { color: 0x00ffffff },
      { ico: 8 },
    ])
      expect(read(wordBinary(card(letter)))).toEqual(['Card: 4111 1111 1111 1111\n']);
  });
  it('keeps a letter that shows', () => {
    for (const letter of [
      {},
      { vanish: 0 },
      { deleted: 0 },
      { halfPoints: 20 },
      { color: 0x000000ff },
      { ico: 1 },
    ])
      expect(read(wordBinary(card(letter)))).toEqual(['Card: 4111 1111x 1111 1111\n']);
  });
  it('reads cp1252 (compressed) pieces and the 1Table stream the FIB names', () => {
    expect(read(wordBinary(card({ vanish: 1 }), { compressed: true }))).toEqual([
      'Card: 4111 1111 1111 1111\n',
    ]);
    expect(read(wordBinary(card({ vanish: 1 }), { table: '1Table' }))).toEqual([
      'Card: 4111 1111 1111 1111\n',
    ]);
  });
  it("applies a character style (sprmCIstd), through its base styles, under the run's own properties", () => {
    const styles = [{ vanish: 1 }, { base: 1 }, { color: 0x00ffffff }, { color: 0x000000ff, base: 3 }];
    for (const style of [1, 2, 3])
      expect(read(wordBinary(card({ style }), { styles }))).toEqual(['Card: 4111 1111 1111 1111\n']);
    for (const letter of [{ style: 4 }, { style: 1, vanish: 0 }, { style: 5 }])
      expect(read(wordBinary(card(letter), { styles }))).toEqual(['Card: 4111 1111x 1111 1111\n']);
    // 0x80: the style's value.
    expect(read(wordBinary(card({ style: 1, vanish: 0x80 }), { styles }))).toEqual([
      'Card: 4111 1111 1111 1111\n',
    ]);
    // Styles based on each other in a loop end there.
    const loop = [{ base: 2 }, { base: 1, vanish: 1 }];
    expect(read(wordBinary(card({ style: 1 }), { styles: loop }))).toEqual(['Card: 4111 1111 1111 1111\n']);
  });
  it("applies a paragraph's style under its runs' properties and character styles", () => {
    const styles = [{ vanish: 1, paragraph: true }, { vanish: 0 }];
    const runs = [{ text: 'Card: 4111 1111', vanish: 0 }, { text: 'x' }, { text: ' 1111 1111\r', style: 2 }];
    expect(read(wordBinary(runs, { styles, paragraph: 1 }))).toEqual(['Card: 4111 1111 1111 1111\n']);
    // A paragraph style that hides nothing.
    expect(read(wordBinary(runs, { styles: [{ paragraph: true }, { vanish: 0 }], paragraph: 1 }))).toEqual([
      'Card: 4111 1111x 1111 1111\n',
    ]);
  });
  it("applies a piece's own properties (a Prc grpprl, a Prm0 sprmCFVanish)", () => {
    const runs = [{ text: 'Card: 4111 1111 ' }, { text: 'x' }, { text: '1111 1111\r' }];
    const hidden = Buffer.from([0x3c, 0x08, 0x01]);
    expect(read(wordBinary(runs, { piece: { grpprl: hidden } }))).toEqual(['']);
    expect(read(wordBinary(runs, { piece: { prm0: (0x01 << 8) | (0x5c << 1) } }))).toEqual(['']);
    // A piece that unhides wins over its runs.
    const unhide = Buffer.from([0x3c, 0x08, 0x00]);
    expect(read(wordBinary(card({ vanish: 1 }), { piece: { grpprl: unhide } }))).toEqual([
      'Card: 4111 1111x 1111 1111\n',
    ]);
  });
  it('shows a field result, not its code, and cell and line marks as breaks', () => {
    const runs = [{ text: 'Card: 4111 1111\x13 HYPERLINK "x" \x14 1111\x15 1111\x07next\x0bline\r' }];
    expect(read(wordBinary(runs))).toEqual(['Card: 4111 1111 1111 1111\nnext\nline\n']);
  });
  it('is one more reading of the OLE strings, apart from the others', () => {
    const doc = wordBinary(card({ vanish: 1 }));
    const views = oleTextViews(doc);
    expect(views).toHaveLength(4);
    expect(views[3]).toBe('Card: 4111 1111 1111 1111\n');
    expect(views[1]).toContain('4111 1111x 1111 1111');
  });
  it('gives no reading for what it cannot follow, leaving the strings as they were', () => {
    expect(read(wordBinary(card({ vanish: 1 }), { fcClx: 0x7fffffff }))).toEqual([]);
    expect(read(compoundFile([['Workbook', Buffer.from('4111 1111x 1111 1111')]]))).toEqual([]);
    const damaged = wordBinary(card({ vanish: 1 }));
    expect(read(damaged.subarray(0, 1024))).toEqual([]);
    expect(oleTextViews(Buffer.from('not an OLE file'))).toHaveLength(3);
    // An encrypted document (fEncrypted) is not read as shown.
    expect(read(wordBinary([{ text: 'text\r' }]))).toEqual(['text\n']);
    expect(read(wordBinary([{ text: 'text\r' }], { flags: 0x0100 }))).toEqual([]);
  });
  it('writes no more text than the stream holds when pieces name the same bytes again and again', () => {
    expect(read(wordBinary([{ text: 'ab\r' }], { repeat: 2 }))).toEqual(['ab\nab\n']);
    // The work grows linearly with such pieces: bench:linear measures it (hostile-inputs.ts).
    const runs = [{ text: 'x'.repeat(2000) }];
    expect(read(wordBinary(runs, { repeat: 300 }))).toEqual([]);
  });
});
