import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { outlookCondition } from '../../message/html-readers.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/**
 * The page as Outlook for Windows (its Word engine) reads it, for attacker round 102's tests: its conditional comments
 * handled in the source as it goes (`<!--[if mso]>X<![endif]-->` becomes X; `<!--[if !mso]><!-->` … `<!--<![endif]-->`
 * and `<![if !mso]>` … `<![endif]>` are skipped), then parsed, and the text it shows listed in order, without what
 * `mso-hide:all` hides. Conservative where Word is not known: an element hidden so hides all it holds, whatever they
 * say (a child's `mso-hide:none` does not bring it back); a `<style>` rule with a type, class or id selector applies
 * (inline declarations win over it).
 */
export function outlookShows(html: string): string {
  let source = '';
  let i = 0;
  let skipping = false;
  const conditional =
    /<!--\[if([^\]]*)\]>(<!-*>)?|<!\[if([^\]]*)\]>|<!--<!\[endif\]-->|<!\[endif\]-->|<!\[endif\]>|(<!--[\s\S]*?-->)/gi;
  for (let m = conditional.exec(html); m; m = conditional.exec(html)) {
    if (!skipping) source += html.slice(i, m.index);
    i = m.index + m[0].length;
    if (m[4] !== undefined) {
      if (!skipping) source += m[4]; // a plain comment, as a browser reads it
      continue;
    }
    const expression = m[1] ?? m[3];
    if (expression === undefined) {
      skipping = false; // an endif
      continue;
    }
    if (skipping) continue;
    const shown = wordCondition(expression);
    if (m[3] !== undefined || m[2] !== undefined)
      skipping = !shown; // revealed: browsers see what follows
    else if (!shown) {
      // Hidden from Outlook too: skip to its endif.
      const end = html.toLowerCase().indexOf('<![endif]-->', i);
      i = end === -1 ? html.length : end + '<![endif]-->'.length;
      conditional.lastIndex = i;
    }
  }
  if (!skipping) source += html.slice(i);
  const doc = parse(source);
  const rules = sheetRules(doc);
  const out: string[] = [];
  walk(doc, false, rules, out);
  return out.join(' ').replace(/\s+/g, ' ');
}

// Word holds its own features true (`supportLists`, `supportFields`…: Word's HTML hides list bullets it draws itself
// with `<![if !supportLists]>`), and IE's `true` and `false` literals as they say.
function wordCondition(expression: string): boolean {
  return outlookCondition(
    expression
      .trim()
      .replace(/\bsupport\w+|\btrue\b/gi, 'mso')
      .replace(/\bfalse\b/gi, 'ie'),
  );
}

function walk(node: Node, hidden: boolean, rules: Rule[], out: string[]): void {
  if (node.nodeName === '#text') {
    if (!hidden) out.push((node as DefaultTreeAdapterMap['textNode']).value);
    return;
  }
  let gone = hidden;
  if ('tagName' in node) {
    if (['style', 'script', 'head', 'title', 'xml'].includes(node.tagName)) return;
    if (msoHide(node, rules) === 'all') gone = true;
  }
  if ('childNodes' in node) for (const child of node.childNodes) walk(child, gone, rules, out);
}

interface Rule {
  selector: string;
  value: string;
}

function sheetRules(node: Node, out: Rule[] = []): Rule[] {
  if ('tagName' in node && node.tagName === 'style') {
    const css = node.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
    for (const m of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const value = /mso-hide\s*:\s*([a-z]+)/i.exec(m[2] as string)?.[1];
      if (value) for (const s of (m[1] as string).split(',')) out.push({ selector: s.trim(), value });
    }
  }
  if ('childNodes' in node) for (const child of node.childNodes) sheetRules(child, out);
  return out;
}

function msoHide(e: Element, rules: Rule[]): string | undefined {
  const inline = e.attrs.find((a) => a.name === 'style')?.value ?? '';
  const own = [...inline.matchAll(/mso-hide\s*:\s*([a-z]+)/gi)].at(-1)?.[1];
  if (own) return own.toLowerCase();
  const classes = (e.attrs.find((a) => a.name === 'class')?.value ?? '').split(/\s+/);
  const id = e.attrs.find((a) => a.name === 'id')?.value;
  let value: string | undefined;
  for (const r of rules)
    if (
      r.selector === '*' ||
      r.selector === e.tagName ||
      (r.selector.startsWith('.') && classes.includes(r.selector.slice(1))) ||
      (r.selector.startsWith('#') && r.selector.slice(1) === id)
    )
      value = r.value.toLowerCase();
  return value;
}
