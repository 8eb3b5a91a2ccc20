import {
  type Condition,
  checkOptionNames,
  isInternal,
  matchesAnyPattern,
  recipientMatchesAny,
} from '@wmflow/core';
import { type ListInput, patternList } from '../internal/config.js';

/** Options of {@link senderMatches}. */
export interface SenderMatchesOptions {
  /**
   * Also test the send-on-behalf sender (`envelope.sender`) when there is one. Default false: it comes from
   * a header the sender writes, so it must never grant a pass (allow lists, bypass, copies). Turn it on
   * only where a match restricts (a deny list).
   */
  includeOnBehalf?: boolean;
}

/**
 * True when the envelope sender (MAIL FROM) matches one of the WorkMail-style
 * patterns (`user@domain`, `domain`, `*.domain`, `*`). Reads only the event.
 * The envelope sender of inbound mail is claimed by the sending server: pair it
 * with {@link authFailed} or SES verdicts where spoofing matters.
 *
 * @example
 * ```ts
 * when(senderMatches(['*.partner.example', 'ceo@corp.example']), bypassSpamCheck())
 * ```
 */
export function senderMatches(patterns: ListInput, options: SenderMatchesOptions = {}): Condition {
  checkOptionNames('senderMatches', options, { includeOnBehalf: true });
  const list = patternList('patterns', patterns);
  const onBehalf = options.includeOnBehalf ?? false;
  return (ctx) =>
    matchesAnyPattern(ctx.envelope.mailFrom, list) ||
    (onBehalf && ctx.envelope.sender !== undefined && matchesAnyPattern(ctx.envelope.sender, list));
}

/** Options of {@link recipientMatches}. */
export interface RecipientMatchesOptions {
  /** `some` (default): any recipient in scope matches; `every`: all of them do. */
  mode?: 'some' | 'every';
}

/**
 * True when the recipients in scope match the patterns (any of them by default, or all).
 * To decide only for the matching recipients, use core's `forRecipients` instead.
 *
 * @example
 * ```ts
 * when(recipientMatches(['legal@corp.example']), copyTo({ addresses: ['archive@corp.example'] }))
 * ```
 */
export function recipientMatches(patterns: ListInput, options: RecipientMatchesOptions = {}): Condition {
  checkOptionNames('recipientMatches', options, { mode: true });
  const list = patternList('patterns', patterns);
  const every = options.mode === 'every';
  return (ctx) => {
    const hits = ctx.recipients.filter((r) => recipientMatchesAny(r, list));
    return every ? ctx.recipients.length > 0 && hits.length === ctx.recipients.length : hits.length > 0;
  };
}

/**
 * True when the envelope sender belongs to the organization's domains (`flow({ organizationDomains })`).
 * The null sender of bounces is not internal.
 *
 * @example
 * ```ts
 * unless(senderIsInternal(), tagExternal({ subjectTag: '[EXTERNAL]' }))
 * ```
 */
export function senderIsInternal(): Condition {
  return (ctx) => isInternal(ctx.envelope.mailFrom, ctx.organizationDomains);
}

/**
 * True when the envelope sender is outside the organization's domains (the null sender included).
 *
 * @example
 * ```ts
 * when(senderIsExternal(), tagExternal({ subjectTag: '[EXTERNAL]' }))
 * ```
 */
export function senderIsExternal(): Condition {
  return (ctx) => !isInternal(ctx.envelope.mailFrom, ctx.organizationDomains);
}

/**
 * True when some recipient in scope is outside the organization's domains (outbound mail leaving it),
 * and always for a truncated event: recipients it does not list may be outside.
 *
 * @example
 * ```ts
 * when(hasExternalRecipient(), addDisclaimer({ text: 'Confidential.' }))
 * ```
 */
export function hasExternalRecipient(): Condition {
  // A truncated event lists only part of the recipients: the rest may be outside.
  return (ctx) =>
    ctx.envelope.truncated || ctx.recipients.some((r) => !isInternal(r, ctx.organizationDomains));
}

/**
 * True for the null sender (`MAIL FROM:<>`): bounces and delivery reports.
 *
 * @example
 * ```ts
 * unless(isNullSender(), blockSenders({ senders: ['*'] }))
 * ```
 */
export function isNullSender(): Condition {
  return (ctx) => ctx.envelope.mailFrom.trim() === '';
}
