import {
  ConfigError,
  checkOptionNames,
  type Direction,
  matchesAnyPattern,
  type Rule,
  recipientMatchesAny,
  type Verdict,
  type VerdictFor,
  Verdicts,
} from '@wmflow/core';
import { senderAuthenticated } from '../auth/sender-authenticated.js';
import { bounceOption, type ListInput, patternList, ruleName, verdictOption } from '../internal/config.js';

/** Options of {@link blockSenders}. */
export interface BlockSendersOptions<D extends Direction = Direction> {
  /** Deny list of WorkMail-style patterns matched against the envelope sender (and send-on-behalf sender). */
  senders: ListInput;
  /** Exceptions: envelope senders (MAIL FROM, never the send-on-behalf sender) matching these are not blocked. */
  except?: ListInput;
  /** What blocked mail gets. Default a bounce with `bounceMessage`. */
  verdict?: VerdictFor<D>;
  /** Bounce text when `verdict` is not given. */
  bounceMessage?: string;
  name?: string;
}

const DEFAULT_BLOCK_MESSAGE =
  'Your message was not delivered: the sender is blocked by the recipient organization.';

/**
 * Deny list: settles every open recipient when the envelope sender matches.
 *
 * @example
 * ```ts
 * blockSenders({ senders: process.env.BLOCKED_SENDERS ?? '', verdict: Verdicts.DROP })
 * ```
 */
export function blockSenders<D extends Direction = Direction>(options: BlockSendersOptions<D>): Rule<D> {
  checkOptionNames('blockSenders', options, {
    senders: true,
    except: true,
    verdict: true,
    bounceMessage: true,
    name: true,
  });
  const senders = patternList('senders', options.senders);
  const except = patternList('except', options.except ?? [], true);
  const verdict: Verdict = options.verdict
    ? verdictOption('verdict', options.verdict)
    : bounceOption('bounceMessage', options.bounceMessage ?? DEFAULT_BLOCK_MESSAGE);
  return {
    name: ruleName('name', options.name, 'block-senders'),
    run(ctx) {
      // The send-on-behalf sender is written by the sender: it may get mail blocked, never excepted.
      const from = [ctx.envelope.mailFrom, ctx.envelope.sender].filter((a): a is string => !!a);
      if (matchesAnyPattern(ctx.envelope.mailFrom, except)) return;
      // The deny list names a listed mailbox's sub-addresses too; the exceptions are not widened.
      if (from.some((a) => recipientMatchesAny(a, senders))) ctx.settle(verdict as VerdictFor<D>);
    },
  };
}

/** Options of {@link allowSenders}. */
export interface AllowSendersOptions {
  /** Allow list of WorkMail-style patterns matched against the envelope sender. */
  senders: ListInput;
  /** DEFAULT (default) or BYPASS_SPAM_CHECK (inbound only). */
  verdict?: typeof Verdicts.DEFAULT | typeof Verdicts.BYPASS_SPAM_CHECK;
  /**
   * Also re-decide recipients earlier rules sent to Junk (a rescue). Default false: only open ones. A rescue
   * never lifts a bounce or a drop: a virus, a blocked attachment or a leak is delivered to nobody.
   */
  rescue?: boolean;
  /**
   * Inbound, grant the pass only when the sender is authenticated ({@link senderAuthenticated}: SPF, DKIM
   * or DMARC pass for the MAIL FROM domain). Default true: a claimed MAIL FROM alone never earns a pass.
   */
  requireAuthentication?: boolean;
  name?: string;
}

/**
 * Allow list: settles open recipients with DEFAULT (or BYPASS_SPAM_CHECK) when the sender matches,
 * so later rules leave the message alone. Put it early in the chain; with `rescue` it may go last.
 * The envelope sender is claimed by the sending server, so inbound the pass needs an authenticated
 * sender (SPF, DKIM or DMARC pass for that domain) unless `requireAuthentication: false`.
 *
 * @example
 * ```ts
 * allowSenders({ senders: ['payroll-provider.example'], verdict: Verdicts.BYPASS_SPAM_CHECK })
 * ```
 */
export function allowSenders(options: AllowSendersOptions): Rule {
  checkOptionNames('allowSenders', options, {
    senders: true,
    verdict: true,
    rescue: true,
    requireAuthentication: true,
    name: true,
  });
  const senders = patternList('senders', options.senders);
  const verdict = verdictOption('verdict', options.verdict ?? Verdicts.DEFAULT);
  if (verdict.type !== 'DEFAULT' && verdict.type !== 'BYPASS_SPAM_CHECK') {
    throw new ConfigError('verdict', 'an allow list settles DEFAULT or BYPASS_SPAM_CHECK');
  }
  const rescue = options.rescue ?? false;
  const authenticated = options.requireAuthentication === false ? undefined : senderAuthenticated();
  return {
    name: ruleName('name', options.name, 'allow-senders'),
    overrides: rescue,
    async run(ctx) {
      if (!matchesAnyPattern(ctx.envelope.mailFrom, senders)) return;
      if (authenticated && !(await authenticated(ctx))) {
        ctx.note('allow list: sender not authenticated, no pass');
        return;
      }
      if (!rescue) ctx.settle(verdict);
      // A rescue lifts Junk, the spam filter's false positive an allow list vouches for; a bounce or a drop (a
      // virus, a blocked file, a leak) is not the sender's reputation to overrule (attacker round 47).
      else
        ctx.override(
          verdict,
          ctx.recipients.filter((r) => liftable(ctx.verdictOf(r))),
        );
    },
  };
}

function liftable(current: Verdict | undefined): boolean {
  return current === undefined || current.type === 'MOVE_TO_JUNK';
}
