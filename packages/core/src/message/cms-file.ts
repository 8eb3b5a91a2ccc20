// A signed file (`contract.pdf.p7m`, `fattura.xml.p7m`, a `.tsd`): CMS (RFC 5652) signed data that carries the
// file it signs, in clear. Viewers (Dike, ArubaSign, GoSign, Windows' crypto shell, OpenSSL) save it under the
// name without `.p7m` and open it: the walk reads it as a file that holds one file. Enveloped (encrypted)
// content is named, not read; a structure or content type it does not know cannot be listed. DER and BER
// (indefinite lengths, constructed OCTET STRINGs as streaming signers write them), linear and bounded.

import { DecodedBudgetError } from '../mime/decoded-budget.js';

const PKCS7 = Buffer.from('2a864886f70d0107', 'hex'); // 1.2.840.113549.1.7.x
const SMIME_CT = Buffer.from('2a864886f70d01091001', 'hex'); // 1.2.840.113549.1.9.16.1.x
const DATA = 1;
const SIGNED = 2;
const ENCRYPTED_PKCS7 = new Set([3, 4, 6]); // enveloped, signed and enveloped, encrypted
const AUTH_ENVELOPED = 23;
const TIMESTAMPED = 31;
/** Pieces of a constructed OCTET STRING: streaming signers write pieces of 1,000 bytes or more. */
const MAX_PIECES = 262_144;
/** Indefinite lengths or constructed OCTET STRINGs nested deeper than any signer writes them are refused. */
const MAX_NESTING = 12;

/** What a CMS file holds. */
export type CmsFile =
  | { kind: 'content'; content: Buffer }
  /** Signed data without its content (a detached signature, certificates only): it holds no file. */
  | { kind: 'none' }
  /** Enveloped or encrypted data: a client with the key opens it; its content is not known. */
  | { kind: 'encrypted' };

interface Tlv {
  tag: number;
  /** Where the value starts. */
  start: number;
  /** Where the value ends; undefined for an indefinite length (its elements run to 00 00). */
  end?: number;
}

/**
 * Whether a file's first bytes are a CMS ContentInfo: a SEQUENCE whose first element is a PKCS #7 or S/MIME
 * content-type object identifier.
 *
 * @example
 * ```ts
 * isCmsHead(Buffer.from('3080060b2a864886f70d010910011f', 'hex')); // true (time-stamped data)
 * ```
 */
export function isCmsHead(head: Buffer): boolean {
  // A SEQUENCE, also in the high-tag-number form OpenSSL accepts (3F 10), which the parser then refuses.
  let at = head[0] === 0x30 ? 1 : head[0] === 0x3f && head[1] === 0x10 ? 2 : -1;
  if (at < 0) return false;
  const len = head[at] ?? 0;
  at += len === 0x80 || len < 0x80 ? 1 : 1 + (len & 0x7f);
  if (head[at] !== 0x06) return false;
  // The OID's length in any form (06 81 09 …, not minimal, is DER OpenSSL reads too).
  let n = head[at + 1] ?? 0;
  let start = at + 2;
  if (n > 0x80) {
    const count = n & 0x7f;
    n = 0;
    for (let i = 0; i < count && i < 4; i++) n = n * 256 + (head[start + i] ?? 0);
    start += count;
  }
  const oid = head.subarray(start, start + n);
  return startsWith(oid, PKCS7) || startsWith(oid, SMIME_CT);
}

/**
 * The file a CMS file carries: signed data's encapsulated content, time-stamped data's content (RFC 5544),
 * or plain data; `encrypted` for enveloped content, `none` when it carries no file. A base64 file (with or
 * without PEM armour) is decoded first. Throws when the bytes are not CMS or hold a content type not read.
 *
 * @example
 * ```ts
 * const file = cmsFileContent(p7mBytes, 50 * 1024 * 1024);
 * if (file.kind === 'content') sniffType(file.content.subarray(0, 512));
 * ```
 */
