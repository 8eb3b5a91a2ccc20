import { nameVariants } from './file-names.js';
import { MarkupScan } from './markup-scan.js';
import { XmlPageScan } from './markup-xml.js';
import type { MessagePart } from './part-walk.js';

/** Names a browser opens as a page (an SVG image opened from mail is a page too). */
const MARKUP_NAME = /\.(?:html?|xht(?:ml?)?|shtml?|svg)$/i;
/** Pages this scan cannot read: a compressed SVG, and MHT web archives (MIME, their HTML encoded inside). */
const UNREADABLE_MARKUP: readonly [RegExp, string][] = [
  [/\.svgz$/i, 'a compressed SVG, which the scan cannot read'],
  [/\.mht(?:ml)?$/i, 'an MHT web archive, whose encoded pages the scan cannot read'],
  [/\.webarchive$/i, 'a Safari web archive, whose pages the scan cannot read'],
];
/** XML files a browser opens, as a page when they hold XHTML, SVG or MathML (see {@link XmlPageScan}). */
const XML_NAME = /\.(?:xml|xslt?|mml|rss|atom|rdf)$/i;
/**
 * Types of XML files: a client saves an unnamed one under its type's extension (`ATT00001.xsl` for `text/xsl`), and
 * a browser opens that (attacker round 68: `text/xsl` and `+xml` types, RSS, Atom, MathML, XSLT, were not read).
 * The `+xml` types that name a page (SVG, XHTML) get the page scan itself, below.
 */
const isXmlType = (type: string): boolean =>
  type === 'text/xml' || type === 'application/xml' || type === 'text/xsl' || type.endsWith('+xml');
/** Types a client saves under a page's name (`ATT00001.htm`) when the part names no file. */
const MARKUP_TYPES = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml']);

/**
 * The scan for a part that is a file a browser would open as a page: named `.html`, `.htm`, `.svg`, `.mht`…
 * (any type, the name read as a file system stores it), declared SVG (an SVG a client lists as a file), or
 * declared XHTML, or declared HTML and named or attached (an unnamed inline HTML part is the message's body, which
 * mail clients render without scripts; `laterInMixed`, an unnamed HTML part after the first of a multipart/mixed,
 * is no body: Outlook lists it as an attachment, `ATT00001.htm`, and opens it in the browser). An `.xml` (`.xsl`,
 * `.xslt`, `.mml` MathML, `.rss`, `.atom`, `.rdf`) file, or an unnamed XML part (never a body), gets the {@link XmlPageScan}: it counts only when the
 * file is a page. Files inside archives are named by {@link archivedMarkupScan}, which leaves XML out only in a
 * document Office opens (every Office document is a zip of XML parts). Undefined otherwise.
 *
 * @example
 * ```ts
 * markupScanFor(part)?.push(decodedChunk);
 * ```
 */
export function markupScanFor(part: MessagePart, laterInMixed = false): MarkupScan | undefined {
  for (const name of part.names) {
    const scan = markupScanForName(name);
    if (scan) return scan;
  }
  if (part.names.some((name) => nameVariants(name).some((variant) => XML_NAME.test(variant))))
    return new XmlPageScan();
  const listed = part.disposition === 'attachment' || laterInMixed;
  // Only text/html is shown in place as a body: an XML or XHTML part is a file wherever it sits (Thunderbird
  // lists it, Outlook saves it as ATT00001.xht; attacker round 44).
  const markup =
    part.contentType === 'image/svg+xml' ||
    part.contentType === 'application/xhtml+xml' ||
    (MARKUP_TYPES.has(part.contentType) && (part.names.length > 0 || listed));
  if (markup) return new MarkupScan();
  return isXmlType(part.contentType) && part.names.length === 0 ? new XmlPageScan() : undefined;
}

/**
 * The scan for a file of this name when a browser opens it as a page (`.html`, `.htm`, `.svg`…; a `.svgz` or
 * `.mht`, which it cannot read, already holds its finding); undefined for any other name.
 *
 * @example
 * ```ts
 * markupScanForName('invoice.html.'); // a MarkupScan (Windows drops the trailing dot)
 * ```
 */
