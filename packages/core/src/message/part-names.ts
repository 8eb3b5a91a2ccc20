import libmime from 'libmime';
import { undecodableCharsets } from './charset-words.js';
import { safeDecodeWords as decodeWords } from './decode-words.js';
import { decodeUtf7 } from './utf7.js';

// Kept apart (no libmime), so rules that check names at configuration time do not load charset tables at cold start.
export { nameVariants, normalizeFileName } from './file-names.js';

/** One parameter of a structured header, as written. */
type HeaderParam = { key: string; value: string };
/** A header's parameters as libmime reads them, or undefined when it cannot. */
type Parsed = Record<string, unknown> | undefined;

/**
 * The parameters of one structured header occurrence, as written (quotes removed), in order. With
 * `quotesOpenValues`, a `"` opens a quoted string only where a value begins, as Thunderbird and MimeKit read it
 * (`size=12"; filename=a.vbs` is two parameters there, one here otherwise).
 */
export function headerParams(value: string, quotesOpenValues = false): HeaderParam[] {
  const out: HeaderParam[] = [];
  // One linear scan that honours quoted strings, so `name="a;b.exe"` is one parameter.
  let start = value.indexOf(';');
  if (start < 0) return out;
  let quoted = false;
  let token = '';
  const flush = () => {
    const eq = equalsOutsideComments(token);
    if (eq > 0) {
      const key = token.slice(0, eq).trim().toLowerCase();
      let v = token.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
      out.push({ key, value: v });
      // RFC 2045 allows comments beside the name (`(scanned)name=`, `name(scanned)=`), which MimeKit skips.
      // White space around the RFC 2231 `*` too (`filename *=`, `filename* 0=`).
      const bare = /[(\s]/.test(key) ? withoutComments(key) : key;
      if (bare !== key && bare !== '') out.push({ key: bare, value: v });
    }
    token = '';
  };
  // Whether only white space has come since the last `=` (where a value begins).
  let valueStart = false;
  for (start++; start < value.length; start++) {
    const c = value[start] as string;
    if (c === '\\' && quoted) {
      token += c + (value[start + 1] ?? '');
      start++;
    } else if (c === '"' && (quoted || !quotesOpenValues || valueStart)) {
      quoted = !quoted;
      token += c;
    } else if (c === ';' && !quoted) flush();
    else token += c;
    if (!quoted) valueStart = c === '=' || (valueStart && (c === ' ' || c === '\t'));
  }
  flush();
  return out;
}

// The first `=` outside a comment (`name(a=b)="x"` is the parameter `name`); -1 when there is none.
function equalsOutsideComments(token: string): number {
  let depth = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token[i];
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (c === '=' && depth === 0) return i;
  }
  return -1;
}

// A parameter name with its comments (nested ones too) and white space taken out.
function withoutComments(key: string): string {
  let depth = 0;
  let out = '';
  for (const c of key) {
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0 && !/\s/.test(c)) out += c;
  }
  return out;
}

/** What the naming headers of one part say. */
export interface PartNaming {
  /** Every name and filename, decoded (RFC 2231 and RFC 2047), each distinct spelling once. */
  names: string[];
  /** Why the part can be read in more than one way: repeated headers or parameters with different values. */
  problems: string[];
}

/** The problem of a part with `count` Content-Type headers that differ: clients read it as different types. */
export const differentTypes = (count: number) => `${count} different Content-Type headers`;

/**
 * Reads every name a client could take for a part's file name: `name` and `filename` of each `Content-Type`
 * and `Content-Disposition` (clients mix them up), every occurrence, plain, RFC 2231 (continued,
 * charset-encoded) and RFC 2047, and the legacy `Content-Name` / `X-Sun-Data-Name` headers (`others`).
 * An unquoted value is also read up to its first space or comment, and RFC 2231 continuations up to the
 * first missing segment, as lenient clients read them.
 */
