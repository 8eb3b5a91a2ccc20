import { luminance } from '../message/css-values.js';

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
  return readings.join(READING_BREAK);
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
 * The RTF document as a word processor shows it, once for each way of skipping `\uN` fallbacks: hidden text
 * (`\v`), tracked deletions, white text on no dark highlight or shading (unless the page has a background),
 * text under 4 points (`\fs1`–`\fs7`) and the `\ucN` fallback characters are left out; a destination (any
 * `{\*\…}`, tables, headers, footnotes, comments, pictures, shapes, field instructions) is read apart after
 * the body, not where it sits. Linear; groups nested deeper than {@link MAX_DEPTH} end the reading there.
 *
 * @example
 * ```ts
 * rtfShownTexts('{\\rtf1 4111 1111{\\v x} 1111 1111}')[0]; // '4111 1111 1111 1111'
 * ```
 */
export function rtfShownTexts(rtf: string): string[] {
  return MODELS.map((model) => shownText(rtf, model));
}

// Deeper than any word processor writes; an attacker's nesting past it is not modelled.
const MAX_DEPTH = 4096;
const MAX_COLOURS = 4096;
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
]);
const SPECIAL = /[\\{}\r\n]/g;
const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

interface State {
  hidden: boolean;
  deleted: boolean;
  colour: number;
  halfPoints: number;
  backdrops: [number, number, number];
  uc: number;
  /** Fallback characters still to skip (the writer model: kept per group). */
  pending: number;
  colourTable: boolean;
  sink: string[];
  owns: boolean;
  fresh: boolean;
  starred: boolean;
}

function shownText(rtf: string, model: SkipModel): string {
  const body: string[] = [];
  const asides: string[] = [];
  const colours: (number | undefined)[] = [];
  let entry: { r?: number; g?: number; b?: number } = {};
  // White text shows on a page given a background colour or picture.
  const whiteHides = !/\\viewbksp[1-9]/.test(rtf);
  let state: State = {
    hidden: false,
    deleted: false,
    colour: 0,
    halfPoints: 24,
    backdrops: [0, 0, 0],
    uc: 1,
    pending: 0,
    colourTable: false,
    sink: body,
    owns: false,
    fresh: false,
    starred: false,
  };
  const stack: State[] = [];
  // The richedit model's count, kept across groups.
  let pending = 0;
  const skipping = () => (model === 'richedit' ? pending > 0 : state.pending > 0);
  const skipOne = () => {
    if (model === 'richedit') pending--;
    else state.pending--;
  };
  const lum = (index: number) => colours[index];
  const shown = () => {
    const s = state;
    if (s.hidden || s.deleted || (s.halfPoints >= 1 && s.halfPoints < 8)) return false;
    if (!whiteHides || s.colour === 0) return true;
    const ink = lum(s.colour);
    if (ink === undefined || ink < 0.85) return true;
    // White on a highlight or shading that is dark, or a colour not known, shows.
    return s.backdrops.some((b) => b !== 0 && (lum(b) ?? 0) < 0.5);
  };
  // One character of text (raw, `\'hh`, `\uN`, an escaped symbol).
  const put = (ch: string) => {
    state.fresh = false;
    if (state.colourTable) {
      if (ch === ';' && colours.length < MAX_COLOURS) {
        const { r, g, b } = entry;
        colours.push(
          r === undefined && g === undefined && b === undefined
            ? undefined
            : luminance({ r: r ?? 0, g: g ?? 0, b: b ?? 0, a: 1 }),
        );
        entry = {};
      }
      return;
    }
    if (shown()) state.sink.push(ch);
  };
  const text = (ch: string) => {
    if (skipping()) skipOne();
    else put(ch);
  };

  let i = 0;
  while (i < rtf.length) {
    const c = rtf[i] as string;
    if (c === '{') {
      if (stack.length >= MAX_DEPTH) break;
      stack.push(state);
      state = { ...state, backdrops: [...state.backdrops], owns: false, fresh: true, starred: false };
      i++;
      continue;
    }
    if (c === '}') {
      const parent = stack.pop();
      if (parent) {
        if (state.owns) asides.push(state.sink.join(''));
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
      // A run of plain text: taken whole when nothing is being skipped.
      SPECIAL.lastIndex = i;
      const end = SPECIAL.exec(rtf)?.index ?? rtf.length;
      if (!skipping() && !state.colourTable) {
        state.fresh = false;
        if (shown()) state.sink.push(rtf.slice(i, end));
        i = end;
      } else {
        text(c);
        i++;
      }
      continue;
    }
    // A control symbol or word.
    const next = rtf[i + 1];
    if (next === "'") {
      const hex = rtf.slice(i + 2, i + 4);
      i += 2;
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        i += 2;
        text(String.fromCharCode(Number.parseInt(hex, 16)));
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
      if (next === '\\' || next === '{' || next === '}') text(next);
      else if (next === '~') text('\u00a0');
      else if (next === '_') text('-');
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
    if (state.fresh && (state.starred || ASIDE.has(word))) {
      state.sink = [];
      state.owns = true;
      if (word === 'colortbl') state.colourTable = true;
    }
    state.fresh = false;
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
      case 'v':
        state.hidden = param !== 0;
        break;
      case 'deleted':
        state.deleted = param !== 0;
        break;
      case 'cf':
        state.colour = param ?? 0;
        break;
      case 'fs':
        state.halfPoints = param ?? 24;
        break;
      case 'highlight':
        state.backdrops[0] = param ?? 0;
        break;
      case 'cb':
        state.backdrops[1] = param ?? 0;
        break;
      case 'chcbpat':
        state.backdrops[2] = param ?? 0;
        break;
      case 'plain':
        state.hidden = false;
        state.deleted = false;
        state.colour = 0;
        state.halfPoints = 24;
        state.backdrops = [0, 0, 0];
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
    state = stack.pop() as State;
  }
  return [body.join(''), ...asides.filter((a) => a.trim() !== '')].join(READING_BREAK);
}
