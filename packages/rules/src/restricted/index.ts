import {
  type BounceVerdict,
  checkOptionNames,
  isInternal,
  matchesAnyPattern,
  namesRoute,
  type Rule,
  recipientMatchesAny,
} from '@wmflow/core';
import { senderAuthenticated } from '../auth/sender-authenticated.js';
import { bounceOption, type ListInput, patternList, ruleName } from '../internal/config.js';

import { type UndecidableOption, undecidablePolicy } from '../internal/undecidable.js';

/** Options of {@link restrictMailboxes}. */
export interface RestrictMailboxesOptions extends UndecidableOption {
  /** The restricted mailboxes (WorkMail-style patterns): they accept mail only from allowed senders. */
  mailboxes: ListInput;
  /** Senders allowed besides the organization's own domains. */
  allowedSenders?: ListInput;
  /** Bounce text for refused recipients. */
  bounceMessage?: string;
  name?: string;
}

/**
 * Restricted mailboxes (inbound): recipients matching `mailboxes` get a bounce unless the envelope
 * sender is internal (an organization domain exactly) or allowed, and authenticated (SPF, DKIM or DMARC
 * pass for its domain: see {@link senderAuthenticated}); other recipients of the same message are not affected,
 * unless the event is truncated (its recipient list cut): then every recipient of a refused sender is bounced, as a
 * restricted mailbox may be among those it does not list.
 * Fail-closed: when it cannot decide, the restricted recipients get the bounce (`onUndecidable`).
 *
 * @example
 * ```ts
 * inbound(restrictMailboxes({ mailboxes: ['all-staff@corp.example'], allowedSenders: ['hr-vendor.example'] }))
 * ```
 */
export function restrictMailboxes(options: RestrictMailboxesOptions): Rule<'INBOUND'> {
  checkOptionNames('restrictMailboxes', options, {
    mailboxes: true,
    allowedSenders: true,
    bounceMessage: true,
    name: true,
    onUndecidable: true,
  });
  const mailboxes = patternList('mailboxes', options.mailboxes);
  const allowed = patternList('allowedSenders', options.allowedSenders ?? [], true);
  const bounce = bounceOption(
    'bounceMessage',
    options.bounceMessage ?? 'This mailbox accepts mail only from within the organization.',
  );
  const authenticated = senderAuthenticated();
  return {
    name: ruleName('name', options.name, 'restrict-mailboxes'),
    onError: undecidablePolicy(options.onUndecidable, bounce),
    // When it cannot decide, only the restricted mailboxes get the blocking verdict.
    scope: (address) => recipientMatchesAny(address, mailboxes),
    async run(ctx) {
      const from = ctx.envelope.mailFrom;
      const listed = isInternal(from, ctx.organizationDomains) || matchesAnyPattern(from, allowed);
      if (listed && (await authenticated(ctx))) return;
      // A truncated event does not list every recipient: a restricted mailbox may be among those it leaves out, and
      // they get the `allRecipients` action. Not knowing is not allowing: nobody receives it (fault round 61).
      if (ctx.envelope.truncated) {
        ctx.note(
          'truncated event: a restricted mailbox may be among the recipients not listed, every recipient refused',
        );
        ctx.settle(bounce);
        return;
      }
      ctx.settle(
        bounce,
        ctx.open.filter((r) => recipientMatchesAny(r, mailboxes)),
      );
    },
  };
}

/** Options of {@link internalOnlySenders}. */
export interface InternalOnlySendersOptions extends UndecidableOption {
  /** Senders (WorkMail-style patterns) who may write only inside the organization. */
  senders: ListInput;
  /** Outside recipients they may still write to. */
  allowedRecipients?: ListInput;
  /** Bounce text for the refused outside recipients. */
  bounceMessage?: string;
  name?: string;
}

/**
 * Internal-only senders (outbound): when the sender matches (a listed mailbox names its `+tag` sub-addresses
 * too), outside recipients get a bounce while internal recipients still receive the message. A recipient whose
 * local part names a route (`bob%evil.example@corp.example`) is outside (see core's `isInternal`). Fail-closed: when it cannot decide, its recipients get the
 * bounce (`onUndecidable`).
 *
 * @example
 * ```ts
 * outbound(internalOnlySenders({ senders: ['interns@corp.example', 'kiosk@corp.example'] }))
 * ```
 */
export function internalOnlySenders(options: InternalOnlySendersOptions): Rule<'OUTBOUND'> {
  checkOptionNames('internalOnlySenders', options, {
    senders: true,
    allowedRecipients: true,
    bounceMessage: true,
    name: true,
    onUndecidable: true,
  });
  const senders = patternList('senders', options.senders);
  const allowed = patternList('allowedRecipients', options.allowedRecipients ?? [], true);
  const bounce: BounceVerdict = bounceOption(
    'bounceMessage',
    options.bounceMessage ?? 'You may send mail only within the organization.',
  );
  return {
    name: ruleName('name', options.name, 'internal-only-senders'),
    onError: undecidablePolicy(options.onUndecidable, bounce, 'OUTBOUND'),
    run(ctx) {
      const from = [ctx.envelope.mailFrom, ctx.envelope.sender].filter((a): a is string => !!a);
      // A list that restricts names the sender's sub-addresses and folded spellings too (attacker round 75).
      if (!from.some((a) => recipientMatchesAny(a, senders))) return;
      // A truncated event hides recipients that may be outside: nobody may receive it.
      if (ctx.envelope.truncated) {
        ctx.note('truncated event: the full recipient list is unknown, every recipient refused');
        ctx.settle(bounce);
        return;
      }
      // An allowed recipient naming a route (`x%evil.example@partner.example`) is not allowed: the partner's
      // relay may honour it (attacker round 75).
      const outside = ctx.open.filter(
        (r) => !isInternal(r, ctx.organizationDomains) && !(matchesAnyPattern(r, allowed) && !namesRoute(r)),
      );
      ctx.settle(bounce, outside);
    },
  };
}
