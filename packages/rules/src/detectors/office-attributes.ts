// Text an Office application shows that its XML keeps in attributes, not in text: a workbook's sheet names, drawn
// on its tabs; a formula of an
// OpenDocument or Excel 2003 XML cell (`table:formula="of:=&quot;4111 &quot;&amp;…"`, `ss:Formula=…`), which
// the application computes on opening, and a Word list's number label (`<w:lvlText w:val="4111 1111 %1"/>`
// with `<w:start w:val="1111"/>`), drawn before each item. Attributes are read as XML reads them: either quote,
// any white space, any namespace prefix (the application goes by the namespace the prefix is bound to).

const FORMULA = /:(?:formula|Formula)\s*=\s*(?:"([^"<]{0,4000})"|'([^'<]{0,4000})')/g;
// A workbook's sheet: `<sheet name="…">` in an .xlsx (any prefix or none), `<table:table table:name="…">` in
// OpenDocument (a prefix needed: an HTML `<table>` draws no name).
const SHEET_TAGS = /<(?:(?:[\w.-]{1,40}:)?sheet|[\w.-]{1,40}:table)(?=[\s/>])/g;
// A list level's start tag or end tag, or its start number's or label's.
const LEVEL_TAGS = /<(\/?)(?:[\w.-]{1,40}:)?(lvl|start|lvlText)(?=[\s/>])/g;

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
  if (xml.includes(':formula') || xml.includes(':Formula'))
    for (const m of xml.matchAll(FORMULA)) out.push(`<p>${(m[1] ?? m[2] ?? '').replaceAll('>', '&gt;')}</p>`);
  if (xml.includes('lvl')) out.push(...listLabels(xml).labels);
  if (xml.includes('sheet') || xml.includes(':table')) {
    const names = sheetNames(xml);
    if (names) out.push(`<p>${names}</p>`);
  }
  return out.join('');
}

// The names of a workbook's sheets, drawn on its tabs side by side (attacker round 93): one row, in their order,
// joined by spaces. One pass over the tags.
function sheetNames(xml: string): string {
  const names: string[] = [];
  SHEET_TAGS.lastIndex = 0;
  for (let m = SHEET_TAGS.exec(xml); m; m = SHEET_TAGS.exec(xml)) {
    const from = m.index + m[0].length;
    const end = tagEnd(xml, from);
    if (end < 0) break;
    SHEET_TAGS.lastIndex = end + 1;
    const name = attribute(xml.slice(from, end), 'name');
    if (name) names.push(name.replaceAll('>', '&gt;'));
  }
  return names.join(' ');
}

/**
 * Why a Word list's numbers cannot be read where they are drawn, or undefined: a numbering part whose labels hold
 * a number of card length, or a level that starts at 1000 or more (`<w:start w:val="4111"/>` draws `4111.` before
 * the paragraph `1111 1111 1111`, which is read apart from it: attacker round 44). Linear time.
 *
 * @example
 * ```ts
 * unreadListNumbers('<w:lvl w:ilvl="0"><w:start w:val="4111"/><w:lvlText w:val="%1."/></w:lvl>'); // a reason
 * ```
 */
export function unreadListNumbers(xml: string): string | undefined {
  if (!xml.includes('lvl')) return undefined;
  const { labels, highest } = listLabels(xml);
  if (highest >= 1000) return `a Word list numbered from ${highest}, drawn apart from the text it numbers`;
  const long = labels.find((label) => (label.match(/[0-9]/g)?.length ?? 0) >= 8);
  return long ? `a Word list label of many digits, drawn apart from the text it numbers` : undefined;
}

// Each level's label with `%N` as level N's start number (the first item's label), one pass over the tags.
function listLabels(xml: string): { labels: string[]; highest: number } {
  const labels: string[] = [];
  let highest = 0;
  let starts: number[] = [];
  let level: { ilvl: number; text?: string } | undefined;
  const settle = () => {
    const text = level?.text;
    if (text)
      labels.push(
        `<p>${text.replaceAll('>', '&gt;').replace(/%([1-9])/g, (_, n: string) => String(starts[Number(n) - 1] ?? 1))}</p>`,
      );
    level = undefined;
  };
  LEVEL_TAGS.lastIndex = 0;
  for (let m = LEVEL_TAGS.exec(xml); m; m = LEVEL_TAGS.exec(xml)) {
    if (m[1]) {
      if (m[2] === 'lvl') settle();
      continue;
    }
    const from = m.index + m[0].length;
    const end = tagEnd(xml, from);
    if (end < 0) break;
    LEVEL_TAGS.lastIndex = end + 1;
    const attributes = xml.slice(from, end);
    if (m[2] === 'lvl') {
      settle();
      const ilvl = Number(
        /^\s*([0-8])\s*$/.exec(charRefsDecoded(attribute(attributes, 'ilvl') ?? ''))?.[1] ?? 0,
      );
      if (ilvl === 0) starts = [];
      starts[ilvl] = 1;
      level = { ilvl };
    } else if (level && m[2] === 'start') {
      const start = /^\s*\+?0*([0-9]{1,9})\s*$/.exec(
        charRefsDecoded(attribute(attributes, 'val') ?? ''),
      )?.[1];
      starts[level.ilvl] = Number(start ?? 1);
      highest = Math.max(highest, starts[level.ilvl] ?? 0);
    } else if (level) level.text = attribute(attributes, 'val');
  }
  settle();
  return { labels, highest };
}

// The `>` that ends a tag whose attributes start at `from`, past quoted values; -1 when none does.
function tagEnd(xml: string, from: number): number {
  for (let i = from, quote = ''; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

// The value of the attribute named `local` (any prefix) among a tag's attributes. One pass: a regex retried
// at each position of a long name not followed by `=` would be quadratic.
function attribute(attributes: string, local: string): string | undefined {
  const n = attributes.length;
  let i = 0;
  while (i < n) {
    while (i < n && SEPARATOR.test(attributes[i] as string)) i++;
    const nameStart = i;
    while (i < n && !SEPARATOR.test(attributes[i] as string) && attributes[i] !== '=') i++;
    const name = attributes.slice(nameStart, i);
    let k = i;
    while (k < n && SPACE.test(attributes[k] as string)) k++;
    if (name === '' || attributes[k] !== '=') {
      if (name === '') i++;
      continue;
    }
    k++;
    while (k < n && SPACE.test(attributes[k] as string)) k++;
    const quote = attributes[k];
    if (quote !== '"' && quote !== "'") {
      i = k;
      continue;
    }
    const close = attributes.indexOf(quote, k + 1);
    if (close < 0) {
      i = k + 1; // an unclosed quote is no value: what follows it is read as attributes
      continue;
    }
    if (name.replace(/^[^:]*:/, '') === local) return attributes.slice(k + 1, close);
    i = close + 1;
  }
  return undefined;
}
const SPACE = /\s/;
const SEPARATOR = /[\s/]/;

// A number written with character references (`&#49;111`) is the number.
const charRefsDecoded = (value: string) =>
  value.replace(/&#(?:x([0-9a-f]{1,6})|([0-9]{1,7}));/gi, (ref, hex?: string, dec?: string) => {
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
