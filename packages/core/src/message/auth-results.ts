import type { MessageHeaders } from './headers.js';

/** One method result from Authentication-Results (RFC 8601), e.g. `dkim=pass header.d=example.com`. */
export interface AuthMethodResult {
  method: string;
  result: string;
  /** Properties such as `smtp.mailfrom`, `header.d`, `header.from`. */
  props: Record<string, string>;
}

/** What the receiving service concluded about a message's authenticity and content. */
export interface AuthVerdicts {
  /** The authserv-id of the Authentication-Results header used, if any. */
  authServId?: string;
  spf?: string;
  dkim?: string;
  dmarc?: string;
  /** Every method result of that header. */
  methods: AuthMethodResult[];
  /**
   * True when the topmost trusted Authentication-Results header could not be read (a comment or quoted string
   * left open, say): nothing is known about SPF, DKIM or DMARC, which is not the same as nothing failed.
   */
  unreadable?: boolean;
  /**
   * The `d=` domain of each DKIM-Signature header the message carries, lower-cased (`''` for one without): the
   * signatures a checker reports one result each for.
   */
  dkimSignatureDomains?: string[];
  /** `X-SES-Spam-Verdict`: PASS, FAIL, GRAY or PROCESSING_FAILED. */
  sesSpam?: string;
  /** `X-SES-Virus-Verdict`: PASS, FAIL, GRAY or PROCESSING_FAILED. */
  sesVirus?: string;
}

/**
 * Authentication services whose results are trusted by default: SES, which receives WorkMail's mail.
 *
 * @example
 * ```ts
 * DEFAULT_TRUSTED_AUTHSERV_IDS; // ['amazonses.com']
 * const v = authVerdicts(await ctx.message.headers(), [...DEFAULT_TRUSTED_AUTHSERV_IDS, 'mx.corp.example']);
 * ```
 */
export const DEFAULT_TRUSTED_AUTHSERV_IDS: readonly string[] = ['amazonses.com'];

/**
 * Reads SPF/DKIM/DMARC results and SES spam/virus verdicts. Only the topmost
 * Authentication-Results header whose authserv-id is trusted counts: a sender
 * can write any Authentication-Results header of its own further down.
 *
 * @example
 * ```ts
 * const v = authVerdicts(await ctx.message.headers());
 * if (v.dmarc === 'fail' || v.sesVirus === 'FAIL') ctx.settle(Verdicts.MOVE_TO_JUNK);
 * ```
 */
export function authVerdicts(
  headers: MessageHeaders,
  trustedAuthServIds: readonly string[] = DEFAULT_TRUSTED_AUTHSERV_IDS,
): AuthVerdicts {
  const trusted = new Set(trustedAuthServIds.map((id) => id.toLowerCase()));
  const verdicts: AuthVerdicts = {
    methods: [],
    dkimSignatureDomains: headers.all('dkim-signature').map(signingDomain),
    sesSpam: headers.get('x-ses-spam-verdict')?.trim().toUpperCase(),
    sesVirus: headers.get('x-ses-virus-verdict')?.trim().toUpperCase(),
  };
  for (const value of headers.all('authentication-results')) {
    // Headers of other servers (most of them) are not parsed past their authserv-id.
    const id = authServIdOf(stripComments(value));
    if (!id || !trusted.has(id.toLowerCase())) continue;
    // The topmost trusted header is the one: when it cannot be read, nothing is known (never a lower one,
    // which the sender may have written).
    const parsed = parseAuthenticationResults(value);
    if (!parsed) {
      verdicts.unreadable = true;
      break;
    }
    verdicts.authServId = parsed.authServId;
    verdicts.methods = parsed.methods;
    for (const m of parsed.methods) {
      if (m.method === 'spf' || m.method === 'dkim' || m.method === 'dmarc') verdicts[m.method] ??= m.result;
    }
    break;
  }
  return verdicts;
}

function signingDomain(signature: string): string {
  const tag = /(?:^|;)\s*d\s*=\s*([^;\s]*)/i.exec(signature);
  return (tag?.[1] ?? '').toLowerCase();
}

/**
 * Parses one Authentication-Results value into its authserv-id and method results; undefined when malformed.
 *
 * @example
 * ```ts
 * parseAuthenticationResults('amazonses.com; spf=pass smtp.mailfrom=a.example; dkim=fail');
 * // { authServId: 'amazonses.com', methods: [{ method: 'spf', result: 'pass', ... }, ...] }
 * ```
 */
export function parseAuthenticationResults(
  value: string,
): { authServId: string; methods: AuthMethodResult[] } | undefined {
  const segments = resinfoSegments(value);
  if (!segments) return undefined;
  const authServId = segments.shift()?.[0];
  if (!authServId) return undefined;
  const methods: AuthMethodResult[] = [];
  for (const tokens of segments) {
    const head = tokens.shift();
    const eq = head?.indexOf('=') ?? -1;
    if (!head || eq <= 0) continue;
    const props: Record<string, string> = {};
    for (const t of tokens) {
      const i = t.indexOf('=');
      if (i > 0) props[t.slice(0, i).toLowerCase()] = unquote(t.slice(i + 1));
    }
    methods.push({
      method: head.slice(0, eq).toLowerCase(),
      result: unquote(head.slice(eq + 1)).toLowerCase(),
      props,
    });
  }
  return { authServId, methods };
}

function authServIdOf(text: string): string | undefined {
  const semicolon = text.indexOf(';');
  return (semicolon < 0 ? text : text.slice(0, semicolon)).trim().split(/\s+/)[0] || undefined;
}

/**
 * The header's `;`-separated pieces, each as its whitespace-separated tokens, in one linear pass: a `;`, a space
 * or a `(` inside a quoted string is text (RFC 8601 values, such as the envelope sender SES echoes, may be quoted
 * strings holding any of them), comments are dropped. Undefined when a quoted string is left open: where it ends
 * cannot be known, so neither can the results.
 */
function resinfoSegments(value: string): string[][] | undefined {
  const segments: string[][] = [];
  let tokens: string[] = [];
  let token = '';
  let depth = 0;
  let quoted = false;
  const endToken = () => {
    if (token !== '') tokens.push(token);
    token = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < value.length) token += c + value[++i];
      else {
        token += c;
        if (c === '"') quoted = false;
      }
    } else if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    } else if (c === '(') {
      endToken();
      depth = 1;
    } else if (c === '"') {
      token += c;
      quoted = true;
    } else if (c === ';') {
      endToken();
      segments.push(tokens);
      tokens = [];
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') endToken();
    else token += c;
  }
  // A quoted string or a comment left open: where it ends, and which results it hides, cannot be known.
  if (quoted || depth > 0) return undefined;
  endToken();
  segments.push(tokens);
  return segments;
}

/** A value as written, or the text of a quoted string (its escapes undone). */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  return value.slice(1, -1).replace(/\\(.)/g, '$1');
}

// Drops (comments), nested ones included, in one linear pass.
export function stripComments(value: string): string {
  const first = value.indexOf('(');
  if (first < 0) return value;
  let depth = 0;
  let out = '';
  let start = 0;
  // Text outside comments is copied in runs, not character by character.
  for (let i = first; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x28) {
      if (depth === 0) out += value.slice(start, i);
      depth++;
    } else if (c === 0x29 && depth > 0 && --depth === 0) start = i + 1;
  }
  return depth === 0 ? out + value.slice(start) : out;
}
