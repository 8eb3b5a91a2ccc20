/**
 * Whether `bytes` hold an overlong UTF-8 form of an ASCII character (`C0 AE`, `E0 80 AE`… for `.`). Strict
 * decoders (node, Windows, 7-Zip 21.02 and later) read it as U+FFFD; decoders that do not check for overlong
 * forms (7-Zip before 21.02, whose zip and RAR 5 readers take the UTF-8 name of a file; cabextract's) read
 * the ASCII character, so a name whose extension is spelled so is another file to them (attacker round 62:
 * `invoice<C0 AE>js` is `invoice.js`). One pass over the bytes, linear.
 *
 * @example
 * ```ts
 * hasOverlongAscii(Buffer.from([0x61, 0xc0, 0xae, 0x6a, 0x73])); // true
 * hasOverlongAscii(Buffer.from('résumé.txt')); // false
 * ```
 */
export function hasOverlongAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i] as number;
    if (lead < 0xc0 || lead > 0xfd) continue;
    // Continuation bytes a lenient decoder takes after this lead byte (up to the 6-byte forms of old decoders).
    const tail = lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf8 ? 3 : lead < 0xfc ? 4 : 5;
    if (i + tail >= bytes.length) continue;
    // The lead byte's bits, then each continuation byte's six: what is left when all the bits above the seventh
    // are zero is an ASCII character.
    let value = lead & (0x3f >> tail);
    let whole = true;
    for (let k = 1; k <= tail && whole; k++) {
      const next = bytes[i + k] as number;
      if ((next & 0xc0) !== 0x80) whole = false;
      else value = value * 64 + (next & 0x3f);
    }
    if (whole && value < 0x80) return true;
  }
  return false;
}
