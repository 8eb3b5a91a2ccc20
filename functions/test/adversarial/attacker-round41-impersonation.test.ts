import { describe, expect, it } from 'vitest';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 41: look-alike display names the guard's impersonation check reads as another name. Each case is
// replayed through the prebuilt guard at its defaults with the name protected; each control (the plain name, or the
// same trick with a letter the table does map) was junked, each attack delivered (DEFAULT) before the fix (the
// prototypes of Unicode's confusables, read before and after NFKC).
const stack = useLocalStack();
const kit = attackerKit(stack);

const verdict = (protectedName: string, name: string) => kit.protectedNameVerdict(name, protectedName);

// A41-1. The table maps the Greek lunate sigma `ϲ` (U+03F2) to `c`, but NFKC runs first and turns it into the final
// sigma `ς`, which case-folds to `σ`, which the table maps to `o`: `Marϲ Ϲohen` reads "maro oohen". The lunate sigma
// and its capital `Ϲ` (U+03F9) are drawn exactly as Latin c and C (Segoe UI, Arial, San Francisco, Roboto).
describe('A41-1 impersonation: Greek lunate sigma, mapped to c by the table, reads o after NFKC', () => {
  it('control: Marc Cohen is junked', async () => {
    expect(await verdict('Marc Cohen', 'Marc Cohen')).toBe('MOVE_TO_JUNK');
  });
  it('control: Marс Сohen (Cyrillic es) is junked', async () => {
    expect(await verdict('Marc Cohen', 'Mar\u0441 \u0421ohen')).toBe('MOVE_TO_JUNK');
  });
  it('Mar\u03f2 \u03f9ohen (lunate sigma and its capital) is junked', async () => {
    expect(await verdict('Marc Cohen', 'Mar\u03f2 \u03f9ohen')).toBe('MOVE_TO_JUNK');
  });
});

// A41-2. The Greek capitals whose small letters look like another Latin letter (Η→h, Μ→m, Ν→n, Υ→y, Ζ→z) are
// mapped by CAPITALS before NFKC; their mathematical bold, italic and sans-serif forms (U+1D6AD…, which "fancy
// text" generators produce and display names use) only become those capitals in NFKC, after CAPITALS ran, so they
// fold to η, μ, ν, υ, ζ and read n, μ, v, u, ζ. `ϒ` (U+03D2, upsilon with hook, drawn as Y) likewise reads u.
// A whole name written in mathematical bold (𝐉𝐎𝐇𝐍 folds to JOHN) with the bold Greek capital eta for H is drawn as
// JOHN SMITH in bold.
describe('A41-2 impersonation: mathematical Greek capitals become capitals only after CAPITALS ran', () => {
  it('control: 𝐉𝐎𝐇𝐍 𝐒𝐌𝐈𝐓𝐇 (mathematical bold Latin) is junked', async () => {
    expect(
      await verdict(
        'John Smith',
        '\u{1d409}\u{1d40e}\u{1d407}\u{1d40d} \u{1d412}\u{1d40c}\u{1d408}\u{1d413}\u{1d407}',
      ),
    ).toBe('MOVE_TO_JUNK');
  });
  it('control: JOΗN SMIΤΗ (plain Greek capital eta) is junked', async () => {
    expect(await verdict('John Smith', 'JO\u0397N SMIT\u0397')).toBe('MOVE_TO_JUNK');
  });
  it('𝐉𝐎𝚮𝐍 𝐒𝐌𝐈𝐓𝚮 (mathematical bold capital eta for H) is junked', async () => {
    expect(
      await verdict(
        'John Smith',
        '\u{1d409}\u{1d40e}\u{1d6ae}\u{1d40d} \u{1d412}\u{1d40c}\u{1d408}\u{1d413}\u{1d6ae}',
      ),
    ).toBe('MOVE_TO_JUNK');
  });
  it('𝝡𝗔𝗥𝗬 𝝢𝗘𝗪𝝡𝗔𝝢 (sans-serif bold capital mu and nu for M and N) is junked', async () => {
    expect(
      await verdict(
        'Mary Newman',
        '\u{1d761}\u{1d5d4}\u{1d5e5}\u{1d5ec} \u{1d762}\u{1d5d8}\u{1d5ea}\u{1d761}\u{1d5d4}\u{1d762}',
      ),
    ).toBe('MOVE_TO_JUNK');
  });
  it('\u03d2vonne Baker (upsilon with hook symbol for Y) is junked', async () => {
    expect(await verdict('Yvonne Baker', '\u03d2vonne Baker')).toBe('MOVE_TO_JUNK');
  });
});

// A41-3. Letters drawn as Latin ones that the hand-picked table lacks (all listed for these letters in Unicode's
// confusables.txt): Cherokee capitals E `Ꭱ` (drawn R) and GI `Ꭹ` (drawn Y), shipped in Windows' Gadugi and
// macOS's Cherokee fonts; the Arabic-Indic digits one `١` (a bare vertical stroke, drawn as l) and seven `٧`
// (drawn V), which keep a left-to-right name in order; the multiplication sign `×` for x (dropped as punctuation,
// so the word splits); Georgian qar `ყ` (drawn y) and Armenian gim `գ` (drawn q).
describe('A41-3 impersonation: look-alikes of other scripts missing from the table', () => {
  it('control: Rachel Young is junked', async () => {
    expect(await verdict('Rachel Young', 'Rachel Young')).toBe('MOVE_TO_JUNK');
  });
  it('\u13a1achel \u13a9oung (Cherokee E and GI) is junked', async () => {
    expect(await verdict('Rachel Young', '\u13a1achel \u13a9oung')).toBe('MOVE_TO_JUNK');
  });
  it('control: Victor Ha|| (bars for l, mapped) is junked', async () => {
    expect(await verdict('Victor Hall', 'Victor Ha||')).toBe('MOVE_TO_JUNK');
  });
  it('\u0667ictor Ha\u0661\u0661 (Arabic-Indic seven and one) is junked', async () => {
    expect(await verdict('Victor Hall', '\u0667ictor Ha\u0661\u0661')).toBe('MOVE_TO_JUNK');
  });
  it('Ma\u00d7 Weber (multiplication sign for x) is junked', async () => {
    expect(await verdict('Max Weber', 'Ma\u00d7 Weber')).toBe('MOVE_TO_JUNK');
  });
  it('Ton\u10e7 \u0563uinn (Georgian qar, Armenian gim) is junked', async () => {
    expect(await verdict('Tony Quinn', 'Ton\u10e7 \u0563uinn')).toBe('MOVE_TO_JUNK');
  });
});
