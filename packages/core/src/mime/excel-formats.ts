// An .xlsx cell shows its value through its number format, and a format may write text of its own beside the value:
// `"4111 1111 1111 "0000` shows the cell holding 1111 as `4111 1111 1111 1111`, `\4\1\1\1 0000 0000 0000` or
// `[$4111-409] 0000` likewise. The format is an attribute of xl/styles.xml (`<numFmt formatCode="…"/>`), read as no
// text, and the value stands alone in the sheet: the card was never text (attacker round 93). Cells whose format
// writes digits are read here as the cell shows them, in each of the format's sections (which one applies depends on
// the value's sign and the sections' conditions: all are read); a format this cannot draw (a date, a fraction, an
// exponent beside written digits) makes the workbook unread.

const MAX_CELLS = 100_000;
const MAX_SECTIONS = 4;

/** What {@link excelFormattedTexts} found: the cells' shown texts, one a line, or why they cannot be read. */
export interface ExcelFormatted {
  text: string;
  unread?: string;
}

/**
 * The texts an .xlsx workbook's cells show through number formats that write digits of their own, one a line
 * (`''` when no format writes a digit), given its `xl/styles.xml`, its sheets' XML and its shared strings. Linear
 * in the parts' sizes; at most 100,000 cells are drawn.
 *
 * @example
 * ```ts
 * const styles = '<numFmts><numFmt numFmtId="164" formatCode="&quot;4111 1111 1111 &quot;0000"/></numFmts>' +
 *   '<cellXfs><xf numFmtId="164"/></cellXfs>';
 * excelFormattedTexts(styles, ['<c r="A1"><v>1111</v></c>'], ''); // { text: '4111 1111 1111 1111' }
 * ```
 */
export function excelFormattedTexts(
  styles: string,
  sheets: readonly string[],
  shared: string,
): ExcelFormatted {
  const formats = new Map<string, string>();
  for (const m of styles.matchAll(/<(?:[\w.-]{1,64}:)?numFmt\b([^>]{0,8000})>/g)) {
    const id = attr(m[1] ?? '', 'numFmtId');
    const code = attr(m[1] ?? '', 'formatCode');
    if (id !== undefined && code !== undefined && excelFormatWritesDigits(code))
      formats.set(id.trim(), decodeXml(code));
  }
  if (formats.size === 0) return { text: '' };
  // The cell formats (`cellXfs`, indexed by a cell's `s`) whose number format writes digits.
  const xfs = new Map<number, string>();
  const open = /<(?:[\w.-]{1,64}:)?cellXfs\b/.exec(styles);
  const CLOSE_XFS = /<\/(?:[\w.-]{1,64}:)?cellXfs>/g;
  CLOSE_XFS.lastIndex = open?.index ?? 0;
  const cellXfs = open ? styles.slice(open.index, CLOSE_XFS.exec(styles)?.index ?? styles.length) : '';
  let index = 0;
  for (const m of cellXfs.matchAll(/<(?:[\w.-]{1,64}:)?xf\b([^>]{0,8000})>/g)) {
    const code = formats.get((attr(m[1] ?? '', 'numFmtId') ?? '0').trim());
    if (code !== undefined) xfs.set(index, code);
    index++;
  }
  if (xfs.size === 0) return { text: '' };
  let strings: string[] | undefined;
  const lines: string[] = [];
  let cells = 0;
  for (const sheet of sheets) {
    // A cell's content ends at the next `</c>` or the next cell, each found once for every cell before it (linear
    // however many are left unclosed).
    const CLOSE = /<\/(?:[\w.-]{1,64}:)?c>/g;
    const NEXT = /<(?:[\w.-]{1,64}:)?c\b/g;
    let close = -1;
    let next = -1;
    for (const m of sheet.matchAll(/<(?:[\w.-]{1,64}:)?c\b([^>]{0,8000})>/g)) {
      const attributes = m[1] ?? '';
      const code = xfs.get(Number((attr(attributes, 's') ?? '0').trim()));
      if (code === undefined) continue;
      if (++cells > MAX_CELLS) return { text: lines.join('\n'), unread: 'too many formatted cells to draw' };
      const from = m.index + m[0].length;
      if (close !== sheet.length && close < from) {
        CLOSE.lastIndex = from;
        close = CLOSE.exec(sheet)?.index ?? sheet.length;
      }
      if (next !== sheet.length && next < from) {
        NEXT.lastIndex = from;
        next = NEXT.exec(sheet)?.index ?? sheet.length;
      }
      const inner = attributes.endsWith('/') ? '' : sheet.slice(from, Math.min(close, next));
      const type = (attr(attributes, 't') ?? 'n').trim();
      const raw = decodeXml(/<(?:[\w.-]{1,64}:)?v\b[^>]{0,1000}>([^<]*)/.exec(inner)?.[1] ?? '');
      let text: string | undefined;
      if (type === 's') {
        strings ??= sharedStrings(shared);
        text = strings[Number(raw.trim())] ?? '';
      } else if (type === 'inlineStr') text = tagsDropped(inner);
      else if (type === 'str' || type === 'e') text = raw;
      const drawn = excelDrawnCell(code, text ?? raw, text !== undefined);
      if (typeof drawn !== 'string') return { text: lines.join('\n'), unread: drawn.unread };
      if (drawn) lines.push(drawn);
    }
  }
  return { text: lines.join('\n') };
}

