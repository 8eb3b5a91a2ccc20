import charsets from 'libmime/lib/charset';
import { invisibleOn, type Rgba } from '../message/css-values.js';

// RTF control words, escapes and group braces, as one alternation: each match consumes input (linear).
const RTF_TOKEN =
  /\\u(-?\d{1,6}) ?\??|\\'([0-9a-fA-F]{2})|\\([a-zA-Z]{1,32})(?:-?\d{1,10})? ?|\\([\\{}])|[{}\r\n]/g;
const BREAKS = new Set(['par', 'line', 'tab', 'cell', 'row', 'sect', 'page']);
// Between two readings, and between the body and a destination read apart: more line feeds than a number's
// groups may be apart, and a mark that joins nothing, so no number runs from one into the next.
const READING_BREAK = '\n\n\n\n|\n\n\n\n';

/**
 * The text of an RTF document for matching: every reading of it, apart ({@link rtfShownTexts}'s readings after
 * this one when they differ). This one keeps everything: control words dropped (a space for paragraph, line,
 * tab and cell breaks), `\'hh` and `\uN` escapes decoded, braces and source line breaks dropped, destinations
 * (font and colour tables, hidden text, fallbacks) read in place.
 *
 * @example
 * ```ts
 * rtfText("{\\rtf1 {\\b 4111}{\\i 1111}\\par \\'31111 \\u49?111}"); // '4111 1111 1111 1111' with some spaces
 * ```
 */
export function rtfText(rtf: string): string {
  const readings = [fullText(rtf)];
  for (const shown of rtfShownTexts(rtf)) if (!readings.includes(shown)) readings.push(shown);
  for (const page of doubleBytePages(rtf)) readings.push(fullText(withDoubleBytes(rtf, page)));
  return readings.join(READING_BREAK);
}

