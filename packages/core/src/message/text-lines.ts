/**
 * The complete lines of a piece of streamed text and the rest to carry to the next piece. CRLF, LF and a
 * bare CR each end a line (lenient readers such as Thunderbird's line buffer end lines at a bare CR); a CR
 * at the very end is carried, as it may be the first half of a CRLF split between pieces.
 *
 * @example
 * ```ts
 * splitLines('a\rb\r\nc\r'); // { lines: ['a', 'b'], rest: 'c\r' }
 * ```
 */
export function splitLines(text: string): { lines: string[]; rest: string } {
  const hold = text.endsWith('\r') ? 1 : 0;
  const lines = text.slice(0, text.length - hold).split(/\r\n|\r|\n/);
  return { lines, rest: (lines.pop() ?? '') + (hold ? '\r' : '') };
}
