import { ConfigError, type FlowHandler, flow, onError, outbound, type Rule, rule, when } from '@wmflow/core';
import {
  addDisclaimer,
  checkSensitiveData,
  hasExternalRecipient,
  internalOnlySenders,
  type SensitiveKind,
  settleWith,
} from '@wmflow/rules';
import { configured, type Env, FunctionConfig } from '../shared/config.js';
import { PROTECTIVE_EVENT_POLICY } from '../shared/event-policy.js';
import { RATE_PARTS, RATE_SETTINGS, rateRules } from '../shared/rate.js';
import { rollout } from '../shared/scope.js';
import { updatesOption } from '../shared/updates.js';
import { bounceSetting } from '../shared/verdicts.js';

/** Settings of outbound-policy besides the common ones (see docs/deploy.md). */
export const OUTBOUND_SETTINGS = [
  'UPDATES_BUCKET',
  'UPDATES_KEY_PREFIX',
  'SENSITIVE_DATA',
  'SENSITIVE_DATA_MIN_COUNT',
  'SENSITIVE_DATA_SCOPE',
  'SENSITIVE_DATA_BOUNCE_MESSAGE',
  'SENSITIVE_DATA_UNREAD_BOUNCE_MESSAGE',
  'ALLOW_ENCRYPTED_ARCHIVES',
  'ALLOW_UNREAD_ARCHIVES',
  'DISCLAIMER_TEXT',
  'DISCLAIMER_POSITION',
  'DISCLAIMER_EXTERNAL_ONLY',
  'INTERNAL_ONLY_SENDERS',
  'INTERNAL_ONLY_ALLOWED_RECIPIENTS',
  'INTERNAL_ONLY_BOUNCE_MESSAGE',
  ...RATE_SETTINGS,
] as const;

/** The parts of outbound-policy, as named by `AUDIT_MODE`. */
export const OUTBOUND_PARTS = ['internal-only', 'sensitive-data', 'disclaimer', ...RATE_PARTS] as const;

const KINDS: readonly SensitiveKind[] = ['payment-card', 'iban'];
const SENSITIVE_BOUNCE =
  'Your message was not sent: it contains payment card or bank account (IBAN) numbers, which must not be sent by email outside the organization. Remove them and send the message again, or use an approved secure channel.';
const UNREAD_BOUNCE =
  'Your message was not sent: part of it could not be checked for payment card or bank account (IBAN) numbers (an attachment or text in a form that cannot be read, such as an encrypted or unusual file). Send the content in a common format, or use an approved secure channel.';

/**
 * The outbound policy (a synchronous outbound rule): internal-only senders may not write outside,
 * mail carrying payment card or IBAN numbers to outside recipients bounces with a message telling
 * the sender why, and a disclaimer is added to mail leaving the organization. The sensitive-data
 * filter is on by default; the others take effect when configured.
 *
 * @example
 * ```ts
 * export const handler = outboundPolicy({ ORGANIZATION_DOMAINS: 'corp.example', DISCLAIMER_TEXT: 'Confidential.', UPDATES_BUCKET: 'corp-updates' });
 * ```
 */