// The double-byte code pages a document declares (`\ansicpg932`, a font's `\fcharset128`): WordPad and RichEdit
// write a Japanese, Chinese or Korean character of that code page as two `\'hh` escapes (`\'82\'53` is the
// full-width 4 in Shift_JIS), which a byte at a time reads as two Latin letters (attacker round 63).
const CODE_PAGES: Record<string, string> = {
  '932': 'shift_jis',
  '936': 'gbk',
  '949': 'euc-kr',
  '950': 'big5',
};
const FONT_CHARSETS: Record<string, string> = { '128': '932', '134': '936', '129': '949', '136': '950' };
const DECLARED_PAGE = /\\(ansicpg|fcharset)(\d{1,5})/g;
// A run of escapes, each perhaps followed by a trail byte written as itself (`\'83J`, as some writers leave a
// trail byte in ASCII's range); a run right after `\uN` is that character's fallback, not more text.
const HEX_RUN = /(?<!\\u-?\d{1,6} ?)(?:\\'[0-9a-fA-F]{2}[\x21-\x5b\x5d-\x7a\x7c\x7e]?)+/g;
const RUN_BYTE = /\\'([0-9a-fA-F]{2})|([\s\S])/g;

function doubleBytePages(rtf: string): string[] {
  if (!rtf.includes("\\'")) return [];
  const pages = new Set<string>();
  for (const [, word, n] of rtf.matchAll(DECLARED_PAGE)) {
    const page = CODE_PAGES[word === 'ansicpg' ? (n as string) : (FONT_CHARSETS[n as string] ?? '')];
    if (page) pages.add(page);
  }
  return [...pages];
}

// The document with each run of `\'hh` escapes decoded as the code page's characters (RTF's own signs escaped).
function withDoubleBytes(rtf: string, page: string): string {
  return rtf.replace(HEX_RUN, (run) => {
    const bytes: number[] = [];
    for (const [, hex, literal] of run.matchAll(RUN_BYTE))
      bytes.push(hex !== undefined ? Number.parseInt(hex, 16) : (literal as string).charCodeAt(0));
    return charsets.decode(Buffer.from(bytes), page).replace(/[\\{}]/g, '\\$&');
  });
}

function fullText(rtf: string): string {
  return rtf.replace(RTF_TOKEN, (_token, u?: string, hex?: string, word?: string, escaped?: string) => {
    if (u !== undefined) {
      const n = Number(u);
      return String.fromCharCode(n < 0 ? n + 65536 : n);
    }
    if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
    if (word !== undefined) return BREAKS.has(word) ? ' ' : '';
    if (escaped !== undefined) return escaped;
    return '';
  });
}

/**
 * How a reader skips the fallback characters after `\uN` (`\ucN` of them). RichEdit (Outlook, WordPad) counts a
 * control word as one and keeps counting across braces; LibreOffice counts characters only, and a group
 * starts with its parent's count and gives it back at its end (`\uc2\u49{\i z}w11` shows `11`).
 */
type SkipModel = 'richedit' | 'writer';
const MODELS: readonly SkipModel[] = ['richedit', 'writer'];

/**
 * The RTF document as a word processor shows it, once for each way of skipping `\uN` fallbacks (and, when the
 * document uses `\cb`, each once more with `\cb` as a backdrop: Word and LibreOffice ignore it, RichEdit
 * paints it): hidden text (`\v`), tracked deletions, text the colour of what lies behind it (the top-most of
 * highlight, character shading, paragraph shading and the page), text under 4 points (`\fs1`–`\fs7`) or
 * squeezed under 40 % (`\charscalex`), also when a style (`\sN`, `\csN`) gives it, and the `\ucN` fallback
 * characters are left out; a destination (any `{\*\…}`, tables, headers, footnotes, comments, pictures,
 * shapes, field instructions) is read apart after the body, not where it sits. Linear: each character is
 * read a bounded number of times; groups nested deeper than {@link MAX_DEPTH} end the reading there.
 *
 * @example
 * ```ts
 * rtfShownTexts('{\\rtf1 4111 1111{\\v x} 1111 1111}')[0]; // '4111 1111 1111 1111'
 * ```
 */
export function rtfShownTexts(rtf: string): string[] {
  // Styles and the page's background are read first: a reader applies them wherever they are written.
  const first = shownText(rtf, 'writer', false, undefined);
  const read = (model: SkipModel, cb: boolean) =>
    model === 'writer' && !cb && first.settled ? first.text : shownText(rtf, model, cb, first.defs).text;
  const cbs = /\\cb\d/.test(rtf) ? [true, false] : [false];
  return cbs.flatMap((cb) => MODELS.map((model) => read(model, cb)));
}

// Deeper than any word processor writes; an attacker's nesting past it is not modelled.
const MAX_DEPTH = 4096;
const MAX_COLOURS = 4096;
const MAX_STYLES = 4096;
// A style based on another, and so on: followed this far (a loop ends there).
const MAX_BASES = 16;
const MAX_CAPTURE = 64;
// Destinations not shown in the flow of the body (some not at all): read apart.
const ASIDE = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'nonshppict',
  'objdata',
  'objclass',
  'objname',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
  'footnote',
  'annotation',
  'fldinst',
  'listtable',
  'listoverridetable',
  'revtbl',
  'rsidtbl',
  'filetbl',
  'pntext',
  'listtext',
  'shp',
  'shpinst',
  'shptxt',
  'shprslt',
  'txbxcontent',
  'xe',
  'tc',
  'bkmkstart',
  'bkmkend',
  'background',
]);
const SPECIAL = /[\\{}\r\n]/g;
const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Formatting that hides text, as a run, a paragraph or a style gives it (colours: table indices, -1 none). */
interface Props {
  hidden: boolean;
  deleted: boolean;
  colour: number;
  halfPoints: number;
  scale: number;
  highlight: number;
  cb: number;
  chBack: number;
  chFore: number;
  chShade: number;
  parBack: number;
  parFore: number;
  parShade: number;
}
const PLAIN = {
  hidden: false,
  deleted: false,
  colour: -1,
  halfPoints: 24,
  scale: 100,
  highlight: -1,
  cb: -1,
  chBack: -1,
  chFore: -1,
  chShade: 0,
} as const;
const PARD = { parBack: -1, parFore: -1, parShade: 0 } as const;
// Control words that set a property (without a number: the value given).
const SETS: Record<string, [keyof Props, number | boolean]> = {
  v: ['hidden', true],
  deleted: ['deleted', true],
  cf: ['colour', -1],
  fs: ['halfPoints', 24],
  charscalex: ['scale', 100],
  highlight: ['highlight', -1],
  cb: ['cb', -1],
  chcbpat: ['chBack', -1],
  chcfpat: ['chFore', -1],
  chshdng: ['chShade', 0],
  cbpat: ['parBack', -1],
  cfpat: ['parFore', -1],
  shading: ['parShade', 0],
};

