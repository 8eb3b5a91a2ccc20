/**
 * `text` with only A–Z lower-cased, so it keeps its length and every index into it is an index into `text`.
 * `toLowerCase()` does not: `İ` (U+0130) becomes two characters, shifting every position after it, and
 * markup, MIME parameters and tag names are matched ASCII-case-insensitively anyway.
 *
 * @example
 * ```ts
 * asciiLowerCase('İ<BODY>'); // 'İ<body>' (length 7, as the input)
 * ```
 */
export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}
