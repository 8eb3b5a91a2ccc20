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
  /** As `match`, for text already normalised as {@link TextMatcher.normalization} says. */
  matchNormalized(normalized: string): string | undefined;
  /** Names the normalisation applied: matchers with the same one can share normalised text. */
  readonly normalization: string;
}

// Normalised texts by source object and normalisation: several rules reading the same bodies in one
// invocation normalise them once. Weak: they go with the invocation's bodies.
const shared = new WeakMap<object, Map<string, string>>();

// Each normalisation a matcher names, read once (there are as many as configured matchers, at most).
const settingsByName = new Map<string, Required<NormalizeOptions>>();

function settingsOf(normalization: string): Required<NormalizeOptions> {
  let settings = settingsByName.get(normalization);
  if (!settings) {
    settings = normalizeSettings(JSON.parse(normalization) as NormalizeOptions);
    settingsByName.set(normalization, settings);
  }
  return settings;
}

/**
 * `matcher` over `text`, normalised once per `source` object, `slot` and normalisation whatever the number
 * of matchers asking (`text()` is called at most once per slot too).
 *
 * @example
 * ```ts
 * matchShared(matcher, bodies, 'text', () => bodies.text ?? '');
 * ```
 */
export function matchShared(
  matcher: TextMatcher,
  source: object,
  slot: string,
  text: () => string,
): string | undefined {
  let texts = shared.get(source);
  if (!texts) {
    texts = new Map();
    shared.set(source, texts);
  }
  let raw = texts.get(slot);
  if (raw === undefined) {
    raw = text();
    texts.set(slot, raw);
  }
  const key = `${slot}\u0000${matcher.normalization}`;
  let normalized = texts.get(key);
  if (normalized === undefined) {
    normalized = normalizeText(raw, settingsOf(matcher.normalization));
    texts.set(key, normalized);
  }
  return matcher.matchNormalized(normalized);
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
  const matchNormalized = (t: string) =>
    wordMatcher?.find(t) ?? substringMatcher?.find(t) ?? patterns.find((p) => p.test(t))?.source ?? undefined;
  return {
    match: (text) => matchNormalized(norm(text)),
    matchNormalized,
    normalization: JSON.stringify(settings),
  };
}