/**
 * Whether an Excel number format code writes a digit of its own (in quotes, escaped, in a `[$…]` currency, or bare
 * other than a placeholder; a fraction's fixed denominator `?/16` is drawn but holds no value's digit), so that a
 * cell shown through it may show digits its value does not hold.
 *
 * @example
 * ```ts
 * excelFormatWritesDigits('"4111 1111 1111 "0000'); // true
 * excelFormatWritesDigits('#,##0.00'); // false
 * ```
 */
export function excelFormatWritesDigits(code: string): boolean {
  return /[1-9]/.test(
    decodeXml(code)
      .replace(/\[\$([^\]-]*)(?:-[^\]]*)?\]/g, '$1')
      // A calendar before a date's codes (`B1` Gregorian, `B2` Hijri, as Arabic Excel writes `B2dd/mm/yyyy`)
      // writes no digit; a quoted text or an escaped character is kept as it is.
      .replace(/"[^"]*"?|\\[\s\S]|B[12](?=[dmyegDMYEG])/g, (m) => (m.startsWith('B') ? '' : m))
      .replace(/\[[^\]]*\]|\/\d{1,3}(?!\d)|[0#?]/g, ''),
  );
}

/**
 * A cell's value (a number's text, or a text when `isText`) as the format `code` draws it, each section on its own
 * line (`''` when no section draws it); `{ unread }` for a section beside a date, a time, a fraction or an exponent.
 *
 * @example
 * ```ts
 * excelDrawnCell('"4111 1111 1111 "0000', '1111', false); // '4111 1111 1111 1111'
 * ```
 */
export function excelDrawnCell(code: string, value: string, isText: boolean): string | { unread: string } {
  const out: string[] = [];
  for (const section of split(code).slice(0, MAX_SECTIONS)) {
    const tokens = tokenize(section);
    // A text is drawn by a section with `@`; a number by the others.
    if (isText !== tokens.some((t) => t.kind === 'text')) continue;
    if (isText) {
      out.push(
        tokens
          .map((t) =>
            t.kind === 'text' || t.kind === 'general' ? value : t.kind === 'literal' ? t.text : '',
          )
          .join(''),
      );
      continue;
    }
    if (tokens.some((t) => t.kind === 'other'))
      return {
        unread: 'an Excel number format that writes digits beside a date, a time, a fraction or an exponent',
      };
    const drawn = drawNumber(tokens, value);
    if (drawn !== undefined) out.push(drawn);
  }
  return out.join('\n');
}

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'digit'; char: '0' | '#' | '?' }
  | { kind: 'point' | 'comma' | 'percent' | 'scale' | 'text' | 'general' | 'other' };

