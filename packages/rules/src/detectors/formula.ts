// A spreadsheet shows what a formula computes, not its text: `="4111 1111 "&"1111 1111"` in a CSV, or in an
// .xlsx cell sent without its cached value, shows a card that no single string of the file holds.

// A name glued to the text before it counts: cells of a sheet's XML read with nothing between them.
const CALL =
  /(CONCATENATE|CONCAT|TEXTJOIN|TEXT|TRIM|T|UNICHAR|CHAR|REPT|LEFT|RIGHT|MID|SUBSTITUTE|LOWER|UPPER)[ \t]{0,8}\(/gi;
const MAX_CALL = 2000;
// Calls inside calls are evaluated from the inside out, one level a pass.
const MAX_PASSES = 8;
// A constant in parentheses after an operator or a separator (not a call's): `&(1111)`.
const PARENTHESIZED = /(?<=[&,;(=][ \t]{0,8})\([ \t]{0,8}("(?:[^"\n]|""){0,200}"|-?[0-9]{1,20})[ \t]{0,8}\)/g;

/**
 * The text with its spreadsheet string joins evaluated (the `&` operator between a quoted string and a string
 * or a number; the text functions CONCATENATE, CONCAT, TEXTJOIN, CHAR, UNICHAR, REPT, LEFT, RIGHT, MID,
 * SUBSTITUTE, TEXT with a digit format, T, TRIM, LOWER and UPPER of constants, nested too), or undefined when it
 * has none. In CSV quoting (`""4111 ""&""1111""`) too. Cell references, arithmetic and other functions stay as
 * they are. Linear time.
 *
 * @example
 * ```ts
 * formulaReading('card,="4111 1111 "&"1111 1111"'); // 'card,="4111 1111 1111 1111"'
 * ```
 */
export function formulaReading(text: string): string | undefined {
  const hasAmp = text.includes('&');
  CALL.lastIndex = 0;
  const hasCall = CALL.test(text);
  if (!hasAmp && !hasCall) return undefined;
  let called = text;
  const reducible = hasCall || text.includes('(');
  for (let pass = 0; reducible && pass < MAX_PASSES; pass++) {
    const next = evaluateCalls(called.replace(PARENTHESIZED, '$1'));
    if (next === called) break;
    called = next;
  }
  const joined = hasAmp ? evaluateJoins(called) : called;
  return joined === text ? undefined : joined;
}

// Each call whose arguments reach their `)` on the same line within MAX_CALL characters, with no call inside,
// replaced by its value. The next `)`, `(` and line feed are kept from search to search: one pass.
function evaluateCalls(text: string): string {
  const out: string[] = [];
  let at = 0;
  const next = { ')': -1, '(': -1, '\n': -1 };
  const after = (c: keyof typeof next, from: number) => {
    if (next[c] !== Number.POSITIVE_INFINITY && next[c] < from) {
      const found = text.indexOf(c, from);
      next[c] = found < 0 ? Number.POSITIVE_INFINITY : found;
    }
    return next[c];
  };
  CALL.lastIndex = 0;
  for (let m = CALL.exec(text); m; m = CALL.exec(text)) {
    const open = m.index + m[0].length;
    const close = after(')', open);
    if (close === Number.POSITIVE_INFINITY) break;
    const inner = after('(', open);
    if (inner < close) {
      // A call inside: look again from just before its name.
      CALL.lastIndex = Math.max(open, inner - 20);
      continue;
    }
    if (close - open > MAX_CALL || after('\n', open) < close) continue;
    const args = splitArgs(text.slice(open, close)).map(constant);
    const value = args.every((a) => a !== undefined)
      ? evaluate((m[1] as string).toUpperCase(), args as string[])
      : undefined;
    if (value === undefined) continue;
    // Quoted, as a string constant is: an outer call or a join reads it as one.
    out.push(text.slice(at, m.index), `"${value.replaceAll('"', '')}"`);
    at = close + 1;
    CALL.lastIndex = at;
  }
  out.push(text.slice(at));
  return out.join('');
}

// What a text function gives for constant arguments; undefined when it cannot be known here.
function evaluate(name: string, args: string[]): string | undefined {
  const text = (i: number) => args[i] ?? '';
  const count = (i: number, otherwise?: number) => {
    if (args[i] === undefined || args[i] === '') return otherwise;
    const n = Number(args[i]);
    return Number.isInteger(n) && n >= 0 && n <= 1000 ? n : undefined;
  };
  switch (name) {
    case 'CONCATENATE':
    case 'CONCAT':
      return args.join('');
    case 'TEXTJOIN':
      return args.slice(2).join(text(0));
    case 'T':
    case 'LOWER':
    case 'UPPER':
      return text(0);
    case 'TRIM':
      return text(0).trim().replace(/ {2,}/g, ' ');
    case 'CHAR':
    case 'UNICHAR': {
      const code = Number(text(0));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    }
    case 'REPT': {
      const times = count(1);
      return times === undefined || text(0).length * times > MAX_CALL ? undefined : text(0).repeat(times);
    }
    case 'LEFT':
    case 'RIGHT': {
      const n = count(1, 1);
      if (n === undefined) return undefined;
      return name === 'LEFT' ? text(0).slice(0, n) : text(0).slice(Math.max(0, text(0).length - n));
    }
    case 'MID': {
      const start = count(1);
      const n = count(2);
      return start === undefined || start < 1 || n === undefined
        ? undefined
        : text(0).slice(start - 1, start - 1 + n);
    }
    case 'SUBSTITUTE':
      return args.length === 3 && text(1) !== '' ? text(0).split(text(1)).join(text(2)) : undefined;
    case 'TEXT':
      return digitFormat(text(0), text(1));
    default:
      return undefined;
  }
}

// TEXT(4111, "0000 0000"): the digits of a whole number put in the format's 0 and # places from the right,
// other characters as written. Only such formats.
function digitFormat(value: string, format: string): string | undefined {
  if (!/^[0-9]{1,20}$/.test(value) || !/^[0# -]{1,40}$/.test(format)) return undefined;
  const digits = [...value];
  const out: string[] = [];
  for (let i = format.length - 1; i >= 0; i--) {
    const c = format[i] as string;
    if (c === '0') out.push(digits.pop() ?? '0');
    else if (c === '#') out.push(digits.pop() ?? '');
    else out.push(c);
  }
  return digits.join('') + out.reverse().join('');
}

// Arguments split at commas and semicolons (Excel's separator in locales with a decimal comma) outside quotes.
function splitArgs(inner: string): string[] {
  const args: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (!quoted && (c === 0x2c || c === 0x3b)) {
      args.push(inner.slice(from, i));
      from = i + 1;
    }
  }
  args.push(inner.slice(from));
  return args;
}

// A quoted string's text (its quotes, doubled or not, removed); anything else as written.
function constant(arg: string): string | undefined {
  const t = arg.trim();
  let a = 0;
  let b = t.length;
  while (a < b && t.charCodeAt(a) === 0x22) a++;
  while (b > a && t.charCodeAt(b - 1) === 0x22) b--;
  if (a > 0 || b < t.length) return t.slice(a, b);
  // A number or a truth value; a cell reference or an expression is not known here.
  return /^-?[0-9]{1,20}(?:\.[0-9]{1,20})?$|^(?:TRUE|FALSE)$/i.test(t) ? t : undefined;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isBlank = (c: number) => c === 0x20 || c === 0x09;

// `"…" & "…"`, `"…"&1111` and `1111&"…"`: the operator, the blanks around it and the quotes that close and
// open the strings on either side disappear. A `&` with no quote beside it (`R&D`, `4&5`) stays.
function evaluateJoins(text: string): string {
  const out: string[] = [];
  let at = 0;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    let left = i;
    while (left > at && isBlank(text.charCodeAt(left - 1))) left--;
    let leftQuotes = left;
    while (leftQuotes > at && text.charCodeAt(leftQuotes - 1) === 0x22) leftQuotes--;
    let right = i + 1;
    while (right < text.length && isBlank(text.charCodeAt(right))) right++;
    let rightQuotes = right;
    while (rightQuotes < text.length && text.charCodeAt(rightQuotes) === 0x22) rightQuotes++;
    const quotedLeft = leftQuotes < left;
    const quotedRight = rightQuotes > right;
    const leftOk = quotedLeft || (left > at && isDigit(text.charCodeAt(left - 1)));
    const rightOk = quotedRight || (right < text.length && isDigit(text.charCodeAt(right)));
    if (!(quotedLeft || quotedRight) || !leftOk || !rightOk) continue;
    out.push(text.slice(at, leftQuotes));
    at = rightQuotes;
    i = rightQuotes - 1;
  }
  out.push(text.slice(at));
  return out.join('');
}
