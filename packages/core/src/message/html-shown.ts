import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { NO_DEADLINE, type ReadingDeadline, ReadingTimeUp, TIME_RAN_OUT } from '../mime/reading-deadline.js';
import { ownKeys, StyleCascade } from './css-cascade.js';
import { hidesSomething } from './css-hiding.js';
import { parseStylesheet, type SheetNotes, type StyleRule } from './css-rules.js';
import { ancestorKeys, MatchBudgetExceeded, ruleKey, unmodelledRule } from './css-selectors.js';
import { generatedContent } from './generated-content.js';
import { BOXES_TURNED, READERS } from './html-readers.js';
import { APART, attribute, elements, type Node, type Parent, styleSheetText } from './html-tree.js';
import { Page } from './shown-page.js';
import { HTML_BLOCKS, tagLeavesGap } from './tag-gaps.js';

/** What {@link htmlShownTexts} read: one text per kind of reader, or why it could not. */
export interface ShownTexts {
  texts: string[];
  /** Set when the page could not be read as shown within its bounds (the caller counts it unread). */
  undecided?: string;
}

const MAX_RULES = 5000;
// Markup that may float, place or move a box, or lay boxes right to left (attacker round 99): any other page's
// children are read as written, and nothing is placed. Escapes and stylesheets from elsewhere are in it too.
const PLACING =
  /float|align|position|inset|left|right|transform|translate|rotate|margin|direction|dir\b|<svg|<text|\\|@import|data:/i;

/**
 * The text of an HTML body as its readers are shown it, one text per kind of reader (a desktop browser, a
 * phone, dark mode, Outlook for Windows, a webmail view without stylesheets; equal texts once): the page is
 * built as browsers build it (parse5: misnested tags, tables, SVG and MathML, character references), the
 * stylesheets and inline styles cascade onto it, and text a reader cannot see is left out — `display:none`,
 * `visibility:hidden`, a font under 4px, text the colour of what is behind it, transparent, clipped,
 * scaled or moved out of sight, `hidden`, scripts, closed `<details>`, Outlook's conditional comments and
 * `mso-hide:all` for Outlook alone. The detectors match these beside the full text ({@link htmlToText}):
 * a letter a page hides between two digit groups cannot split a number a reader sees whole. Linear parse;
 * selector matching and generated boxes are bounded, and a page over a bound, or still being read at the
 * `deadline`, is `undecided`.
 *
 * @example
 * ```ts
 * htmlShownTexts('<p>4111 1111<span style="display:none">x</span> 1111 1111</p>').texts[0]; // ' 4111 1111   1111 1111 '
 * ```
 */
