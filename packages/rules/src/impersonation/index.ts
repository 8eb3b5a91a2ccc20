import { type Condition, ConfigError, isInternal, matchesAnyPattern } from '@wmflow/core';
import { normalizeText } from '../content/normalize.js';
import { type ListInput, patternList, stringList } from '../internal/config.js';

// Letters from other scripts that look like Latin ones, and digits used as letters.
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '5': 's',
  '@': 'a',
  $: 's',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
};

/**
 * A display name reduced for impersonation checks: NFKC, case folding, diacritics and invisible
 * characters removed, look-alike letters mapped to Latin, punctuation dropped, words sorted (so
 * "Doe, Jane" equals "Jane Doe"). Linear in the name's length.
 *
 * @example
 * ```ts
 * skeletonName('Jаne  DOÉ'); // "doe jane" (the "а" was Cyrillic)
 * ```
 */
export function skeletonName(name: string): string {
  const base = normalizeText(name, { stripDiacritics: true });
  let out = '';
  for (const ch of base) out += CONFUSABLES[ch] ?? ch;
  return out
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .sort()
    .join(' ');
}

/** Options of {@link impersonatesProtectedName}. */
export interface ImpersonationOptions {
  /** Protected display names (executives, finance, "IT Helpdesk"). */
  names: ListInput;
  /** Outside addresses that may legitimately use those names (an executive's own other mailbox). */
  allowedSenders?: ListInput;
}

/**
 * True when the header From display name is, after normalisation ({@link skeletonName}), one of the
 * protected names — or contains all its words — while the mail comes from outside the organization
 * (envelope sender or header From outside `organizationDomains`). Reads only the header block.
 *
 * @example
 * ```ts
 * inbound(when(impersonatesProtectedName({ names: ['Jane Doe', 'Accounts Payable'] }), moveToJunk()))
 * ```
 */
export function impersonatesProtectedName(options: ImpersonationOptions): Condition {
  const protectedNames = stringList('names', options.names).map((n, i) => {
    const words = skeletonName(n).split(' ').filter(Boolean);
    if (words.length === 0) throw new ConfigError(`names[${i}]`, 'has no letters or digits');
    return words;
  });
  const allowed = patternList('allowedSenders', options.allowedSenders ?? [], true);
  return async (ctx) => {
    const from = (await ctx.message.headers()).from[0];
    if (!from) return false;
    const envelope = ctx.envelope.mailFrom;
    const outside =
      !isInternal(from.address, ctx.organizationDomains) ||
      (envelope !== '' && !isInternal(envelope, ctx.organizationDomains));
    if (!outside || matchesAnyPattern(from.address, allowed)) return false;
    const words = new Set(skeletonName(from.name).split(' '));
    return protectedNames.some((name) => name.every((w) => words.has(w)));
  };
}
