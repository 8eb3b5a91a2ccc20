import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 42, against round 41's confusables fix (the prototypes of Unicode's confusables, read before and
// after NFKC, beside the hand-picked table). Each case is replayed through the prebuilt guard at its defaults with
// the name protected; each control was junked, each attack delivered (DEFAULT) before the fix (the table read again
// after case folding and diacritics, Cherokee small letters, letters with a stroke or hook added).
const stack = useLocalStack();
const kit = attackerKit(stack);

const verdict = (protectedName: string, name: string) => kit.protectedNameVerdict(name, protectedName);

// A42-1. The prototype table is applied before case folding only (and before diacritics are stripped): a character
// that becomes one of its letters later is read as itself. Round 41 mapped the Cherokee capitals E `Ꭱ` (drawn R)
// and GI `Ꭹ` (drawn Y); their small letters `ꭱ` (U+AB71) and `ꭹ` (U+AB79), which case folding makes of the
// capitals anyway, are drawn as the small capitals ʀ and ʏ (Windows' Gadugi, Noto Sans Cherokee), which the
// hand-picked table maps. Likewise `ǽ` and `ǣ` (æ with an acute or a macron) strip to `æ`, whose prototype is `ae`
// in the table that ran before, so "Michǽl" is read with an æ in it while "Michæl" and "Micháel" are Michael.
describe('A42-1 impersonation: letters the prototype table knows only before case folding and diacritics', () => {
  it('control: Rachel Young in Latin small capitals (ʀachel ʏoung) is junked', async () => {
    expect(await verdict('Rachel Young', '\u0280achel \u028foung')).toBe('MOVE_TO_JUNK');
  });
  it('control: \u13a1achel \u13a9oung (Cherokee capitals E and GI, round 41) is junked', async () => {
    expect(await verdict('Rachel Young', '\u13a1achel \u13a9oung')).toBe('MOVE_TO_JUNK');
  });
  it('\uab71achel \uab79oung (Cherokee small E and GI) is junked', async () => {
    expect(await verdict('Rachel Young', '\uab71achel \uab79oung')).toBe('MOVE_TO_JUNK');
  });
  it('control: Mich\u00e6l Chen (æ) is junked', async () => {
    expect(await verdict('Michael Chen', 'Mich\u00e6l Chen')).toBe('MOVE_TO_JUNK');
  });
  it('Mich\u01fdl Chen (æ with acute) is junked', async () => {
    expect(await verdict('Michael Chen', 'Mich\u01fdl Chen')).toBe('MOVE_TO_JUNK');
  });
});

// A42-2. Stroked and hooked Latin letters: the check reads ł, đ, ħ, ŧ, ɨ, ƚ, ɫ, ɇ, Ɉ, ƭ, ȥ as their letters (a
// stroke or hook through a letter is read as a diacritic is), but not the barred u `ʉ`/`Ʉ`, y with stroke `ɏ`/`Ɏ`,
// r with stroke `ɍ`, c with stroke `ȼ`/`Ȼ`, l and t with retroflex hook `ɭ` `ʈ`: Unicode's confusables do not list
// them (it treats such marks as diacritics) and NFD leaves them whole, so stripping diacritics does not reach them.
// Every one is in Latin Extended-B or IPA Extensions, drawn by Arial, Segoe UI, Calibri, Times New Roman and
// San Francisco as the letter with a bar or hook, no further from it than `Jülie` is from Julie.
describe('A42-2 impersonation: stroked and hooked letters missing from the tables', () => {
  it('control: J\u00fclie M\u00fcnro (diaeresis) is junked', async () => {
    expect(await verdict('Julie Munro', 'J\u00fclie M\u00fcnro')).toBe('MOVE_TO_JUNK');
  });
  it('J\u0289lie M\u0289nro (barred u) is junked', async () => {
    expect(await verdict('Julie Munro', 'J\u0289lie M\u0289nro')).toBe('MOVE_TO_JUNK');
  });
  it('control: Ton\u00fd Quinn (y acute) is junked', async () => {
    expect(await verdict('Tony Quinn', 'Ton\u00fd Quinn')).toBe('MOVE_TO_JUNK');
  });
  it('Ton\u024f Quinn (y with stroke) is junked', async () => {
    expect(await verdict('Tony Quinn', 'Ton\u024f Quinn')).toBe('MOVE_TO_JUNK');
  });
  it('Mar\u023c \u023bohen (c with stroke) is junked', async () => {
    expect(await verdict('Marc Cohen', 'Mar\u023c \u023bohen')).toBe('MOVE_TO_JUNK');
  });
  it('control: Vi\u0188tor Ha\u026b\u026b (c with hook, l with middle tilde: mapped) is junked', async () => {
    expect(await verdict('Victor Hall', 'Vi\u0188tor Ha\u026b\u026b')).toBe('MOVE_TO_JUNK');
  });
  it('Vic\u0288or Ha\u026d\u026d (t and l with retroflex hook) is junked', async () => {
    expect(await verdict('Victor Hall', 'Vic\u0288or Ha\u026d\u026d')).toBe('MOVE_TO_JUNK');
  });
  it('Ha\u024d\u024dy Ford (r with stroke) is junked', async () => {
    expect(await verdict('Harry Ford', 'Ha\u024d\u024dy Ford')).toBe('MOVE_TO_JUNK');
  });
});