export function htmlShownTexts(html: string, deadline: ReadingDeadline = NO_DEADLINE): ShownTexts {
  const document = parse(html, { scriptingEnabled: false });
  const notes: SheetNotes = {};
  const all = collectRules(document, notes);
  if (notes.undecided) return { texts: [], undecided: notes.undecided };
  // A declarative shadow root draws its own tree in its host, and the host's children only where a slot takes
  // them: not laid out here (attacker round 46).
  if (hasShadowRoot(document)) return { texts: [], undecided: 'a declarative shadow root' };
  // A `::first-line` rule styles the first line a box lays out (a decoy line above the groups an inline-block
  // draws on the baseline), which depends on widths the readers do not lay out (attacker round 48 read-back).
  // Any sheet the page applies counts: <style>, a data: <link>, and what they @import (attacker round 49).
  if (notes.firstLine) return { texts: [], undecided: 'a ::first-line rule (lines are not laid out)' };
  const rules = all.filter((r) => !r.pseudo);
  const boxes = all.filter((r) => r.pseudo);
  if (rules.length > MAX_RULES || boxes.length > MAX_RULES)
    return { texts: [], undecided: `over ${MAX_RULES} style rules` };
  const page = new Page(possibleRules(rules, document), document.mode === 'quirks', deadline, notes);
  page.generated = new StyleCascade(possibleRules(boxes, document), document.mode === 'quirks');
  // Only a page whose markup may float, place or move boxes, or lay them right to left, has its boxes placed.
  page.mayPlace = PLACING.test(html);
  // The text stylesheets write themselves (`content:` of ::before and ::after).
  const texts = new Set<string>();
  const generated = generatedContent(document);
  if (generated.text) texts.add(generated.text);
  if (generated.undecided) return { texts: [...texts], undecided: generated.undecided };
  try {
    for (const reader of READERS) {
      for (const text of page.read(document, reader)) texts.add(text);
      if (page.undecided) break;
    }
    // Boxes whose drawn order is not decided are read the other way round too (attacker round 99).
    if (page.boxesUnsure && !page.undecided)
      for (const text of page.read(document, BOXES_TURNED)) texts.add(text);
  } catch (error) {
    if (error instanceof MatchBudgetExceeded)
      return { texts: [...texts], undecided: 'styles too costly to match' };
    if (error instanceof ReadingTimeUp) return { texts: [...texts], undecided: TIME_RAN_OUT };
    throw error;
  }
  if (page.undecided) return { texts: [...texts], undecided: page.undecided };
  // Then, where the readers could not tell whether a short text shows (a style they do not model), the
  // reading without those texts: a letter hidden by such a style between two groups drops out.
  const unknown =
    notes.unmodelled !== undefined ||
    rules.some((r) => unmodelledRule(r) && hidesSomething(r)) ||
    externalSheets(document);
  const drop = (node: Node) => unknown || page.uncertain.has(node);
  if (unknown || page.uncertain.size > 0) texts.add(withoutSnippets(document, false, drop, page.uncertain));
  // A `::first-letter` rule can hide each element's first letter (`.c::first-letter { font-size: 0 }`), with the
  // punctuation before it: read without every first letter, and without those that are no digit (a decoy before
  // the digits of a group, while the groups of other elements keep their first digits; attacker round 46).
  // The pseudo-element's name may be escaped (`::first-l\65tter`): any escaped pseudo-element counts too. A sheet
  // the page loads from a data: URL or imports is read decoded ({@link SheetNotes.firstLetter}; round 49).
  if (notes.firstLetter || /first-letter|::?[-\w]*\\/i.test(html)) {
    texts.add(withoutSnippets(document, FIRST_LETTER, drop));
    texts.add(withoutSnippets(document, FIRST_NON_DIGIT, drop));
  }
  return { texts: [...texts] };
}

// The rules that can match somewhere: each class, id and type they name is in the page (framework stylesheets
// bring hundreds of rules for classes a message does not use). Keys compared in lower case, so quirks too.
function possibleRules(rules: StyleRule[], document: Parent): StyleRule[] {
  if (rules.length === 0) return rules;
  const present = new Set<string>(['*']);
  for (const element of elements(document)) for (const key of ownKeys(element)) present.add(key);
  return rules.filter(
    (rule) => present.has(ruleKey(rule)) && ancestorKeys(rule).every((k) => present.has(k)),
  );
}

/** Longest text, in characters other than white space, that the snippet reading drops when it has no digit. */
export const SNIPPET_CHARS = 16;

/**
 * The page's text with the short texts that could be hidden letters left out — a text of at most
 * {@link SNIPPET_CHARS} characters without a digit (`x`, `junk`) that is all an inline element holds
 * (`<span …>x</span>`, `<i>x</i>`), whatever hides it or not: a style hides text an element at a time, so a
 * letter a page hides between two digit groups with CSS no reader here models still drops out, and no
 * stylesheet can hide the digits from this reading. Blocks and table cells keep their texts apart (the labels
 * and amounts of an invoice never join), and so does prose (`order <b>5000</b> of <b>3</b>`: `of` is no
 * element's whole text). With a `::first-letter` rule on the page, each element's first letter is left out too.
 */
// An element's first letter as `::first-letter` takes it: punctuation and spaces before it, then one character.
const FIRST_LETTER = /^[\s\p{P}]*\S/u;
const FIRST_NON_DIGIT = /^[\s\p{P}]*[^\s\p{Nd}]/u;