export function cmsFileContent(data: Buffer, maxBytes: number): CmsFile {
  const der = isCmsHead(data) ? data : base64Cms(data);
  const info = element(der, 0);
  if (info.tag !== 0x30) throw new Error('not a CMS file');
  const type = element(der, info.start);
  const kind = contentType(der, type);
  if (kind.family === 'pkcs7' && ENCRYPTED_PKCS7.has(kind.number)) return { kind: 'encrypted' };
  if (kind.family === 'smime' && kind.number === AUTH_ENVELOPED) return { kind: 'encrypted' };
  const read =
    kind.family === 'pkcs7'
      ? { [DATA]: octets, [SIGNED]: signedContent }[kind.number]
      : { [TIMESTAMPED]: timeStampedContent }[kind.number];
  if (!read) {
    const arc = kind.family === 'pkcs7' ? '1.2.840.113549.1.7' : '1.2.840.113549.1.9.16.1';
    throw new Error(`CMS content of type ${arc}.${kind.number} is not read`);
  }
  // [0] EXPLICIT content, absent for a ContentInfo that carries nothing.
  const content = explicitContent(der, info, type, 'a CMS file');
  return content ? read(der, content, maxBytes) : { kind: 'none' };
}

// The element inside the `[0] EXPLICIT` that may follow `previous` in `parent`; undefined when there is none.
function explicitContent(der: Buffer, parent: Tlv, previous: Tlv, what: string): Tlv | undefined {
  if (!hasMore(der, parent, endOf(der, previous))) return undefined;
  const wrapper = element(der, endOf(der, previous), parent.end);
  if (wrapper.tag !== 0xa0) throw new Error(`${what} with a malformed content`);
  return element(der, wrapper.start, wrapper.end);
}

// SignedData: version, digest algorithms, then the encapsulated content info (type, [0] EXPLICIT OCTET STRING).
// Read forward: what follows the content (certificates, signatures) is not needed to know the file.
function signedContent(der: Buffer, signed: Tlv, maxBytes: number): CmsFile {
  if (signed.tag !== 0x30) throw new Error('a CMS signed data that is not a sequence');
  const version = element(der, signed.start, signed.end);
  const digests = element(der, endOf(der, version), signed.end);
  const encap = element(der, endOf(der, digests), signed.end);
  if (version.tag !== 0x02 || digests.tag !== 0x31 || encap.tag !== 0x30)
    throw new Error('a CMS signed data of an unknown structure');
  const eType = element(der, encap.start, encap.end);
  if (eType.tag !== 0x06) throw new Error('a CMS signed data without its content type');
  const content = explicitContent(der, encap, eType, 'a CMS signed data');
  // PKCS #7 1.5 may carry other content than an OCTET STRING (another structure, as it is): not read.
  return content ? octets(der, content, maxBytes) : { kind: 'none' };
}

// TimeStampedData (RFC 5544): version, dataUri IA5String?, metaData SEQUENCE?, content OCTET STRING?, evidence.
function timeStampedContent(der: Buffer, tsd: Tlv, maxBytes: number): CmsFile {
  if (tsd.tag !== 0x30) throw new Error('a CMS time-stamped data that is not a sequence');
  const version = element(der, tsd.start, tsd.end);
  if (version.tag !== 0x02) throw new Error('a CMS time-stamped data of an unknown structure');
  let next = version;
  for (const tag of [0x16, 0x30, 0x04]) {
    if (!hasMore(der, tsd, endOf(der, next))) throw new Error('a CMS time-stamped data without its evidence');
    const field = element(der, endOf(der, next), tsd.end);
    // The content: a primitive or constructed OCTET STRING; the optional fields before it are skipped.
    if (tag === 0x04)
      return field.tag === 0x04 || field.tag === 0x24 ? octets(der, field, maxBytes) : { kind: 'none' };
    if (field.tag === tag) next = field;
  }
  return { kind: 'none' };
}

// An OCTET STRING's bytes: primitive, or constructed from OCTET STRING pieces (BER), which may nest.
function octets(der: Buffer, tlv: Tlv, maxBytes: number): CmsFile {
  if (tlv.tag !== 0x04 && tlv.tag !== 0x24) throw new Error('a CMS content that is not an OCTET STRING');
  const pieces: Buffer[] = [];
  const total = { bytes: 0, pieces: 0 };
  collect(der, tlv, pieces, total, maxBytes, 0);
  const content = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
  return { kind: 'content', content };
}

