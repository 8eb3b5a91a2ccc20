/**
 * Decodes UTF-7 (RFC 2152), which libmime does not know but Outlook still reads in names and bodies:
 * `+` opens a run of modified base64 (UTF-16BE, no padding) that ends at the first other character (a
 * `-` ending it is dropped), and `+-` is a plus sign. One pass, linear in the input.
 *
 * @example
 * ```ts
 * decodeUtf7('x+AC4-vbs'); // 'x.vbs'
 * ```
 */
export function decodeUtf7(text: string): string {
  return text.replace(/\+([A-Za-z0-9+/]*)-?/g, (whole, run: string) => {
    if (run === '') return whole.endsWith('-') ? '+' : whole;
    const bytes = Buffer.from(run, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  });
}

/** True for the labels of UTF-7 (`utf-7`, `utf7`, `unicode-1-1-utf-7`). */
export function isUtf7(charset: string): boolean {
  return /^(?:unicode-1-1-)?utf-?7$/i.test(charset.trim());
}
