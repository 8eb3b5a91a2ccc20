import {
  ConfigError,
  checkOptionNames,
  type Rule,
  reachedMailboxes,
  recipientMatchesAny,
  type Verdict,
} from '@wmflow/core';
import { bounceOption, type ListInput, patternList, ruleName, verdictOption } from '../internal/config.js';

import { countKeys, partitionKey, type RateStoreOptions, rateBackend, storeFailed } from './counting.js';
import { byKey } from './keys.js';
import { type Duration, durationMs, ttlOf, type WindowType, windowCount, windowType } from './window.js';

/** Options of {@link mailStorm}. */
export interface MailStormOptions extends RateStoreOptions {
  /** The protected groups (WorkMail-style patterns); each matching address is counted on its own. */
  recipients: ListInput;
  /** Messages per window a group takes; past it the storm protection starts. */
  threshold: number;
  /** Window length. Default `1m`. */
  window?: Duration;
  /** `sliding` (default) or `fixed`. */
  windowType?: WindowType;
  /** How long the protection holds after the last message over the threshold. Default `10m`. */
  coolDown?: Duration;
  /** Verdict for the group while the storm lasts. Default a bounce explaining the storm. */
  verdict?: Verdict;
  name?: string;
}

/**
 * Mail-storm stopper for protected groups (reply-all storms): each message to a protected address
 * is counted in a shared DynamoDB table, by the mailbox it names (its `+tag` sub-addresses and folded
 * spellings share its counter); once the address has had more than `threshold` messages in the window,
 * messages to it get `verdict` (other recipients of the same message are not touched) until the rate
 * falls back under the threshold and `coolDown` has passed since the last message over it. Reacts on the
 * message that crosses the threshold, unlike a CloudWatch alarm.
 * Store failures follow `onStoreError` (default fail-open: mail to the group flows, with a warning).
 *
 * @example
 * ```ts
 * inbound(mailStorm({ table: 'wmflow-rate', recipients: ['all-staff@corp.example'], threshold: 50, window: '1m' }))
 * ```
 */
export function mailStorm(options: MailStormOptions): Rule {
  checkOptionNames('mailStorm', options, {
    recipients: true,
    threshold: true,
    window: true,
    windowType: true,
    coolDown: true,
    verdict: true,
    name: true,
    table: true,
    dynamo: true,
    storeTimeoutMs: true,
    onStoreError: true,
    clock: true,
  });
  const name = ruleName('name', options.name, 'mail-storm');
  const groups = patternList('recipients', options.recipients);
  if (!Number.isSafeInteger(options.threshold) || options.threshold < 1 || options.threshold > 1_000_000) {
    throw new ConfigError('threshold', 'must be an integer from 1 to 1000000');
  }
  const windowMs = durationMs('window', options.window, '1m');
  const coolDownMs = options.coolDown === 0 ? 0 : durationMs('coolDown', options.coolDown, '10m');
  const type = windowType('windowType', options.windowType);
  const verdict = options.verdict
    ? verdictOption('verdict', options.verdict)
    : bounceOption(
        'verdict',
        'Your message was not delivered: this group is receiving too many messages at once (a mail storm). Please do not reply to all; try again later.',
      );
  const backend = rateBackend(options);
  return {
    name,
    async run(ctx) {
      const hit = ctx.recipients.filter((r) => recipientMatchesAny(r, groups));
      if (hit.length === 0) return;
      // Counted by the mailbox a recipient names, as `recipientMatchesAny` matched it: `all-staff+1@`, `ALL-STAFF@`
      // and `ａll-staff@` reach the one group, so they share its counter (attacker round 103), and so does a route
      // ending there (`all-staff%corp.example%1@`: its later hops are free text, attacker round 109).
      const keys = byKey(hit, (r) => reachedMailboxes(r).map((m) => `storm:${m}`));
      const now = backend.clock();
      const window = Math.floor(now / windowMs);
      const ttl = ttlOf(window, windowMs, coolDownMs);
      const counted = await countKeys(ctx, backend, name, keys, window, ttl, options.threshold, windowMs);
      for (const c of counted) {
        if ('error' in c) {
          storeFailed(ctx, backend, name, c, verdict);
          continue;
        }
        const seen = windowCount(type, windowMs, now, c.result);
        const over = seen > options.threshold;
        if (!over && c.result.until <= now) continue;
        if (over && coolDownMs > 0) {
          const pk = partitionKey(name, c.key, windowMs, options.threshold);
          await extendHold(ctx, backend, name, pk, c.key, now + coolDownMs, ttl);
        }
        const why = over ? `${seen} messages in the window > ${options.threshold}` : 'cooling down';
        ctx.note(`${c.key}: mail storm (${why})`);
        ctx.settle(verdict, c.recipients);
      }
    },
  };
}

async function extendHold(
  ctx: Parameters<Rule['run']>[0],
  backend: ReturnType<typeof rateBackend>,
  rule: string,
  pk: string,
  key: string,
  until: number,
  ttl: number,
): Promise<void> {
  try {
    await backend.store.hold(pk, until, ttl, ctx.signal);
  } catch (error) {
    // The message is already being refused; a lost hold only shortens the cool-down.
    ctx.logger.warn(`${rule}: could not extend the storm hold of ${key}: ${(error as Error).message}`);
  }
}
