// CSS text tokenized as CSS Syntax Level 3 does it (§4), for the shown-text reading's stylesheet scanners
// (css-rules.ts, css-values.ts): every scanner that looks for `{`, `}`, `;` or a quote reads the text
// {@link cssTokenText} gives, where strings, comments and url tokens can no longer be taken for one another.
// Each function is one linear pass.

/**
 * Stands for a bad string or bad url token (a string broken by a line break, `url(a"b)`): CSS drops the
 * declaration that holds one ({@link declarations} in css-values.ts does too). A stylesheet's own NULs are
 * U+FFFD before it is read (css-rules.ts; HTML gives none in `<style>` or `style`), so it means nothing else.
 */
export const BAD_TOKEN = '\u0000';

const isNewline = (c: string | undefined) => c === '\n' || c === '\r' || c === '\f';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || isNewline(c);
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isNameChar = (c: string | undefined) =>
  c !== undefined && (/^[-\w]$/.test(c) || c.charCodeAt(0) >= 0x80);
/** A valid escape starts at `at`: a backslash not followed by a line break (nor by the end). */
const escapeStarts = (css: string, at: number) =>
  css[at] === '\\' && at + 1 < css.length && !isNewline(css[at + 1]);

/** The escape at `at` (a valid one): the character it stands for, and where it ends. */
export function escapeAt(css: string, at: number): { char: string; end: number } {
  let i = at + 1;
  if (!isHex(css[i])) {
    const code = css.codePointAt(i) as number;
    return { char: String.fromCodePoint(code), end: i + (code > 0xffff ? 2 : 1) };
  }
  const from = i;
  while (i < css.length && i - from < 6 && isHex(css[i])) i++;
  const code = Number.parseInt(css.slice(from, i), 16);
  if (css[i] === '\r' && css[i + 1] === '\n') i += 2;
  else if (isSpace(css[i])) i++;
  return {
    char:
      code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
        ? '\ufffd'
        : String.fromCodePoint(code),
    end: i,
  };
}

/** The string token whose quote is at `from`: its value (escapes decoded), where it ends, and whether it is bad. */
export function stringToken(css: string, from: number): { value: string; end: number; bad: boolean } {
  const quote = css[from];
  let value = '';
  let i = from + 1;
  let run = i;
  while (i < css.length) {
    const c = css[i];
    if (c === quote) return { value: value + css.slice(run, i), end: i + 1, bad: false };
    // An unescaped line break ends the string as a bad one; the line break is not its own.
    if (isNewline(c)) return { value: value + css.slice(run, i), end: i, bad: true };
    if (c === '\\') {
      value += css.slice(run, i);
      if (i + 1 >= css.length) {
        i++;
      } else if (isNewline(css[i + 1])) {
        // An escaped line break continues the string and is not part of it.
        i += css[i + 1] === '\r' && css[i + 2] === '\n' ? 3 : 2;
      } else {
        const escaped = escapeAt(css, i);
        value += escaped.char;
        i = escaped.end;
      }
      run = i;
      continue;
    }
    i++;
  }
  // The end of the sheet closes a string.
  return { value: value + css.slice(run), end: css.length, bad: false };
}

// A string's value written back as a string: the quote, a backslash and line breaks escaped.
function quoted(value: string): string {
  return `"${value.replace(/["\\\n\r\f]/g, (c) => `\\${(c.codePointAt(0) as number).toString(16)} `)}"`;
}

// The url token after `url(` at `from` (white space skipped, no quote next): its value, where it ends (past
// its `)`), and whether it is a bad url (a quote, `(`, a control, white space inside, an invalid escape).
function urlToken(css: string, from: number): { value: string; end: number; bad: boolean } {
  let value = '';
  let i = from;
  while (i < css.length) {
    const c = css[i] as string;
    if (c === ')') return { value, end: i + 1, bad: false };
    if (isSpace(c)) {
      while (isSpace(css[i])) i++;
      if (i >= css.length) return { value, end: i, bad: false };
      if (css[i] === ')') return { value, end: i + 1, bad: false };
      break;
    }
    const code = c.charCodeAt(0);
    if (
      c === '"' ||
      c === "'" ||
      c === '(' ||
      code <= 0x08 ||
      code === 0x0b ||
      (code >= 0x0e && code <= 0x1f) ||
      code === 0x7f
    )
      break;
    if (c === '\\') {
      if (!escapeStarts(css, i)) break;
      const escaped = escapeAt(css, i);
      value += escaped.char;
      i = escaped.end;
      continue;
    }
    value += c;
    i++;
  }
  if (i >= css.length) return { value, end: i, bad: false };
  // A bad url: its remnants run to the next `)` not escaped, or to the end.
  while (i < css.length && css[i] !== ')') i = escapeStarts(css, i) ? escapeAt(css, i).end : i + 1;
  return { value: '', end: Math.min(i + 1, css.length), bad: true };
}

/**
 * CSS as its tokenizer reads it, written back so that a scan for quotes, braces and semicolons agrees with it:
 * comments a space each (`/*` inside a string or a url token is no comment; an unclosed one runs to the end),
 * every string closed (a bad one, broken by a line break, {@link BAD_TOKEN}; an escaped line break dropped), an
 * unquoted url token a quoted string (`url(a;b)` → `url("a;b")`; a bad url `url(\0)`). With `sheet` (a
 * stylesheet, not a `style` attribute), the `<!--` and `-->` a sheet may hold between its rules, which CSS ignores
 * there, are spaces. Escapes are kept as written (a `\"` is no quote, `\/*` no comment). Reading its own text
 * again gives it unchanged.
 *
 * @example
 * ```ts
 * cssTokenText('.a{content:"/*"}.h{display:none}'); // the same text: no comment in it
 * cssTokenText('.a{x:"\n}.h{display:none}'); // '.a{x:\0\n}.h{display:none}'
 * ```
 */
