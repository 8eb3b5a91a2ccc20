// Cyrillic and Greek letters drawn as the Latin letter a reader takes them for, capitals and small letters.
const LATIN = new Map<number, string>([
  // Cyrillic А В Е К М Н О Р С Т У Х Ѕ І Ј
  [0x0410, 'A'],
  [0x0412, 'B'],
  [0x0415, 'E'],
  [0x041a, 'K'],
  [0x041c, 'M'],
  [0x041d, 'H'],
  [0x041e, 'O'],
  [0x0420, 'P'],
  [0x0421, 'C'],
  [0x0422, 'T'],
  [0x0423, 'Y'],
  [0x0425, 'X'],
  [0x0405, 'S'],
  [0x0406, 'I'],
  [0x0408, 'J'],
  // Cyrillic а е о р с у х ѕ і ј
  [0x0430, 'a'],
  [0x0435, 'e'],
  [0x043e, 'o'],
  [0x0440, 'p'],
  [0x0441, 'c'],
  [0x0443, 'y'],
  [0x0445, 'x'],
  [0x0455, 's'],
  [0x0456, 'i'],
  [0x0458, 'j'],
  // Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ ο
  [0x0391, 'A'],
  [0x0392, 'B'],
  [0x0395, 'E'],
  [0x0396, 'Z'],
  [0x0397, 'H'],
  [0x0399, 'I'],
  [0x039a, 'K'],
  [0x039c, 'M'],
  [0x039d, 'N'],
  [0x039f, 'O'],
  [0x03a1, 'P'],
  [0x03a4, 'T'],
  [0x03a5, 'Y'],
  [0x03a7, 'X'],
  [0x03bf, 'o'],
]);

/**
 * The Latin letter a Cyrillic or Greek letter is drawn as, or undefined: an IBAN's letters typed in another script
 * (`GB82 WЕST…` with a Cyrillic `Е`, `DE89 37О4…` with a Cyrillic `О`, which the look-alike reading then takes for
 * 0) read as a reader reads them (attacker round 116). One character for one, so offsets are kept.
 *
 * @example
 * ```ts
 * latinLookAlike(0x0415); // 'E' (Cyrillic Е)
 * latinLookAlike(0x0416); // undefined (Ж)
 * ```
 */
export function latinLookAlike(cp: number): string | undefined {
  return LATIN.get(cp);
}
