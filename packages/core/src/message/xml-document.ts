import { decodeEntities } from './html-text.js';

/** A tag's `name="value"` pairs, names lower-cased (a prefix kept), values with their references decoded; one pass. */
export function xmlAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let at = 0;
  while (at < tag.length) {
    const eq = tag.indexOf('=', at);
    if (eq < 0) break;
    const name = tag.slice(at, eq).trim().split(/\s+/).pop() ?? '';
    let start = eq + 1;
    while (start < tag.length && /\s/.test(tag[start] as string)) start++;
    const quote = tag[start];
    if (quote !== '"' && quote !== "'") {
      at = start;
      continue;
    }
    const end = tag.indexOf(quote, start + 1);
    const value = tag.slice(start + 1, end < 0 ? tag.length : end);
    attributes.set(name.toLowerCase(), decodeEntities(value).trim());
    at = end < 0 ? tag.length : end + 1;
  }
  return attributes;
}

/**
 * XML as Office reads it: UTF-16 with a byte order mark, or without one when it starts `<` with a NUL beside it
 * (XML 1.0 appendix F), else UTF-8.
 */
export function xmlText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bigEndianText(bytes.subarray(2));
  if (bytes[0] === 0x3c && bytes[1] === 0) return bytes.toString('utf16le');
  if (bytes[0] === 0 && bytes[1] === 0x3c) return bigEndianText(bytes);
  return bytes.toString('utf8');
}

function bigEndianText(bytes: Buffer): string {
  return Buffer.from(bytes.subarray(0, bytes.length & ~1))
    .swap16()
    .toString('utf16le');
}

/**
 * The prolog before a document's root element: white space, a byte order mark, processing instructions, comments,
 * a doctype (its internal subset, `[ … ]`, may hold `>`).
 */
export const XML_PROLOG =
  /^(?:[\s\ufeff]+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\]\s*)?>)*/i;

/** An element name's optional namespace prefix: any NCName (a letter of any script, any length), then a colon. */
export const XML_PREFIX = String.raw`(?:[^\s<>:/="'!?&]+:)?`;

/**
 * An element's content as an XML reader gives its text: comments and processing instructions dropped, CDATA
 * sections unwrapped, references decoded outside them, child tags dropped. One pass.
 *
 * @example
 * ```ts
 * xmlCharacterData('DD<!-- x -->E<![CDATA[AUTO &amp;]]>&#x20;x'); // 'DDEAUTO &amp; x'
 * ```
 */
export function xmlCharacterData(content: string): string {
  let out = '';
  let at = 0;
  while (at < content.length) {
    const lt = content.indexOf('<', at);
    if (lt < 0) {
      out += decodeEntities(content.slice(at));
      break;
    }
    out += decodeEntities(content.slice(at, lt));
    if (content.startsWith('<![CDATA[', lt)) {
      const end = content.indexOf(']]>', lt + 9);
      out += content.slice(lt + 9, end < 0 ? content.length : end);
      at = end < 0 ? content.length : end + 3;
    } else {
      const close = content.startsWith('<!--', lt) ? '-->' : content.startsWith('<?', lt) ? '?>' : '>';
      const end = content.indexOf(close, lt + 1);
      at = end < 0 ? content.length : end + close.length;
    }
  }
  return out;
}

/** Whether a text starts as markup does: `<` after white space and a byte order mark. */
export function startsAsMarkup(text: string): boolean {
  return /^[\s\ufeff]*</.test(text);
}

/**
 * The values of a tag's `name` attributes, of whatever prefix (`pkg:name`, `w:name`, a decoy's `x:name`): every
 * one, since which a reader takes depends on namespaces not resolved here.
 *
 * @example
 * ```ts
 * nameAttributes(' pkg:name="/word/document.xml" x:name="/a.rels"'); // ['/word/document.xml', '/a.rels']
 * ```
 */
export function nameAttributes(tag: string): string[] {
  const names: string[] = [];
  for (const [key, value] of xmlAttributes(tag))
    if (/^(?:[^:]+:)?name$/.test(key) && value !== '') names.push(value);
  return [...new Set(names)];
}

/**
 * An element's base64 content as an XML reader gives it (references, CDATA, comments: {@link xmlCharacterData}),
 * decoded. Throws when it is not base64: decoded leniently, its bytes would shift.
 *
 * @example
 * ```ts
 * xmlBase64('0M8R<![CDATA[4KGx]]>', 'oleObject1.bin'); // <Buffer d0 cf 11 e0 a1 b1>
 * ```
 */
export function xmlBase64(content: string, name: string): Buffer {
  const text = xmlCharacterData(content).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error(`${name}: binary data that is not base64`);
  return Buffer.from(text, 'base64');
}