interface Style {
  key?: string;
  base?: number;
  props: Partial<Props>;
}

/** What the whole document defines, read in a first pass. */
interface Defs {
  styles: Map<string, Style>;
  /** The page's colour: white unless `\viewbksp` shows a background; undefined when not known (a picture). */
  page: Rgba | undefined;
}

interface State {
  props: Props;
  uc: number;
  /** Fallback characters still to skip (the writer model: kept per group). */
  pending: number;
  colourTable: boolean;
  sink: string[];
  owns: boolean;
  fresh: boolean;
  starred: boolean;
  /** In the style sheet: the table itself, or one style's group (and the groups inside it). */
  sheet?: 'table' | 'entry';
  entry?: Style;
  entryOwner: boolean;
  background: boolean;
  /** A shape property's name or value being read (`{\sn …}`, `{\sv …}`). */
  capture?: { kind: 'sn' | 'sv'; text: string };
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

function shownText(
  rtf: string,
  model: SkipModel,
  cbPaints: boolean,
  given: Defs | undefined,
): { text: string; defs: Defs; settled: boolean } {
  const body: string[] = [];
  const asides: string[] = [];
  const colours: (Rgba | undefined)[] = [];
  let entry: { r?: number; g?: number; b?: number } = {};
  const found: Defs = { styles: new Map(), page: WHITE };
  const defs = given ?? found;
  // The background shape's properties: its fill colour, and whether it is filled with that colour alone.
  const background: { fill?: number; other?: boolean; seen?: boolean } = {};
  let propertyName = '';
  // A style defined after one was used: this reading did not know it everywhere.
  let styled = false;
  let late = false;
  let state: State = {
    props: { ...PLAIN, ...PARD },
    uc: 1,
    pending: 0,
    colourTable: false,
    sink: body,
    owns: false,
    fresh: false,
    starred: false,
    entryOwner: false,
    background: false,
  };
  const stack: State[] = [];
  // The richedit model's count, kept across groups.
  let pending = 0;
  const skipping = () => (model === 'richedit' ? pending : state.pending);
  const skip = (n: number) => {
    if (model === 'richedit') pending -= n;
    else state.pending -= n;
  };
  const colourAt = (index: number) => (index >= 0 ? colours[index] : undefined);
  // A shading over `under`: the background colour, and the pattern colour over it by the shading's share.
  const shade = (back: number, fore: number, share: number, under: Rgba | undefined) => {
    const base = colourAt(back) ?? under;
    const f = Math.min(1, Math.max(0, share / 10000));
    if (f === 0) return base;
    const ink = colourAt(fore) ?? BLACK;
    if (f === 1) return ink;
    if (!base) return undefined;
    const mix = (a: number, b: number) => a * (1 - f) + b * f;
    return { r: mix(base.r, ink.r), g: mix(base.g, ink.g), b: mix(base.b, ink.b), a: 1 };
  };
  // What lies behind the text: the top-most of highlight, character shading, `\cb`, paragraph shading, page.
  const backdrop = (p: Props) => {
    const highlight = colourAt(p.highlight);
    if (highlight) return highlight;
    let under = defs.page;
    if (p.parBack >= 0 || p.parShade > 0) under = shade(p.parBack, p.parFore, p.parShade, under);
    if (cbPaints) under = colourAt(p.cb) ?? under;
    if (p.chBack >= 0 || p.chShade > 0) under = shade(p.chBack, p.chFore, p.chShade, under);
    return under;
  };
  const shown = () => {
    const p = state.props;
    if (p.hidden || p.deleted || (p.halfPoints >= 1 && p.halfPoints < 8) || p.scale < 40) return false;
    // Automatic colour (and a colour not in the table) is drawn to stand out from what lies behind it.
    const ink = colourAt(p.colour);
    if (!ink) return true;
    const behind = backdrop(p);
    return !behind || !invisibleOn(ink, behind);
  };
  const set = (key: keyof Props, value: number | boolean) => {
    (state.props as Record<keyof Props, number | boolean>)[key] = value;
    if (state.entry) (state.entry.props as Record<keyof Props, number | boolean>)[key] = value;
  };
  // A style's properties, its bases' first.
  const applyStyle = (prefix: string, n: number) => {
    styled = true;
    const chain: Style[] = [];
    let key = `${prefix}${n}`;
    for (let k = 0; k < MAX_BASES; k++) {
      const style = defs.styles.get(key);
      if (!style) break;
      chain.push(style);
      if (style.base === undefined) break;
      key = `${prefix}${style.base}`;
    }
    for (let k = chain.length - 1; k >= 0; k--) Object.assign(state.props, chain[k]?.props);
  };
  const closeEntry = () => {
    const style = state.entry;
    if (!state.entryOwner || style?.key === undefined) return;
    if (found.styles.size < MAX_STYLES || found.styles.has(style.key)) found.styles.set(style.key, style);
    late ||= styled;
  };
  const closeCapture = () => {
    const capture = state.capture;
    if (!capture) return;
    if (capture.kind === 'sn') propertyName = capture.text.trim();
    else if (state.background) {
      const value = capture.text.trim();
      if (propertyName === 'fillColor') background.fill = /^\d{1,10}$/.test(value) ? Number(value) : -1;
      else if (propertyName === 'fillType' && value !== '0') background.other = true;
      else if (propertyName === 'fFilled' && value === '0') background.other = true;
    }
  };
  const addColour = () => {
    if (colours.length >= MAX_COLOURS) return;
    const { r, g, b } = entry;
    colours.push(
      r === undefined && g === undefined && b === undefined
        ? undefined
        : { r: r ?? 0, g: g ?? 0, b: b ?? 0, a: 1 },
    );
    entry = {};
  };
  // One character of text (`\'hh`, `\uN`, an escaped symbol, a break).
  const put = (ch: string) => {
    state.fresh = false;
    if (state.capture && state.capture.text.length < MAX_CAPTURE) state.capture.text += ch;
    if (state.colourTable) {
      if (ch === ';') addColour();
      return;
    }
    if (shown()) state.sink.push(ch);
  };
  const character = (ch: string) => {
    if (skipping() > 0) skip(1);
    else put(ch);
  };

  let i = 0;
  while (i < rtf.length) {
    const c = rtf[i] as string;
    if (c === '{') {
      if (stack.length >= MAX_DEPTH) break;
      stack.push(state);
      const inSheet = state.sheet !== undefined;
      state = {
        ...state,
        props: { ...state.props },
        owns: false,
        fresh: true,
        starred: false,
        sheet: inSheet ? 'entry' : undefined,
        entry: state.sheet === 'table' ? { props: {} } : state.entry,
        entryOwner: state.sheet === 'table',
        capture: undefined,
      };
      i++;
      continue;
    }
    if (c === '}') {
      const parent = stack.pop();
      if (parent) {
        if (state.owns) asides.push(state.sink.join(''));
        closeEntry();
        closeCapture();
        state = parent;
      }
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c !== '\\') {
      // A run of plain text, each character read once: fallbacks skipped, then the rest taken whole.
      SPECIAL.lastIndex = i;
      const end = SPECIAL.exec(rtf)?.index ?? rtf.length;
      const skipped = Math.min(skipping(), end - i);
      skip(skipped);
      i += skipped;
      if (i === end) continue;
      state.fresh = false;
      const run = rtf.slice(i, end);
      i = end;
      if (state.capture && state.capture.text.length < MAX_CAPTURE)
        state.capture.text += run.slice(0, MAX_CAPTURE);
      if (state.colourTable) {
        for (let k = run.indexOf(';'); k >= 0; k = run.indexOf(';', k + 1)) addColour();
      } else if (shown()) state.sink.push(run);
      continue;
    }
    // A control symbol or word.
    const next = rtf[i + 1];
    if (next === "'") {
      const hex = rtf.slice(i + 2, i + 4);
      i += 2;
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        i += 2;
        character(String.fromCharCode(Number.parseInt(hex, 16)));
      }
      continue;
    }
    // A control word: up to 32 letters, an optional signed number, and a space that ends it.
    let end = i + 1;
    while (end < rtf.length && end - i <= 32 && isLetter(rtf.charCodeAt(end))) end++;
    if (end === i + 1) {
      i += 2;
      if (next === undefined) break;
      if (model === 'richedit' && pending > 0) {
        pending--;
        continue;
      }
      if (next === '\\' || next === '{' || next === '}') character(next);
      else if (next === '~') character('\u00a0');
      else if (next === '_') character('-');
      else if (next === '\r' || next === '\n') put(' ');
      else if (next === '*') state.starred = state.fresh;
      else state.fresh = false;
      continue;
    }
    const word = rtf.slice(i + 1, end);
    let param: number | undefined;
    let at = end;
    const negative = rtf.charCodeAt(at) === 0x2d;
    if (negative) at++;
    const digits = at;
    while (at < rtf.length && at - digits < 10 && isDigit(rtf.charCodeAt(at))) at++;
    if (at > digits) {
      param = Number(rtf.slice(digits, at)) * (negative ? -1 : 1);
      end = at;
    }
    i = rtf.charCodeAt(end) === 0x20 ? end + 1 : end;
    if (word === 'bin') {
      // Binary data: its bytes are not text.
      i += Math.max(0, param ?? 0);
      continue;
    }
    if (model === 'richedit' && pending > 0) {
      pending--;
      continue;
    }
    const fresh = state.fresh;
    if (fresh && (state.starred || ASIDE.has(word))) {
      state.sink = [];
      state.owns = true;
      if (word === 'colortbl') state.colourTable = true;
    }
    state.fresh = false;
    const setting = SETS[word];
    if (setting) {
      const [key, unnumbered] = setting;
      set(key, typeof unnumbered === 'boolean' ? param !== 0 : (param ?? unnumbered));
      continue;
    }
    switch (word) {
      case 'u': {
        const n = param ?? 0;
        put(String.fromCharCode(n < 0 ? (n + 65536) & 0xffff : n & 0xffff));
        if (model === 'richedit') pending = state.uc;
        else state.pending = state.uc;
        break;
      }
      case 'uc':
        state.uc = Math.max(0, param ?? 1);
        break;
      case 'plain':
        Object.assign(state.props, PLAIN);
        if (state.entry) Object.assign(state.entry.props, PLAIN);
        break;
      case 'pard':
        Object.assign(state.props, PARD);
        if (state.entry) Object.assign(state.entry.props, PARD);
        break;
      case 'stylesheet':
        if (fresh) state.sheet = 'table';
        break;
      case 's':
      case 'cs':
        if (state.entry) state.entry.key ??= `${word}${param ?? 0}`;
        else if (state.sheet === undefined) applyStyle(word, param ?? 0);
        break;
      case 'ds':
      case 'ts':
        if (state.entry) state.entry.key ??= word;
        break;
      case 'sbasedon':
        if (state.entry) state.entry.base = param ?? 0;
        break;
      case 'background':
        if (fresh) {
          state.background = true;
          background.seen = true;
        }
        break;
      case 'sn':
      case 'sv':
        if (fresh) state.capture = { kind: word, text: '' };
        break;
      case 'red':
        entry.r = param ?? 0;
        break;
      case 'green':
        entry.g = param ?? 0;
        break;
      case 'blue':
        entry.b = param ?? 0;
        break;
      default:
        if (BREAKS.has(word)) put(' ');
    }
  }
  // Groups left open at the end are read as closed.
  while (stack.length > 0) {
    if (state.owns) asides.push(state.sink.join(''));
    closeEntry();
    closeCapture();
    state = stack.pop() as State;
  }
  // A page given a background shows it; a colour (Office's 0xBBGGRR) is known only when filled with it alone.
  const backgroundShown = /\\viewbksp[1-9]/.test(rtf);
  if (backgroundShown) {
    const fill = background.fill;
    found.page =
      background.seen && !background.other && fill !== undefined && fill >= 0 && fill <= 0xffffff
        ? { r: fill & 0xff, g: (fill >> 8) & 0xff, b: (fill >> 16) & 0xff, a: 1 }
        : undefined;
  }
  const text = [body.join(''), ...asides.filter((a) => a.trim() !== '')].join(READING_BREAK);
  return { text, defs: found, settled: !late && !backgroundShown };
}
