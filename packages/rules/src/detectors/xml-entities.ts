// An XML page's internal general entities (`<!ENTITY c "4111 …">` … `&c;`), which XML readers (expat, libxml2: an SVG
// a client draws, an attached XML file) write where each reference stands, while an HTML reading drops the doctype
// (attacker round 42). Expanded as written, nested ones too, within a budget.

const DECLARATION = /<!ENTITY\s{1,64}([^\s%"'<>]{1,64})\s{1,64}(["'])/g;
const MAX_ENTITIES = 256;
const MAX_PASSES = 4;

/**
 * The page with its internal general entities' references replaced by their texts (parameter and external entities
 * are not: clients fetch none), or `over` when the expansion would pass `budget` characters (the page is then not
 * known as readers show it). Linear in the page and the budget.
 *
 * @example
 * ```ts
 * withEntities('<!DOCTYPE s [<!ENTITY c "41">]><t>&c;</t>', 1e6); // { text: '<!DOCTYPE s [<!ENTITY c "41">]><t>41</t>' }
 * ```
 */
export function withEntities(page: string, budget: number): { text: string; over?: true } {
  if (!page.includes('<!ENTITY')) return { text: page };
  const texts = new Map<string, string>();
  const declarations = new RegExp(DECLARATION);
  for (let m = declarations.exec(page); m && texts.size < MAX_ENTITIES; m = declarations.exec(page)) {
    const from = m.index + m[0].length;
    const close = page.indexOf(m[2] as string, from);
    if (close < 0) break;
    // The first declaration of a name binds (XML 1.0, 4.2).
    if (!texts.has(m[1] as string)) texts.set(m[1] as string, page.slice(from, close));
    declarations.lastIndex = close + 1;
  }
  if (texts.size === 0) return { text: page };
  let text = page;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let size = 0;
    let changed = false;
    const next = text.replace(/&([^\s&;#<>"']{1,64});/g, (whole, name: string) => {
      const value = texts.get(name);
      if (value === undefined) return whole;
      changed = true;
      size += value.length;
      return size > budget ? '' : value;
    });
    if (size > budget || next.length > budget) return { text, over: true };
    if (!changed) return { text: next };
    text = next;
  }
  return /&([^\s&;#<>"']{1,64});/.test(text) && [...texts.keys()].some((k) => text.includes(`&${k};`))
    ? { text, over: true }
    : { text };
}
