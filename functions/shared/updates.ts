import { ConfigError, type UpdateOptions } from '@wmflow/core';
import type { FunctionConfig } from './config.js';

/**
 * `flow({ updates })` from `UPDATES_BUCKET` / `UPDATES_KEY_PREFIX`: required when a configured part
 * edits messages (PutRawMessageContent reads the edited copy from that bucket).
 *
 * @example
 * ```ts
 * flow({ rules, ...updatesOption(config, true, 'DISCLAIMER_TEXT') });
 * ```
 */
export function updatesOption(
  config: FunctionConfig,
  needed: boolean,
  why: string,
): { updates?: UpdateOptions } {
  const bucket = config.bucket('UPDATES_BUCKET');
  if (!bucket) {
    if (needed)
      throw new ConfigError('UPDATES_BUCKET', `is required for ${why} (edited messages are staged there)`);
    return {};
  }
  const keyPrefix = config.text('UPDATES_KEY_PREFIX');
  return { updates: keyPrefix ? { bucket, keyPrefix } : { bucket } };
}
