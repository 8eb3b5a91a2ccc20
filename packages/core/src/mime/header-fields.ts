import type { MimeLine } from './line-splitter.js';

/** One header field of a MIME part: lower-case name, unfolded value without leading whitespace. */
export interface RawField {
  readonly name: string;
  readonly value: string;
}

// RFC 5322 2.2: a field name is printable US-ASCII except the colon.
const FIELD_START = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;

/** What a header line turned out to be. */
export type HeaderLineResult = 'field' | 'continuation' | 'end' | 'malformed' | 'orphan-continuation';

/**
 * Collects the header fields of one MIME part, line by line, within a byte
 * budget; a line that is not a field, a continuation or the blank line ending
 * the block is reported back as malformed.
 *
 * @example
 * ```ts
 * const block = new HeaderCollector(1024 * 1024);
 * block.add(line); // 'field' | 'continuation' | 'end' | 'malformed' | …
 * block.fields;    // [{ name: 'subject', value: 'Hello' }]
 * ```
 */
export class HeaderCollector {
  readonly fields: RawField[] = [];
  private bytes = 0;
  private overflowed = false;

  constructor(private readonly maxBytes: number) {}

  /** True once the block went over its byte budget (later fields are dropped). */
  get tooLarge(): boolean {
    return this.overflowed;
  }

  /** Takes the next line of the block. */
  add(line: MimeLine): HeaderLineResult {
    if (line.length === 0) return 'end';
    this.bytes += line.length + 2;
    if (this.bytes > this.maxBytes) this.overflowed = true;
    const text = line.text.toString('latin1');
    const first = text.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      const last = this.fields.at(-1);
      if (!last) return 'orphan-continuation';
      if (!this.overflowed)
        this.fields[this.fields.length - 1] = { name: last.name, value: last.value + text };
      return 'continuation';
    }
    const match = FIELD_START.exec(text);
    if (!match) return 'malformed';
    if (!this.overflowed) {
      const name = (match[1] as string).toLowerCase();
      this.fields.push({ name, value: text.slice(match[0].length).replace(/^[ \t]+/, '') });
    }
    return 'field';
  }

  /** Values of the field `name` (lower case), in order. */
  values(name: string): string[] {
    return this.fields.filter((field) => field.name === name).map((field) => field.value);
  }

  /** First value of the field `name` (lower case). */
  first(name: string): string | undefined {
    return this.fields.find((field) => field.name === name)?.value;
  }
}
