// Apple Mail sends a file's Unix permissions as an `x-unix-mode` parameter (octal, `0755`) and restores them when
// the file is saved: an executable file without an extension then runs in Terminal when double-clicked.
// Every spelling a lenient parser may accept counts: RFC 2231 (`x-unix-mode*=''0755`, continued `*0`, `*1`),
// quoted, escaped, with comments; a value that is not plain octal digits is not known, so taken as executable.
const PARAM = /(?:^|;)\s*x-unix-mode\s*(\*\s*(\d+)\s*)?(\*)?\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)/gi;
const UNKNOWN = 0o777;

/**
 * The Unix file mode the `x-unix-mode` parameters of a part's Content-Type and Content-Disposition headers
 * give, the bits of every occurrence joined (a client may read any of them); `0o777` for a value that is not
 * plain octal; undefined when no header has the parameter.
 *
 * @example
 * ```ts
 * unixModeOf(['application/octet-stream; x-unix-mode=0755; name="Invoice"']); // 0o755
 * ```
 */
export function unixModeOf(headers: readonly string[]): number | undefined {
  let mode: number | undefined;
  for (const header of headers) {
    const pieces: string[] = [];
    for (const m of header.matchAll(PARAM)) {
      const value = clean(m[4] ?? '', m[3] !== undefined);
      if (m[2] === undefined) mode = (mode ?? 0) | modeOf(value);
      else pieces[Number(m[2])] = value;
    }
    if (pieces.length > 0) mode = (mode ?? 0) | modeOf(Array.from(pieces, (p) => p ?? '').join(''));
  }
  return mode;
}

function clean(raw: string, extended: boolean): string {
  let value = raw.trim();
  if (value.startsWith('"')) value = value.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
  value = value.replace(/\([^)]*\)/g, '').trim();
  if (extended) {
    value = value.slice(value.lastIndexOf("'") + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      return '?';
    }
  }
  return value.trim();
}

function modeOf(value: string): number {
  return /^[0-7]+$/.test(value) ? Number.parseInt(value.replace(/^0+(?=.)/, ''), 8) & 0o7777 : UNKNOWN;
}
