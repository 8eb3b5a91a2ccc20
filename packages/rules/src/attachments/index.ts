import type { Condition, Rule, Verdict } from '@wmflow/core';
import { bounceOption, ruleName, verdictOption } from '../internal/config.js';
import { type AttachmentPolicyOptions, attachmentPolicy, attachmentViolations } from './policy.js';

/**
 * True when some attachment breaks the policy (default: WorkMail's blocked extensions and executable
 * content). Parses the message (bounded by the flow's limits).
 *
 * @example
 * ```ts
 * when(hasBlockedAttachment({ blockArchives: true }), moveToJunk())
 * ```
 */
export function hasBlockedAttachment(options: AttachmentPolicyOptions = {}): Condition {
  const policy = attachmentPolicy(options);
  return async (ctx) => attachmentViolations((await ctx.message.parsed()).attachments, policy).length > 0;
}

/** Options of {@link blockAttachments}. */
export interface BlockAttachmentsOptions extends AttachmentPolicyOptions {
  /**
   * `bounce` (default): refuse the message with `bounceMessage`; `strip`: remove the offending
   * attachments (synchronous flows) and deliver the rest; or a verdict to settle.
   */
  action?: 'bounce' | 'strip' | Verdict;
  bounceMessage?: string;
  /** Note left in place of stripped attachments. */
  stripNote?: string;
  name?: string;
}

/**
 * Enforces an attachment policy: bounces (default), strips the offending attachments, or settles a
 * verdict. Each refused attachment is noted with its reason in the flow's log line. Stripping matches
 * parts by file name and declared type (the editor does not see sniffed types); the count limit cannot
 * be stripped and bounces instead.
 *
 * @example
 * ```ts
 * blockAttachments({ action: 'strip', blockedExtensions: [...DEFAULT_BLOCKED_EXTENSIONS, 'iso', 'img'] })
 * ```
 */
export function blockAttachments(options: BlockAttachmentsOptions = {}): Rule {
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
    async run(ctx) {
      const found = attachmentViolations((await ctx.message.parsed()).attachments, policy);
      if (found.length === 0) return;
      for (const v of found) ctx.note(`${v.filename ?? v.contentType}: ${v.reason}`);
      const strippable = found.every((v) => v.filename !== undefined || v.contentType !== 'multipart/mixed');
      if (action === 'strip' && strippable && ctx.synchronous) {
        const hits = new Set(found.map((v) => `${v.filename ?? ''}\u0000${v.contentType.toLowerCase()}`));
        ctx.edit.removeAttachments(
          (part) => hits.has(`${part.filename ?? ''}\u0000${part.contentType}`),
          options.stripNote,
        );
        return;
      }
      ctx.settle(verdict);
    },
  };
}
