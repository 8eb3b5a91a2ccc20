import { type Condition, checkOptionNames, protective, type Rule, type Verdict } from '@wmflow/core';
import { bounceOption, ruleName, verdictOption } from '../internal/config.js';

import { type UndecidableOption, undecidablePolicy } from '../internal/undecidable.js';
import { type AttachmentPolicyOptions, attachmentPolicy, attachmentViolations } from './policy.js';

// Every option of the attachment policy, for checkOptionNames.
const POLICY_OPTIONS: Record<keyof AttachmentPolicyOptions, true> = {
  blockedExtensions: true,
  checkInnerExtensions: true,
  blockExecutableContent: true,
  blockTypeMismatch: true,
  blockActiveMarkup: true,
  blockArchives: true,
  blockAttachedMessages: true,
  maxSize: true,
  maxCount: true,
  blockUninspectable: true,
  allowSmime: true,
  allowEncryptedArchives: true,
  allowUnlistedArchives: true,
};

/**
 * True when some part breaks the policy (default: WorkMail's blocked extensions, executable content, and
 * structure that cannot be inspected). Walks every MIME part, attached messages included.
 *
 * @example
 * ```ts
 * when(hasBlockedAttachment({ blockArchives: true }), moveToJunk())
 * ```
 */
export function hasBlockedAttachment(options: AttachmentPolicyOptions = {}): Condition {
  checkOptionNames('hasBlockedAttachment', options, POLICY_OPTIONS);
  const policy = attachmentPolicy(options);
  // A message that cannot be walked (a limit, a parse error) or the deadline settles what `when` guards with it.
  return protective(async (ctx) => attachmentViolations(await ctx.message.parts(), policy).length > 0);
}

/** Options of {@link blockAttachments}. */
export interface BlockAttachmentsOptions extends AttachmentPolicyOptions, UndecidableOption {
  /**
   * `bounce` (default): refuse the message with `bounceMessage`; `strip`: remove the offending
   * parts (synchronous flows) and deliver the rest; or a verdict to settle.
   */
  action?: 'bounce' | 'strip' | Verdict;
  bounceMessage?: string;
  /** Note left in place of stripped attachments. */
  stripNote?: string;
  name?: string;
}

/**
 * Enforces an attachment policy: bounces (default), strips the offending parts, or settles a verdict. Each
 * refused part is noted with its reason in the flow's log line. Fail-closed: when the message cannot be
 * read or walked, the rule settles its blocking verdict (`onUndecidable`). Strip removes exactly the parts
 * the policy flagged (by part id, at any depth); what cannot be removed (a count or structure finding,
 * content inside signed or encrypted parts) bounces instead, and when the rewrite is not committed for any
 * reason the recipients get the blocking verdict, never the flagged part.
 *
 * @example
 * ```ts
 * blockAttachments({ action: 'strip', blockedExtensions: [...DEFAULT_BLOCKED_EXTENSIONS, 'iso', 'img'] })
 * ```
 */
export function blockAttachments(options: BlockAttachmentsOptions = {}): Rule {
  checkOptionNames('blockAttachments', options, {
    ...POLICY_OPTIONS,
    action: true,
    bounceMessage: true,
    stripNote: true,
    name: true,
    onUndecidable: true,
  });
  const policy = attachmentPolicy(options);
  const action = options.action ?? 'bounce';
  const bounce = bounceOption(
    'bounceMessage',
    options.bounceMessage ??
      'Your message was not delivered: it carries an attachment type the recipient does not accept.',
  );
  const verdict = typeof action === 'object' ? verdictOption('action', action) : bounce;
  return {
    name: ruleName('name', options.name, 'block-attachments'),
    onError: undecidablePolicy(options.onUndecidable, verdict),
    async run(ctx) {
      const inventory = await ctx.message.parts();
      for (const f of inventory.findings) {
        if (policy.smime && f.smime)
          ctx.note(`part ${f.partId ?? '?'}: ${f.reason}; delivered unread (allowSmime)`);
        if (policy.unlistedArchives && f.unlisted)
          ctx.note(`part ${f.partId ?? '?'}: ${f.reason}; delivered unread (allowUnlistedArchives)`);
      }
      const found = attachmentViolations(inventory, policy);
      if (found.length === 0) return;
      for (const v of found)
        ctx.note(`${v.partId ? `part ${v.partId} ` : ''}${v.filename ?? v.contentType}: ${v.reason}`);
      if (action === 'strip' && ctx.synchronous && found.every((v) => v.strippable && v.partId)) {
        ctx.edit.removeParts(
          found.map((v) => v.partId as string),
          { ...(options.stripNote ? { note: options.stripNote } : {}), unlessRemoved: verdict },
        );
        return;
      }
      if (action === 'strip') ctx.note('cannot strip what was found: blocking instead');
      ctx.settle(verdict);
    },
  };
}