export function outboundPolicy(env: Env): FlowHandler {
  const config = new FunctionConfig(env, OUTBOUND_SETTINGS);
  const domains = config.organizationDomains();
  const scope = rollout(config, OUTBOUND_PARTS);
  const rules: Rule<'OUTBOUND'>[] = [];
  // First: a burst from a compromised account is refused before any message is read.
  // (Outbound limits bounce or drop: none goes last.)
  const rate = rateRules(config, scope, 'OUTBOUND');
  rules.push(...rate.first, ...rate.last);

  const internalOnly = config.list('INTERNAL_ONLY_SENDERS') ?? [];
  if (internalOnly.length > 0) {
    const rule = configured(
      {
        senders: config.field('INTERNAL_ONLY_SENDERS'),
        allowedRecipients: config.field('INTERNAL_ONLY_ALLOWED_RECIPIENTS'),
        bounceMessage: config.field('INTERNAL_ONLY_BOUNCE_MESSAGE'),
      },
      () =>
        internalOnlySenders({
          senders: internalOnly,
          allowedRecipients: config.list('INTERNAL_ONLY_ALLOWED_RECIPIENTS') ?? [],
          ...(config.has('INTERNAL_ONLY_BOUNCE_MESSAGE')
            ? { bounceMessage: config.text('INTERNAL_ONLY_BOUNCE_MESSAGE') }
            : {}),
        }),
    );
    rules.push(scope('internal-only', rule));
  }

  const kinds = sensitiveKinds(config);
  if (kinds.length > 0) {
    const check = configured(config.field('SENSITIVE_DATA_MIN_COUNT'), () =>
      checkSensitiveData({
        kinds,
        minCount: config.integer('SENSITIVE_DATA_MIN_COUNT', 1, 1, 1000),
        // Password-protected zips (unread) bounce unless the organisation sends them on purpose.
        allowEncryptedArchives: config.flag('ALLOW_ENCRYPTED_ARCHIVES', false),
        // So do archives of kinds the DLP does not open (7z, RAR…), unless the organisation sends them on purpose.
        allowUnreadArchives: config.flag('ALLOW_UNREAD_ARCHIVES', false),
      }),
    );
    const externalOnly =
      config.choice('SENSITIVE_DATA_SCOPE', ['external', 'all'], 'external') === 'external';
    const bounce = bounceSetting(config, 'SENSITIVE_DATA_BOUNCE_MESSAGE', SENSITIVE_BOUNCE);
    const unreadBounce = bounceSetting(config, 'SENSITIVE_DATA_UNREAD_BOUNCE_MESSAGE', UNREAD_BOUNCE);
    const numbers = settleWith<'OUTBOUND'>(bounce, { name: 'sensitive-data' });
    const unchecked = settleWith<'OUTBOUND'>(unreadBounce, { name: 'sensitive-data' });
    // Numbers found, or part of the message not read (not knowing is not allowing): each tells the sender why.
    const decide = rule<'OUTBOUND'>('sensitive-data', async (ctx) => {
      const { matched, found } = await check(ctx);
      if (matched) await (found ? numbers : unchecked).run(ctx);
    });
    // Fail-closed: a message the detector cannot read (limits, parse errors) is refused as not checked.
    const dlp = onError(
      { failClosed: unreadBounce },
      externalOnly ? when(hasExternalRecipient(), decide) : decide,
    );
    rules.push(scope('sensitive-data', dlp));
  }

  const disclaimer = config.text('DISCLAIMER_TEXT');
  if (disclaimer !== undefined) {
    const rule = configured({ text: config.field('DISCLAIMER_TEXT') }, () =>
      addDisclaimer({
        text: disclaimer.replace(/\\n/g, '\n'),
        position: config.choice<'bottom' | 'top'>('DISCLAIMER_POSITION', ['bottom', 'top'], 'bottom'),
        externalOnly: config.flag('DISCLAIMER_EXTERNAL_ONLY', true),
      }),
    );
    rules.push(scope('disclaimer', rule));
  }

  const options = {
    direction: 'OUTBOUND' as const,
    ...PROTECTIVE_EVENT_POLICY,
    rules: rules.map((r) => outbound(r)),
    organizationDomains: domains,
    ...updatesOption(config, disclaimer !== undefined, 'DISCLAIMER_TEXT'),
  };
  return configured(
    { 'updates.keyPrefix': config.field('UPDATES_KEY_PREFIX'), 'updates.bucket': 'UPDATES_BUCKET' },
    () => flow(options),
  );
}

/** `SENSITIVE_DATA`: `payment-card,iban` (default), either one, or `false`. */
function sensitiveKinds(config: FunctionConfig): SensitiveKind[] {
  const list = config.list('SENSITIVE_DATA')?.map((k) => k.toLowerCase());
  if (list === undefined) return [...KINDS];
  if (list.length === 1 && ['false', 'off', 'no', '0'].includes(list[0] ?? '')) return [];
  if (list.length === 1 && ['true', 'on', 'yes', '1'].includes(list[0] ?? '')) return [...KINDS];
  return list.map((k, i) => {
    if (!(KINDS as readonly string[]).includes(k)) {
      throw new ConfigError(
        `${config.field('SENSITIVE_DATA')}[${i}]`,
        `must be true, false, or a list of ${KINDS.join(', ')}`,
      );
    }
    return k as SensitiveKind;
  });
}
