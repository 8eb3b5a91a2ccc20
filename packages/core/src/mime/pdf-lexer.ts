import { isPdfDelimiter, isPdfSpace } from './pdf-bytes.js';
import { PdfProblem } from './pdf-problem.js';
import { NO_DEADLINE, type ReadingDeadline } from './reading-deadline.js';

// PDF values and the lexer that reads them from bytes (objects' bodies, content streams, CMaps), for the PDF text
// reader (pdf-text.ts).

// Forms drawn inside forms, containers inside containers, references to references: deeper is unread.
export const MAX_NESTING = 32;

export class Name {
  constructor(readonly name: string) {}
}
export class Ref {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export class Keyword {
  constructor(readonly word: string) {}
}
export type Dict = Map<string, Value>;
export type Value = null | boolean | number | string | Name | Ref | Buffer | Value[] | Dict | Keyword;

export const isDict = (v: Value | undefined): v is Dict => v instanceof Map;
const isSpace = isPdfSpace;
const isDelimiter = isPdfDelimiter;

const ARRAY_END = new Keyword(']');
const DICT_END = new Keyword('>>');

/** Reads PDF values from bytes: objects' bodies, content streams, CMaps. */
export class Lexer {
  pos: number;
  constructor(
    readonly b: Buffer,
    start = 0,
    readonly end = b.length,
    // Every value lexed is a step: scanning, object streams, content and CMaps all stop at the deadline.
    private readonly deadline: ReadingDeadline = NO_DEADLINE,
  ) {
    this.pos = start;
  }

  skip(): void {
    const b = this.b;
    while (this.pos < this.end) {
      const c = b[this.pos] as number;
      if (isSpace(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** The next value or keyword; undefined at the end. Arrays and dictionaries nest at most {@link MAX_NESTING}. */
  value(depth = 0): Value | undefined {
    if (depth > MAX_NESTING) throw new PdfProblem(`values nested more than ${MAX_NESTING} deep`);
    this.deadline.step();
    this.skip();
    if (this.pos >= this.end) return undefined;
    const b = this.b;
    const c = b[this.pos] as number;
    if (c === 0x28) return this.literal();
    if (c === 0x2f) return new Name(this.regular(this.pos + 1));
    if (c === 0x5b) {
      this.pos++;
      return this.items(depth, ARRAY_END);
    }
    if (c === 0x5d) {
      this.pos++;
      return ARRAY_END;
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const items = this.items(depth, DICT_END);
      const dict: Dict = new Map();
      // A name, then its value; a stray token where a name should be is skipped, as viewers' parsers do, so it
      // does not shift every later key onto the wrong value.
      for (let i = 0; i + 1 < items.length; ) {
        const key = items[i];
        if (!(key instanceof Name)) {
          i++;
          continue;
        }
        dict.set(key.name, items[i + 1] ?? null);
        i += 2;
      }
      return dict;
    }
    if (c === 0x3e && b[this.pos + 1] === 0x3e) {
      this.pos += 2;
      return DICT_END;
    }
    if (c === 0x3c) return this.hex();
    if (c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return new Keyword(String.fromCharCode(c));
    }
    const word = this.regular(this.pos);
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(word)) {
      const n = Number(word);
      // `num gen R`: a reference.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        this.skip();
        const gen = /^\d+/.exec(this.b.toString('latin1', this.pos, Math.min(this.end, this.pos + 12)))?.[0];
        if (gen) {
          this.pos += gen.length;
          this.skip();
          if (
            this.b[this.pos] === 0x52 &&
            (this.pos + 1 >= this.end ||
              isSpace(this.b[this.pos + 1] as number) ||
              isDelimiter(this.b[this.pos + 1] as number))
          ) {
            this.pos++;
            return new Ref(n, Number(gen));
          }
        }
        this.pos = save;
      }
      return n;
    }
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word === '') {
      this.pos++; // a byte no token starts with
      return new Keyword('');
    }
    return new Keyword(word);
  }

  private items(depth: number, close: Keyword): Value[] {
    const items: Value[] = [];
    for (;;) {
      const v = this.value(depth + 1);
      if (v === undefined || v === close) return items;
      if (v === ARRAY_END || v === DICT_END) return items; // unbalanced: ends here, as viewers recover
      items.push(v);
    }
  }

  private regular(start: number): string {
    let i = start;
    while (i < this.end && !isSpace(this.b[i] as number) && !isDelimiter(this.b[i] as number)) i++;
    this.pos = i;
    const raw = this.b.toString('latin1', start, i);
    return raw.includes('#')
      ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
      : raw;
  }

  private hex(): Buffer {
    const close = this.b.indexOf(0x3e, this.pos);
    const end = close < 0 || close > this.end ? this.end : close;
    let digits = this.b.toString('latin1', this.pos + 1, end).replace(/[^0-9a-fA-F]/g, '');
    if (digits.length % 2 === 1) digits += '0';
    this.pos = end + 1;
    return Buffer.from(digits, 'hex');
  }

  private literal(): Buffer {
    const b = this.b;
    const out: number[] = [];
    let depth = 1;
    let i = this.pos + 1;
    while (i < this.end) {
      const c = b[i++] as number;
      if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
      if (c !== 0x5c) {
        out.push(c);
        continue;
      }
      const e = b[i++] as number;
      const simple = ESCAPES[e];
      if (simple !== undefined) out.push(simple);
      else if (e >= 0x30 && e <= 0x37) {
        let v = e - 0x30;
        for (let k = 0; k < 2 && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x37; k++)
          v = v * 8 + ((b[i++] as number) - 0x30);
        out.push(v & 0xff);
      } else if (e === 0x0d) {
        if (b[i] === 0x0a) i++;
      } else if (e !== 0x0a) out.push(e);
    }
    this.pos = i;
    return Buffer.from(out);
  }
}

const ESCAPES: Record<number, number> = {
  110: 0x0a,
  114: 0x0d,
  116: 0x09,
  98: 0x08,
  102: 0x0c,
  40: 0x28,
  41: 0x29,
  92: 0x5c,
};
