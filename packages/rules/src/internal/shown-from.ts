import type { MailAddress, MessageHeaders } from '@wmflow/core';

// Fields a message has at most one of (RFC 5322 3.6).
const ONE_EACH = ['subject', 'reply-to', 'sender', 'to', 'cc', 'date', 'message-id'];

/**
 * The From mailbox a reader is shown, when the header block is one a sender's signature can vouch for: one From
 * field with one mailbox, and none of the fields a message has at most one of (Subject, Reply-To, Sender, To, Cc,
 * Date, Message-ID) written twice. Otherwise undefined: a signed message replayed with a From or a Subject added
 * on top (clients show the first, DKIM verifiers read the last) shows the reader what nobody signed (attacker
 * rounds 43 and 61).
 *
 * @example
 * ```ts
 * const shown = shownFrom(await ctx.message.headers());
 * ```
 */
export function shownFrom(headers: MessageHeaders): MailAddress | undefined {
  if (ONE_EACH.some((f) => headers.all(f).length > 1)) return undefined;
  return headers.all('from').length === 1 && headers.from.length === 1 ? headers.from[0] : undefined;
}
