import type { ArchiveEntry } from './archive-entry.js';
import { odfExternalLinks, odfLinkedPictures, runsSlideProgram } from './office-links.js';
import { eachLinkedName } from './ole-packages.js';
import { eachWordMarkupFile } from './word-markup.js';
import {
  nameAttributes,
  startsAsMarkup,
  XML_PREFIX,
  XML_PROLOG,
  xmlBase64,
  xmlText,
} from './xml-document.js';

// A Flat OpenDocument file (.fodt, .fodp, .fods, .fodg, or the same XML under any name: LibreOffice detects it by
// content) is an OpenDocument written as one XML file: its root an `office:document`, its content, styles and scripts
// inline, its embedded objects and pictures in base64 (`office:binary-data`). LibreOffice opens it as it opens the
// zipped form, so its interactions and script listeners run as a content.xml's do (attacker round 54).
const ODF_ROOT = new RegExp(`^<${XML_PREFIX}document(?:-content)?(?=[\\s/>])`, 'i');
const BINARY_DATA = new RegExp(`<${XML_PREFIX}binary-data(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)>`, 'gi');
const BINARY_DATA_END = new RegExp(`</${XML_PREFIX}binary-data\\s*>`, 'gi');

/**
 * Whether XML starting with `head` is a Flat OpenDocument: its root element, after its prolog, is a `document` (or a
 * bare `document-content`) of any prefix. A head check only: nothing else of the file is read.
 *
 * @example
 * ```ts
 * isFlatOdfHead(Buffer.from('<?xml version="1.0"?><office:document xmlns:office="…">')); // true
 * ```
 */
export function isFlatOdfHead(head: Buffer): boolean {
  const text = xmlText(head);
  if (!startsAsMarkup(text)) return false;
  const prolog = XML_PROLOG.exec(text)?.[0].length ?? 0;
  return ODF_ROOT.test(text.slice(prolog));
}

/**
 * Reads a top-level markup document as the walk reads an XML entry of an archive: its fields and DDE links (as Word
 * markup, {@link eachWordMarkupFile}, whose readings it keeps), then each `office:binary-data` visited as a file
 * (`Object 1`, … : an embedded OLE object's compound file is listed as a Flat OPC part's is). Throws for a slide
 * action or script listener that runs a program or a macro ({@link runsSlideProgram}), after the files visited, and
 * for binary data it cannot decode. Linear; decoded bytes within `maxBytes`.
 *
 * @example
 * ```ts
 * eachFlatOdfFile(fodp, 1 << 20, (file) => console.log(file.name)); // Object 1
 * ```
 */
export function eachFlatOdfFile(data: Buffer, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  eachWordMarkupFile(data, maxBytes, visit);
  const text = xmlText(data);
  eachBinaryData(text, maxBytes, visit);
  // An object, section or frame loaded from outside the document, listed as a link's (attacker round 58).
  for (const link of odfExternalLinks(text)) eachLinkedName([link], visit);
  // A picture linked from outside, by its names, refused on another computer (attacker round 118).
  for (const link of odfLinkedPictures(text)) eachLinkedName([link], visit, true);
  if (runsSlideProgram(text)) throw new Error('a slide action or listener that runs a program or a macro');
}

/**
 * Calls `visit` for each `office:binary-data` of OpenDocument XML (`Object 1`, …), a flat document's or a zipped
 * one's content.xml alike: xmloff decodes an inline object or picture wherever it is (attacker round 58, for the
 * DLP). Throws for binary data it cannot decode. Linear; decoded bytes within `maxBytes`.
 *
 * @example
 * ```ts
 * eachOdfBinaryData(contentXml, 1 << 20, (file) => console.log(file.name)); // Object 1
 * ```
 */
export function eachOdfBinaryData(
  data: Buffer,
  maxBytes: number,
  visit: (entry: ArchiveEntry) => void,
): void {
  eachBinaryData(xmlText(data), maxBytes, visit);
}

function eachBinaryData(text: string, maxBytes: number, visit: (entry: ArchiveEntry) => void): void {
  let left = maxBytes;
  let count = 0;
  BINARY_DATA.lastIndex = 0;
  for (let m = BINARY_DATA.exec(text); m; m = BINARY_DATA.exec(text)) {
    if ((m[1] as string).trimEnd().endsWith('/')) continue;
    const name = nameAttributes(m[1] as string)[0] ?? `Object ${++count}`;
    BINARY_DATA_END.lastIndex = BINARY_DATA.lastIndex;
    const end = BINARY_DATA_END.exec(text);
    if (!end) throw new Error(`${name}: binary data never closed`);
    const bytes = xmlBase64(text.slice(BINARY_DATA.lastIndex, end.index), name);
    BINARY_DATA.lastIndex = BINARY_DATA_END.lastIndex;
    left -= bytes.length;
    if (left < 0) throw new Error(`binary data of more than ${maxBytes} bytes`);
    visit({ name, head: (max) => bytes.subarray(0, max), bytes: () => bytes });
  }
}
