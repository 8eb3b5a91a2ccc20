// Apple Mail sends a file's Unix permissions as an `x-unix-mode` parameter (octal, `0755`) and restores them when
// the file is saved: an executable file without an extension then runs in Terminal when double-clicked.
const UNIX_MODE = /;\s*x-unix-mode\s*=\s*"?\s*([0-7]{1,7})\b/gi;

/**
 * The Unix file mode the `x-unix-mode` parameters of a part's Content-Type and Content-Disposition headers
 * give, the execute bits of every occurrence joined (a client may read any of them); undefined when none does.
 *
 * @example
 * ```ts
 * unixModeOf(['application/octet-stream; x-unix-mode=0755; name="Invoice"']); // 0o755
 * ```
 */
export function unixModeOf(headers: readonly string[]): number | undefined {
  let mode: number | undefined;
  for (const header of headers)
    for (const match of header.matchAll(UNIX_MODE))
      mode = (mode ?? 0) | Number.parseInt(match[1] as string, 8);
  return mode;
}
