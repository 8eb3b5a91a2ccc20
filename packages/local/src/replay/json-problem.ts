/**
 * A `JSON.parse` error said with where it is (newcomer round 8): Node 20 says `… in JSON at position 55` alone, which
 * in a file of several lines the writer has to count out; Node 22 adds `(line 4 column 3)` itself, and then the
 * message is kept as it is.
 *
 * @example
 * ```ts
 * jsonProblem(new SyntaxError('Unexpected token } in JSON at position 12'), '{\n  "a": 1,\n}');
 * // 'Unexpected token } in JSON at position 12 (line 3 column 1)'
 * ```
 */
export function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  if (at === null || /\bline \d+/.test(message)) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}