// Sections split at `;` outside quotes, brackets and escapes.
function split(code: string): string[] {
  const sections: string[] = [];
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close < 0 ? code.length : close;
    } else if (c === '[') {
      const close = code.indexOf(']', i + 1);
      i = close < 0 ? code.length : close;
    } else if (c === '\\' || c === '_' || c === '*') i++;
    else if (c === ';') {
      sections.push(code.slice(start, i));
      start = i + 1;
    }
  }
  sections.push(code.slice(start));
  return sections;
}

function tokenize(section: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < section.length; i++) {
    const c = section[i] as string;
    if (c === '"') {
      const close = section.indexOf('"', i + 1);
      const end = close < 0 ? section.length : close;
      tokens.push({ kind: 'literal', text: section.slice(i + 1, end) });
      i = end;
    } else if (c === '[') {
      const close = section.indexOf(']', i + 1);
      const end = close < 0 ? section.length : close;
      const inside = section.slice(i + 1, end);
      // A currency or locale: `[$€-407]` writes what is between `$` and `-`; a condition or colour writes nothing;
      // an elapsed time (`[h]`) is a time.
      if (inside.startsWith('$')) tokens.push({ kind: 'literal', text: inside.slice(1).split('-')[0] ?? '' });
      else if (/^(?:h+|m+|s+)$/i.test(inside)) tokens.push({ kind: 'other' });
      i = end;
    } else if (c === '\\' || c === '*') {
      tokens.push({ kind: 'literal', text: section[i + 1] ?? '' });
      i++;
    } else if (c === '_') {
      tokens.push({ kind: 'literal', text: ' ' });
      i++;
    } else if (c === '0' || c === '#' || c === '?') tokens.push({ kind: 'digit', char: c });
    else if (c === '.') tokens.push({ kind: 'point' });
    else if (c === ',') tokens.push({ kind: 'comma' });
    else if (c === '%') tokens.push({ kind: 'percent' });
    else if (c === '@') tokens.push({ kind: 'text' });
    else if (section.slice(i, i + 7).toLowerCase() === 'general') {
      tokens.push({ kind: 'general' });
      i += 6;
    } else if (/[ymdhsebgaEYMDHSBGA/]/.test(c)) tokens.push({ kind: 'other' });
    else tokens.push({ kind: 'literal', text: c });
  }
  return tokens;
}

// A number drawn as the section's placeholders draw it: rounded to its decimals, scaled by `%` and by commas
// after the last placeholder, its integer's digits filling the integer placeholders from the right (the extra ones
// at the first), grouped by thousands when a comma stands between them.
function drawNumber(tokens: Token[], value: string): string | undefined {
  let n = Number(value.trim());
  if (!Number.isFinite(n) || value.trim() === '') return undefined;
  const point = tokens.findIndex((t) => t.kind === 'point');
  const lastDigit = tokens.findLastIndex((t) => t.kind === 'digit');
  const decimals = tokens.filter((t, i) => t.kind === 'digit' && point >= 0 && i > point).length;
  for (const t of tokens) if (t.kind === 'percent' || t.kind === 'scale') n *= 100;
  let grouping = false;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.kind !== 'comma') continue;
    const before = tokens.slice(0, i).some((t) => t.kind === 'digit');
    const after = tokens[i + 1]?.kind === 'digit';
    if (before && after && (point < 0 || i < point)) grouping = true;
    else if (before && i > lastDigit) n /= 1000;
  }
  n = Math.abs(n);
  if (n >= 1e21) return undefined;
  const [whole = '0', fraction = ''] = n.toFixed(Math.min(decimals, 100)).split('.');
  const intSlots = tokens
    .map((t, i) => (t.kind === 'digit' && (point < 0 || i < point) ? i : -1))
    .filter((i) => i >= 0);
  const digits = whole === '0' ? '' : whole;
  const fill = new Map<number, string>();
  for (let k = 0; k < intSlots.length; k++) {
    const slot = intSlots[intSlots.length - 1 - k] as number;
    const fromRight = digits.length - 1 - k;
    const char = (tokens[slot] as { char: string }).char;
    let text = fromRight >= 0 ? (digits[fromRight] as string) : char === '0' ? '0' : char === '?' ? ' ' : '';
    if (k === intSlots.length - 1 && fromRight > 0) text = digits.slice(0, fromRight) + text;
    fill.set(slot, text);
  }
  // Thousands separators between the placeholders' digits (not the written ones), counted from the right.
  if (grouping) {
    let counted = 0;
    for (let k = intSlots.length - 1; k >= 0; k--) {
      const slot = intSlots[k] as number;
      let text = '';
      for (const c of [...(fill.get(slot) ?? '')].reverse()) {
        if (/\d/.test(c) && counted > 0 && counted % 3 === 0) text = `,${text}`;
        if (/\d/.test(c)) counted++;
        text = c + text;
      }
      fill.set(slot, text);
    }
  }
  if (intSlots.length === 0 && digits && !tokens.some((t) => t.kind === 'general')) return undefined;
  let decimalAt = 0;
  let out = '';
  for (const [i, t] of tokens.entries()) {
    if (t.kind === 'literal') out += t.text;
    else if (t.kind === 'point') out += '.';
    else if (t.kind === 'percent') out += '%';
    else if (t.kind === 'general') out += String(n);
    else if (t.kind === 'digit') {
      if (point >= 0 && i > point) out += fraction[decimalAt++] ?? '';
      else out += fill.get(i) ?? '';
    }
  }
  return out;
}

