// A JSON string's escapes (`\u00a0`, `\u2013`, `\n`): a JSON viewer (Firefox's, an editor's preview, the app that
// loads the file) shows them undone, so a text holding them is also read so (attacker round 65). Linear: one pass.
const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([nrtbf/"\\]))/g;
const SIMPLE: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: ' ',
  f: ' ',
  '/': '/',
  '"': '"',
  '\\': '\\',
};

/** Whether `text` holds a JSON escape that shows as something else than it reads (a `\u` escape or a line break). */
export function hasJsonEscapes(text: string): boolean {
  return /\\(?:u[0-9a-fA-F]{4}|[nrt])/.test(text);
}

/**
 * `text` with JSON string escapes undone (a lone surrogate stays as it is: a viewer shows a replacement).
 *
 * @example
 * ```ts
 * jsonUnescaped('"4111\\u00a01111\\n1111"'); // '"4111\u00a01111\n1111"'
 * ```
 */
export function jsonUnescaped(text: string): string {
  return text.replace(ESCAPE, (_, hex: string | undefined, c: string | undefined) =>
    hex ? String.fromCharCode(Number.parseInt(hex, 16)) : (SIMPLE[c as string] as string),
  );
}