function withoutSnippets(
  document: Parent,
  firstLetters: RegExp | false,
  droppable: (node: Node) => boolean,
  uncertain: ReadonlySet<Node> = new Set(),
): string {
  const out: string[] = [];
  const first = firstLetters ? firstTexts(document) : undefined;
  const stack: (Node | typeof BREAK)[] = [...document.childNodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Node | typeof BREAK;
    if (node === BREAK) {
      out.push(APART);
      continue;
    }
    if (node.nodeName === '#text') {
      let text = (node as DefaultTreeAdapterMap['textNode']).value;
      const parent = node.parentNode as Parent;
      if (firstLetters && first?.has(node)) text = text.replace(firstLetters, '');
      // Any text without a digit under a style the readers cannot work out; elsewhere only short ones.
      const digitFree = !/\d/.test(text);
      const snippet = digitFree && (text.replace(/\s+/g, '').length <= SNIPPET_CHARS || uncertain.has(node));
      if (!snippet || !droppable(node) || !wholeOfInline(parent)) out.push(text);
      continue;
    }
    if (!('tagName' in node) || node.tagName === 'script' || node.tagName === 'style') continue;
    if (node.tagName === 'input') out.push(' ', attribute(node, 'value') ?? '', ' ');
    const block = HTML_BLOCKS.has(node.tagName);
    if (block) {
      out.push(APART);
      stack.push(BREAK);
    } else if (tagLeavesGap(node.tagName)) out.push(' ');
    for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i] as Node);
  }
  return out.join('');
}

// The text nodes holding an element's first letter: its first text with more than white space, past comments,
// white space and elements holding no text (`<b></b>X1111`: X is the first letter; attacker round 48). Linear:
// whether an element holds text is worked out once, children before parents.
function firstTexts(document: Parent): Set<Node> {
  const holdsText = new Map<Parent, boolean>();
  const first = new Set<Node>();
  const order: Parent[] = [];
  const stack: Parent[] = [document];
  while (stack.length > 0) {
    const parent = stack.pop() as Parent;
    order.push(parent);
    for (const child of parent.childNodes) if ('tagName' in child) stack.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const parent = order[i] as Parent;
    let holds = false;
    let found = false;
    for (const child of parent.childNodes as Node[]) {
      const text =
        child.nodeName === '#text' && /\S/.test((child as DefaultTreeAdapterMap['textNode']).value);
      const has = text || ('tagName' in child && holdsText.get(child as Parent) === true);
      if (!has) continue;
      holds = true;
      if (!found && text) first.add(child);
      found = true;
    }
    holdsText.set(parent, holds);
  }
  return first;
}

const BREAK = Symbol('block end');
// An inline element whose whole text is this one snippet (white space aside; empty elements beside it do not
// count). Looks at no more than 64 nodes under it.
function wholeOfInline(parent: Parent): boolean {
  if (!('tagName' in parent) || HTML_BLOCKS.has(parent.tagName)) return false;
  let texts = 0;
  let seen = 0;
  const stack: Node[] = [...parent.childNodes];
  while (stack.length > 0) {
    if (++seen > 64) return false;
    const node = stack.pop() as Node;
    if (node.nodeName === '#text') {
      if ((node as DefaultTreeAdapterMap['textNode']).value.trim() !== '' && ++texts > 1) return false;
    } else if ('tagName' in node) stack.push(...node.childNodes);
  }
  return texts === 1;
}

// Every <style> element's rules in document order (not those in a template), with its media attribute.
function collectRules(document: Parent, notes: SheetNotes): StyleRule[] {
  const rules: StyleRule[] = [];
  for (const element of elements(document)) {
    // A <style> in inline SVG applies to the whole page, as an HTML one does.
    // A <link> to a stylesheet the message carries itself (a data: URL) applies as a <style> would.
    const css = styleSheetText(element);
    if (css === undefined) continue;
    const media = attribute(element, 'media')?.trim().toLowerCase();
    rules.push(...parseStylesheet(css, rules.length, media && media !== 'all' ? media : undefined, notes));
  }
  return rules;
}

function hasShadowRoot(document: Parent): boolean {
  for (const element of elements(document))
    if (
      element.tagName === 'template' &&
      (attribute(element, 'shadowrootmode') !== undefined || attribute(element, 'shadowroot') !== undefined)
    )
      return true;
  return false;
}

// A stylesheet the message does not carry (a <link> to a URL, an @import of one): its rules are not known.
function externalSheets(document: Parent): boolean {
  for (const element of elements(document)) {
    if (element.tagName === 'link' && /\bstylesheet\b/i.test(attribute(element, 'rel') ?? '')) {
      if (!/^\s*data:/i.test(attribute(element, 'href') ?? '')) return true;
    }
    if (element.tagName === 'style') {
      const css = element.childNodes.map((n) => ('value' in n ? n.value : '')).join('');
      if (/@import\s+(?:url\(\s*)?["']?(?!data:)/i.test(css)) return true;
    }
  }
  return false;
}
