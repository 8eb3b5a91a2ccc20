/**
 * Text a sender wrote (a subject, an address, a header value, a rule's note that quotes the message, a file or
 * key name) as the human output of `wmflow replay`, `wmflow backtest` and `wmflow quarantine` prints it (attacker
 * round 81): on one line, and only what a terminal draws. Every character a terminal would act on or hide is
 * written as a visible escape (`\x1b`, `\u202e`) instead: C0 controls (escape sequences, carriage return,
 * backspace, line feed, tab), DEL and the C1 controls (U+009B is CSI, U+0085 is NEL), Unicode's bidirectional
 * overrides, embeddings, isolates and marks, the line and paragraph separators, zero-width spaces and the byte
 * order mark, the interlinear annotation characters, and a lone surrogate. Letters of every script are kept
 * (`Grüße`, `日本語`, Arabic and Hebrew read right to left as the terminal draws them), and so are the zero-width
 * joiner and non-joiner, which Persian, the Indic scripts and emoji sequences need. One pass, linear time.
 *
 * @example
 * ```ts
 * shownText('Invoice\x1b[2K\rok'); // 'Invoice\\x1b[2K\\rok'
 * ```
 */
export function shownText(text: string): string {
  return text.replace(UNSHOWN, escapeOf);
}

/**
 * One JSON Lines line for `value` (its `\n` included): `JSON.stringify`, with every character in a string that a
 * line reader or a terminal may act on written as a `\uXXXX` escape too — U+2028 and U+2029 (line ends to
 * JavaScript before ES2019 and to Python's `str.splitlines`, as are U+0085 and the other C1 controls), DEL, and the
 * bidirectional and zero-width controls that {@link shownText} escapes. A JSON parser reads the same value.
 *
 * @example
 * ```ts
 * jsonLine({ subject: 'a\u2028b' }); // '{"subject":"a\\u2028b"}\n'
 * ```
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(UNSHOWN, unicodeEscape)}\n`;
}

const UNSHOWN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b' };

function escapeOf(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

function unicodeEscape(c: string): string {
  return `\\u${hex(c.charCodeAt(0), 4)}`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
