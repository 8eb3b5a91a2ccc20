import { type WordBinaryOptions, type WordRun, wordBinary } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 29 (#6, l-doc-hidden): a legacy Word .doc whose number Word and LibreOffice show
// whole, broken in the file's strings by a letter its character formatting hides (sprmCFVanish, white, tiny) or by a
// field code. The .doc is also read as shown now (its piece table and CHPX runs), beside its strings.

const stack = useLocalStack();
const kit = attackerKit(stack);

const send = (runs: WordRun[], options: WordBinaryOptions = {}) =>
  kit.outbound(outboundFile('card.doc', wordBinary(runs, options), 'application/msword'));
const between = (
  letter: Omit<WordRun, 'text'>,
  first = 'Card: 4111 1111',
  last = ' 1111 1111\r',
): WordRun[] => [{ text: first }, { text: 'x', ...letter }, { text: last }];

describe('attacker round 29: Word .doc read as shown (outbound-policy)', () => {
  const CASES: Record<string, [WordRun[], WordBinaryOptions?]> = {
    'hidden text (sprmCFVanish) between two groups': [between({ vanish: 1 })],
    'hidden text relative to the style (0x81)': [between({ vanish: 0x81 })],
    'a tracked deletion (sprmCFRMarkDel) between two groups': [between({ deleted: 1 })],
    'white text (sprmCCv) between two groups': [between({ color: 0x00ffffff })],
    'white text (sprmCIco 8) in a cp1252 piece': [between({ ico: 8 }), { compressed: true }],
    'text of 1 point between two groups, 1Table': [between({ halfPoints: 2 }), { table: '1Table' }],
    'a letter in a hidden character style (sprmCIstd), as LibreOffice saves one': [
      between({ style: 1 }),
      { styles: [{ vanish: 1 }] },
    ],
    "a letter hidden by its paragraph's style, the digits shown by their own": [
      [{ text: 'Card: 4111 1111', vanish: 0 }, { text: 'x' }, { text: ' 1111 1111', vanish: 0 }],
      { styles: [{ vanish: 1, paragraph: true }], paragraph: 1 },
    ],
    'a field code between two groups': [[{ text: 'Card: 4111 1111\x13 QUOTE x \x14 1111\x15 1111\r' }]],
    'an IBAN with hidden text inside': [between({ vanish: 1 }, 'IBAN: GB82 WEST 1234', ' 5698 7654 32\r')],
  };
  for (const [name, [runs, options]] of Object.entries(CASES)) {
    it(`bounces ${name}`, async () => {
      expect(await send(runs, options)).toBe('BOUNCE');
    });
  }

  it('lets a .doc through whose hidden letter shows, or that holds no number', async () => {
    expect(await send(between({ vanish: 0 }))).toBe('DEFAULT');
    expect(await send(between({ color: 0x000000ff }))).toBe('DEFAULT');
    expect(
      await send([{ text: 'Minutes of the meeting\r' }, { text: 'draft', vanish: 1 }, { text: '\r' }]),
    ).toBe('DEFAULT');
  });

  it('keeps reading the strings of a .doc whose tables do not add up (no bounce, no pass)', async () => {
    expect(await send([{ text: 'Minutes of the meeting\r' }], { fcClx: 0x7fffffff })).toBe('DEFAULT');
    expect(await send([{ text: 'Card: 4111 1111 1111 1111\r' }], { fcClx: 0x7fffffff })).toBe('BOUNCE');
  });
});
