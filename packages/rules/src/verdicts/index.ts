import {
  checkOptionNames,
  type Direction,
  type InboundVerdict,
  type OutboundVerdict,
  type Rule,
  type VerdictFor,
  Verdicts,
} from '@wmflow/core';
import {
  bounceOption,
  type ListInput,
  patternList,
  pick,
  ruleName,
  verdictOption,
} from '../internal/config.js';

/** Options shared by the verdict rules. */
export interface VerdictRuleOptions {
  /** Decide only for recipients matching these WorkMail-style patterns; default every recipient in scope. */
  recipients?: ListInput;
  /** Rule name in logs. */
  name?: string;
}

/**
 * A rule that settles open recipients (all, or those matching `recipients`) with `verdict`.
 * Compose it with core's `when` to make it conditional.
 *
 * @example
 * ```ts
 * when(senderMatches(['spam.example']), settleWith(Verdicts.DROP, { recipients: ['*.corp.example'] }))
 * ```
 */
export function settleWith<D extends Direction = Direction>(
  verdict: VerdictFor<D>,
  options: VerdictRuleOptions = {},
): Rule<D> {
  checkOptionNames('settleWith', options, { recipients: true, name: true });
  verdictOption('verdict', verdict);
  const patterns =
    options.recipients === undefined ? undefined : patternList('recipients', options.recipients);
  const name = ruleName('name', options.name, verdict.type.toLowerCase().replaceAll('_', '-'));
  return {
    name,
    // Only a rule that settles every open recipient says so: a fail-closed verdict settles them all.
    ...(patterns === undefined ? { settles: verdict } : {}),
    run(ctx) {
      ctx.settle(verdict, pick(ctx.open, patterns));
    },
  };
}

/**
 * Bounces the message: the sender gets `message` back (trimmed, ≤ 2048 characters, no control characters).
 *
 * @example
 * ```ts
 * when(subjectContains({ phrases: ['wire transfer'] }), bounceWith('Wire requests go through finance.'))
 * ```
 */
export function bounceWith<D extends Direction = Direction>(
  message: string,
  options: VerdictRuleOptions = {},
): Rule<D> {
  checkOptionNames('bounceWith', options, { recipients: true, name: true });
  return settleWith<D>(bounceOption('message', message) as VerdictFor<D>, { name: 'bounce', ...options });
}

/**
 * Drops the message silently.
 *
 * @example
 * ```ts
 * when(sesVerdict({ virus: ['FAIL'] }), dropMessage())
 * ```
 */
export function dropMessage<D extends Direction = Direction>(options: VerdictRuleOptions = {}): Rule<D> {
  checkOptionNames('dropMessage', options, { recipients: true, name: true });
  return settleWith<D>(Verdicts.DROP as OutboundVerdict as VerdictFor<D>, options);
}

/**
 * Delivers to the Junk folder (inbound only: wrap in `inbound()` in a two-way flow).
 *
 * @example
 * ```ts
 * inbound(when(sesVerdict({ spam: ['FAIL'] }), moveToJunk()))
 * ```
 */
export function moveToJunk(options: VerdictRuleOptions = {}): Rule<'INBOUND'> {
  checkOptionNames('moveToJunk', options, { recipients: true, name: true });
  return settleWith<'INBOUND'>(Verdicts.MOVE_TO_JUNK as InboundVerdict, options);
}

/**
 * Delivers without WorkMail's spam filtering (inbound only).
 *
 * @example
 * ```ts
 * inbound(when(senderMatches(['alerts@monitoring.example']), bypassSpamCheck()))
 * ```
 */
export function bypassSpamCheck(options: VerdictRuleOptions = {}): Rule<'INBOUND'> {
  checkOptionNames('bypassSpamCheck', options, { recipients: true, name: true });
  return settleWith<'INBOUND'>(Verdicts.BYPASS_SPAM_CHECK as InboundVerdict, options);
}

/**
 * Settles DEFAULT (normal delivery), which protects the recipients from later rules in the chain.
 *
 * @example
 * ```ts
 * when(senderMatches(['board@corp.example']), deliverNormally())
 * ```
 */
export function deliverNormally<D extends Direction = Direction>(options: VerdictRuleOptions = {}): Rule<D> {
  checkOptionNames('deliverNormally', options, { recipients: true, name: true });
  return settleWith<D>(Verdicts.DEFAULT as VerdictFor<D>, options);
}
