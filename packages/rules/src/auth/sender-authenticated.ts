import { type Condition, checkOptionNames, domainOf, normalizeDomain } from '@wmflow/core';
import { contradictsItself } from '../internal/auth-contradiction.js';

import { shownFrom } from '../internal/shown-from.js';
import { signedWhole } from '../internal/signed-fields.js';

/** Options of {@link senderAuthenticated}. */
export interface SenderAuthenticatedOptions {
  /** Authentication-Results authserv-ids trusted. Default core's (`amazonses.com`). */
  trustedAuthServIds?: readonly string[];
}

/**
 * True when the envelope sender is vouched for by something the sender cannot write: outbound mail
 * (WorkMail authenticated the user), or inbound mail whose trusted Authentication-Results header
 * reports SPF `pass` for that MAIL FROM domain, DKIM `pass` with `header.d` equal to it, or DMARC
 * `pass` with `header.from` equal to it — unless the header contradicts itself (SPF or DMARC given twice, a
 * DMARC result other than pass or none, a method given as `none` beside another result of its own), or the
 * header block is not one a signature vouches for (several From fields or mailboxes, a Subject, Reply-To, Sender,
 * To, Cc, Date or Message-ID given twice: a replayed signed message with a field added on top), when none of its
 * passes counts. A DKIM or DMARC pass counts only for a message signed whole (no `l=`, and each signature that may be
 * the domain's lists every shown field present): a replay with a body appended or a field added keeps only SPF. Use it before any pass an identity grants (allow lists,
 * bypass, copies): an envelope sender alone is only a claim. Reads only the header block.
 *
 * @example
 * ```ts
 * inbound(when(all(senderMatches(['payroll.example']), senderAuthenticated()), bypassSpamCheck()))
 * ```
 */
export function senderAuthenticated(options: SenderAuthenticatedOptions = {}): Condition {
  checkOptionNames('senderAuthenticated', options, { trustedAuthServIds: true });
  return async (ctx) => {
    if (ctx.direction === 'OUTBOUND') return true;
    const domain = domainOf(ctx.envelope.mailFrom);
    if (domain === '') return false;
    const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
    // A pass beside results that contradict it may be text the sender had SES echo (attacker round 47).
    if (contradictsItself(verdicts)) return false;
    const headers = await ctx.message.headers();
    // A DKIM pass (or a DMARC pass that may rest on one) holds for a replay of the signed message with a body appended
    // past `l=` or a shown field the signature does not list added: only SPF (the domain's own servers) is left then
    // (attacker round 107, as round 104 for the organization's own mail).
    const partial = !signedWhole(headers.all('dkim-signature'), headers.fields, domain, Date.now(), false);
    const passed = verdicts.methods.some((m) => {
      if (m.result !== 'pass') return false;
      if (partial && m.method !== 'spf') return false;
      const vouched =
        m.method === 'spf'
          ? domainOf(m.props['smtp.mailfrom'] ?? '')
          : m.method === 'dkim'
            ? normalizeDomain(m.props['header.d'] ?? '') || domainOf(m.props['header.i'] ?? '')
            : m.method === 'dmarc'
              ? normalizeDomain(m.props['header.from'] ?? '')
              : '';
      return vouched === domain;
    });
    // A signed message is replayable: one with a From or a Subject added on top shows the reader what the
    // signer never sent, so its pass proves no sender (attacker round 61).
    return passed && shownFrom(headers) !== undefined;
  };
}
