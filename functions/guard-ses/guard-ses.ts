import { ConfigError, inbound } from '@wmflow/core';
import { type SesFlowHandler, sesFlow } from '@wmflow/core/ses';
import { DMARC_SETTINGS, GUARD_SETTINGS, guardRules } from '../guard/guard.js';
import { type Env, FunctionConfig } from '../shared/config.js';
import { SES_SETTINGS, sesOptions, unusedOnSes } from '../shared/ses.js';

const KNOWN = [...GUARD_SETTINGS, ...SES_SETTINGS, ...DMARC_SETTINGS, 'HELD_KEY_PREFIX'];

/**
 * The guard's verdict rules on SES (a RequestResponse Lambda action after the S3 action): SES virus and
 * spam verdicts (read from the receipt), the attachment policy and impersonation, with the same settings
 * as on WorkMail; plus the sending domain's DMARC policy (`DMARC_ENFORCEMENT`, on by default: receipt rules
 * enforce none, where WorkMail's inbound DMARC setting did). An event it cannot read, or an error outside any rule, is held (`STOP_RULE`). Why a
 * message is held is recorded beside it, `<HELD_KEY_PREFIX><messageId>.json` (default `held/`) in STORED_BUCKET, where
 * `wmflow quarantine list` shows it (fault round 70).
 * What cannot apply is said at start-up: tagging external mail is cosmetic and is skipped
 * (a receipt rule cannot rewrite the message); `ATTACHMENT_ACTION=strip` is a protection that cannot be
 * honoured, so it is refused.
 *
 * @example
 * ```ts
 * export const handler = guardSes({ STORED_BUCKET: 'acme-inbound', BOUNCE_SENDER: 'postmaster@acme.example' });
 * ```
 */
export function guardSes(env: Env): SesFlowHandler {
  const probe = new FunctionConfig(env, KNOWN);
  if (probe.choice('ATTACHMENT_ACTION', ['bounce', 'strip', 'junk', 'drop'], 'bounce') === 'strip') {
    throw new ConfigError(
      probe.field('ATTACHMENT_ACTION'),
      'strip is not possible on SES (a receipt rule cannot rewrite the message): use bounce, junk or drop',
    );
  }
  const notes = [
    ...unusedOnSes(
      probe,
      ['EXTERNAL_SUBJECT_TAG', 'EXTERNAL_BANNER', 'EXTERNAL_MARKER_KEY'],
      'tagging rewrites the message, which a receipt rule cannot do',
    ),
    ...unusedOnSes(probe, ['UPDATES_BUCKET', 'UPDATES_KEY_PREFIX'], 'no message is rewritten'),
  ];
  if (
    probe.organizationDomains().length > 0 &&
    !/^(?:false|off|no|0)$/i.test(env.TAG_EXTERNAL?.trim() ?? '')
  ) {
    notes.push(
      'tag-external cannot tag on SES (a receipt rule cannot rewrite the message): outside mail under an organization From or Sender, or from a look-alike of an organization domain, goes to Junk instead',
    );
  }
  // Tag-external runs as it cannot tag (no edit is ever queued): outside mail shown as the organization's, which
  // WorkMail would tag, goes to Junk (attacker round 91; TAG_EXTERNAL=false turns it off, as on WorkMail).
  // Receipt rules enforce no DMARC policy (WorkMail's inbound DMARC setting did): guard-ses does (attacker round 83).
  const { config, rules, domains } = guardRules(env, KNOWN, { dmarc: true, cannotTag: true });
  const options = sesOptions(config, true);
  return sesFlow({
    rules: rules.map((r) => inbound(r)),
    ...options,
    // Why a message is held, beside it: `wmflow quarantine list` shows it (fault round 70).
    holdRecord: { bucket: options.stored.bucket, keyPrefix: config.text('HELD_KEY_PREFIX', 'held/') },
    organizationDomains: domains,
    // An event that cannot be read was checked by nothing: held (the quarantine rule keeps it), never let through.
    onInvalidEvent: 'STOP_RULE',
    // A protection that could not decide (a transient read of the stored message, a stored object that is another
    // message, the deadline) is held too, rather than fail an action whose failure SES does not document (fault round 68).
    onRetryableError: 'STOP_RULE',
    // An error escaping the chain outside any rule followed onError, fail-open here, and answered CONTINUE with every
    // protection's verdict unanswered; guard-ses has no cosmetic rule on SES (tagging is off): held (attacker round 88).
    onFlowError: 'STOP_RULE',
    // The header block the client shows, the stored message's, not SES's parse of it in the event's list (attacker
    // round 123); the attachment policy reads the stored message anyway.
    headerSource: 'stored',
    notes,
  });
}
