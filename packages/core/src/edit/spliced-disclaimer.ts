import charsets from 'libmime/lib/charset';
import { defaultSnippet, disclaimHtml } from './body-edits.js';
import type { Disclaimer } from './edits.js';
import { byteOrderMark, isUtf32Label } from './text-codec.js';

/**
 * Adds disclaimers to a body whose bytes do not all decode in its charset, without decoding it: decoded and
 * re-encoded, the bytes that do not decode would be lost (fault round 39), and leaving such a body alone let one
 * stray byte (a 0xFF in an HTML comment) remove the outside-mail banner (attacker round 52). The disclaimer's
 * bytes go in beside the body's own, which are kept as they are, in the part's charset: for HTML as ASCII with
 * character references, for plain text encoded in that charset. Undefined when that cannot be done faithfully: a
 * charset that is not ASCII-compatible or that shifts (ISO-2022, UTF-7, HZ: ASCII bytes may be read as other
 * characters there), plain text the charset cannot hold, or a type other than plain text and HTML.
 */
export function spliceDisclaimers(
  bytes: Buffer,
  declared: string,
  contentType: string,
  disclaimers: readonly Disclaimer[],
  eol: string,
): Buffer | undefined {
  let charset = declared;
  // A byte order mark names the encoding a browser engine reads, whatever the label (attacker round 53).
  const bom = byteOrderMark(bytes);
  if (bom && bom.unit > 1) return spliceWide(bytes, bom, contentType, disclaimers, eol);
  if (bom) charset = 'utf-8';
  // A UTF-32 label without its mark is read by WHATWG readers in an ASCII-compatible default: only ASCII is sure to
  // read the same there (attacker round 57: one UTF-8 é in such a body kept the banner off).
  else if (isUtf32Label(charset)) charset = 'us-ascii';
  if (!asciiCompatible(charset)) return undefined;
  // One character per byte: ASCII structure (tags, line ends) is found where it is, other bytes pass untouched.
  // A UTF-8 mark stays first, where a reader looks for it (fault round 46).
  const mark = bom ? bytes.subarray(0, bom.length) : Buffer.alloc(0);
  let body = bytes.subarray(mark.length).toString('latin1');
  for (const d of disclaimers) {
    if (contentType === 'text/html') {
      body = disclaimHtml(body, { ...d, html: asciiReferences(d.html ?? defaultSnippet(d.text)) });
      continue;
    }
    if (contentType !== 'text/plain') return undefined;
    const text = d.text.replace(/\r?\n/g, eol);
    const encoded = encodeIn(text, charset);
    if (!encoded) return undefined;
    body = splicePlain(body, encoded.toString('latin1'), d, eol);
  }
  return Buffer.concat([mark, Buffer.from(body, 'latin1')]);
}

// A UTF-16 or UTF-32 body (by its mark): no markup is looked for in it; the disclaimer goes right after the mark
// (top) or at the end when the body is whole code units (bottom), in the body's own encoding.
function spliceWide(
  bytes: Buffer,
  bom: NonNullable<ReturnType<typeof byteOrderMark>>,
  contentType: string,
  disclaimers: readonly Disclaimer[],
  eol: string,
): Buffer | undefined {
  let body = bytes;
  for (const d of disclaimers) {
    let text: string;
    if (contentType === 'text/html') text = disclaimHtml('', d);
    else if (contentType === 'text/plain') text = d.text.replace(/\r?\n/g, eol);
    else return undefined;
    const top = d.position === 'top';
    const added = wide(
      top && contentType !== 'text/html' ? `${text}${eol}${eol}` : top ? text : `${eol}${eol}${text}${eol}`,
      bom.encoding,
    );
    if (d.dedupe !== 'none' && holdsAligned(body, wide(text, bom.encoding), bom)) continue;
    if (top) body = Buffer.concat([body.subarray(0, bom.length), added, body.subarray(bom.length)]);
    else if ((body.length - bom.length) % bom.unit === 0) body = Buffer.concat([body, added]);
    else return undefined;
  }
  return body;
}

// Whether the body holds the bytes on a code-unit boundary: one byte off, they read as other characters.
function holdsAligned(body: Buffer, needle: Buffer, bom: { length: number; unit: number }): boolean {
  for (let at = body.indexOf(needle, bom.length); at >= 0; at = body.indexOf(needle, at + 1))
    if ((at - bom.length) % bom.unit === 0) return true;
  return false;
}

function wide(text: string, encoding: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16le') return le;
  if (encoding === 'utf-16be') return Buffer.from(le).swap16();
  const out = Buffer.alloc([...text].length * 4);
  let at = 0;
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0xfffd;
    if (encoding === 'utf-32le') out.writeUInt32LE(cp, at);
    else out.writeUInt32BE(cp, at);
    at += 4;
  }
  return out;
}

function splicePlain(body: string, text: string, d: Disclaimer, eol: string): string {
  const lines = (s: string) => s.replace(/\r\n?/g, '\n');
  if (d.dedupe !== 'none' && lines(body).includes(lines(text))) return body;
  // Only ASCII white space is trimmed: a trailing 0xA0 may be the last byte of a multibyte character.
  return d.position === 'top'
    ? `${text}${eol}${eol}${body}`
    : `${body.slice(0, asciiTrimmedEnd(body))}${eol}${eol}${text}${eol}`;
}

function asciiReferences(html: string): string {
  return html.replace(/[^\t\n\r\x20-\x7e]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0xfffd).toString(16)};`);
}

const SHIFTING = /^(iso-?2022|utf-?7|hz|x-?imap4-modified-utf7|csiso2022)/i;
const ASCII_LABEL = /^(?:us-?ascii|ascii|ansi_x3\.4-1968|iso646-us|us|cp367|ibm367)$/i;
const PROBE = '\t\n\r <>&#;/="\'!-:0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

// Whether ASCII bytes read as themselves in the charset, told by its decoder (libmime's, loaded on demand).
function asciiCompatible(charset: string): boolean {
  if (SHIFTING.test(charset) || !new charsets.DecodeStream(charset).supported) return false;
  return charsets.decode(Buffer.from(PROBE, 'latin1'), charset) === PROBE;
}

// The text's bytes in the charset, found with its decoder alone: ASCII as it is, UTF-8, or each character the
// one byte a single-byte charset decodes to it; undefined for any other character (the text is not spliced).
function encodeIn(text: string, charset: string): Buffer | undefined {
  if (isAscii(text)) return Buffer.from(text, 'latin1');
  // A body said to be ASCII holds another charset, not named: only ASCII is sure to read the same in it.
  if (ASCII_LABEL.test(charset)) return undefined;
  if (/^utf-?8$/i.test(charset)) return Buffer.from(text, 'utf8');
  const byteOf = new Map<string, number>();
  for (let b = 0x80; b <= 0xff; b++) {
    const c = charsets.decode(Buffer.from([b]), charset);
    if (c.length === 1 && c !== '\ufffd' && !byteOf.has(c)) byteOf.set(c, b);
  }
  const out: number[] = [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    const b = code < 0x80 ? code : byteOf.get(c);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return Buffer.from(out);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

// Where a body ends without its trailing ASCII white space, walking back: linear, where a regex anchored at the end
// retries from every start of a long run (fault round 45: a run of blank lines held an invocation past its deadline).
function asciiTrimmedEnd(body: string): number {
  let end = body.length;
  while (end > 0 && ' \t\r\n'.includes(body[end - 1] as string)) end--;
  return end;
}