export function partNaming(
  contentTypes: readonly string[],
  dispositions: readonly string[],
  others: readonly string[] = [],
): PartNaming {
  const names = new Set<string>();
  const problems: string[] = [];
  // Repeats that say the same thing are harmless; repeats that differ are read differently by clients.
  if (distinctValues(contentTypes) > 1) problems.push(differentTypes(contentTypes.length));
  if (distinctValues(dispositions) > 1)
    problems.push(`${dispositions.length} different Content-Disposition headers`);
  const add = (value: string) => {
    names.add(decodeWords(value));
    if (value.includes('=?')) for (const reading of lenientWords(value)) names.add(reading);
  };
  const utf7 = [...contentTypes, ...dispositions].some((raw) => /utf-?7/i.test(raw));
  const read = (header: string, params: HeaderParam[], parsed: Parsed, param: string) => {
    const plain = params.filter((p) => p.key === param);
    const extended = params.filter((p) => p.key === `${param}*` || p.key.startsWith(`${param}*0`));
    if (distinctValues(plain.map((p) => p.value)) > 1 || distinctValues(extended.map((p) => p.value)) > 1)
      problems.push(`${header} gives the ${param} parameter different values`);
    for (const p of plain) {
      add(p.value);
      const token = /^[^\s(]+/.exec(p.value)?.[0];
      if (token && token !== p.value) add(token);
    }
    // A single extended value (`filename*=utf-8''a.vbs`), which libmime reads unless a comment stands by its name.
    for (const p of extended) if (p.key === `${param}*`) add(extendedValue(p.value, true));
    const continued = continuation(params, param);
    if (continued !== '') add(continued);
    if (!parsed) problems.push(`${header} parameters cannot be decoded`);
    const value = parsed ? String(parsed[param] ?? '') : '';
    if (value !== '') add(value);
  };
  for (const raw of [...contentTypes, ...dispositions]) {
    const header = contentTypes.includes(raw) ? 'Content-Type' : 'Content-Disposition';
    const named = /name/i.test(raw);
    // Neither parameter can come out of a header that does not spell "name" (most body parts' headers),
    // and libmime's parse can only fail on RFC 2231 parameters (`*`): such a header is not parsed at all.
    if (!named && !raw.includes('*')) continue;
    let parsed: Parsed;
    try {
      parsed = libmime.parseHeaderValue(raw).params as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    if (named) {
      for (const charset of undecodableCharsets(raw))
        problems.push(`${header} names a file in charset ${charset.slice(0, 40)}, which cannot be decoded`);
      // Each header is split and parsed once, for both parameters; also as Thunderbird and MimeKit split it
      // where that differs: a quote inside a value is a character, and a comma may end the first component.
      const params = [...headerParams(raw), ...otherSplits(raw)];
      read(header, params, parsed, 'name');
      read(header, params, parsed, 'filename');
    } else if (!parsed) {
      problems.push(`${header} parameters cannot be decoded`, `${header} parameters cannot be decoded`);
    }
    // A parameter a lenient client finds without the `;` before it (`application/octet-stream name="x.vbs"`).
    if (named)
      for (const m of raw.matchAll(LOOSE_NAME))
        add((m[1] ?? '').replace(/^"|"$/g, '').replace(/\\(.)/g, '$1'));
  }
  for (const raw of others) if (raw.trim() !== '') add(raw.trim());
  // libmime leaves UTF-7 undecoded; Outlook decodes it (`=?utf-7?Q?x+AC4-vbs?=` is `x.vbs`).
  if (utf7) for (const n of [...names]) names.add(decodeUtf7(n));
  // Names that disagree are not a problem in themselves: every one of them is checked.
  const list = [...names].filter((n) => n.trim() !== '');
  return { names: list, problems };
}

/**
 * Every value a client may read for one parameter of a structured header: plain, RFC 2231 extended
 * (`start*=''%3Cp2%3E`) and continued (`start*0=…; start*1=…`). Empty when the header has no such parameter.
 */
export function paramReadings(raw: string, param: string): string[] {
  const params = [...headerParams(raw), ...otherSplits(raw)];
  const out = new Set<string>();
  for (const p of params) {
    if (p.key === param) out.add(p.value);
    else if (p.key === `${param}*`) out.add(extendedValue(p.value, true));
  }
  if (params.some((p) => p.key.startsWith(`${param}*`) && p.key !== `${param}*`))
    out.add(continuation(params, param));
  return [...out];
}

// Quoted values bounded (file names are at most 255 characters), so a header of unclosed quotes stays linear.
// Comments may stand beside the name (`(scanned)name=`, `name(scanned)=`), as RFC 2045 allows.
const LOOSE_NAME =
  /(?:^|[\s;),])(?:file)?name(?:[ \t]|\([^()]{0,255}\))*=[ \t]*("(?:[^"\\]|\\.){0,255}"|[^\s;"]+)/gi;

// The header's parameters as other clients split them, only where that split differs from headerParams'.
function otherSplits(raw: string): HeaderParam[] {
  const out: HeaderParam[] = [];
  if (raw.includes('"')) out.push(...headerParams(raw, true));
  // Thunderbird ends the first component (the type) at a `;` or a `,`: `attachment,filename="a.vbs"`.
  const comma = raw.indexOf(',');
  const semi = raw.indexOf(';');
  if (comma >= 0 && (semi < 0 || comma < semi)) {
    const split = `${raw.slice(0, comma)};${raw.slice(comma + 1)}`;
    out.push(...headerParams(split), ...(split.includes('"') ? headerParams(split, true) : []));
  }
  return out;
}

// Encoded words as a lenient decoder reads them: a `?` inside the encoded text kept as text
// (`=?utf-8?Q?Invoice?.vbs?=`, saved by Thunderbird as `Invoice-.vbs`), and a word it cannot decode dropped
// (`Invoice.vbs=?utf-8?Q?=ZZ.pdf=?=` shows as `Invoice.vbs`).
function lenientWords(value: string): string[] {
  const words = /=\?([^?\s]{1,64})\?([bBqQ])\?([^\s]{0,1000}?)\?=/g;
  const kept = value.replace(words, (_, charset: string, encoding: string, text: string) =>
    decodeWords(`=?${charset}?${encoding}?${/q/i.test(encoding) ? text.replace(/\?/g, '=3F') : text}?=`),
  );
  return [kept, value.replace(words, '')];
}

// RFC 2231 `param*0`, `param*1`… joined up to the first missing segment (charset prefix of *0* dropped,
// percent-escapes decoded as UTF-8), as a client that stops at the gap reads them.
function continuation(params: readonly { key: string; value: string }[], param: string): string {
  const segments = new Map<number, { value: string; encoded: boolean }>();
  for (const p of params) {
    const m = /^(.+)\*(\d{1,3})(\*?)$/.exec(p.key);
    if (m?.[1] === param) segments.set(Number(m[2]), { value: p.value, encoded: m[3] === '*' });
  }
  let out = '';
  for (let i = 0; segments.has(i); i++) {
    const s = segments.get(i) as { value: string; encoded: boolean };
    out += s.encoded ? extendedValue(s.value, i === 0) : s.value;
  }
  return out;
}

// An RFC 2231 encoded value: its `charset'language'` prefix dropped (first segment only), percent-escapes
// decoded as UTF-8 (left as written when they are not).
function extendedValue(value: string, first: boolean): string {
  const v = first ? value.replace(/^[^']*'[^']*'/, '') : value;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function distinctValues(values: readonly string[]): number {
  if (values.length < 2) return values.length;
  return new Set(values.map((v) => v.replace(/\s+/g, ' ').trim().toLowerCase())).size;
}
