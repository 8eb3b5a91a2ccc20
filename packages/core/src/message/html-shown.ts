import { cssPlain, declarationsHide, type HidingRules, hidingRules } from './html-hiding.js';
import { commentEnd, decodeEntities, type ReferenceDecoder, startsTag } from './html-text.js';

/**
 * The text of an HTML body (or an Office document's XML) as its reader is shown it: {@link htmlToText}'s
 * reading without what the page hides — elements hidden by an inline style, a `<style>` rule, the `hidden`
 * attribute or Word's `<w:vanish/>`, and the content of `<script>`, `<style>`, `<head>`, `<template>`.
 * Only inputs' values and placeholders are read of the attributes (alt text and tooltips are in the full
 * reading). Elements nest as a browser nests them for the purpose: an end tag closes its element and those
 * opened inside it, but not across a block (`<div>`, `<td>`…) opened since, and is ignored when no such
 * element is open; a `/>` does not close an HTML element. One pass, linear in the input.
 *
 * @example
 * ```ts
 * htmlToShownText('4111 <span style="display:none">x</span>1111'); // '4111  1111' (give or take spaces)
 * ```
 */
export function htmlToShownText(html: string, named?: ReferenceDecoder): string {
  const rules = hidingRules(html);
  const out: string[] = [];
  const tree = new OpenElements();
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      if (!tree.hidden) out.push(html.slice(i));
      break;
    }
    if (!startsTag(html.charCodeAt(lt + 1))) {
      if (!tree.hidden) out.push(html.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    if (!tree.hidden) out.push(html.slice(i, lt));
    out.push(' ');
    if (html.startsWith('<!--', lt)) {
      const [end, length] = commentEnd(html, lt);
      if (end < 0) break;
      i = end + length;
      continue;
    }
    const tag = readTag(html, lt);
    if (!tag) break; // a tag never closed: nothing after it is shown
    i = tag.end + 1;
    if (!tag.name) continue;
    if (tag.closing) {
      tree.close(tag.name);
      continue;
    }
    if (VANISH.has(tag.name)) {
      if (!/^(?:false|0|off)$/i.test(attribute(tag, 'w:val') ?? '')) tree.hideRun();
      continue;
    }
    const hides = elementHides(tag, rules, named);
    if (!hides && !tree.hidden) shownValues(tag, out);
    if (RAW_TEXT.has(tag.name)) {
      const close = rawTextEnd(html, i, tag.name);
      if (SHOWN_RAW_TEXT.has(tag.name) && !hides && !tree.hidden) out.push(html.slice(i, close));
      if (close >= html.length) break;
      i = close;
      continue;
    }
    if (tag.name === 'plaintext') {
      if (!hides && !tree.hidden) out.push(html.slice(i));
      break;
    }
    if (!VOID.has(tag.name)) tree.open(tag.name, hides);
  }
  return decodeEntities(out.join(''), named);
}

interface Tag {
  end: number;
  /** Lower case; undefined for a doctype, a processing instruction or a bogus comment. */
  name?: string;
  closing: boolean;
  attributes: [string, string][];
}

// Elements whose content is not markup to the tokenizer; of these, only a textarea's and an xmp's is shown.
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'title', 'textarea']);
const SHOWN_RAW_TEXT = new Set(['textarea', 'xmp']);
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'bgsound',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
// Elements whose content a mail reader does not show as text (or only as a widget's, or as a fallback).
const UNSHOWN = new Set([
  'head',
  'template',
  'select',
  'datalist',
  'canvas',
  'video',
  'audio',
  'object',
  'applet',
]);
// Word's hidden-text run properties.
const VANISH = new Set(['w:vanish', 'w:webhidden', 'w:specvanish']);
// An end tag of an ordinary element does not close across these (the HTML parser's "special" elements)…
const SPECIAL = new Set([
  'address',
  'applet',
  'area',
  'article',
  'aside',
  'base',
  'basefont',
  'bgsound',
  'blockquote',
  'body',
  'br',
  'button',
  'caption',
  'center',
  'col',
  'colgroup',
  'dd',
  'details',
  'dir',
  'div',
  'dl',
  'dt',
  'embed',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'frame',
  'frameset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'head',
  'header',
  'hgroup',
  'hr',
  'html',
  'iframe',
  'img',
  'input',
  'keygen',
  'li',
  'link',
  'listing',
  'main',
  'marquee',
  'menu',
  'meta',
  'nav',
  'noembed',
  'noframes',
  'noscript',
  'object',
  'ol',
  'p',
  'param',
  'plaintext',
  'pre',
  'script',
  'search',
  'section',
  'select',
  'source',
  'style',
  'summary',
  'table',
  'tbody',
  'td',
  'template',
  'textarea',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'track',
  'ul',
  'wbr',
  'xmp',
]);
// … and one of a special element does not close across these (the parser's scope boundaries).
const SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template']);

/** The stack of open elements, with O(1) answers to "is any of them hidden" and "what would `</x>` close". */
class OpenElements {
  private names: string[] = [];
  private hides: boolean[] = [];
  // For each open element, the index of the nearest special (scope) element at or below it, or -1.
  private special: number[] = [];
  private scope: number[] = [];
  // For each name, the indexes where it is open.
  private byName = new Map<string, number[]>();
  hidden = 0;

