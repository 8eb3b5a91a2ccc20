interface Node {
  /** Transitions by UTF-16 code unit. */
  next: Map<number, number>;
  fail: number;
  /** Index of the pattern ending here, or -1. */
  out: number;
  /** Nearest node on the fail chain that ends a pattern, or -1. */
  dict: number;
}

/**
 * A set of literal phrases compiled once into an Aho-Corasick automaton: one left-to-right pass
 * over the text, whatever the text (work is linear in its length; the configured list bounds the rest).
 *
 * @example
 * ```ts
 * const m = new PhraseMatcher(['wire transfer', 'gift card'], { wholeWords: true });
 * m.find('please buy a gift card today'); // "gift card"
 * ```
 */
export class PhraseMatcher {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: -1, dict: -1 }];
  private readonly lengths: number[] = [];
  private readonly wholeWords: boolean;

  constructor(
    readonly phrases: readonly string[],
    options: { wholeWords?: boolean } = {},
  ) {
    this.wholeWords = options.wholeWords ?? false;
    for (const [i, p] of phrases.entries()) this.insert(p, i);
    this.link();
  }

  /** The first phrase found (by end position), or undefined. */
  find(text: string): string | undefined {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = this.step(state, text.charCodeAt(i));
      for (let n = this.nodes[state]?.out === -1 ? (this.nodes[state]?.dict ?? -1) : state; n !== -1; ) {
        const node = this.nodes[n] as Node;
        const start = i + 1 - (this.lengths[node.out] as number);
        if (!this.wholeWords || (!isWordAt(text, start - 1, true) && !isWordAt(text, i + 1, false))) {
          return this.phrases[node.out];
        }
        n = node.dict;
      }
    }
    return undefined;
  }

  private step(state: number, ch: number): number {
    let s = state;
    for (;;) {
      const to = this.nodes[s]?.next.get(ch);
      if (to !== undefined) return to;
      if (s === 0) return 0;
      s = (this.nodes[s] as Node).fail;
    }
  }

  private insert(phrase: string, index: number): void {
    let s = 0;
    for (let i = 0; i < phrase.length; i++) {
      const ch = phrase.charCodeAt(i);
      const node = this.nodes[s] as Node;
      let to = node.next.get(ch);
      if (to === undefined) {
        to = this.nodes.push({ next: new Map(), fail: 0, out: -1, dict: -1 }) - 1;
        node.next.set(ch, to);
      }
      s = to;
    }
    const end = this.nodes[s] as Node;
    if (end.out === -1) end.out = index;
    this.lengths[index] = phrase.length;
  }

  private link(): void {
    const queue: number[] = [...(this.nodes[0] as Node).next.values()];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      const node = this.nodes[s] as Node;
      for (const [ch, to] of node.next) {
        const child = this.nodes[to] as Node;
        child.fail = s === 0 ? 0 : this.step(node.fail, ch);
        if (child.fail === to) child.fail = 0;
        const fail = this.nodes[child.fail] as Node;
        child.dict = fail.out !== -1 ? child.fail : fail.dict;
        queue.push(to);
      }
    }
  }
}

const WORD = /[\p{L}\p{N}_]/u;

// Whether a word character stands at `index` (the one before a match when `before`, else the one after).
function isWordAt(text: string, index: number, before: boolean): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  let start = index;
  if (before && code >= 0xdc00 && code <= 0xdfff && index > 0) start = index - 1;
  const cp = text.codePointAt(start);
  return cp !== undefined && WORD.test(String.fromCodePoint(cp));
}
