import { ConfigError } from '@wmflow/core';
import { type ListInput, stringList } from '../internal/config.js';
import { type NormalizeOptions, normalizeSettings, normalizeText } from './normalize.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { compileSafePattern, type SafePattern } from './safe-regex.js';

/** What to look for in a text. At least one of `words`, `substrings` or `patterns`. */
export interface TextMatchOptions {
  /** Words or phrases matched as whole words ("wire transfer" does not match "rewire transfers"). */
  words?: ListInput;
  /** Literal strings matched anywhere. */
  substrings?: ListInput;
  /** Regular expressions run by a linear-time engine (RE2 syntax: no backreferences or lookaround). */
  patterns?: readonly (string | RegExp)[];
  /** Normalisation of text and words before matching (patterns see the normalised text too). */
  normalize?: NormalizeOptions;
}

/** A compiled {@link TextMatchOptions}. */
export interface TextMatcher {
  /** What matched first (a word, substring or pattern source), or undefined. */
  match(text: string): string | undefined;
}

/**
 * Compiles words, substrings and patterns once into a linear-time matcher: the word and substring lists
 * become one Aho-Corasick automaton each, patterns run on RE2JS. Configuration errors are
 * {@link ConfigError}s naming `field`.
 *
 * @example
 * ```ts
 * const m = textMatcher({ words: ['wire transfer'], patterns: [/\bIBAN\b/] });
 * m.match('URGENT: Wire   Transfer today'); // "wire transfer"
 * ```
 */
export function textMatcher(options: TextMatchOptions, field = 'options'): TextMatcher {
  const settings = normalizeSettings(options.normalize);
  const norm = (t: string) => normalizeText(t, settings);
  const words = stringList(`${field}.words`, options.words ?? [], true).map(norm);
  const substrings = stringList(`${field}.substrings`, options.substrings ?? [], true).map(norm);
  const patternInput = options.patterns ?? [];
  if (!Array.isArray(patternInput)) throw new ConfigError(`${field}.patterns`, 'must be a list of patterns');
  const patterns: SafePattern[] = patternInput.map((p, i) =>
    compileSafePattern(`${field}.patterns[${i}]`, p, settings.caseFold),
  );
  if (words.length + substrings.length + patterns.length === 0) {
    throw new ConfigError(field, 'give at least one of words, substrings or patterns');
  }
  const wordMatcher = words.length > 0 ? new PhraseMatcher(words, { wholeWords: true }) : undefined;
  const substringMatcher = substrings.length > 0 ? new PhraseMatcher(substrings) : undefined;
  return {
    match(text) {
      const t = norm(text);
      return (
        wordMatcher?.find(t) ??
        substringMatcher?.find(t) ??
        patterns.find((p) => p.test(t))?.source ??
        undefined
      );
    },
  };
}
