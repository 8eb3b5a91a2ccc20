import { ConfigError, checkOptionNames, type Rule, type Verdict } from '@wmflow/core';
import { bounceOption, ruleName, verdictOption } from '../internal/config.js';

import { countKeys, type RateStoreOptions, rateBackend, storeFailed } from './counting.js';
import { keySelector, type RateKey } from './keys.js';
import { type Duration, durationMs, ttlOf, type WindowType, windowCount, windowType } from './window.js';

/** Options of {@link rateLimit}. */
export interface RateLimitOptions extends RateStoreOptions {
  /** What to count by (see {@link RateKey}). */
  key: RateKey;
  /** Messages allowed per window and key; the next one gets the verdict. */
  limit: number;
  /** Window length, e.g. `1m`, `1h`. */
  window: Duration;
  /** `sliding` (default) or `fixed`. */
  windowType?: WindowType;
  /** Verdict past the limit. Default a bounce telling the sender to try later. */
  verdict?: Verdict;
  name?: string;
}

/**
 * Rate limit: counts each message under its key(s) in a DynamoDB table shared by every Lambda
 * instance, and settles `verdict` once a key has had more than `limit` messages in the window
 * (for per-recipient keys, only on those recipients). Counting is atomic (conditional UpdateItem),
 * one request per key on the hot path; a WorkMail retry (same invocationId) is not counted again
 * and gets the answer the first attempt got. Messages past the limit are counted too, so a sender
 * who keeps sending stays limited. When the store is unreachable, throttles or is slow, the message
 * flows (`onStoreError: 'fail-open'`, the default, logged as a warning) — see docs/rules.md for why;
 * `'fail-closed'` settles the verdict instead.
 *
 * @example
 * ```ts
 * outbound(rateLimit({ table: 'wmflow-rate', key: 'sender', limit: 200, window: '1h' }))
 * ```
 */
export function rateLimit(options: RateLimitOptions): Rule {
  checkOptionNames('rateLimit', options, {
    key: true,
    limit: true,
    window: true,
    windowType: true,
    verdict: true,
    name: true,
    table: true,
    dynamo: true,
    storeTimeoutMs: true,
    onStoreError: true,
    clock: true,
  });
  const name = ruleName('name', options.name, 'rate-limit');
  const select = keySelector('key', options.key);
  if (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > 1_000_000) {
    throw new ConfigError('limit', 'must be an integer from 1 to 1000000');
  }
  const windowMs = durationMs('window', options.window);
  const type = windowType('windowType', options.windowType);
  const verdict = options.verdict
    ? verdictOption('verdict', options.verdict)
    : bounceOption(
        'verdict',
        'Your message was not delivered: too many messages were sent in a short time. Please try again later.',
      );
  const backend = rateBackend(options);
  return {
    name,
    async run(ctx) {
      const keys = select(ctx);
      if (keys.length === 0) return;
      const now = backend.clock();
      const window = Math.floor(now / windowMs);
      for (const c of await countKeys(
        ctx,
        backend,
        name,
        keys,
        window,
        ttlOf(window, windowMs),
        options.limit,
        windowMs,
      )) {
        if ('error' in c) {
          storeFailed(ctx, backend, name, c, verdict);
          continue;
        }
        const seen = windowCount(type, windowMs, now, c.result);
        const retry = c.result.retry ? ' (retry, counted once)' : '';
        if (seen <= options.limit) {
          if (c.result.retry) ctx.note(`${c.key}: retry, counted once; allowed as before`);
          continue;
        }
        ctx.note(`${c.key}: ${seen} messages in ${options.window} > limit ${options.limit}${retry}`);
        ctx.settle(verdict, c.recipients ? [...c.recipients] : undefined);
      }
    },
  };
}
