import { luminance, parseColor } from './css-values.js';
import { decodeEntities } from './html-text.js';
import { tagLeavesGap, tagNameAt } from './tag-gaps.js';

/**
 * The text of an Office document's XML part as Word shows it: runs whose properties hide them (`<w:vanish/>`,
 * white text (theme colour background 1 too) on no dark shading, a size under 4 points) are left out. Elements nest exactly
 * as written (XML); CDATA is text. One pass, linear in the input. The detectors match it beside the full
 * reading, as {@link htmlShownTexts} for HTML.
 *
 * @example
 * ```ts
 * xmlShownText('<w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r><w:r><w:t>1111</w:t></w:r>'); // '…1111…'
 * ```
 */
export function xmlShownText(xml: string): string {
  return xmlShownTexts(xml)[0] as string;
}

/**
 * {@link xmlShownText}, and the document's text with every short piece of text without a digit left out
 * (at most 16 characters other than white space, each text between tags): whatever Word hides a letter
 * with (a tracked deletion, a field code, a fallback, a style, another namespace prefix), the groups join.
 *
 * @example
 * ```ts
 * xmlShownTexts('<w:t>4111 1111</w:t><w:delText>x</w:delText><w:t> 1111 1111</w:t>')[1]; // '…4111 1111… 1111 1111…'
 * ```
 */
export function xmlShownTexts(xml: string): string[] {
  const snippets: string[] = [];
  const shown = readXml(xml, snippets);
  return [shown, decodeEntities(snippets.join(''))];
}

function readXml(xml: string, snippets: string[]): string {
  const out: string[] = [];
  const stack: { name: string; local: string; hidden: boolean; styled?: boolean; props?: RunProps }[] = [];
  const open = new Map<string, number>();
  let hidden = 0;
  // Open elements that keep text from the page (a deletion, a field code, a fallback), and open runs that set
  // properties: a short text inside either may be a hidden letter, and drops out of the snippet reading.
  let unshown = 0;
  let styledRuns = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text && hidden === 0) out.push(text);
    const snippet = !/\d/.test(text) && text.replace(/\s+/g, '').length <= 16;
    if (!snippet || (unshown === 0 && styledRuns === 0)) snippets.push(text);
    if (lt < 0) break;
    // Runs and their properties join the text around them; paragraphs, cells, tabs and breaks keep it apart.
    if (tagLeavesGap(tagNameAt(xml, lt))) {
      out.push(' ');
      snippets.push(' ');
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (hidden === 0) out.push(xml.slice(lt + 9, end < 0 ? xml.length : end));
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    const close = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt + 4) : tagEnd(xml, lt);
    if (close < 0) break;
    const tag = xml.slice(lt + 1, close);
    i = close + (xml.startsWith('<!--', lt) ? 3 : 1);
    if (tag.startsWith('!') || tag.startsWith('?')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      // An end tag with nothing open of its name changes nothing (counted, so none is searched for).
      if (!open.get(name)) continue;
      for (;;) {
        const entry = stack.pop() as (typeof stack)[number];
        open.set(entry.name, (open.get(entry.name) ?? 1) - 1);
        if (entry.hidden) hidden--;
        if (UNSHOWN.has(entry.local)) unshown--;
        if (entry.styled) styledRuns--;
        if (BLOCKS.has(entry.local)) snippets.push(APART);
        // A run's properties are all read at </w:rPr>: decide there whether the run shows.
        const run = stack.at(-1);
        if (
          entry.local === 'rPr' &&
          entry.props &&
          run?.local === 'r' &&
          hidesRun(entry.props) &&
          !run.hidden
        ) {
          run.hidden = true;
          hidden++;
        }
        if (entry.name === name) break;
      }
      continue;
    }
    const name = /^[^\s/>]+/.exec(tag)?.[0] ?? '';
    const local = name.slice(name.indexOf(':') + 1);
    const top = stack.at(-1);
    if (top?.local === 'rPr' && top.props) readRunProperty(local, tag, top.props);
    // A run whose properties include one Word's reading here does not know (a character style, a width…).
    const run = stack.at(-2);
    if (top?.local === 'rPr' && run?.local === 'r' && !run.styled && !KNOWN_RUN_PROPERTIES.has(local)) {
      run.styled = true;
      styledRuns++;
    }
    if (!tag.endsWith('/')) {
      stack.push({ name, local, hidden: false, ...(local === 'rPr' ? { props: {} } : {}) });
      open.set(name, (open.get(name) ?? 0) + 1);
      if (UNSHOWN.has(local)) unshown++;
      if (BLOCKS.has(local)) snippets.push(APART);
    }
  }
  return decodeEntities(out.join(''));
}

// Run properties that only change a font, weight, language or direction, or that the shown reading models.
const KNOWN_RUN_PROPERTIES = new Set([
  'rFonts',
  'b',
  'bCs',
  'i',
  'iCs',
  'u',
  'strike',
  'dstrike',
  'caps',
  'smallCaps',
  'sz',
  'szCs',
  'lang',
  'rtl',
  'cs',
  'noProof',
  'kern',
  'color',
  'shd',
  'highlight',
  'vanish',
  'webHidden',
  'specVanish',
  'vertAlign',
  'eastAsianLayout',
  'snapToGrid',
  'spacing',
  'emboss',
  'imprint',
  'outline',
  'shadow',
  'em',
  'oMath',
]);
// Word's paragraphs, cells, rows and tables keep their texts apart in the snippet reading.
const BLOCKS = new Set(['p', 'tc', 'tr', 'tbl', 'txbxContent']);
const UNSHOWN = new Set(['del', 'delText', 'instrText', 'Fallback']);
// Keeps pieces apart: no separator joins digit groups across it.
const APART = ' \u00b6 ';

interface RunProps {
  vanish?: boolean;
  color?: string;
  fill?: string;
  halfPoints?: number;
}

const FALSE = /^(?:false|0|off)$/i;

// Properties are read by their local names (`w:`, or any other prefix bound to Word's namespace).
function readRunProperty(local: string, tag: string, props: RunProps): void {
  const val = /\b(?:[\w-]+:)?val\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
  // webHidden text shows in Print Layout, Word's default view: it does not count as hidden.
  if (local === 'vanish' || local === 'specVanish') props.vanish = !FALSE.test(val ?? '');
  else if (local === 'color') {
    const theme = /\b(?:[\w-]+:)?themeColor\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
    props.color = theme && /^(?:background1|bg1|light1)$/i.test(theme) ? 'FFFFFF' : val;
  } else if (local === 'sz') props.halfPoints = Number(val);
  else if (local === 'shd') props.fill = /\b(?:[\w-]+:)?fill\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
  else if (local === 'highlight' && val && val !== 'none') props.fill = val;
}

function hidesRun(props: RunProps): boolean {
  if (props.vanish) return true;
  if (props.halfPoints !== undefined && Number.isFinite(props.halfPoints) && props.halfPoints < 8)
    return true;
  const color =
    props.color && /^[0-9a-f]{6}$/i.test(props.color)
      ? parseColor(`#${props.color.toLowerCase()}`)
      : undefined;
  if (!color || luminance(color) < 0.85) return false;
  const fill =
    props.fill && /^[0-9a-f]{6}$/i.test(props.fill) ? parseColor(`#${props.fill.toLowerCase()}`) : undefined;
  const darkFill = fill ? luminance(fill) < 0.5 : !!props.fill && !/^(?:auto|white|none)$/i.test(props.fill);
  return !darkFill;
}

// The `>` that ends the tag opened at `lt`, past quoted attribute values.
function tagEnd(xml: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}
