// yEnc 1.3 as encoders write it, for tests of the files a text body carries.

const ESCAPED = new Set([0, 9, 10, 13, 32, 46, 61]);

/**
 * The yEnc data characters of `data` in one run: each byte plus 42, NUL, TAB, LF, CR, space, `.` and `=` escaped as
 * `=` and the byte plus 64.
 *
 * @example
 * ```ts
 * yencChars(Buffer.from('hi')); // '\x92\x93'
 * ```
 */
export function yencChars(data: Buffer): string {
  let out = '';
  for (const b of data) {
    const c = (b + 42) & 0xff;
    out += ESCAPED.has(c) ? `=${String.fromCharCode((c + 64) & 0xff)}` : String.fromCharCode(c);
  }
  return out;
}

/**
 * `data`'s yEnc data lines of `width` characters (an escape is never split).
 *
 * @example
 * ```ts
 * yencLines(Buffer.alloc(300), 128).length; // 3
 * ```
 */
export function yencLines(data: Buffer, width = 128): string[] {
  const lines: string[] = [];
  let line = '';
  for (const b of data) {
    line += yencChars(Buffer.from([b]));
    if (line.length >= width) {
      lines.push(line);
      line = '';
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A yEnc file: `=ybegin <begin> name=…`, `extra` lines (`=ypart …`), the data in lines of 128, `=yend size=N`;
 * CRLF line ends. `begin` defaults to `line=128 size=N`.
 *
 * @example
 * ```ts
 * yencFile('a.txt', Buffer.from('hi')); // '=ybegin line=128 size=2 name=a.txt\r\n\x92\x93\r\n=yend size=2'
 * ```
 */
export function yencFile(
  name: string,
  data: Buffer,
  begin = `line=128 size=${data.length}`,
  extra: readonly string[] = [],
): string {
  return [`=ybegin ${begin} name=${name}`, ...extra, ...yencLines(data), `=yend size=${data.length}`].join(
    '\r\n',
  );
}
