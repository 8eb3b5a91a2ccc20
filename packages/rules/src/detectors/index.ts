import { type Condition, ConfigError } from '@wmflow/core';
import { htmlToText } from '../content/normalize.js';
import { countOption } from '../internal/config.js';
import { type CardNumberOptions, findCardNumbers } from './card.js';
import { findIbans } from './iban.js';

/** Kinds of sensitive data {@link containsSensitiveData} looks for. */
export type SensitiveKind = 'payment-card' | 'iban';

/** Options of {@link containsSensitiveData}. */
export interface ContainsSensitiveDataOptions {
  /** What to look for. Default both. */
  kinds?: readonly SensitiveKind[];
  /** How many findings (all kinds together) make the condition true. Default 1. */
  minCount?: number;
  /** Where to look: the subject from the event, the bodies (text and HTML), or both (default). */
  scope?: 'subject' | 'body' | 'both';
  /** Card detector settings. */
  cards?: Omit<CardNumberOptions, 'max'>;
}

const KINDS: readonly SensitiveKind[] = ['payment-card', 'iban'];

/**
 * True when the message carries at least `minCount` validated sensitive numbers: payment card numbers
 * (Luhn check, known issuer) and IBANs (mod-97 check). Validation keeps order numbers and phone numbers
 * from counting. One linear pass per detector.
 *
 * @example
 * ```ts
 * outbound(when(containsSensitiveData({ kinds: ['payment-card'], minCount: 1 }), bounceWith('Card numbers must not be emailed.')))
 * ```
 */
export function containsSensitiveData(options: ContainsSensitiveDataOptions = {}): Condition {
  const kinds = options.kinds ?? KINDS;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !KINDS.includes(k))) {
    throw new ConfigError('kinds', `must list some of ${KINDS.join(', ')}`);
  }
  const min = countOption('minCount', options.minCount, 1);
  if (min < 1) throw new ConfigError('minCount', 'must be at least 1');
  const scope = options.scope ?? 'both';
  if (!['subject', 'body', 'both'].includes(scope))
    throw new ConfigError('scope', 'must be subject, body or both');
  const found = (text: string, into: Set<string>) => collectSensitive(text, kinds, into, min, options.cards);
  return async (ctx) => {
    const seen = new Set<string>();
    if (scope !== 'body') found(ctx.subject, seen);
    if (seen.size >= min || scope === 'subject') return seen.size >= min;
    const { text, html } = await ctx.message.parsed();
    found(text ?? '', seen);
    if (seen.size < min && html !== undefined) found(htmlToText(html), seen);
    return seen.size >= min;
  };
}

/**
 * Adds the distinct validated sensitive numbers of a text to `into` (the same card in the text and
 * HTML bodies counts once), stopping once `into` holds `max`.
 *
 * @example
 * ```ts
 * const seen = new Set<string>();
 * collectSensitive('4111-1111-1111-1111 / GB82WEST12345698765432', ['payment-card', 'iban'], seen, 10);
 * seen.size; // 2
 * ```
 */
export function collectSensitive(
  text: string,
  kinds: readonly SensitiveKind[],
  into: Set<string>,
  max: number,
  cards: Omit<CardNumberOptions, 'max'> = {},
): Set<string> {
  if (kinds.includes('payment-card')) {
    for (const c of findCardNumbers(text, { ...cards, max })) if (into.size < max) into.add(`card:${c}`);
  }
  if (into.size < max && kinds.includes('iban')) {
    for (const i of findIbans(text, max)) if (into.size < max) into.add(`iban:${i}`);
  }
  return into;
}
