/**
 * A Content-Type value as Thunderbird reads it: its first token, cut at a `;`, `,` or white space, after any `?`
 * (`multipart/alternative foo`, `text/html, text/plain`, `=?us-ascii?q?text/vbscript`), lower-cased; empty when
 * there is none. The editor picks body parts by it and the attachment policy maps an unnamed part's type by it.
 *
 * @example
 * ```ts
 * typeAsClientsRead('=?us-ascii?q?text/vbscript'); // 'text/vbscript'
 * ```
 */
export function typeAsClientsRead(value: string): string {
  const token =
    value
      .trim()
      .toLowerCase()
      .split(/[;,\s]/, 1)[0] ?? '';
  return token.slice(token.lastIndexOf('?') + 1);
}
