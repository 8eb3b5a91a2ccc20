import { createRequire } from 'node:module';

/** The part of libmime's `charset.js` the shim is derived from. */
interface LibmimeCharset {
  normalizeCharset(charset?: unknown): string;
  decode(buf: Buffer, charset?: string): string;
}

/** What the shim knows without libmime's full charset module, all taken from that module at build time. */
export interface FastCharsets {
  /** Charset name (lower case, trimmed) → libmime's canonical name, for the charsets below. */
  names: Record<string, string>;
  /** Canonical name → `utf-8`, or the 256 characters libmime decodes each byte to (a single-byte charset). */
  decoders: Record<string, 'utf-8' | string>;
}

// Charset names as messages write them. libmime decodes the first group as UTF-8 and the rest as
// windows-1252 (as browsers do: US-ASCII and ISO-8859-1 are labels of windows-1252).
const CANDIDATES = [
  ['utf-8', 'utf8', 'unicode-1-1-utf-8', '7bit'],
  ['us-ascii', 'ascii', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252'],
].flat();
// libmime's own test for the names it decodes as UTF-8 without iconv-lite.
const UTF8_COMPATIBLE = /^(?:(?:us-)?ascii|utf-8|7bit)$/i;
const SINGLE_BYTE = new Set(['windows-1252']);

/**
 * The fast charsets, computed with the very `charset.js` file the bundle includes, so that the shim cannot
 * disagree with it: each name's canonical form is libmime's answer, and a single-byte charset's table is
 * libmime's decoding of each byte (a name whose canonical form is neither is left to the full module).
 */
export function fastCharsets(realCharsetFile: string): FastCharsets {
  const real = createRequire(realCharsetFile)(realCharsetFile) as LibmimeCharset;
  const names: Record<string, string> = {};
  const decoders: Record<string, string> = {};
  for (const name of CANDIDATES) {
    const canonical = real.normalizeCharset(name);
    if (UTF8_COMPATIBLE.test(canonical)) decoders[canonical] = 'utf-8';
    else if (SINGLE_BYTE.has(canonical)) decoders[canonical] = byteTable(real, canonical);
    else continue;
    names[name] = canonical;
  }
  return { names, decoders };
}

function byteTable(real: LibmimeCharset, charset: string): string {
  let table = '';
  for (let b = 0; b < 256; b++) {
    const c = real.decode(Buffer.from([b]), charset);
    if (c.length !== 1) throw new Error(`${charset} byte ${b} decodes to ${c.length} characters`);
    table += c;
  }
  return table;
}

/**
 * Source of the stand-in for libmime's `charset.js` (CommonJS, same exports): the charsets of
 * {@link fastCharsets} are decoded with Node's UTF-8 decoder or a byte table; any other charset loads the
 * real module, and with it iconv-lite and encoding-japanese, on first use: `fullModule` is the expression
 * that loads it (synchronously, as libmime's API is).
 */
export function charsetShimSource(realCharsetFile: string, fullModule: string): string {
  const { names, decoders } = fastCharsets(realCharsetFile);
  return `"use strict";
const { Buffer } = require("node:buffer");
const { Transform } = require("node:stream");
const { StringDecoder } = require("node:string_decoder");
const NAMES = new Map(Object.entries(${JSON.stringify(names)}));
const DECODERS = new Map(Object.entries(${JSON.stringify(decoders)}).map(([name, table]) => [name, table === "utf-8" ? null : byteDecoder(table)]));
let full;
const load = () => full || (full = ${fullModule});
// The canonical name of a charset decoded here, else undefined.
const fast = (charset) => NAMES.get((charset || "UTF-8").toString().toLowerCase().trim());
// A single-byte charset: its table differs from Latin-1 in a few bytes, replaced after a Latin-1 decode.
function byteDecoder(table) {
  const other = [...table].flatMap((c, b) => (c.charCodeAt(0) === b ? [] : [String.fromCharCode(b)]));
  const pattern = new RegExp("[" + other.join("").replace(/[\\\\\\]^-]/g, "\\\\$&") + "]", "g");
  const swap = (c) => table[c.charCodeAt(0)];
  return (buf) => (other.length ? buf.toString("latin1").replace(pattern, swap) : buf.toString("latin1"));
}
class FastDecodeStream extends Transform {
  constructor(charset) {
    super();
    this.charset = charset;
    this.supported = true;
    this.bytes = DECODERS.get(charset);
    this.decoder = this.bytes ? null : new StringDecoder("utf-8");
  }
  _transform(chunk, _encoding, done) {
    this.pushText(this.decoder ? this.decoder.write(chunk) : this.bytes(chunk));
    done();
  }
  _flush(done) {
    if (this.decoder) this.pushText(this.decoder.end());
    done();
  }
  pushText(text) {
    if (text) this.push(Buffer.from(text, "utf-8"));
  }
}
function DecodeStream(charset) {
  const name = fast(charset);
  return name ? new FastDecodeStream(name) : new (load().DecodeStream)(charset);
}
Object.defineProperty(DecodeStream, Symbol.hasInstance, {
  value: (v) => v instanceof FastDecodeStream || (full !== undefined && v instanceof full.DecodeStream),
});
function encode(str) {
  return Buffer.from(str, "utf-8");
}
function decode(buf, fromCharset) {
  const name = fast(fromCharset);
  const bytes = name && DECODERS.get(name);
  if (name && !bytes) return buf.toString("utf-8");
  if (bytes && Buffer.isBuffer(buf)) return bytes(buf);
  return load().decode(buf, fromCharset);
}
function convert(data, fromCharset) {
  const name = fast(fromCharset);
  if (typeof data === "string") return encode(data);
  if (name && !DECODERS.get(name)) return data;
  if (name) return encode(decode(data, name));
  return load().convert(data, fromCharset);
}
function normalizeCharset(charset) {
  return fast(charset) || load().normalizeCharset(charset);
}
function createDecodeStream(charset) {
  return DecodeStream(charset);
}
Object.defineProperty(exports, "__esModule", { value: true });
Object.assign(exports, { encode, decode, convert, normalizeCharset, createDecodeStream, DecodeStream });
Object.defineProperty(exports, "default", { value: exports, enumerable: false, writable: true, configurable: true });
`;
}

/**
 * Source of the stand-in for libmime's `mimetypes.js` (CommonJS, same exports): its two tables, loaded by
 * `fullModule` when first read.
 */
export function mimetypesShimSource(fullModule: string): string {
  return `"use strict";
let full;
const load = () => full || (full = ${fullModule});
Object.defineProperty(exports, "__esModule", { value: true });
Object.defineProperty(exports, "list", { enumerable: true, get: () => load().list });
Object.defineProperty(exports, "extensions", { enumerable: true, get: () => load().extensions });
Object.defineProperty(exports, "default", { value: exports, enumerable: false, writable: true, configurable: true });
`;
}
