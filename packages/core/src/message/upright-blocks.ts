// Digits drawn upright in a vertical writing mode (attacker round 111) read across the rows of its columns, which are
// not laid out here (a column's height, and so where a line wraps, depends on the box). A card so read needs at
// least CARD_DIGITS digits among the columns and the digits written next to them (false-positive round 12: a
// vertical letter dated `令和６年１２月吉日`, a menu of two prices, holds fewer and cannot show one).

/** The fewest digits of a card (Maestro issues 12); an IBAN holds more. */
export const CARD_DIGITS = 12;

/** A block laid out in a vertical writing mode: offsets into the page's text, and whether it draws a digit upright. */
export interface UprightBlock {
  start: number;
  end: number;
  upright: boolean;
  /** Digits of text its stylesheets write inside it (`::before` content), which is not in the page's text. */
  written?: number;
}

/**
 * Counts text a stylesheet writes inside `block` (`::before`, `::after`, a list marker) with its digits, and marks it
 * upright when `upright` (the text draws a digit upright).
 *
 * @example
 * ```ts
 * const block = { start: 0, end: 0, upright: false };
 * addWritten(block, '４１０６', true); // block.written === 4, block.upright === true
 * ```
 */
export function addWritten(block: UprightBlock, text: string, upright: boolean): void {
  block.written = (block.written ?? 0) + count(text, 0, text.length);
  if (upright) block.upright = true;
}

const NUMBER = /\p{N}/u;
// A letter breaks a digit group as read (`O`, `o`, `I`, `l` may be read as digits: they do not).
const BREAKS = /(?![OoIl])\p{L}/u;

/**
 * Whether `blocks` (ascending, none inside another, as the page's outermost vertical blocks are) could show a card
 * across their rows: blocks apart only by characters that are not letters are taken together (a reader reads from
 * one into the next), and their digits (every `\p{N}`, upright or not) are counted with those written before and
 * after them up to the nearest letter. A group with a block that draws a digit upright and holds two digits or more
 * (one digit shows where it is written: nothing to read in another order) with `min` digits or more so is
 * undecided.
 * Each character of `page` is looked at most twice: linear.
 *
 * @example
 * ```ts
 * mayShowCardAcross('令和６年１２月吉日', [{ start: 0, end: 9, upright: true }]); // false: 3 digits
 * mayShowCardAcross('4539 1488 0343 4766', [{ start: 15, end: 19, upright: true }]); // true
 * ```
 */
export function mayShowCardAcross(page: string, blocks: readonly UprightBlock[], min = CARD_DIGITS): boolean {
  let i = 0;
  while (i < blocks.length) {
    const first = blocks[i] as UprightBlock;
    let last = first;
    let own = count(page, first.start, first.end) + (first.written ?? 0);
    let digits = own;
    let reorders = first.upright && own >= 2;
    let j = i + 1;
    for (; j < blocks.length; j++) {
      const next = blocks[j] as UprightBlock;
      if (lettered(page, last.end, next.start)) break;
      own = count(page, next.start, next.end) + (next.written ?? 0);
      digits += count(page, last.end, next.start) + own;
      reorders ||= next.upright && own >= 2;
      last = next;
    }
    if (reorders) {
      let before = first.start;
      while (before > 0 && !BREAKS.test(page[before - 1] as string)) before--;
      let after = last.end;
      while (after < page.length && !BREAKS.test(page[after] as string)) after++;
      digits += count(page, before, first.start) + count(page, last.end, after);
      if (digits >= min) return true;
    }
    i = j;
  }
  return false;
}

function count(page: string, from: number, to: number): number {
  let n = 0;
  for (const c of page.slice(from, to)) if (NUMBER.test(c)) n++;
  return n;
}

function lettered(page: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (BREAKS.test(page[k] as string)) return true;
  return false;
}
