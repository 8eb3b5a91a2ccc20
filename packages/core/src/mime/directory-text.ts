import charsets from 'libmime/lib/charset';
import { charsetAlias, hidesAsciiDigits } from '../message/charset-words.js';
import { decodeUtf7, isUtf7 } from '../message/utf7.js';

/**
 * The values of an iCalendar or vCard object as a calendar or address book shows them: folded lines
 * joined, quoted-printable values (vCard 2.1) decoded as UTF-8, and text escapes (`\n`, `\,`, `\;`,
 * `\\`) undone. Lenient by design (every `=XX` run is decoded): it is read in addition to the text as
 * written. Linear: one pass per replacement.
 *
 * @example
 * ```ts
 * directoryValues('NOTE;ENCODING=QUOTED-PRINTABLE:4111=201111=\r\n=201111\\n1111');
 * // 'NOTE;ENCODING=QUOTED-PRINTABLE:4111 1111 1111\n1111'
 * ```
 */
export function directoryValues(text: string): string {
  return undoEscapes(
    text
      .replace(/\r?\n[ \t]/g, '')
      .replace(/=\r?\n/g, '')
      .replace(/(?:=[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8')),
  );
}

/**
 * The values as {@link directoryValues} reads them, with each quoted-printable run kept as its bytes: `text` has one
 * character per byte (latin1), and so has the answer. For a caller that reads bytes that are not UTF-8 in the code
 * pages an address book falls back to (a vCard 2.1 note with no CHARSET, `=A0` a Windows-1252 non-breaking space).
 *
 * @example
 * ```ts
 * directoryValueBytes('NOTE;ENCODING=QUOTED-PRINTABLE:4111=A01111'); // 'NOTE;ENCODING=QUOTED-PRINTABLE:4111\xa01111'
 * ```
 */
export function directoryValueBytes(text: string): string {
  return undoEscapes(
    text
      .replace(/\r?\n[ \t]/g, '')
      .replace(/=\r?\n/g, '')
      .replace(/(?:=[0-9A-Fa-f]{2})+/g, (run) =>
        Buffer.from(run.replace(/=/g, ''), 'hex').toString('latin1'),
      ),
  );
}

/** What {@link directoryCharsetValues} read. */
export interface DirectoryCharsetReading {
  /** The values of the properties that name their own charset, decoded in it (quoted-printable undone). */
  text: string;
  /** The charsets named that cannot be decoded, when a value in one holds bytes outside ASCII. */
  undecodable: string[];
}

/**
 * The values of an iCalendar or vCard object's properties that name their charset (vCard 2.1
 * `NOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=82=53`), as an address book that honours the parameter
 * shows them: `bytes` is the object with one character per byte (latin1), so a raw value's bytes are kept.
 * One pass over the lines.
 *
 * @example
 * ```ts
 * directoryCharsetValues('NOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=82=53=82=50').text; // '４１'
 * ```
 */
export function directoryCharsetValues(bytes: string): DirectoryCharsetReading {
  const out: string[] = [];
  const undecodable = new Set<string>();
  // Whether libmime decodes a charset, asked once per object (a decoder is built to ask).
  const known = new Map<string, boolean>();
  if (!CHARSET_PARAM.test(bytes)) return { text: '', undecodable: [] };
  for (const { params, value } of contentLines(bytes.replace(/=\r?\n/g, ''))) {
    const label = CHARSET_PARAM.exec(params)?.[1]?.trim();
    if (!label) continue;
    const raw = BASE64_PARAM.test(params) ? Buffer.from(value, 'base64') : valueBytes(value);
    const charset = charsetAlias(label).toLowerCase();
    let supported = known.get(charset);
    if (supported === undefined) {
      supported = new charsets.DecodeStream(charset).supported === true;
      known.set(charset, supported);
    }
    if (isUtf7(charset)) out.push(decodeUtf7(raw.toString('latin1')));
    else if (supported) out.push(charsets.decode(raw, charset));
    // Only in EBCDIC are the digits not ASCII bytes: any other label a client does not know reads as Latin-1.
    else if (hidesAsciiDigits(charset) && raw.some((b) => b >= 0x80 || (b < 0x20 && b !== 0x09)))
      undecodable.add(charset);
    else out.push(raw.toString('latin1'));
  }
  return { text: undoEscapes(out.join('\n')), undecodable: [...undecodable] };
}

/**
 * The values typed HTML (`X-ALT-DESC;FMTTYPE=text/html:`, which Outlook shows as an event's description), text
 * escapes undone, each to be read as a page is.
 *
 * @example
 * ```ts
 * directoryHtmlValues('X-ALT-DESC;FMTTYPE=text/html:<p>&#52;1</p>'); // ['<p>&#52;1</p>']
 * ```
 */
export function directoryHtmlValues(text: string): string[] {
  if (!HTML_TYPE.test(text)) return [];
  const out: string[] = [];
  for (const { params, value } of contentLines(text))
    if (HTML_TYPE.test(params)) out.push(undoEscapes(value));
  return out;
}

/**
 * The values written in base64 (`ENCODING=b` or `BASE64`: a vCard 2.1 or 3.0 `NOTE`, an iCalendar `ATTACH` of a
 * text file), decoded as UTF-8, which an address book or calendar shows decoded; pictures and sounds skipped.
 *
 * @example
 * ```ts
 * directoryBase64Values('NOTE;ENCODING=b:NDExMQ=='); // ['4111']
 * ```
 */
export function directoryBase64Values(text: string): string[] {
  if (!BASE64_PARAM.test(text)) return [];
  const out: string[] = [];
  for (const { name, params, value } of contentLines(text))
    if (BASE64_PARAM.test(params) && !PICTURES.test(name))
      out.push(Buffer.from(value, 'base64').toString('utf8'));
  return out;
}

/**
 * The files written in base64 in an iCalendar or vCard object (`ENCODING=BASE64`): an iCalendar `ATTACH` of an
 * Outlook appointment carries the appointment's attachments so (`X-FILENAME=cards.xlsx`), which the calendar
 * offers to open. Each with the name its `X-FILENAME` or `FILENAME` parameter gives, or the property's name;
 * pictures and sounds skipped (attacker round 60: a zip, workbook or gzip so attached was read as UTF-8 text only).
 *
 * @example
 * ```ts
 * directoryBase64Files('ATTACH;ENCODING=BASE64;X-FILENAME=a.zip:UEsD'); // [{ name: 'a.zip', bytes: … }]
 * ```
 */
export function directoryBase64Files(text: string): { name: string; bytes: Buffer }[] {
  if (!BASE64_PARAM.test(text)) return [];
  const out: { name: string; bytes: Buffer }[] = [];
  for (const { name, params, value } of contentLines(text))
    if (BASE64_PARAM.test(params) && !PICTURES.test(name))
      out.push({
        name: (FILENAME_PARAM.exec(params)?.[1] ?? name).trim() || name,
        bytes: Buffer.from(value, 'base64'),
      });
  return out;
}

const FILENAME_PARAM = /;[ \t]*(?:x-)?filename[ \t]*=[ \t]*"?([^";:\r\n]{1,255})/i;
const CHARSET_PARAM = /;[ \t]*charset[ \t]*=[ \t]*"?([^";:\r\n]{1,64})/i;
// Base64 by ENCODING, or by `VALUE=BINARY` or vCalendar 1.0's bare `;BASE64` alone, as lenient readers (and the guard's
// calendar scan) take it (attacker round 65).
const BASE64_PARAM = /;[ \t]*(?:encoding[ \t]*=[ \t]*"?(?:b|base64)|value[ \t]*=[ \t]*"?binary|base64)\b/i;
const PICTURES = /^(?:[\w-]+\.)?(?:photo|logo|sound)$/i;
const HTML_TYPE = /;[ \t]*fmttype[ \t]*=[ \t]*"?text\/html/i;

// Each unfolded content line's parameters (from the first `;`, quoted values kept whole) and value (after the
// first `:` outside quotes): `NAME;PARAM="a:b":value`.
function* contentLines(text: string): Generator<{ name: string; params: string; value: string }> {
  for (const line of text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/)) {
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === '"') quoted = !quoted;
      else if (c === ':' && !quoted) {
        const head = line.slice(0, i);
        const semi = head.indexOf(';');
        if (semi >= 0)
          yield { name: head.slice(0, semi), params: head.slice(semi), value: line.slice(i + 1) };
        break;
      }
    }
  }
}

// A value's bytes, each `=XX` decoded (lenient quoted-printable, as directoryValues reads it): one pass.
function valueBytes(value: string): Buffer {
  const out = Buffer.allocUnsafe(value.length);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const hex = c === 0x3d ? HEX_PAIR.exec(value.slice(i + 1, i + 3)) : null;
    if (hex) {
      out[n++] = Number.parseInt(hex[0], 16);
      i += 2;
    } else out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

function undoEscapes(text: string): string {
  return text.replace(/\\([nN,;:\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