  open(name: string, hides: boolean): void {
    const at = this.names.length;
    this.names.push(name);
    this.hides.push(hides);
    if (hides) this.hidden++;
    this.special.push(SPECIAL.has(name) ? at : (this.special[at - 1] ?? -1));
    this.scope.push(SCOPE.has(name) ? at : (this.scope[at - 1] ?? -1));
    const list = this.byName.get(name);
    if (list) list.push(at);
    else this.byName.set(name, [at]);
  }

  close(name: string): void {
    const at = this.byName.get(name)?.at(-1);
    if (at === undefined) return;
    const top = this.names.length - 1;
    const blocking = SPECIAL.has(name) ? this.scope[top] : this.special[top];
    if ((blocking ?? -1) > at) return;
    while (this.names.length > at) this.pop();
  }

  /** Word's `<w:vanish/>`: the run (`<w:r>`) whose properties it is in is hidden. */
  hideRun(): void {
    for (let k = this.names.length - 1; k >= Math.max(0, this.names.length - 3); k--) {
      if (this.names[k] !== 'w:r') continue;
      if (!this.hides[k]) {
        this.hides[k] = true;
        this.hidden++;
      }
      return;
    }
  }

  private pop(): void {
    const name = this.names.pop() as string;
    if (this.hides.pop()) this.hidden--;
    this.special.pop();
    this.scope.pop();
    this.byName.get(name)?.pop();
  }
}

function elementHides(tag: Tag, rules: HidingRules, named?: ReferenceDecoder): boolean {
  const name = tag.name as string;
  if (UNSHOWN.has(name) || rules.all || rules.tags.has(name)) return true;
  for (const [key, raw] of tag.attributes) {
    if (key === 'hidden') return true;
    const value = decodeEntities(raw, named);
    if (key === 'style' && declarationsHide(cssPlain(value))) return true;
    if (key === 'color' && declarationsHide(`color:${cssPlain(value)}`)) return true;
    if (
      key === 'class' &&
      value
        .toLowerCase()
        .split(/[ \t\r\n\f]+/)
        .some((c) => rules.classes.has(c))
    )
      return true;
    if (key === 'id' && rules.ids.has(value.toLowerCase().trim())) return true;
    if (key === 'type' && name === 'input' && /^\s*hidden\s*$/i.test(value)) return true;
  }
  return false;
}

function attribute(tag: Tag, name: string): string | undefined {
  return tag.attributes.find(([key]) => key === name)?.[1];
}

// What an input shows: its value, or its placeholder while empty.
function shownValues(tag: Tag, out: string[]): void {
  if (tag.name !== 'input') return;
  for (const [key, value] of tag.attributes)
    if (key === 'value' || key === 'placeholder') out.push(value, ' ');
}

// Where a raw text element's content ends: at `</name` followed by white space, `/` or `>` (or at the end).
function rawTextEnd(html: string, from: number, name: string): number {
  const close = RAW_CLOSE.get(name) ?? new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
  RAW_CLOSE.set(name, close);
  close.lastIndex = from;
  return close.exec(html)?.index ?? html.length;
}
const RAW_CLOSE = new Map<string, RegExp>();

/** One tag as HTML's tokenizer reads it (quoted values may hold `>`); undefined when it never ends. */
function readTag(html: string, lt: number): Tag | undefined {
  const n = html.length;
  const closing = html[lt + 1] === '/';
  let j = lt + (closing ? 2 : 1);
  const first = html.charCodeAt(j);
  const letter = (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
  if (!letter) {
    // `<!doctype>`, `<?xml ?>`, `</ >`: up to the next `>`.
    const end = html.indexOf('>', j);
    return end < 0 ? undefined : { end, closing, attributes: [] };
  }
  const start = j;
  while (j < n && !isTagSpace(html.charCodeAt(j)) && html[j] !== '/' && html[j] !== '>') j++;
  const name = html.slice(start, j).toLowerCase();
  const attributes: [string, string][] = [];
  while (j < n) {
    const c = html[j];
    if (c === '>') return { end: j, name, closing, attributes };
    if (c === '/' || isTagSpace(html.charCodeAt(j))) {
      j++;
      continue;
    }
    const from = j++;
    while (j < n && !isTagSpace(html.charCodeAt(j)) && !'/>='.includes(html[j] as string)) j++;
    const key = html.slice(from, j).toLowerCase();
    while (j < n && isTagSpace(html.charCodeAt(j))) j++;
    let value = '';
    if (html[j] === '=') {
      j++;
      while (j < n && isTagSpace(html.charCodeAt(j))) j++;
      const quote = html[j];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, j + 1);
        if (close < 0) return undefined;
        value = html.slice(j + 1, close);
        j = close + 1;
      } else {
        const from2 = j;
        while (j < n && !isTagSpace(html.charCodeAt(j)) && html[j] !== '>') j++;
        value = html.slice(from2, j);
      }
    }
    attributes.push([key, value]);
  }
  return undefined;
}

function isTagSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}