function collect(
  der: Buffer,
  tlv: Tlv,
  pieces: Buffer[],
  total: { bytes: number; pieces: number },
  max: number,
  depth: number,
): number {
  // Every piece counts, empty or constructed: the work is in the pieces, not in their bytes.
  // The bounds are the reader's own, not a content it cannot read: no setting excuses them (a review of round 122).
  if (++total.pieces > MAX_PIECES)
    throw new DecodedBudgetError(`a CMS content in more than ${MAX_PIECES} pieces`);
  if (tlv.tag === 0x04 && tlv.end !== undefined) {
    total.bytes += tlv.end - tlv.start;
    if (total.bytes > max) throw new DecodedBudgetError('over the decoded bytes budget');
    if (tlv.end > tlv.start) pieces.push(der.subarray(tlv.start, tlv.end));
    return tlv.end;
  }
  if (tlv.tag !== 0x24) throw new Error('a CMS content of an unknown structure');
  if (depth >= MAX_NESTING) throw new DecodedBudgetError(`a CMS content nested deeper than ${MAX_NESTING}`);
  let at = tlv.start;
  while (hasMore(der, tlv, at)) at = collect(der, element(der, at, tlv.end), pieces, total, max, depth + 1);
  return tlv.end ?? at + 2;
}

function contentType(der: Buffer, oid: Tlv): { family: 'pkcs7' | 'smime'; number: number } {
  if (oid.tag !== 0x06 || oid.end === undefined) throw new Error('not a CMS file');
  const value = der.subarray(oid.start, oid.end);
  for (const [family, prefix] of [
    ['pkcs7', PKCS7],
    ['smime', SMIME_CT],
  ] as const)
    if (value.length === prefix.length + 1 && startsWith(value, prefix))
      return { family, number: value[prefix.length] as number };
  throw new Error('not a CMS file');
}

/** Whether `parent` holds another element at `at`: before its end, or before its end-of-contents octets. */
function hasMore(der: Buffer, parent: Tlv, at: number): boolean {
  if (parent.end !== undefined) return at < parent.end;
  if (at + 2 > der.length) throw new Error('a CMS file cut short');
  return !(der[at] === 0 && der[at + 1] === 0);
}

/**
 * Where an element ends: an indefinite length is followed through its elements to its end-of-contents
 * octets, at most {@link MAX_NESTING} levels of them deep.
 */
function endOf(der: Buffer, tlv: Tlv, depth = 0): number {
  if (tlv.end !== undefined) return tlv.end;
  if (depth >= MAX_NESTING) throw new Error('a CMS file of an unknown structure');
  let at = tlv.start;
  while (hasMore(der, tlv, at)) at = endOf(der, element(der, at), depth + 1);
  return at + 2;
}

/** The element whose header is at `at`; a definite length must end by `limit`. */
function element(der: Buffer, at: number, limit = der.length): Tlv {
  const tag = der[at];
  let n = der[at + 1];
  if (tag === undefined || n === undefined || at + 2 > limit) throw new Error('a CMS file cut short');
  if ((tag & 0x1f) === 0x1f) throw new Error('a CMS file of an unknown structure');
  let start = at + 2;
  if (n === 0x80) {
    if (!(tag & 0x20)) throw new Error('a CMS file of an unknown structure');
    return { tag, start };
  }
  if (n > 0x80) {
    const count = n & 0x7f;
    if (count > 4 || start + count > limit) throw new Error('a CMS file cut short');
    n = 0;
    for (let i = 0; i < count; i++) n = n * 256 + (der[start + i] as number);
    start += count;
  }
  if (start + n > limit) throw new Error('a CMS file cut short');
  return { tag, start, end: start + n };
}

// A p7m saved as base64 text (with or without `-----BEGIN PKCS7-----` armour), which viewers also open.
function base64Cms(data: Buffer): Buffer {
  // As OpenSSL's PEM reader, from the armour on: text before it (a note, a subject line) is not the file.
  const all = data.toString('latin1');
  const armour = all.indexOf('-----BEGIN ');
  const text = (armour >= 0 ? all.slice(armour) : all).replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) throw new Error('not a CMS file');
  const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  if (!isCmsHead(der)) throw new Error('not a CMS file');
  return der;
}

function startsWith(value: Buffer, prefix: Buffer): boolean {
  return value.length >= prefix.length && value.subarray(0, prefix.length).equals(prefix);
}