export function markupScanForName(name: string): MarkupScan | undefined {
  const variants = nameVariants(name);
  for (const [pattern, reason] of UNREADABLE_MARKUP) {
    if (variants.some((variant) => pattern.test(variant))) return new MarkupScan(reason);
  }
  return variants.some((variant) => MARKUP_NAME.test(variant)) ? new MarkupScan() : undefined;
}

/**
 * Whether a file named as a page can show no markup whatever a browser makes of it: it holds no `<` byte (no element,
 * comment or processing instruction in any encoding a browser reads: UTF-16 and UTF-32 write `<` with that byte too),
 * and none of its names is a page the scan cannot read (an `.mht` carries its page encoded). For a macOS AppleDouble
 * companion, which the page scan cannot read (NUL bytes) and which only its bytes make harmless (false-positive round
 * 14). One pass.
 *
 * @example
 * ```ts
 * showsNoMarkup(['._index.html'], companion); // true when the companion holds no `<`
 * ```
 */
export function showsNoMarkup(names: readonly string[], bytes: Buffer): boolean {
  const unreadable = names.some((name) =>
    nameVariants(name).some((variant) => UNREADABLE_MARKUP.some(([pattern]) => pattern.test(variant))),
  );
  return !unreadable && !bytes.includes(0x3c);
}

/**
 * The scan for a file of this name inside an archive: {@link markupScanForName}'s, or for an `.xml` (`.xsl`,
 * `.rss`…) file, the {@link XmlPageScan}, unless `officePackage` (the archive opens in Office, whose parts are
 * XML: an OpenDocument's `content.xml` names the XHTML and MathML namespaces). Explorer opens a file from a zip with its default
 * program, the browser for `.xml`, which runs an XHTML page's scripts as it does an attached one's.
 *
 * @example
 * ```ts
 * archivedMarkupScan('invoice.xml', false); // an XmlPageScan
 * archivedMarkupScan('content.xml', true); // undefined
 * ```
 */
export function archivedMarkupScan(name: string, officePackage: boolean): MarkupScan | undefined {
  const scan = markupScanForName(name);
  if (scan || officePackage) return scan;
  return nameVariants(name).some((variant) => XML_NAME.test(variant)) ? new XmlPageScan() : undefined;
}

/**
 * Whether a browser may open a file of this name as a page: an HTML, SVG or MHT name, or an XML one (an `.xml`
 * file is a page when it holds XHTML), for files whose content the page scan does not read.
 *
 * @example
 * ```ts
 * opensAsPageByName('invoice.xml'); // true
 * ```
 */
export function opensAsPageByName(name: string): boolean {
  // An Office document's own parts, listed from a .docx or .odt carried in a winmail.dat or uuencoded, are XML
  // that Office opens, not pages anyone browses: judged as HTML names only.
  return archivedMarkupScan(name, OFFICE_PART_PATH.test(name)) !== undefined;
}

/** The paths of the XML parts of an Office Open XML or OpenDocument package. */
const OFFICE_PART_PATH =
  /^(?:\[Content_Types\]\.xml|(?:_rels|docProps|customXml|word|xl|ppt|visio|META-INF|Configurations2)\/.+|(?:content|styles|meta|settings|manifest)\.xml)$/;

/** Names of documents Office (or LibreOffice) opens as a package of XML parts, not as a folder of files. */
const OFFICE_PACKAGE_NAME =
  /\.(?:doc[xm]|dot[xm]|xls[xmb]|xlt[xm]|xlam|ppt[xm]|pot[xm]|pps[xm]|ppam|sld[xm]|thmx|vs[dst][xm]|od[tspgfm]|ot[tspg])$/i;

/**
 * Whether every name of an archive is one Office opens as a document (`invoice.docx`), so that no one opens its
 * parts from a folder view; an archive with no name, or one named otherwise too, may be.
 *
 * @example
 * ```ts
 * isOfficePackageNamed(['report.docx']); // true
 * isOfficePackageNamed(['report.docx', 'report.zip']); // false
 * ```
 */
export function isOfficePackageNamed(names: readonly string[]): boolean {
  return (
    names.length > 0 &&
    names.every((name) => nameVariants(name).every((variant) => OFFICE_PACKAGE_NAME.test(variant)))
  );
}
