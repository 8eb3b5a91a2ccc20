import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CleanLines } from '../../src/mime/clean-lines.js';
import { cut, cuts, messages } from './fixtures.js';

const BASE64 = /[A-Za-z0-9+/=]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: 7-bit data is 0x01-0x7F
const SEVEN_BIT = /[\x01-\x7f]/;

/** The line-by-line definition: whole lines from `start` until one breaks a rule. */
function reference(chunk: Buffer, start: number, allowed: RegExp, max: number, bareCr: boolean) {
  let end = start;
  let lines = 0;
  for (;;) {
    const lf = chunk.indexOf(0x0a, end);
    if (lf === -1) break;
    const text = chunk.toString('latin1', end, lf).replace(/\r$/, '');
    const ok =
      !text.startsWith('-') &&
      text.length <= max &&
      [...text].every((c) => allowed.test(c) || (bareCr && c === '\r'));
    if (!ok) break;
    lines++;
    end = lf + 1;
  }
  return { end, lines };
}

describe('CleanLines: the run of lines a line-by-line pass would let through', () => {
  const base64 = new CleanLines(BASE64, 998);
  const sevenBit = new CleanLines(SEVEN_BIT, 998, true);

  /** Both classes agree with the definition from one of the chunk's line starts, as the callers use them. */
  function expectAsDefined(chunk: Buffer, from: number): void {
    const starts = [0, ...[...chunk.keys()].filter((i) => chunk[i - 1] === 0x0a)];
    const start = starts[from % starts.length] as number;
    expect(base64.run(chunk, start)).toEqual(reference(chunk, start, BASE64, 998, false));
    expect(sevenBit.run(chunk, start)).toEqual(reference(chunk, start, SEVEN_BIT, 998, true));
  }

  it('stops before a line starting with "-", a line over the limit, a bad byte, a bare CR, an unfinished line', () => {
    const line = 'QUJD\r\n';
    expect(base64.run(Buffer.from(`${line}${line}--b\r\n${line}`), 0)).toEqual({ end: 12, lines: 2 });
    expect(base64.run(Buffer.from(`${line}${'A'.repeat(999)}\r\n${line}`), 0)).toEqual({ end: 6, lines: 1 });
    expect(base64.run(Buffer.from(`${line}${'A'.repeat(998)}\r\n`), 0)).toEqual({ end: 1006, lines: 2 });
    expect(base64.run(Buffer.from(`${line}QU JD\r\n`), 0)).toEqual({ end: 6, lines: 1 });
    expect(base64.run(Buffer.from(`${line}QU\rJD\r\n`), 0)).toEqual({ end: 6, lines: 1 });
    expect(base64.run(Buffer.from(`${line}QUJD`), 0)).toEqual({ end: 6, lines: 1 });
    expect(base64.run(Buffer.from('--b\r\nQUJD\r\n'), 0)).toEqual({ end: 0, lines: 0 });
    expect(base64.run(Buffer.from('QUJD\nQUJD\n'), 5)).toEqual({ end: 10, lines: 1 });
  });

  it('has no line ends in CR-only text: the whole of it is left to the line-by-line path', () => {
    expect(base64.run(Buffer.from('QUJD\rQUJD\rQUJD\r'), 0)).toEqual({ end: 0, lines: 0 });
    // Seven-bit lines may hold a bare CR; they still need a line feed to end.
    expect(sevenBit.run(Buffer.from('a\rb\r\nc\r\r\n'), 0)).toEqual({ end: 9, lines: 2 });
    expect(sevenBit.run(Buffer.from('a\xe9\r\n', 'latin1'), 0)).toEqual({ end: 0, lines: 0 });
  });

  it('agrees with the line-by-line definition on messy messages cut anywhere (property)', () => {
    fc.assert(
      fc.property(messages, cuts, fc.nat(), (bytes, at, from) => {
        for (const chunk of cut(bytes, at)) expectAsDefined(chunk, from);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the definition on long runs at any byte alignment, where bytes are skipped in pairs (property)', () => {
    const PLAIN = 'ABCxyz019+/=';
    // A line of plain bytes of any length up to past the limit, with at most two odd bytes anywhere in it.
    const line = fc
      .tuple(
        fc.integer({ min: 0, max: 1000 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(1000), fc.constantFrom('-', ' ', '\r', '\x00', '\xe9', '\n')), {
          maxLength: 2,
        }),
      )
      .map(([length, seed, odd]) => {
        const chars = Array.from({ length }, (_, i) => PLAIN[(seed + i * 7) % PLAIN.length] as string);
        for (const [at, c] of odd) if (at < length) chars[at] = c;
        return chars.join('');
      });
    const eol = fc.constantFrom('\r\n', '\n');
    const body = fc
      .array(fc.tuple(line, eol), { minLength: 1, maxLength: 30 })
      .map((ls) => ls.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(body, fc.nat(3), fc.nat(), (text, shift, from) => {
        const bytes = Buffer.from(text, 'latin1');
        // The same bytes at each alignment of the memory under them: the 32-bit view starts at a multiple of 4.
        const chunk = Buffer.alloc(bytes.length + 4).subarray(shift, shift + bytes.length);
        bytes.copy(chunk);
        expectAsDefined(chunk, from);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a chunk again after its buffer grew, not through the view of its old length', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a class that allows NUL, as a stale view reads 0
    const anyAscii = new CleanLines(/[\x00-\x7f]/, 998, true);
    // A resizable ArrayBuffer (ES2024; the project's TypeScript lib predates it).
    const Resizable = ArrayBuffer as unknown as new (
      length: number,
      options: { maxByteLength: number },
    ) => ArrayBuffer & { resize(length: number): void };
    const buffer = new Resizable(600, { maxByteLength: 4096 });
    const chunk = new Uint8Array(buffer); // tracks the buffer's length
    chunk.fill(0x61);
    chunk.set([0x0d, 0x0a], 598);
    expect(anyAscii.run(chunk, 0)).toEqual({ end: 600, lines: 1 });
    buffer.resize(700);
    chunk.set(Buffer.from(`${'a'.repeat(40)}\xff${'a'.repeat(57)}\r\n`, 'latin1'), 600);
    expect(anyAscii.run(chunk, 0)).toEqual({ end: 600, lines: 1 });
  });
});
