import type { DefaultTreeAdapterMap } from 'parse5';
import { dataUrlText } from './css-rules.js';

// The parse5 tree as the shown-text reading (html-shown.ts) walks it: its elements in document order, their
// attributes, the stylesheets they carry.

export type Node = DefaultTreeAdapterMap['childNode'];
export type Element = DefaultTreeAdapterMap['element'];
export type Parent = DefaultTreeAdapterMap['parentNode'];

export const HTML_NS = 'http://www.w3.org/1999/xhtml';
export const SVG_NS = 'http://www.w3.org/2000/svg';
export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

// Keeps pieces apart: no separator joins digit groups across it.
export const APART = ' \u00b6 ';

// Every element under `root`, in document order, without recursion (a page may nest 100,000 deep).
export function* elements(root: Parent): Generator<Element> {
  const stack: Node[] = [...root.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (!('tagName' in node)) continue;
    yield node;
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
}

export function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

// The text of a <style> element, or of a <link> to a stylesheet the message carries itself (a data: URL).
export function styleSheetText(element: Element): string | undefined {
  if (element.tagName === 'style')
    return element.childNodes.map((n) => ('value' in n ? n.value : '')).join('');
  if (
    element.tagName === 'link' &&
    element.namespaceURI === HTML_NS &&
    /\bstylesheet\b/i.test(attribute(element, 'rel') ?? '')
  )
    return dataUrlText(attribute(element, 'href') ?? '');
  return undefined;
}
