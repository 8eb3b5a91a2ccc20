import { type Condition, checkOptionNames, domainOf, isInternal, type RuleContext } from '@wmflow/core';
import { contradictsItself } from '../internal/auth-contradiction.js';

import { shownFrom } from '../internal/shown-from.js';
import { signedWhole } from '../internal/signed-fields.js';

/** Options of {@link senderIsOutside} and {@link senderIsInside}. */
export interface OutsideOptions {
  /** authserv-ids whose Authentication-Results are believed. Default `amazonses.com` (see core's `authVerdicts`). */
  trustedAuthServIds?: readonly string[];
  /** Which passing methods prove an organization sender. Default all three: `dmarc`, `dkim`, `spf`. */
  evidence?: readonly ('dmarc' | 'dkim' | 'spf')[];
}

// The property naming the domain each method vouched for (RFC 8601).
const VOUCHED: Record<'dmarc' | 'dkim' | 'spf', readonly string[]> = {
  dmarc: ['header.from'],
  dkim: ['header.d', 'header.i'],
  spf: ['smtp.mailfrom'],
};

/**
 * True when the message came from the organization, by evidence rather than by claim: it is outbound
 * (sent by a user of the organization), or its one From mailbox is in an organization domain and the trusted
 * Authentication-Results says DMARC, DKIM or SPF passed for one of the organization's domains. A From header
 * or envelope sender in an organization domain without such a pass is only a claim (a spoof), and a pass for
 * the organization beside a From elsewhere, or beside several From fields (a replayed signed message with a
 * From added), or beside two of a field a message has one of (Subject, Reply-To, Sender, To, Cc, Date,
 * Message-ID), does not show the reader an organization sender: that mail is outside. So is mail whose trusted
 * header contradicts itself: a DMARC result other than pass or none, SPF or DMARC given twice, or a method
 * given as `none` beside another result of its own. A DKIM signature over part of the body (`l=`) leaves only SPF
 * as proof: its pass, and DMARC's, hold whatever a replay appends after the signed octets.
 *
 * @example
 * ```ts
 * if (!(await senderIsInside(ctx))) ctx.edit.prefixSubject('[EXTERNAL]');
 * ```
 */
export async function senderIsInside(ctx: RuleContext, options: OutsideOptions = {}): Promise<boolean> {
  if (ctx.direction === 'OUTBOUND') return true;
  if (ctx.organizationDomains.length === 0) return false;
  const evidence = options.evidence ?? ['dmarc', 'dkim', 'spf'];
  // The pass must be for the From a reader sees: one From field with one mailbox in an organization domain. A
  // message signed by the organization, replayed with another From added on top (DKIM verifiers read the last
  // From, clients show the first), or with several From fields, is not shown to come from the organization.
  // Fields a message has at most one of, written twice: a client shows one, a signature covers the other (a
  // replayed signed message with a Subject or Reply-To added; attacker round 43).
  const headers = await ctx.message.headers();
  const shown = shownFrom(headers);
  if (!shown || !isInternal(shown.address, ctx.organizationDomains)) return false;
  const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
  if (contradictsItself(verdicts)) return false;
  // A signature over part of the body (DKIM's `l=`) passes whatever follows its first `l` octets: a replay of a
  // message the organization signed so carries the attacker's page after them, and a DKIM pass, or a DMARC pass
  // that may rest on it, vouches for none of that. Only SPF (the organization's own servers) is left then. So too
  // when a signature that may be the organization's does not list a field a client shows that the message carries
  // (a `Thread-Topic`, an `In-Reply-To`, a `Reply-To` added to a replay), or has expired (attacker round 104). A
  // message with no signature that may be the organization's passes DMARC on SPF alone (its own envelope).
  const partial = !signedWhole(
    headers.all('dkim-signature'),
    headers.fields,
    domainOf(shown.address),
    Date.now(),
    false,
  );
  return verdicts.methods.some((m) => {
    if (m.result !== 'pass' || !(evidence as readonly string[]).includes(m.method)) return false;
    if (partial && m.method !== 'spf') return false;
    return VOUCHED[m.method as 'dmarc' | 'dkim' | 'spf'].some((prop) => {
      const value = m.props[prop];
      if (!value) return false;
      const domain = value.includes('@') ? value.slice(value.lastIndexOf('@') + 1) : value;
      return isInternal(`x@${domain}`, ctx.organizationDomains);
    });
  });
}

/**
 * True when the message is not proven to come from the organization ({@link senderIsInside}): inbound
 * mail without a trusted DMARC, DKIM or SPF pass for an organization domain, spoofed own-domain
 * senders included.
 *
 * @example
 * ```ts
 * inbound(when(senderIsOutside(), stampHeaders({ headers: { 'X-Corp-Origin': 'outside' } })))
 * ```
 */
export function senderIsOutside(options: OutsideOptions = {}): Condition {
  checkOptionNames('senderIsOutside', options, { trustedAuthServIds: true, evidence: true });
  return async (ctx) => !(await senderIsInside(ctx, options));
}
