import { type BounceVerdict, ConfigError, type InboundVerdict, Verdicts } from '@wmflow/core';
import type { FunctionConfig } from './config.js';

/** Words for verdicts in settings: `junk`, `drop`, `bounce`, `deliver`. */
export type VerdictWord = 'junk' | 'drop' | 'bounce' | 'deliver';

/**
 * The verdict a setting names; `bounce` uses `bounceMessage`. A bounce message that WorkMail would
 * refuse is a {@link ConfigError} naming `messageSetting`.
 *
 * @example
 * ```ts
 * verdictSetting(config, 'SPAM_ACTION', ['junk', 'drop', 'bounce'], 'junk', 'SPAM_BOUNCE_MESSAGE', 'Refused as spam.');
 * ```
 */
export function verdictSetting(
  config: FunctionConfig,
  name: string,
  choices: readonly VerdictWord[],
  fallback: VerdictWord,
  messageSetting: string,
  defaultMessage: string,
): InboundVerdict {
  const word = config.choice(name, choices, fallback);
  if (word === 'junk') return Verdicts.MOVE_TO_JUNK;
  if (word === 'drop') return Verdicts.DROP;
  if (word === 'deliver') return Verdicts.DEFAULT;
  return bounceSetting(config, messageSetting, defaultMessage);
}

/** A bounce verdict from a message setting (or its default). */
export function bounceSetting(config: FunctionConfig, name: string, defaultMessage: string): BounceVerdict {
  try {
    return Verdicts.bounce(config.text(name, defaultMessage));
  } catch (error) {
    throw new ConfigError(config.field(name), (error as Error).message);
  }
}
