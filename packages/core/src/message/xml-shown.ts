import { invisibleOn, luminance, parseColor, type Rgba } from './css-values.js';
import { decodeEntities } from './html-text.js';
import { tagLeavesGap, tagNameAt } from './tag-gaps.js';

/**
 * The text of an Office document's XML part as Word, Excel or an OpenDocument application shows it: runs whose
 * properties hide them (`<w:vanish/>`, white text (theme colour background 1 too) on no dark shading, text the
 * colour of its shading or of the page's background, a size under 4 points; a spreadsheet's rich-text run in
 * white) and OpenDocument text whose style hides it (`text:display="none"`, white, tiny) are left out, and
 * SpreadsheetML's `_xHHHH_` escapes are decoded. Elements nest exactly as written (XML); CDATA is text. One
 * pass, linear in the input. The detectors match it beside the full reading, as {@link htmlShownTexts} for HTML.
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
 * An OpenDocument's cell and field values are read too, each apart, as a last text ({@link odfValues}).
 *
 * @example
 * ```ts
 * xmlShownTexts('<w:t>4111 1111</w:t><w:delText>x</w:delText><w:t> 1111 1111</w:t>')[1]; // '…4111 1111… 1111 1111…'
 * ```
 */
export function xmlShownTexts(xml: string): string[] {
  const snippets: string[] = [];
  const alt: string[] = [];
  const values: string[] = [];
  const shown = readXml(xml, snippets, alt, values);
  const texts = [shown, xmlEscapesDecoded(decodeEntities(snippets.join(''))), ...alt];
  if (values.length > 0) texts.push(values.join(''));
  return texts;
}

