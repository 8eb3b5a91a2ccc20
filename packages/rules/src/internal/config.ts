import {
  assertVerdictAllowed,
  type BounceVerdict,
  ConfigError,
  normalizeDomain,
  recipientMatchesAny,
  type Verdict,
  Verdicts,
} from '@wmflow/core';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Splits a list given as text (environment variable, SAM parameter) into entries:
 * separated by commas, semicolons, whitespace or newlines; `#` starts a comment line.
 *
 * @example
 * ```ts
 * parseList('ceo@corp.example, *.partner.example\n# legal\nlegal.example');
 * // ['ceo@corp.example', '*.partner.example', 'legal.example']
 * ```
 */
export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/[,;\s]+/))
    .filter((entry) => entry !== '');
}

/** A list option: an array of strings, or text for {@link parseList}. */
export type ListInput = readonly string[] | string;

/** Checks a list of WorkMail-style address patterns (`user@d`, `d`, `*.d`, `*`). */
export function patternList(field: string, input: ListInput | undefined, allowEmpty = false): string[] {
  const list = typeof input === 'string' ? parseList(input) : input;
  if (!Array.isArray(list)) throw new ConfigError(field, 'must be a list of address patterns');
  if (!allowEmpty && list.length === 0) throw new ConfigError(field, 'must name at least one pattern');
  list.forEach((p, i) => {
    if (!isPattern(p))
      throw new ConfigError(`${field}[${i}]`, `not an address pattern: ${JSON.stringify(p)}`);
  });
  return list.map((p: string) => p.trim());
}

function isPattern(p: unknown): boolean {
  if (typeof p !== 'string' || CONTROL.test(p) || /\s/.test(p.trim())) return false;
  const text = p.trim();
  if (text === '*') return true;
  const at = text.lastIndexOf('@');
  if (at === 0) return false;
  const domain = at > 0 ? text.slice(at + 1) : text.replace(/^\*\./, '');
  if (at > 0 && text.slice(0, at).includes('@')) return false;
  return domain.includes('.') && normalizeDomain(domain) !== '';
}

/** A bounce verdict from configured text; a {@link ConfigError} naming `field` when the text is unusable. */
export function bounceOption(field: string, message: string): BounceVerdict {
  try {
    return Verdicts.bounce(message);
  } catch (error) {
    throw new ConfigError(field, (error as Error).message);
  }
}

/** Checks a configured verdict is one, and legal for `direction` when given. */
export function verdictOption<V extends Verdict>(field: string, verdict: V, direction?: 'OUTBOUND'): V {
  try {
    assertVerdictAllowed(verdict, direction ?? 'INBOUND');
  } catch (error) {
    throw new ConfigError(field, (error as Error).message);
  }
  return verdict;
}

/** A non-negative integer option. */
export function countOption(field: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(field, 'must be a non-negative integer');
  return n;
}

/** A non-empty string list (words, names, extensions); entries trimmed, control characters refused. */
export function stringList(field: string, input: ListInput | undefined, allowEmpty = false): string[] {
  const list = typeof input === 'string' ? input.split(/[\r\n,;]+/) : input;
  if (!Array.isArray(list)) throw new ConfigError(field, 'must be a list of strings');
  const out = list.map((entry, i) => {
    if (typeof entry !== 'string' || CONTROL.test(entry)) {
      throw new ConfigError(`${field}[${i}]`, 'must be a string without control characters');
    }
    return entry.trim();
  });
  const kept = out.filter((e) => e !== '');
  if (!allowEmpty && kept.length === 0) throw new ConfigError(field, 'must name at least one entry');
  return kept;
}

/** Recipients of the context matching the patterns; all of them when no patterns are given. */
export function pick(recipients: readonly string[], patterns: readonly string[] | undefined): string[] {
  return patterns ? recipients.filter((r) => recipientMatchesAny(r, patterns)) : [...recipients];
}

/** Rejects a rule name that would garble the log line. */
export function ruleName(field: string, name: string | undefined, fallback: string): string {
  const n = name ?? fallback;
  if (typeof n !== 'string' || n.trim() === '' || CONTROL.test(n)) {
    throw new ConfigError(field, 'must be a non-empty name without control characters');
  }
  return n;
}
