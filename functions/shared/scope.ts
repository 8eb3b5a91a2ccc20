import {
  audit,
  type Condition,
  ConfigError,
  type Direction,
  forRecipients,
  type Rule,
  recipientMatchesAny,
  when,
} from '@wmflow/core';
import { recipientMatches, senderMatches } from '@wmflow/rules';
import { configured, type FunctionConfig } from './config.js';

/**
 * How each policy part of a function is rolled out: `AUDIT_MODE` (`true` for every part, or a list of
 * part names) logs what a part would do and changes nothing; `PILOT_RECIPIENTS` limits the parts to
 * those recipients and `PILOT_SENDERS` to mail from those senders (WorkMail-style patterns).
 *
 * @example
 * ```ts
 * const scope = rollout(config, ['attachments', 'banner']);
 * rules.push(scope('attachments', blockAttachments()));
 * ```
 */
export function rollout(
  config: FunctionConfig,
  parts: readonly string[],
): <D extends Direction>(part: string, rule: Rule<D>) => Rule<D> {
  const audited = auditedParts(config, parts);
  const recipients = config.list('PILOT_RECIPIENTS');
  const senders = config.list('PILOT_SENDERS');
  // Built for their validation: a bad pattern is a ConfigError naming the setting.
  if (recipients) configured(config.field('PILOT_RECIPIENTS'), () => recipientMatches(recipients));
  // Built for its validation; a pilot sender's `+tag` sub-addresses and folded spellings are in the pilot too (the
  // pilot limits where the policy applies, so widening it only protects more: attacker round 75).
  if (senders) configured(config.field('PILOT_SENDERS'), () => senderMatches(senders));
  const fromPilot: Condition | undefined =
    senders && ((ctx) => recipientMatchesAny(ctx.envelope.mailFrom, senders));
  return <D extends Direction>(part: string, rule: Rule<D>): Rule<D> => {
    let scoped = audited.has(part) ? audit(rule) : rule;
    if (recipients) scoped = forRecipients(recipients, scoped);
    if (fromPilot) scoped = when(fromPilot, scoped);
    return scoped;
  };
}

function auditedParts(config: FunctionConfig, parts: readonly string[]): ReadonlySet<string> {
  const list = config.list('AUDIT_MODE') ?? [];
  if (list.length === 1 && ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'].includes(list[0] ?? '')) {
    return config.flag('AUDIT_MODE', false) ? new Set(parts) : new Set();
  }
  list.forEach((p, i) => {
    if (!parts.includes(p)) {
      throw new ConfigError(
        `${config.field('AUDIT_MODE')}[${i}]`,
        `must be true, false, or a list of parts: ${parts.join(', ')}`,
      );
    }
  });
  return new Set(list);
}