// The shared strings in their order: each item's text up to its `</si>` (split once: linear).
/** @internal The shared strings of an .xlsx workbook's `sst` part, in their order (read by excel-rows.ts too). */
export function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  for (const chunk of xml.split(/<\/(?:[\w.-]{1,64}:)?si>/)) {
    const start = /<(?:[\w.-]{1,64}:)?si\b[^>]{0,1000}>/.exec(chunk);
    if (start) out.push(tagsDropped(chunk.slice(start.index + start[0].length)));
  }
  return out;
}

// The text of a string item: its runs' text (phonetic runs `rPh` left out, as Excel shows them only on request),
// references decoded. Split once at each `</rPh>`: linear.
/** @internal A string item's or inline string's shown text. */
export function tagsDropped(xml: string): string {
  const kept = xml
    .split(/<\/(?:[\w.-]{1,64}:)?rPh>/)
    .map((chunk) => {
      const start = /<(?:[\w.-]{1,64}:)?rPh\b/.exec(chunk);
      return start ? chunk.slice(0, start.index) : chunk;
    })
    .join('');
  return decodeXml(kept.replace(/<[^>]*>/g, ''));
}

/** @internal An attribute's value in a tag's attributes, any prefix. */
export function attr(attributes: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)(?:[\\w.-]{1,64}:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(
    attributes,
  );
  return m ? (m[1] ?? m[2]) : undefined;
}

