import { ConfigError } from '@wmflow/core';
import type { SesFlowOptions } from '@wmflow/core/ses';
import { configured, type FunctionConfig } from './config.js';

/** Settings every SES function reads besides its own (see docs/moving-off-workmail.md). */
export const SES_SETTINGS = [
  'STORED_BUCKET',
  'STORED_KEY_PREFIX',
  'BOUNCE_SENDER',
  'JUNK_POLICY',
  'MIXED_POLICY',
] as const;

/**
 * `sesFlow()` options from the SES settings: where the receipt rule's S3 action stores messages, the
 * bounce sender and the verdict policy.
 *
 * @example
 * ```ts
 * sesFlow({ rules, ...sesOptions(config, true) });
 * ```
 */
export function sesOptions(
  config: FunctionConfig,
  bounces: boolean,
): Pick<SesFlowOptions, 'stored' | 'bounceSender' | 'policy'> {
  const bounceSender = config.text('BOUNCE_SENDER');
  if (bounces && !bounceSender) {
    throw new ConfigError('BOUNCE_SENDER', 'is required: a verified SES identity that sends the bounces');
  }
  const keyPrefix = config.text('STORED_KEY_PREFIX');
  const options = {
    stored: { bucket: config.bucket('STORED_BUCKET', true), ...(keyPrefix ? { keyPrefix } : {}) },
    ...(bounceSender ? { bounceSender } : {}),
    policy: {
      junk: config.choice('JUNK_POLICY', ['quarantine', 'deliver', 'drop'], 'quarantine'),
      mixed: config.choice('MIXED_POLICY', ['most-protective', 'least-protective'], 'most-protective'),
    },
  };
  return configured(
    { 'stored.keyPrefix': 'STORED_KEY_PREFIX', bounceSender: 'BOUNCE_SENDER' },
    () => options,
  );
}

/** A start-up note for each given setting that has no effect on SES. */
export function unusedOnSes(config: FunctionConfig, names: readonly string[], why: string): string[] {
  return names.filter((n) => config.has(n)).map((n) => `${n} is not used on SES: ${why}`);
}