function readXml(xml: string, snippets: string[], shownAlt: string[], values: string[]): string {
  const out: string[] = [];
  const stack: {
    name: string;
    local: string;
    hidden: boolean;
    styled?: boolean;
    props?: RunProps;
    style?: OdfStyle;
    // The colour of the text within (an OpenDocument style's; 'auto' contrasts), and the innermost backdrop
    // under it (a Word paragraph's, cell's or table's shading; an OpenDocument span's, paragraph's or cell's).
    ink?: Rgba | 'auto';
    back?: Rgba;
    // Text the colour of its backdrop (inked), or coloured on a page not known here (a short text drops out
    // of the snippet reading).
    inked?: boolean;
    inkUnsure?: boolean;
    // Where a paragraph's shown text starts, should a hidden-paragraph field hide it.
    from?: number;
  }[] = [];
  const open = new Map<string, number>();
  // The open paragraphs and headings (entries with `from`), innermost last: a hidden-paragraph field finds its
  // paragraph at once, however deep the elements around it.
  const paragraphs: (typeof stack)[number][] = [];
  // OpenDocument styles defined so far (automatic styles come before the body), by name.
  const styles = new Map<string, OdfStyle>();
  let page: Rgba | undefined;
  // An OpenDocument page layout's background: not met in this part (undefined), or several that differ (null).
  let odfPage: Rgba | null | undefined;
  // A spreadsheet's strings or sheet: the cells' fills are in styles.xml, not read with them.
  let sheet = false;
  // The workbook's cell fills (`<fills>`, put before the part from styles.xml): not known here (undefined), or
  // one whose colour is not known (null).
  let fills: Rgba[] | null | undefined;
  // The shown reading with every conditional text's if-false value (`out` has the if-true ones), once one is met.
  let alt: string[] | undefined;
  const emit = (piece: string) => {
    out.push(piece);
    alt?.push(piece);
  };
  let hidden = 0;
  // Open elements that keep text from the page (a deletion, a field code, a fallback), and open runs that set
  // properties: a short text inside either may be a hidden letter, and drops out of the snippet reading.
  let unshown = 0;
  let styledRuns = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    const at = stack.at(-1);
    if (text && hidden === 0 && !at?.inked) emit(text);
    const snippet = !/\d/.test(text) && text.replace(/\s+/g, '').length <= 16;
    if (!snippet || (unshown === 0 && styledRuns === 0 && !at?.inkUnsure)) snippets.push(text);
    if (lt < 0) break;
    // Runs and their properties join the text around them; paragraphs, cells, tabs and breaks keep it apart.
    if (tagLeavesGap(tagNameAt(xml, lt))) {
      emit(' ');
      snippets.push(' ');
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (hidden === 0 && !at?.inked) emit(xml.slice(lt + 9, end < 0 ? xml.length : end));
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
        if (entry.from !== undefined) paragraphs.pop();
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
          hidesRun(entry.props, run.back ?? page) &&
          !run.hidden
        ) {
          run.hidden = true;
          hidden++;
        }
        // A spreadsheet's run the colour of a fill of the workbook (its cell's may be) is read without it too.
        if (
          entry.local === 'rPr' &&
          sheet &&
          entry.props?.color &&
          run?.local === 'r' &&
          !run.styled &&
          likeFill(entry.props.color, fills)
        ) {
          run.styled = true;
          styledRuns++;
        }
        if (entry.style?.name && styles.size < MAX_STYLES)
          styles.set(entry.style.name, settled(entry.style, styles));
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
    // Word's page colour (`<w:background w:color="000000"/>`): text in it does not show.
    if (local === 'background' && top?.local === 'document') {
      const color = hexColor(colorOf(attributes(tag), 'color'));
      page = color ? parseColor(`#${color}`) : undefined;
    }
    // Shading of a Word paragraph, table cell or table: the backdrop of the runs within.
    if (local === 'shd' && /^(?:pPr|tcPr|tblPr)$/.test(top?.local ?? '')) {
      const owner = stack.at(-2);
      const fill = shading(attributes(tag));
      if (owner && `${owner.local}Pr` === top?.local && fill) owner.back = fill;
    }
    if (top?.style && local.endsWith('-properties')) {
      const a = attributes(tag);
      if (local === 'text-properties') readOdfProperties(a, top.style);
      const fill = odfFill(a);
      if (local !== 'page-layout-properties' && fill !== undefined) top.style.back = fill;
    }
    if (local === 'page-layout-properties') {
      const fill = odfFill(attributes(tag)) ?? WHITE;
      odfPage = odfPage === undefined || (odfPage && sameColour(odfPage, fill)) ? fill : null;
    }
    if (stack.length === 0 && (local === 'sst' || local === 'worksheet')) sheet = true;
    if (stack.length === 0 && local === 'fills' && fills === undefined) fills = [];
    if (
      fills &&
      stack[0]?.local === 'fills' &&
      (local === 'fgColor' || (local === 'color' && top?.local === 'stop'))
    ) {
      const hex = hexColor(colorOf(attributes(tag)));
      if (hex && fills.length < MAX_FILLS) fills.push(parseColor(`#${hex.toLowerCase()}`) as Rgba);
      else fills = null;
    }
    // An OpenDocument field hides its paragraph when its condition holds: the shown reading leaves it out.
    if (local === 'hidden-paragraph') {
      const paragraph = paragraphs.at(-1);
      if (paragraph?.from !== undefined && !paragraph.hidden) {
        out.length = Math.min(out.length, paragraph.from);
        if (alt) alt.length = Math.min(alt.length, paragraph.from);
        paragraph.hidden = true;
        hidden++;
      }
    }
    // A spreadsheet cell's (or a field's) value, as LibreOffice loads it, whatever its text shows.
    if (tag.includes('value') || tag.includes('formula')) odfValues(tag, local, values);
    else if ((local === 's' || local === 'n') && tag.includes('v')) pivotItem(tag, values);
    if (!tag.endsWith('/')) {
      const entry: (typeof stack)[number] = { name, local, hidden: false };
      if (top?.ink !== undefined) entry.ink = top.ink;
      if (top?.back) entry.back = top.back;
      if (local === 'rPr') entry.props = {};
      if (local === 'p' || local === 'h') entry.from = out.length;
      if (local === 'style' && tag.includes('name')) {
        const a = attributes(tag);
        entry.style = { name: a.get('name') ?? '', hides: false, unsure: false };
        const parent = a.get('parent-style-name');
        if (parent !== undefined) entry.style.parent = parent;
      }
      // OpenDocument text in a style that hides it; in a style not defined in this part (or several), a short
      // text drops out of the snippet reading, as in a Word run with a character style.
      if (tag.includes('style-name') || tag.includes('class-names')) {
        const a = attributes(tag);
        const styleName = a.get('style-name');
        const style = styleName === undefined ? undefined : styles.get(styleName);
        if (style?.ink !== undefined) entry.ink = style.ink;
        if (style?.back) entry.back = style.back;
        if (style?.hides) {
          entry.hidden = true;
          hidden++;
        } else if ((INLINE.has(local) && (style === undefined || style.unsure)) || a.has('class-names')) {
          entry.styled = true;
          styledRuns++;
        }
      }
      // OpenDocument text the colour of its backdrop (a span's, paragraph's or cell's background, else the
      // page's) does not show; on a page not known here it is read on white and, short, without it too.
      if (entry.ink && entry.ink !== 'auto') {
        const backdrop = entry.back ?? odfPage ?? WHITE;
        entry.inked = invisibleOn(entry.ink, backdrop);
        entry.inkUnsure = !entry.back && !odfPage;
      }
      // Hidden text shows only when its condition is false; conditional text shows one of its two values,
      // never the content written in it (each shown reading takes one value).
      const conditional = local === 'conditional-text';
      if (conditional) {
        const a = attributes(tag);
        alt ??= [...out];
        if (hidden === 0 && !entry.inked) {
          out.push(a.get('string-value-if-true') ?? '');
          alt?.push(a.get('string-value-if-false') ?? '');
          // The snippet reading takes a value with digits, else the shorter (none when either is empty).
          const values = [a.get('string-value-if-true') ?? '', a.get('string-value-if-false') ?? ''];
          const [yes, no] = values as [string, string];
          snippets.push(values.find((v) => /\d/.test(v)) ?? (yes.length <= no.length ? yes : no));
        }
      }
      if ((conditional || local === 'hidden-text') && !entry.hidden) {
        entry.hidden = true;
        hidden++;
      }
      stack.push(entry);
      if (entry.from !== undefined) paragraphs.push(entry);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (UNSHOWN.has(local)) unshown++;
      if (BLOCKS.has(local)) snippets.push(APART);
    }
  }
  if (alt) shownAlt.push(xmlEscapesDecoded(decodeEntities(alt.join(''))));
  return xmlEscapesDecoded(decodeEntities(out.join('')));
}

