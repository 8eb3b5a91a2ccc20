import libmime from 'libmime';

// Kept apart (no libmime), so rules that check names at configuration time do not load charset tables at cold start.
export { nameVariants, normalizeFileName } from './file-names.js';

/** The parameters of one structured header occurrence, as written (quotes removed), in order. */
export function headerParams(value: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  // One linear scan that honours quoted strings, so `name="a;b.exe"` is one parameter.
  let start = value.indexOf(';');
  if (start < 0) return out;
  let quoted = false;
  let token = '';
  const flush = () => {
    const eq = token.indexOf('=');
    if (eq > 0) {
      const key = token.slice(0, eq).trim().toLowerCase();
      let v = token.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
      out.push({ key, value: v });
    }
    token = '';
  };
  for (start++; start < value.length; start++) {
    const c = value[start];
    if (c === '\\' && quoted) {
      token += c + (value[start + 1] ?? '');
      start++;
    } else if (c === '"') {
      quoted = !quoted;
      token += c;
    } else if (c === ';' && !quoted) flush();
    else token += c;
  }
  flush();
  return out;
}

/** What the naming headers of one part say. */
export interface PartNaming {
  /** Every name and filename, decoded (RFC 2231 and RFC 2047), each distinct spelling once. */
  names: string[];
  /** Why the part can be read in more than one way: repeated headers or parameters with different values. */
  problems: string[];
}

/**
 * Reads every name a client could take for a part's file name: `name` of each `Content-Type`, `filename` of
 * each `Content-Disposition`, every occurrence, plain, RFC 2231 (continued, charset-encoded) and RFC 2047.
 */
export function partNaming(contentTypes: readonly string[], dispositions: readonly string[]): PartNaming {
  const names = new Set<string>();
  const problems: string[] = [];
  // Repeats that say the same thing are harmless; repeats that differ are read differently by clients.
  if (distinctValues(contentTypes) > 1)
    problems.push(`${contentTypes.length} different Content-Type headers`);
  if (distinctValues(dispositions) > 1)
    problems.push(`${dispositions.length} different Content-Disposition headers`);
  const read = (header: string, raw: string, param: string) => {
    const params = headerParams(raw);
    const plain = params.filter((p) => p.key === param);
    const extended = params.filter((p) => p.key === `${param}*` || p.key.startsWith(`${param}*0`));
    if (distinctValues(plain.map((p) => p.value)) > 1 || distinctValues(extended.map((p) => p.value)) > 1)
      problems.push(`${header} gives the ${param} parameter different values`);
    for (const p of plain) names.add(decodeWords(p.value));
    let parsed = '';
    try {
      parsed = String(libmime.parseHeaderValue(raw).params[param] ?? '');
    } catch {
      problems.push(`${header} parameters cannot be decoded`);
    }
    if (parsed !== '') names.add(decodeWords(parsed));
  };
  for (const raw of contentTypes) read('Content-Type', raw, 'name');
  for (const raw of dispositions) read('Content-Disposition', raw, 'filename');
  // Names that disagree are not a problem in themselves: every one of them is checked.
  const list = [...names].filter((n) => n.trim() !== '');
  return { names: list, problems };
}

function distinctValues(values: readonly string[]): number {
  return new Set(values.map((v) => v.replace(/\s+/g, ' ').trim().toLowerCase())).size;
}

function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