/** @internal XML's character references and five named entities decoded. */
export function decodeXml(text: string): string {
  return text.replace(
    /&(?:#x([0-9a-f]{1,6})|#([0-9]{1,7})|(quot|amp|lt|gt|apos));/gi,
    (ref, hex, dec, named) => {
      if (named)
        return { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" }[named.toLowerCase() as 'quot'] ?? ref;
      const code = hex ? Number.parseInt(hex, 16) : Number(dec);
      return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
    },
  );
}

const MAX_ODF_STYLES = 8;
// A data style's start or end tag (`<number:number-style …>`, `</number:currency-style>`, any prefix) and the
// elements inside one that draw: a text, the number, the text content, and those drawing a date, a time, a
// fraction or an exponent.
const ODF_STYLE_TAGS = /<(\/?)[\w.-]{1,64}:([a-z]{1,20})-style\b[^>]{0,8000}>/g;
const ODF_PARTS =
  /<[\w.-]{1,64}:(text)>([^<]*)<|<[\w.-]{1,64}:(number|text-content|year|month|day|day-of-week|week-of-year|quarter|hours|minutes|seconds|am-pm|era|fraction|scientific-number)\b([^>]{0,8000})>/g;

/**
 * The texts an OpenDocument spreadsheet's number cells show through data styles that write digits of their own
 * (`<number:text>4111 1111 1111 </number:text><number:number number:min-integer-digits="4"/>` draws 1111 as
 * `4111 1111 1111 1111`), one a line: every cell value drawn through every such style (at most 8: more, or such a
 * style for a date, a time, a fraction, an exponent or a text, is unread). Given the package's XML parts. Linear
 * in their sizes; at most 100,000 values are drawn.
 *
 * @example
 * ```ts
 * const styles = '<number:number-style style:name="N1"><number:text>4111 1111 1111 </number:text>' +
 *   '<number:number number:min-integer-digits="4"/></number:number-style>';
 * odfFormattedTexts([styles, '<table:table-cell office:value="1111"/>']); // { text: '4111 1111 1111 1111' }
 * ```
 */
export function odfFormattedTexts(parts: readonly string[]): ExcelFormatted {
  const styles: Token[][] = [];
  for (const xml of parts) {
    if (!xml.includes('-style')) continue;
    let open: { kind: string; from: number } | undefined;
    for (const m of xml.matchAll(ODF_STYLE_TAGS)) {
      if (m[1] && open) {
        const drawn = odfStyle(open.kind, xml.slice(open.from, m.index));
        if (typeof drawn === 'string') return { text: '', unread: drawn };
        if (drawn) styles.push(drawn);
        if (styles.length > MAX_ODF_STYLES)
          return { text: '', unread: 'too many OpenDocument formats writing digits' };
        open = undefined;
      } else if (!m[1] && !(m[0] as string).endsWith('/>'))
        open = { kind: m[2] as string, from: m.index + m[0].length };
    }
  }
  if (styles.length === 0) return { text: '' };
  const lines: string[] = [];
  let values = 0;
  for (const xml of parts)
    for (const m of xml.matchAll(/\s[\w.-]{1,64}:value\s*=\s*(?:"([^"]{0,100})"|'([^']{0,100})')/g)) {
      if (++values > MAX_CELLS) return { text: lines.join('\n'), unread: 'too many formatted cells to draw' };
      for (const tokens of styles) {
        const drawn = drawNumber(tokens, m[1] ?? m[2] ?? '');
        if (drawn) lines.push(drawn);
      }
    }
  return { text: lines.join('\n') };
}

// A data style's drawing as tokens, when it writes a digit of its own; '' when it writes none; a reason when it
// writes one beside what is not drawn here.
function odfStyle(kind: string, inner: string): Token[] | string | undefined {
  const tokens: Token[] = [];
  let writes = false;
  let other = kind !== 'number' && kind !== 'currency' && kind !== 'percentage';
  for (const m of inner.matchAll(ODF_PARTS)) {
    if (m[1]) {
      const text = decodeXml(m[2] ?? '');
      if (/[0-9]/.test(text)) writes = true;
      tokens.push({ kind: 'literal', text });
    } else if (m[3] === 'number') {
      const attributes = m[4] ?? '';
      const integers = Math.min(Number(attr(attributes, 'min-integer-digits') ?? 1) || 1, 40);
      const decimals = Math.min(Number(attr(attributes, 'decimal-places') ?? 0) || 0, 40);
      // A percentage's value is scaled (its sign is a text of the style); grouping is drawn as `#,0`.
      if (kind === 'percentage') tokens.push({ kind: 'scale' });
      if ((attr(attributes, 'grouping') ?? '').trim() === 'true')
        tokens.push({ kind: 'digit', char: '#' }, { kind: 'comma' });
      tokens.push(...Array.from({ length: integers }, () => ({ kind: 'digit', char: '0' }) as const));
      if (decimals > 0) {
        tokens.push({ kind: 'point' });
        tokens.push(...Array.from({ length: decimals }, () => ({ kind: 'digit', char: '0' }) as const));
      }
    } else other = true;
  }
  if (!writes) return undefined;
  if (other)
    return 'an OpenDocument format that writes digits beside a date, a time, a fraction, an exponent or a text';
  return tokens;
}