/**
 * An OpenDocument cell's values (`office:value`, `office:string-value`, `office:date-value`, `office:time-value`,
 * `office:boolean-value`) and formula (`table:formula`), on a table cell or any element with a value type (a
 * field's, a form control's), each pushed apart (APART before it): LibreOffice keeps a number there and writes
 * its cell text as displayed (`4.11111E+15`, `###`), but loads the value and shows it in the input line. A number
 * in another form than its plain digits (`4.111111111111111E+15`, `4111111111111111.0`) is also pushed as them
 * when it is an integer ({@link plainInteger}). Every attribute of those local names counts, not only the first,
 * and a value is read whether or not its cell's text shows (each stands apart, so none hides a letter between
 * groups). Linear in the tag.
 */
function odfValues(tag: string, local: string, values: string[]): void {
  const found: string[] = [];
  let typed = local === 'table-cell' || local === 'covered-table-cell';
  for (const m of tag.matchAll(ATTRIBUTE)) {
    const name = m[1] as string;
    const key = name.slice(name.indexOf(':') + 1);
    if (key === 'value-type') typed = true;
    else if (VALUE_ATTRIBUTES.has(key)) found.push(decodeEntities(m[2] ?? m[3] ?? ''));
  }
  if (!typed) return;
  for (const value of found) {
    if (!value.trim()) continue;
    values.push(APART, value);
    const plain = plainInteger(value);
    if (plain !== undefined && plain !== value.trim()) values.push(APART, plain);
  }
}

/**
 * An Excel pivot cache's item (`<s v="…"/>`, `<n v="…"/>` in a pivotCacheDefinition's shared items or a
 * pivotCacheRecords part): the source rows a pivot table summarises, which Excel saves with the file by default and
 * lays out as a sheet on Show Details (a double click on a total), even once their own sheet is deleted (attacker
 * round 60). Its `v` pushed apart, and a number in exponent form also as its digits. Linear in the tag.
 */
function pivotItem(tag: string, values: string[]): void {
  for (const m of tag.matchAll(ATTRIBUTE)) {
    const name = m[1] as string;
    if (name.slice(name.indexOf(':') + 1) !== 'v') continue;
    const value = decodeEntities(m[2] ?? m[3] ?? '');
    if (!value.trim()) continue;
    values.push(APART, value);
    const plain = plainInteger(value);
    if (plain !== undefined && plain !== value.trim()) values.push(APART, plain);
  }
}

