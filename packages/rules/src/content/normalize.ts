/** How text is normalised before matching; the same normalisation applies to the configured words. */
export interface NormalizeOptions {
  /** Unicode NFKC: full-width, ligatures and compatibility forms fold to their plain letters. Default true. */
  nfkc?: boolean;
  /** Full case folding (`ß` → `ss`, `İ` → `i̇`). Default true. */
  caseFold?: boolean;
  /** Removes combining marks (`é` → `e`). Default false. */
  stripDiacritics?: boolean;
  /** Drops invisible characters attackers use to split words (zero-width, soft hyphen, bidi controls). Default true. */
  stripInvisible?: boolean;
  /** Runs of whitespace become one space. Default true. */
  collapseWhitespace?: boolean;
}

// Invisible code points: soft hyphen, CGJ, ALM, Hangul fillers, Mongolian FVS, zero-width and bidi
// controls, word joiners, variation selectors, BOM. Given as ranges (a character class would mix marks).
const INVISIBLE_RANGES: readonly [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];

/** True for the invisible code points attackers insert between letters or digits (zero-width, bidi, soft hyphen). */
export function isInvisible(cp: number): boolean {
  return INVISIBLE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

function stripInvisible(text: string): string {
  let out = '';
  for (const ch of text) if (!isInvisible(ch.codePointAt(0) as number)) out += ch;
  return out;
}

const MARKS = /\p{M}/gu;
const SPACE = /\s+/g;

/** Fills in the defaults of {@link NormalizeOptions}. */
export function normalizeSettings(options: NormalizeOptions = {}): Required<NormalizeOptions> {
  return {
    nfkc: options.nfkc ?? true,
    caseFold: options.caseFold ?? true,
    stripDiacritics: options.stripDiacritics ?? false,
    stripInvisible: options.stripInvisible ?? true,
    collapseWhitespace: options.collapseWhitespace ?? true,
  };
}

/**
 * Normalises text for matching, in linear time (each step is one pass with a single-character class).
 *
 * @example
 * ```ts
 * normalizeText('ＵＲＧＥＮＴ  Wi\u200Bre', {}); // "urgent wire"
 * normalizeText('Café', { stripDiacritics: true }); // "cafe"
 * ```
 */
export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  const s = normalizeSettings(options);
  let out = text;
  if (s.stripInvisible) out = stripInvisible(out);
  if (s.stripDiacritics) out = out.normalize('NFD').replace(MARKS, '');
  if (s.nfkc) out = out.normalize('NFKC');
  if (s.caseFold) out = out.toUpperCase().toLowerCase();
  if (s.collapseWhitespace) out = out.replace(SPACE, ' ');
  return out;
}

/**
 * Text of an HTML body for matching: tags and comments dropped, common entities decoded.
 * One pass over the input; unterminated tags end at the end of the text (no rescanning).
 *
 * @example
 * ```ts
 * htmlToText('<p>Wire&nbsp;<b>now</b></p>'); // " Wire  now  "
 * ```
 */
export function htmlToText(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += `${html.slice(i, lt)} `;
    const end = html.startsWith('<!--', lt) ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt + 1);
    if (end < 0) break;
    i = end + (html.startsWith('<!--', lt) ? 3 : 1);
  }
  return decodeEntities(out);
}

// The entities mail markup uses for text, spacing and dashes (numeric ones are decoded generally).
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  numsp: '\u2007',
  puncsp: '\u2008',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
  ndash: '\u2013',
  mdash: '\u2014',
  minus: '\u2212',
  hyphen: '\u2010',
  dash: '\u2010',
  period: '.',
  sol: '/',
  colon: ':',
  comma: ',',
  middot: '\u00b7',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? whole;
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
