// An armored OpenPGP file (`.asc`) that holds only a public key or only detached signatures: what the walk may
// let through whatever type it is declared as (false-positive round 3: Outlook with Gpg4win, Apple Mail and
// webmail attach a key or a release's signature as application/octet-stream or text/plain). What decides is the
// packets the armor holds, read one by one, never its label: a literal-data, compressed or encrypted packet (a
// file a client unpacks and opens) under a key's label is not a key.

// RFC 4880 4.3: public key, public subkey, user id, user attribute, signature, trust.
const KEY_PACKETS = new Set([6, 14, 13, 17, 2, 12]);
const SIGNATURE_PACKET = 2;
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*: /;
const BASE64_LINE = /^[A-Za-z0-9+/]+=*$/;
const CHECKSUM_LINE = /^=[A-Za-z0-9+/]{4}$/;

/**
 * Whether `content` (the whole decoded file) is one ASCII-armored public key block or one block of signatures,
 * with nothing before or after it but white space, each packet complete and of a kind keys or signatures are made of.
 *
 * @example
 * ```ts
 * armoredKeyOrSignature(Buffer.from(gpgArmoredExport)); // true
 * armoredKeyOrSignature(Buffer.from('-----BEGIN PGP MESSAGE-----\n\nowE…\n-----END PGP MESSAGE-----\n')); // false
 * ```
 */
export function armoredKeyOrSignature(content: Buffer): boolean {
  const text = content.toString('latin1');
  if (/[^\t\n\r\x20-\x7e]/.test(text)) return false;
  const lines = text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trimEnd());
  const begin = /^-----BEGIN PGP (PUBLIC KEY BLOCK|SIGNATURE)-----$/.exec(lines[0] ?? '');
  if (!begin || lines.at(-1) !== `-----END PGP ${begin[1]}-----`) return false;
  let i = 1;
  while (i < lines.length - 1 && HEADER_LINE.test(lines[i] as string)) i++;
  if (lines[i] !== '') return false;
  const body: string[] = [];
  for (i++; i < lines.length - 1; i++) {
    const line = lines[i] as string;
    if (CHECKSUM_LINE.test(line) && i === lines.length - 2) break;
    if (!BASE64_LINE.test(line)) return false;
    body.push(line);
  }
  // Padding ends the data: a `=` on any line but the last is read differently by decoders (Node's goes on past it,
  // GnuPG's does not), so what was read here would not be what GnuPG imports.
  if (body.slice(0, -1).some((line) => line.includes('='))) return false;
  const tags = packetTags(Buffer.from(body.join(''), 'base64'));
  if (!tags || tags.length === 0) return false;
  return begin[1] === 'SIGNATURE'
    ? tags.every((t) => t === SIGNATURE_PACKET)
    : tags[0] === 6 && tags.every((t) => KEY_PACKETS.has(t));
}

/** The tags of the packets `data` holds, or undefined when one is cut short or of indeterminate or partial length. */
function packetTags(data: Buffer): number[] | undefined {
  const tags: number[] = [];
  for (let i = 0; i < data.length; ) {
    const first = data[i] as number;
    if (!(first & 0x80)) return undefined;
    let tag: number;
    let length: number;
    let at: number;
    if (first & 0x40) {
      tag = first & 0x3f;
      const l0 = data[i + 1];
      if (l0 === undefined) return undefined;
      if (l0 < 192) [length, at] = [l0, i + 2];
      else if (l0 < 224) {
        const l1 = data[i + 2];
        if (l1 === undefined) return undefined;
        [length, at] = [((l0 - 192) << 8) + l1 + 192, i + 3];
      } else if (l0 === 255 && i + 6 <= data.length) [length, at] = [data.readUInt32BE(i + 2), i + 6];
      else return undefined; // partial body lengths belong to data packets, never to keys or signatures
    } else {
      tag = (first >> 2) & 0x0f;
      const size = [1, 2, 4][first & 0x03];
      if (size === undefined || i + 1 + size > data.length) return undefined;
      length = data.readUIntBE(i + 1, size);
      at = i + 1 + size;
    }
    if (at + length > data.length) return undefined;
    tags.push(tag);
    i = at + length;
  }
  return tags;
}