const ATTRIBUTE = /(?<=\s)([^\s=/<>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const VALUE_ATTRIBUTES = new Set([
  'value',
  'string-value',
  'date-value',
  'time-value',
  'boolean-value',
  'formula',
]);
// An integer longer than this is no number a detector looks for: its expansion is not written out.
const MAX_PLAIN_DIGITS = 32;
const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

/**
 * A number written in decimal or exponent form (`4.111111111111111E+15`, `+4111111111111111.0`,
 * `41111111111111110E-1`) as its plain digits (`4111111111111111`, a `-` kept) when it is an integer of at most
 * {@link MAX_PLAIN_DIGITS} digits; else undefined. Linear in the value.
 *
 * @example
 * ```ts
 * plainInteger('4.111111111111111E+15'); // '4111111111111111'
 * plainInteger('1234.5'); // undefined
 * ```
 */
export function plainInteger(value: string): string | undefined {
  const m = NUMBER.exec(value.trim());
  if (!m || (!m[2] && !m[3])) return undefined;
  const whole = m[2] ?? '';
  const digits = whole + (m[3] ?? '');
  const point = whole.length + Number(m[4] ?? 0);
  if (point < 0 || !/^0*$/.test(digits.slice(Math.min(point, digits.length)))) return undefined;
  const integer = digits.slice(0, point).replace(/^0+/, '');
  if (!integer) return '0';
  const zeros = Math.max(0, point - digits.length);
  if (integer.length + zeros > MAX_PLAIN_DIGITS) return undefined;
  return `${m[1] === '-' ? '-' : ''}${integer}${'0'.repeat(zeros)}`;
}

// Excel decodes `_xHHHH_` in a string (`_x0034_` is 4, `_x005F_` an underscore); a control character shows as
// nothing.
function xmlEscapesDecoded(text: string): string {
  const out: string[] = [];
  let at = 0;
  for (let i = text.indexOf('_x'); i >= 0; i = text.indexOf('_x', i + 1)) {
    if (i < at || text.charCodeAt(i + 6) !== 0x5f) continue;
    const hex = text.slice(i + 2, i + 6);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) continue;
    const code = Number.parseInt(hex, 16);
    const control = (code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f;
    out.push(text.slice(at, i), control ? '' : String.fromCharCode(code));
    at = i + 7;
  }
  return at === 0 ? text : out.join('') + text.slice(at);
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
const MAX_FILLS = 256;

// Whether a colour may be the colour of a cell's fill: one of the workbook's, or any when they are not known.
function likeFill(hex: string, fills: Rgba[] | null | undefined): boolean {
  const color = HEX.test(hex) ? parseColor(`#${hex.toLowerCase()}`) : undefined;
  if (!fills || !color) return !/^auto$/i.test(hex);
  return fills.some((fill) => invisibleOn(color, fill));
}

// Word's paragraphs, cells, rows and tables keep their texts apart in the snippet reading.
const BLOCKS = new Set(['p', 'tc', 'tr', 'tbl', 'txbxContent']);
const UNSHOWN = new Set(['del', 'delText', 'instrText', 'Fallback', 'hidden-text', 'conditional-text']);
// Keeps pieces apart: no separator joins digit groups across it.
const APART = ' \u00b6 ';

interface RunProps {
  vanish?: boolean;
  color?: string;
  fill?: string;
  halfPoints?: number;
  // A colour that depends on a part not read here (a spreadsheet's theme): the run is read without it too.
  unsure?: boolean;
}

const FALSE = /^(?:false|0|off)$/i;
const HEX = /^[0-9a-f]{6}$/i;
const UNSURE = 'unsure';

// Properties are read by their local names (`w:`, or any other prefix bound to Word's namespace).
function readRunProperty(local: string, tag: string, props: RunProps): void {
  const a = attributes(tag);
  const val = a.get('val');
  // webHidden text shows in Print Layout, Word's default view: it does not count as hidden.
  if (local === 'vanish' || local === 'specVanish') props.vanish = !FALSE.test(val ?? '');
  else if (local === 'color') {
    const color = colorOf(a);
    if (color === UNSURE) props.unsure = true;
    else props.color = color;
  } else if (local === 'sz') props.halfPoints = Number(val);
  else if (local === 'shd') props.fill = shadingHex(a);
  else if (local === 'highlight' && val && val !== 'none') props.fill = val;
}

/**
 * A colour as Word writes it (`w:val="FFFFFF"`, a `w:themeColor`) or a spreadsheet's rich text does (`rgb`
 * as ARGB, whose alpha Excel does not apply; `theme` 0 and 1, the default theme's white and black; `indexed`,
 * the default palette; `tint`): six hex digits or `auto`; UNSURE when it depends on a part not read here (another
 * theme colour) or is written more than one way.
 */
function colorOf(a: Map<string, string>, key = 'val'): string | undefined {
  const theme = a.get('themeColor');
  if (theme && /^(?:background1|bg1|light1)$/i.test(theme)) return 'FFFFFF';
  if (theme && /^(?:text1|tx1|dark1)$/i.test(theme)) return '000000';
  const written = ['rgb', 'theme', 'indexed', 'auto'].filter((k) => a.has(k));
  if (written.length > 1) return UNSURE;
  const index = Number(a.get('theme') ?? a.get('indexed'));
  let hex = a.get(key)?.trim();
  if (written[0] === 'rgb') hex = a.get('rgb')?.trim().slice(-6);
  else if (written[0] === 'theme') hex = index === 0 ? 'FFFFFF' : index === 1 ? '000000' : UNSURE;
  else if (written[0] === 'indexed')
    hex =
      Number.isInteger(index) && index >= 0 && index < 66 ? PALETTE.slice(index * 6, index * 6 + 6) : UNSURE;
  else if (written[0] === 'auto') hex = 'auto';
  const tint = Number(a.get('tint') ?? 0);
  if (hex && HEX.test(hex) && tint && Number.isFinite(tint))
    hex = tinted(hex, Math.max(-1, Math.min(1, tint)));
  return hex;
}

// Excel's default palette (`indexed` 0 to 63), then the window's text and background colours (64, 65).
const PALETTE =
  '000000FFFFFFFF000000FF000000FFFFFF00FF00FF00FFFF000000FFFFFFFF000000FF000000FFFFFF00FF00FF00FFFF' +
  '800000008000000080808000800080008080C0C0C08080809999FF993366FFFFCCCCFFFF660066FF80800066CCCCCCFF' +
  '000080FF00FFFFFF0000FFFF8000808000000080800000FF00CCFFCCFFFFCCFFCCFFFF9999CCFFFF99CCCC99FFFFCC99' +
  '3366FF33CCCC99CC00FFCC00FF9900FF6600666699969696003366339966003300333300993300993366333399333333' +
  '000000FFFFFF';

// A tint lightens towards white (positive) or darkens towards black (negative).
function tinted(hex: string, tint: number): string {
  return [0, 2, 4]
    .map((at) => {
      const c = Number.parseInt(hex.slice(at, at + 2), 16);
      const v = tint < 0 ? c * (1 + tint) : c + (255 - c) * tint;
      return Math.round(v).toString(16).padStart(2, '0');
    })
    .join('');
}

// A Word shading's colour: its pattern colour when solid, else its fill.
function shadingHex(a: Map<string, string>): string | undefined {
  if (a.get('val')?.trim() !== 'solid') return a.get('fill');
  const color = a.get('color');
  return !color || /^auto$/i.test(color) ? '000000' : color;
}

function shading(a: Map<string, string>): Rgba | undefined {
  const hex = hexColor(shadingHex(a)?.trim());
  return hex ? parseColor(`#${hex.toLowerCase()}`) : undefined;
}

// An OpenDocument area's background (`fo:background-color`, or a solid `draw:fill-color`), if not transparent.
function odfFill(a: Map<string, string>): Rgba | undefined {
  const color = a.get('fill')?.trim() === 'solid' ? a.get('fill-color') : a.get('background-color');
  const c = color ? parseColor(color.trim().toLowerCase()) : undefined;
  return c && c.a > 0 ? c : undefined;
}

const sameColour = (x: Rgba, y: Rgba) => x.r === y.r && x.g === y.g && x.b === y.b;

// `outer`: the shading of the run's paragraph, cell or table, else the page's colour.
function hidesRun(props: RunProps, outer: Rgba | undefined): boolean {
  if (props.vanish || props.unsure) return true;
  if (props.halfPoints !== undefined && Number.isFinite(props.halfPoints) && props.halfPoints < 8)
    return true;
  const color =
    props.color && HEX.test(props.color) ? parseColor(`#${props.color.toLowerCase()}`) : undefined;
  if (!color) return false;
  const filled = !!props.fill && !/^(?:auto|none|nil)$/i.test(props.fill);
  const fill = !filled
    ? undefined
    : HEX.test(props.fill as string)
      ? parseColor(`#${(props.fill as string).toLowerCase()}`)
      : parseColor((props.fill as string).toLowerCase());
  // Text the colour of its backdrop (the innermost shading, else the page) does not show; white text shows
  // only on a dark one (or a shading not understood).
  if (filled && !fill) return false;
  const backdrop = filled ? fill : outer;
  if (backdrop && invisibleOn(color, backdrop)) return true;
  if (luminance(color) < 0.85) return false;
  return !backdrop || luminance(backdrop) >= 0.5;
}

// An OpenDocument style of text (any family), read from its `<style:text-properties>`.
interface OdfStyle {
  name: string;
  parent?: string;
  hides: boolean;
  // A property the reading here does not model (or a parent style not defined in this part).
  unsure: boolean;
  ink?: Rgba | 'auto';
  back?: Rgba;
}

// Elements that carry an OpenDocument character style within a line.
const INLINE = new Set(['span', 'a']);
const MAX_STYLES = 10_000;
// Text properties that change a font, weight, language, line or case, never whether a letter shows.
const HARMLESS_ODF =
  /^(?:font-(?:name|family|style|weight|pitch|charset|family-generic|variant|relief)(?:-asian|-complex)?|(?:language|country|script|rfc-language-tag)(?:-asian|-complex)?|(?:paragraph-)?rsid|text-(?:underline|overline|line-through)-[a-z-]+|text-(?:outline|shadow|emphasize|blinking|transform|combine|rotation-angle|rotation-scale)|hyphenate|hyphenation-[a-z-]+|letter-kerning)$/;
const POINTS: Record<string, number> = { pt: 1, pc: 12, px: 0.75, in: 72, cm: 28.35, mm: 2.835 };

function readOdfProperties(a: Map<string, string>, style: OdfStyle): void {
  let color: Rgba | undefined;
  let windowColor = false;
  for (const [key, raw] of a) {
    const value = raw.trim().toLowerCase();
    if (key === 'display') style.hides ||= value === 'none' || value === 'condition';
    else if (key === 'color') color = parseColor(value);
    else if (key === 'background-color' || key === 'fill' || key === 'fill-color') continue;
    else if (key === 'use-window-font-color') windowColor = value === 'true';
    else if (/^font-size(?:-asian|-complex)?$/.test(key)) style.hides ||= tinySize(value);
    // `super 1%`: raised or lowered, at a size.
    else if (key === 'text-position') style.hides ||= tinySize(/\s(\S+%)$/.exec(value)?.[1] ?? '100%');
    else if (key === 'text-scale') style.hides ||= tinySize(value);
    else if (key === 'letter-spacing') style.unsure ||= value.startsWith('-');
    else if (!HARMLESS_ODF.test(key)) style.unsure = true;
  }
  if (windowColor) style.ink = 'auto';
  else if (color) style.ink = color;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };

// A size under 4 points, or under 40 % of the text around it; a size not understood counts as tiny.
function tinySize(value: string): boolean {
  const m = /^(-?[\d.]+)(pt|pc|px|in|cm|mm|%)$/.exec(value.replace(/\s+/g, ''));
  const n = Number(m?.[1]);
  if (!m || !Number.isFinite(n)) return true;
  return m[2] === '%' ? n < 40 : n * (POINTS[m[2] as string] as number) < 4;
}

// A style with what its parent style hides; a parent not defined in this part is not known.
function settled(style: OdfStyle, styles: Map<string, OdfStyle>): OdfStyle {
  if (style.parent === undefined) return style;
  const parent = styles.get(style.parent);
  const ink = style.ink ?? parent?.ink;
  const back = style.back ?? parent?.back;
  return {
    ...style,
    hides: style.hides || !!parent?.hides,
    unsure: style.unsure || !parent || parent.unsure,
    ...(ink ? { ink } : {}),
    ...(back ? { back } : {}),
  };
}

// A tag's attributes by local name (the first of a name), values with their references decoded.
function attributes(tag: string): Map<string, string> {
  const a = new Map<string, string>();
  for (const m of tag.matchAll(/(?<=\s)([^\s=/<>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const name = m[1] as string;
    const key = name.slice(name.indexOf(':') + 1);
    if (!a.has(key)) a.set(key, decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return a;
}

// Six hex digits, or undefined.
const hexColor = (color: string | undefined) => (color && HEX.test(color) ? color : undefined);

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