export function cssTokenText(css: string, sheet = false): string {
  let out = '';
  let run = 0;
  let i = 0;
  // Sheet level: blocks open ({, ( and [), and whether only white space and comments came since a rule ended.
  let depth = 0;
  let ruleStart = true;
  const emit = (to: number, text: string, next: number) => {
    out += css.slice(run, to) + text;
    i = next;
    run = next;
  };
  while (i < css.length) {
    const c = css[i] as string;
    if (c === '/' && css[i + 1] === '*') {
      const close = css.indexOf('*/', i + 2);
      emit(i, ' ', close < 0 ? css.length : close + 2);
    } else if (c === '"' || c === "'") {
      const string = stringToken(css, i);
      emit(i, string.bad ? BAD_TOKEN : quoted(string.value), string.end);
      ruleStart = false;
    } else if (c === '\\' && !escapeStarts(css, i)) {
      // A backslash before a line break is a delimiter of its own (an escape starts a name, below).
      i++;
      ruleStart = false;
    } else if (isSpace(c)) {
      i++;
    } else if (sheet && depth === 0 && ruleStart && css.startsWith('<!--', i)) {
      emit(i, ' ', i + 4);
    } else if (sheet && depth === 0 && ruleStart && css.startsWith('-->', i)) {
      emit(i, ' ', i + 3);
    } else if (isNameChar(c) || c === '#' || c === '@' || c === '\\') {
      // A name (an ident, a number's unit, a hash, an at-keyword) read whole, escapes included: only the ident
      // `url` (`URL`, `u\72l`) right before `(` starts a url token.
      const from = i;
      let name = '';
      if (c === '#' || c === '@') i++;
      for (;;) {
        if (isNameChar(css[i])) name += css[i++];
        else if (escapeStarts(css, i)) {
          const escaped = escapeAt(css, i);
          name += escaped.char;
          i = escaped.end;
        } else break;
      }
      ruleStart = false;
      if (i === from + 1 && (c === '#' || c === '@')) continue;
      if (css[from] !== '#' && css[from] !== '@' && name.toLowerCase() === 'url' && css[i] === '(') {
        let at = i + 1;
        while (isSpace(css[at])) at++;
        if (css[at] === '"' || css[at] === "'") {
          i++;
          depth++;
          continue;
        }
        const url = urlToken(css, at);
        emit(i + 1, url.bad ? `${BAD_TOKEN})` : `${quoted(url.value)})`, url.end);
      }
    } else {
      if (c === '{' || c === '(' || c === '[') depth++;
      else if ((c === '}' || c === ')' || c === ']') && depth > 0) depth--;
      ruleStart = depth === 0 && (c === '}' || c === ';');
      i++;
    }
  }
  return out + css.slice(run);
}

/**
 * The index of the first of `chars` (`{`, `;`, `}`) at or after `from` in {@link cssTokenText}'s text, outside
 * strings, past escapes, and outside the `(…)` and `[…]` blocks (and the `{…}` inside them) that CSS reads as
 * one component value: `:is(a{}) b {` opens its block at the last `{`. -1 if none.
 */
export function scanTo(css: string, from: number, chars: string): number {
  const closers: string[] = [];
  for (let i = from; i < css.length; i++) {
    const c = css[i] as string;
    if (c === '\\') i++;
    else if (c === '"') i = closingQuote(css, i);
    else if (c === '(') closers.push(')');
    else if (c === '[') closers.push(']');
    else if (c === '{' && closers.length > 0) closers.push('}');
    else if (closers.length > 0) {
      if (c === closers[closers.length - 1]) closers.pop();
    } else if (chars.includes(c)) return i;
  }
  return -1;
}

/** The `}` that closes the `{` at `open` (a `}` inside a `(…)` or `[…]` block is not it); -1 if none. */
export function matchingBrace(css: string, open: number): number {
  const closers: string[] = ['}'];
  for (let i = open + 1; i < css.length; i++) {
    const c = css[i] as string;
    if (c === '\\') i++;
    else if (c === '"') i = closingQuote(css, i);
    else if (c === '(') closers.push(')');
    else if (c === '[') closers.push(']');
    else if (c === '{') closers.push('}');
    else if (c === closers[closers.length - 1]) {
      closers.pop();
      if (closers.length === 0) return i;
    }
  }
  return -1;
}

// The closing quote of the string (as cssTokenText writes it: `"`, escapes inside) at `at`; the end if none.
function closingQuote(css: string, at: number): number {
  let i = at + 1;
  while (i < css.length && css[i] !== '"') i += css[i] === '\\' ? 2 : 1;
  return i;
}

/**
 * {@link cssTokenText}'s text with its escapes decoded (`\64 isplay` is `display`), except where the character
 * would change what the text means: a decoded `;`, `{`, `}`, `(`, `)`, `[`, `]`, `,`, `:`, `!`, quote or
 * backslash outside strings, and a quote or backslash inside one, stay escaped (`\;`) — `a\;display:none` is one
 * value, not two declarations.
 */
export function escapesDecoded(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let run = 0;
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      inString = !inString;
      i++;
    } else if (c === '\\' && escapeStarts(text, i)) {
      const escaped = escapeAt(text, i);
      const keep = inString
        ? escaped.char === '"' || escaped.char === '\\'
        : /^[;{}()[\],:!"'\\]$/.test(escaped.char);
      out += text.slice(run, i) + (keep ? `\\${escaped.char}` : escaped.char);
      i = escaped.end;
      run = i;
    } else i++;
  }
  return out + text.slice(run);
}
