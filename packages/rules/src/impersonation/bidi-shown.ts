// Explicit directional formatting characters: embeddings, overrides and isolates open a level, PDF and PDI close one.
const LRE = '\u202A';
const RLE = '\u202B';
const PDF = '\u202C';
const LRO = '\u202D';
const RLO = '\u202E';
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';
const OPENERS = new Set([LRE, RLE, LRO, RLO, LRI, RLI, FSI]);
const ISOLATES = new Set([LRI, RLI, FSI]);
// The bidi algorithm's deepest explicit level: pushes past it are ignored, as UAX #9 says.
const MAX_DEPTH = 125;

interface Level {
  opener: string;
  items: string[];
}

/**
 * The order a display name's letters are drawn in where a right-to-left override (U+202E) covers part of it:
 * each override's text (up to its PDF, the closing of an isolate around it, or the end) reversed, an inner
 * left-to-right override's text kept in order but placed as one unit. Embeddings and isolates do not reorder
 * Latin letters (their words may move, which a sorted comparison of words ignores). Linear in the length.
 */
export function bidiShown(label: string): string {
  const stack: Level[] = [{ opener: '', items: [] }];
  const close = () => {
    const level = stack.pop() as Level;
    const text = level.opener === RLO ? level.items.reverse().join('') : level.items.join('');
    (stack.at(-1) as Level).items.push(text);
  };
  for (const ch of label) {
    if (OPENERS.has(ch)) {
      if (stack.length <= MAX_DEPTH) stack.push({ opener: ch, items: [] });
    } else if (ch === PDF) {
      // PDF closes the innermost embedding or override, not an isolate.
      if (stack.length > 1 && !ISOLATES.has((stack.at(-1) as Level).opener)) close();
    } else if (ch === PDI) {
      // PDI closes the innermost isolate and everything opened inside it.
      if (stack.some((l) => ISOLATES.has(l.opener)))
        while (stack.length > 1) {
          const isolate = ISOLATES.has((stack.at(-1) as Level).opener);
          close();
          if (isolate) break;
        }
    } else (stack.at(-1) as Level).items.push(ch);
  }
  while (stack.length > 1) close();
  return (stack[0] as Level).items.join('');
}
