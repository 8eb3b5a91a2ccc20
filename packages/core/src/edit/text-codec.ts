import type { Transform } from 'node:stream';
import charsets from 'libmime/lib/charset';
import { quotedPrintable } from './quoted-printable.js';

/** The parts of a mailsplit node the text codec needs. */
export interface TextNode {
  charset: string | false;
  getDecoder(): Transform;
}

/**
 * Decodes a text part's body (transfer encoding, then charset) to a string; undefined when the charset is
 * unknown and the bytes are not plain ASCII, or when some bytes do not decode in it, so the part is left as it is. A body in a charset not known here
 * (Outlook's `_autodetect_all`, `x-user-defined`) whose bytes are printable ASCII, with no shift into another
 * character set (ISO-2022's escape, UTF-7's `+`, HZ's `~{`), reads the same in any charset a client may pick.
 */
export async function decodeText(node: TextNode, body: Buffer): Promise<string | undefined> {
  const charset = node.charset || 'us-ascii';
  if (new charsets.DecodeStream(charset).supported) {
    const bytes = await transferDecode(node, body);
    // 8-bit bytes in a body said (or taken) to be ASCII are in a charset not named (UTF-8, most often, which a
    // client guesses): decoded as ASCII they would be re-encoded as other characters (fault round 40).
    if (ASCII_LABELS.has(charset.toLowerCase()) && bytes.some((b) => b >= 0x80)) return undefined;
    // A byte order mark wins over the label for a browser engine (the WHATWG encoding sniff): a body whose mark
    // contradicts its label, byte order included, is not decoded by the label but spliced (attacker round 53,
    // fault round 46: a UTF-16LE label on a big-endian body was read byte-swapped, a UTF-8 mark as Latin-1).
    const bom = byteOrderMark(bytes);
    if (bom && !markAgrees(bom.encoding, charset)) return undefined;
    const text = charsets.decode(bytes, charset);
    // Bytes the charset does not hold (Latin-1 labelled UTF-8) decode to U+FFFD: re-encoded, they would be lost
    // (fault round 39), so the part is left as it is.
    const lost = text.includes(REPLACEMENT) && !bytes.includes(REPLACEMENT_UTF8);
    // The WHATWG Encoding Standard has no UTF-32: Thunderbird and webmail fall back to their default for such a
    // label, so a body with no UTF-32 mark that is not UTF-32 is read as in an unknown charset (attacker round 56).
    if (lost && isUtf32Label(charset) && bom?.unit !== 4) return asciiText(bytes);
    return lost ? undefined : text;
  }
  return asciiText(await transferDecode(node, body));
}

// A body in a charset the editor does not know: printable ASCII with no shift reads the same in any charset.
function asciiText(bytes: Buffer): string | undefined {
  const text = bytes.toString('latin1');
  return PLAIN_ASCII.test(text) && !SHIFTS.test(text) ? text : undefined;
}

// Labels as iconv-lite reads them (case and punctuation dropped).
const UTF32_LABEL = /^(utf32|ucs4)(le|be)?$/;

/**
 * Whether a label names UTF-32, which the WHATWG Encoding Standard (Thunderbird, webmail) does not have: such a
 * reader falls back to an ASCII-compatible default for it.
 */
export function isUtf32Label(charset: string): boolean {
  return UTF32_LABEL.test(charset.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

// Whether a label names the mark's encoding: exactly, or without a byte order (`utf-16` reads the mark).
function markAgrees(encoding: string, label: string): boolean {
  const named = label.toLowerCase().replace(/[-_]/g, '');
  const marked = encoding.replace(/-/g, '');
  // UTF-8 has no byte order to leave out; UTF-16 and UTF-32 may be named without theirs.
  return named === marked || (marked !== 'utf8' && named === marked.slice(0, -2));
}

/** A byte order mark at the start of a body: the encoding it names, its length, and its code unit's size. */
export function byteOrderMark(
  bytes: Buffer,
):
  | { encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be'; length: number; unit: number }
  | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3, unit: 1 };
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf-32le', length: 4, unit: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4, unit: 4 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2, unit: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2, unit: 2 };
  return undefined;
}

const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;
const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'us', 'cp367', 'ibm367']);
const REPLACEMENT = '\ufffd';
const REPLACEMENT_UTF8 = Buffer.from(REPLACEMENT);
const SHIFTS = /\+[A-Za-z0-9/+-]|~\{/;

/** Undoes a part's transfer encoding (base64, quoted-printable) with the node's own decoder. */
export async function transferDecode(node: Pick<TextNode, 'getDecoder'>, body: Buffer): Promise<Buffer> {
  const decoder = node.getDecoder();
  const chunks: Buffer[] = [];
  decoder.on('data', (c: Buffer) => chunks.push(c));
  await new Promise<void>((resolve, reject) => {
    decoder.once('end', resolve);
    decoder.once('error', reject);
    decoder.end(body);
  });
  return Buffer.concat(chunks);
}

/** Encodes text as UTF-8 quoted-printable with `eol` line ends (see {@link quotedPrintable}). */
export function encodeText(text: string, eol: string): Buffer {
  const lineEnd = eol === '\r\n' ? '\r\n' : '\n';
  return quotedPrintable(Buffer.from(text.replace(/\r?\n/g, lineEnd), 'utf-8'), lineEnd);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
