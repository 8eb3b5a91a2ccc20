/**
 * A file uuencoded as `uuencode` writes it (`begin 644 name`, 45 bytes a line, then `` ` `` and `end`), CRLF
 * line ends: for tests of files encoded in a text body or in `Content-Transfer-Encoding: x-uuencode`.
 *
 * @example
 * ```ts
 * mimePart(['Content-Type: text/plain'], `See below.\r\n\r\n${uuencode(Buffer.from('MZ'), 'a.exe')}`);
 * ```
 */
export function uuencode(bytes: Buffer, name: string): string {
  const char = (n: number) => String.fromCharCode(n === 0 ? 96 : n + 32);
  const lines = [`begin 644 ${name}`];
  for (let at = 0; at < bytes.length; at += 45) {
    const chunk = bytes.subarray(at, at + 45);
    let line = char(chunk.length);
    for (let i = 0; i < chunk.length; i += 3) {
      const [a = 0, b = 0, c = 0] = chunk.subarray(i, i + 3);
      line +=
        char(a >> 2) + char(((a & 3) << 4) | (b >> 4)) + char(((b & 15) << 2) | (c >> 6)) + char(c & 63);
    }
    lines.push(line);
  }
  return [...lines, '`', 'end'].join('\r\n');
}
