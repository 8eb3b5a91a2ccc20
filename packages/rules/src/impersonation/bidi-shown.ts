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
const RIGHT_TO_LEFT = new Set([RLE, RLO, RLI]);
// The bidi algorithm's deepest explicit level (UAX #9, max_depth): an opener past it is ignored, and so is the
// closer that matches it.
const MAX_DEPTH = 125;

interface Level {
  opener: string;
  level: number;
  items: string[];
}

/**
 * The order a display name's letters are drawn in where a right-to-left override (U+202E) covers part of it:
 * each override's text (up to its PDF, the closing of an isolate around it, or the end) reversed, an inner
 * left-to-right override's text kept in order but placed as one unit. Levels are counted as UAX #9 counts them
 * (an opener past level 125 is ignored, and so is its closer). Embeddings and isolates do not reorder Latin
 * letters (their words may move, which a sorted comparison of words ignores). Linear in the length.
 */
export function bidiShown(label: string): string {
  const stack: Level[] = [{ opener: '', level: 0, items: [] }];
  let overflowIsolates = 0;
  let overflowEmbeddings = 0;
  const top = () => stack.at(-1) as Level;
  const close = () => {
    const level = stack.pop() as Level;
    const text = level.opener === RLO ? level.items.reverse().join('') : level.items.join('');
    top().items.push(text);
  };
  for (const ch of label) {
    if (OPENERS.has(ch)) {
      const current = top().level;
      // The least odd (right to left) or even (left to right) level above the current one.
      const level = RIGHT_TO_LEFT.has(ch) ? (current + 1) | 1 : (current + 2) & ~1;
      if (level <= MAX_DEPTH && overflowIsolates === 0 && overflowEmbeddings === 0)
        stack.push({ opener: ch, level, items: [] });
      else if (ISOLATES.has(ch)) overflowIsolates++;
      else if (overflowIsolates === 0) overflowEmbeddings++;
    } else if (ch === PDF) {
      // PDF closes the innermost embedding or override (not an isolate), or an ignored one.
      if (overflowIsolates > 0) continue;
      if (overflowEmbeddings > 0) overflowEmbeddings--;
      else if (stack.length > 1 && !ISOLATES.has(top().opener)) close();
    } else if (ch === PDI) {
      // PDI closes an ignored isolate, or the innermost isolate and everything opened inside it.
      if (overflowIsolates > 0) overflowIsolates--;
      else if (stack.some((l) => ISOLATES.has(l.opener))) {
        overflowEmbeddings = 0;
        while (stack.length > 1) {
          const isolate = ISOLATES.has(top().opener);
          close();
          if (isolate) break;
        }
      }
    } else top().items.push(ch);
  }
  while (stack.length > 1) close();
  return (stack[0] as Level).items.join('');
}
