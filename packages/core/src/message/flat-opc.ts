import { DecodedBudgetError } from '../mime/decoded-budget.js';
import type { ArchiveEntry } from './archive-entry.js';
import {
  nameAttributes,
  XML_PROLOG as PROLOG,
  startsAsMarkup,
  XML_PREFIX,
  xmlBase64,
  xmlText,
} from './xml-document.js';

// A Flat OPC document (`<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">`) is an
// Office document written as one XML file: Word opens it (as .xml, and as .doc, which it reads by content) as the
// .docx its parts make, each part a `<pkg:part pkg:name="/word/…">` holding its XML (`<pkg:xmlData>`) or its bytes
// in base64 (`<pkg:binaryData>`): an embedded object's oleObject1.bin, a workbook, relationships to outside files.

// A tag's attributes end at the next `>` outside quotes (a value may hold `>`, never `<`).
const TAG = new RegExp(
  `<(\\/?)${XML_PREFIX}(part|binaryData|xmlData)(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)>`,
  'iy',
);
// What holds `<` without being a tag: a comment, a CDATA section, a processing instruction, and where each ends.
const UNTAGGED: [string, string][] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
];

/**
 * Whether XML starting with `head` may be a Flat OPC package: its root element is a `package` (of any prefix), or
 * its prolog runs past the head, so its root is not known yet.
 *
 * @example
 * ```ts
 * isFlatOpcHead(Buffer.from('<?xml version="1.0"?><pkg:package xmlns:pkg="…">')); // true
 * ```
 */
export function isFlatOpcHead(head: Buffer): boolean {
  const text = xmlText(head);
  if (!startsAsMarkup(text)) return false;
  const prolog = PROLOG.exec(text)?.[0].length ?? 0;
  if (prolog === text.length || /^<(?:\?|!--|!DOCTYPE)/i.test(text.slice(prolog))) return true;
  return isPackageRoot(text.slice(prolog));
}

/**
 * Calls `visit` for each part of the Flat OPC package `data` (none when its root is no `package`): named by its
 * `pkg:name` (no leading `/`), its content the XML of its `xmlData` or the decoded base64 of its `binaryData`.
 * `only` keeps the parts of one kind. Answers whether it was a package. Throws past `maxBytes` of content. Linear
 * in the document's size.
 *
 * @example
 * ```ts
 * eachFlatOpcPart(xml, 1 << 20, (part) => console.log(part.name)); // word/document.xml, word/embeddings/…
 * ```
 */
export function eachFlatOpcPart(
  data: Buffer,
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
  only?: 'binary' | 'xml',
): boolean {
  const text = xmlText(data);
  if (!isFlatOpcPackage(text)) return false;
  const prolog = PROLOG.exec(text)?.[0].length ?? 0;
  // Entities its doctype declares may write parts where they are referred to: what it holds is not read here.
  if (/<!ENTITY/i.test(text.slice(0, prolog)))
    throw new Error('a Flat OPC document whose doctype declares entities');
  let left = maxBytes;
  let names: string[] = [];
  // The data element open (nested ones of its kind counted: its content is XML that may hold them).
  let open: { kind: string; from: number; depth: number } | undefined;
  let at = text.indexOf('<', prolog);
  while (at >= 0) {
    const untagged = UNTAGGED.find(([start]) => text.startsWith(start, at));
    if (untagged) {
      const end = text.indexOf(untagged[1], at + untagged[0].length);
      if (end < 0) break;
      at = text.indexOf('<', end + untagged[1].length);
      continue;
    }
    TAG.lastIndex = at;
    const m = TAG.exec(text);
    at = text.indexOf('<', at + 1);
    if (!m) continue;
    const [tag, closing, element, attributes] = m as unknown as [string, string, string, string];
    const kind = element.toLowerCase();
    const empty = attributes.trimEnd().endsWith('/');
    if (open) {
      if (kind === open.kind && closing === '' && !empty) open.depth++;
      else if (kind === open.kind && closing !== '' && --open.depth === 0) {
        visitPart(names, open.kind, text.slice(open.from, m.index));
        open = undefined;
      }
      continue;
    }
    if (kind === 'part') {
      if (closing === '') names = nameAttributes(attributes);
    } else if (closing === '' && !empty) open = { kind, from: m.index + tag.length, depth: 1 };
  }
  return true;

  function visitPart(partNames: string[], kind: string, inner: string): void {
    const binary = kind === 'binarydata';
    if ((only === 'binary' && !binary) || (only === 'xml' && binary)) return;
    const bytes = binary
      ? xmlBase64(inner, `a Flat OPC part (${partNames[0] ?? 'part'})`)
      : Buffer.from(inner, 'utf8');
    left -= bytes.length;
    if (left < 0) throw new DecodedBudgetError(`a Flat OPC document of more than ${maxBytes} bytes of parts`);
    // Under each name it carries (a decoy `pkg:name` of another namespace beside the package's own): every one.
    for (const name of partNames.length > 0 ? partNames : ['part']) {
      const entry = name.replace(/^[\\/]+/, '') || 'part';
      visit({ name: entry, head: (max) => bytes.subarray(0, max), bytes: () => bytes });
    }
  }
}

/** Whether the XML text is a Flat OPC package: its root element, after its prolog, is a `package`. */
export function isFlatOpcPackage(text: string): boolean {
  const prolog = PROLOG.exec(text)?.[0].length ?? 0;
  return isPackageRoot(text.slice(prolog, prolog + 512));
}

// The root's local name is `package`.
const PACKAGE_ROOT = new RegExp(`^<${XML_PREFIX}package(?=[\\s/>])`, 'i');
function isPackageRoot(text: string): boolean {
  return PACKAGE_ROOT.test(text);
}
