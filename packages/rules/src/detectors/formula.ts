// A spreadsheet shows what a formula computes, not its text: `="4111 1111 "&"1111 1111"` in a CSV, or in an
// .xlsx cell sent without its cached value, shows a card that no single string of the file holds.

const CALL = /\b(CONCATENATE|CONCAT|TEXTJOIN)[ \t]{0,8}\(/gi;
const MAX_CALL = 2000;

/**
 * The text with its spreadsheet string joins evaluated (the `&` operator between a quoted string and a string
 * or a number; CONCATENATE, CONCAT and TEXTJOIN of constants), or undefined when it has none. In CSV quoting
 * (`""4111 ""&""1111""`) too. Cell references and other functions stay as they are. Linear time.
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
  const called = hasCall ? evaluateCalls(text) : text;
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
    const value =
      (m[1] as string).toUpperCase() === 'TEXTJOIN' ? args.slice(2).join(args[0] ?? '') : args.join('');
    out.push(text.slice(at, m.index), value);
    at = close + 1;
    CALL.lastIndex = at;
  }
  out.push(text.slice(at));
  return out.join('');
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
function constant(arg: string): string {
  const t = arg.trim();
  let a = 0;
  let b = t.length;
  while (a < b && t.charCodeAt(a) === 0x22) a++;
  while (b > a && t.charCodeAt(b - 1) === 0x22) b--;
  return a > 0 || b < t.length ? t.slice(a, b) : t;
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
