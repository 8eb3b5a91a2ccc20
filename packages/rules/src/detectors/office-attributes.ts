// Text an Office application shows that its XML keeps in attributes, not in text: a formula of an
// OpenDocument or Excel 2003 XML cell (`table:formula="of:=&quot;4111 &quot;&amp;…"`, `ss:Formula=…`), which
// the application computes on opening, and a Word list's number label (`<w:lvlText w:val="4111 1111 %1"/>`
// with `<w:start w:val="1111"/>`), drawn before each item.

const FORMULA = /\b(?:table:formula|ss:Formula)[ \t]*=[ \t]*"([^"<>]{0,4000})"/g;
const START = /<w:start\b[^>]{0,200}?\bw:val="([0-9]{1,9})"/;
const LEVEL_TEXT = /<w:lvlText\b[^>]{0,200}?\bw:val="([^"<>]{0,200})"/;
const LEVEL = /\bw:ilvl="([0-8])"/;
const MAX_LEVEL = 4000;

/**
 * The texts an Office XML part holds in such attributes, each as a paragraph of its own (entities as written,
 * so the caller's markup reading decodes them), or '' when it has none. Linear time.
 *
 * @example
 * ```ts
 * officeAttributeTexts('<table:table-cell table:formula="of:=&quot;4111&quot;"/>'); // '<p>of:=&quot;4111&quot;</p>'
 * ```
 */
export function officeAttributeTexts(xml: string): string {
  const out: string[] = [];
  if (xml.includes('table:formula') || xml.includes('ss:Formula'))
    for (const m of xml.matchAll(FORMULA)) out.push(`<p>${m[1]}</p>`);
  if (xml.includes('<w:lvl')) out.push(...listLabels(xml));
  return out.join('');
}

// Each level's label with `%N` as level N's start number (the first item's label), one pass.
function listLabels(xml: string): string[] {
  const labels: string[] = [];
  let starts: number[] = [];
  let close = -1;
  for (let at = xml.indexOf('<w:lvl '); at >= 0; at = xml.indexOf('<w:lvl ', at + 1)) {
    if (close < at) close = xml.indexOf('</w:lvl>', at);
    if (close < 0) break;
    if (close - at > MAX_LEVEL) continue;
    const level = xml.slice(at, close);
    const ilvl = Number(LEVEL.exec(level)?.[1] ?? 0);
    if (ilvl === 0) starts = [];
    starts[ilvl] = Number(START.exec(level)?.[1] ?? 1);
    const text = LEVEL_TEXT.exec(level)?.[1];
    if (text)
      labels.push(
        `<p>${text.replace(/%([1-9])/g, (_, n: string) => String(starts[Number(n) - 1] ?? 1))}</p>`,
      );
  }
  return labels;
}
