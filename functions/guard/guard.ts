import { ConfigError, type FlowHandler, flow, inbound, type Rule, type Verdict, when } from '@wmflow/core';
import {
  ABUSED_EXTENSIONS,
  blockAttachments,
  DEFAULT_BLOCKED_EXTENSIONS,
  enforceDmarcPolicy,
  enforceSesVerdicts,
  impersonatesProtectedName,
  settleWith,
  tagExternal,
} from '@wmflow/rules';
import { configured, type Env, FunctionConfig } from '../shared/config.js';
import { PROTECTIVE_EVENT_POLICY } from '../shared/event-policy.js';
import { RATE_PARTS, RATE_SETTINGS, rateRules } from '../shared/rate.js';
import { rollout } from '../shared/scope.js';
import { updatesOption } from '../shared/updates.js';
import { verdictSetting } from '../shared/verdicts.js';

/** Settings of the guard besides the common ones (see docs/deploy.md). */
export const GUARD_SETTINGS = [
  'UPDATES_BUCKET',
  'UPDATES_KEY_PREFIX',
  'SES_VERDICTS',
  'VIRUS_ACTION',
  'VIRUS_BOUNCE_MESSAGE',
  'SPAM_ACTION',
  'SPAM_BOUNCE_MESSAGE',
  'ATTACHMENT_POLICY',
  'ATTACHMENT_ACTION',
  'ATTACHMENT_BOUNCE_MESSAGE',
  'EXTRA_BLOCKED_EXTENSIONS',
  'ALLOWED_EXTENSIONS',
  'BLOCK_ARCHIVES',
  'BLOCK_ACTIVE_MARKUP',
  'ALLOW_SMIME',
  'ALLOW_ENCRYPTED_ARCHIVES',
  'ALLOW_UNLISTED_ARCHIVES',
  'TAG_EXTERNAL',
  'EXTERNAL_SUBJECT_TAG',
  'EXTERNAL_BANNER',
  'EXTERNAL_MARKER_KEY',
  'SIGNED_CONTENT',
  'PROTECTED_NAMES',
  'IMPERSONATION_ACTION',
  'IMPERSONATION_BOUNCE_MESSAGE',
  'IMPERSONATION_ALLOWED_SENDERS',
  ...RATE_SETTINGS,
] as const;

/** The guard's parts, as named by `AUDIT_MODE`. */
export const GUARD_PARTS = [
  'ses-verdicts',
  'attachments',
  'impersonation',
  'tag-external',
  ...RATE_PARTS,
] as const;

const DEFAULT_BANNER =
  'This message came from outside the organization. Do not click links or open attachments unless you recognise the sender and know the content is safe.';

/**
 * The inbound guard (a synchronous inbound rule): SES virus and spam verdicts enforced, dangerous
 * attachments refused, outside mail impersonating protected names sent to Junk, and outside mail
 * tagged with a subject prefix and a banner. Secure by default: verdicts and the attachment policy are
 * on, and tagging is on whenever `ORGANIZATION_DOMAINS` is set; each part can be switched off, put in
 * audit mode, or limited to a pilot group.
 *
 * @example
 * ```ts
 * export const handler = guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: 'corp-updates' });
 * ```
 */
export function guard(env: Env): FlowHandler {
  const { config, rules, edits, domains } = guardRules(env);
  const { updates } = updatesOption(config, edits, 'tagging external mail or ATTACHMENT_ACTION=strip');
  // Signed content keeps its bytes: by default only its headers are edited (no banner), or with `wrap` it goes
  // whole after a part carrying the banner (its signature still checks; some clients no longer show it on top).
  const signedContent = config.choice('SIGNED_CONTENT', ['headers-only', 'wrap'], 'headers-only');
  const options = {
    direction: 'INBOUND' as const,
    ...PROTECTIVE_EVENT_POLICY,
    rules: rules.map((r) => inbound(r)),
    organizationDomains: domains,
    ...(updates ? { updates: { ...updates, signedContent } } : {}),
  };
  return configured(
    { 'updates.keyPrefix': config.field('UPDATES_KEY_PREFIX'), 'updates.bucket': 'UPDATES_BUCKET' },
    () => flow(options),
  );
}

/**
 * guard-ses's settings for the sending domain's DMARC policy (docs/moving-off-workmail.md): on WorkMail the
 * organization's inbound DMARC setting enforces it before the guard runs; SES's receipt rules enforce nothing.
 */
export const DMARC_SETTINGS = [
  'DMARC_ENFORCEMENT',
  'DMARC_REJECT_ACTION',
  'DMARC_QUARANTINE_ACTION',
  'DMARC_BOUNCE_MESSAGE',
] as const;

/** What an engine adds to the guard: `dmarc`, the sending domain's DMARC policy (guard-ses, `DMARC_SETTINGS`). */
export interface GuardEngineParts {
  dmarc?: boolean;
  /** The engine cannot rewrite the message (SES): tag-external tags nothing and junks what it could not tag. */
  cannotTag?: boolean;
}

/** The guard's rules from its settings (`known`: the settings the engine's function accepts), for any engine. */
export function guardRules(
  env: Env,
  known: readonly string[] = GUARD_SETTINGS,
  engine: GuardEngineParts = {},
) {
  const config = new FunctionConfig(env, known);
  const domains = config.organizationDomains();
  const scope = rollout(config, engine.dmarc ? [...GUARD_PARTS, 'dmarc'] : GUARD_PARTS);
  const rules: Rule<'INBOUND'>[] = [];
  let edits = false;
  // First: a storm or a burst is refused before any message is read. A limit that junks goes after the
  // protections (`rate.last`): settled first, its Junk would stand in for a virus's or a blocked file's bounce.
  const rate = rateRules(config, scope, 'INBOUND');
  rules.push(...rate.first);
  // SES verdicts that still deliver: after the protections (below).
  const late: Rule<'INBOUND'>[] = [];

  if (config.flag('SES_VERDICTS', true)) {
    const onVirus = verdictSetting(
      config,
      'VIRUS_ACTION',
      ['bounce', 'drop', 'junk'],
      'bounce',
      'VIRUS_BOUNCE_MESSAGE',
      'Your message was not delivered: it was found to contain a virus.',
    );
    const onSpam = verdictSetting(
      config,
      'SPAM_ACTION',
      ['junk', 'bounce', 'drop', 'deliver'],
      'junk',
      'SPAM_BOUNCE_MESSAGE',
      'Your message was not delivered: it was classified as spam.',
    );
    // The first verdict settled wins: a verdict that still delivers (Junk, or `deliver` for spam) goes after the
    // protections, or a spam FAIL (the cheapest verdict a sender can earn) would stand in for the bounce of an
    // `.exe` or the Junk of an impersonation (attacker round 72, as round 61's junk rate limit did).
    const refuses = (v: Verdict) => v.type === 'BOUNCE' || v.type === 'DROP';
    if (refuses(onVirus) && refuses(onSpam)) {
      rules.push(scope('ses-verdicts', enforceSesVerdicts({ onVirus, onSpam })));
    } else if (!refuses(onVirus) && !refuses(onSpam)) {
      late.push(scope('ses-verdicts', enforceSesVerdicts({ onVirus, onSpam })));
    } else {
      const first = refuses(onVirus) ? 'virus' : 'spam';
      rules.push(scope('ses-verdicts', enforceSesVerdicts({ onVirus, onSpam, acts: first })));
      const after = first === 'virus' ? 'spam' : 'virus';
      late.push(scope('ses-verdicts', enforceSesVerdicts({ onVirus, onSpam, acts: after })));
    }
  }

  if (config.flag('ATTACHMENT_POLICY', true)) {
    const action = config.choice('ATTACHMENT_ACTION', ['bounce', 'strip', 'junk', 'drop'], 'bounce');
    const extra = config.list('EXTRA_BLOCKED_EXTENSIONS') ?? [];
    const allowed = allowedExtensions(config.list('ALLOWED_EXTENSIONS') ?? []);
    const rule = configured(
      {
        blockedExtensions: config.field('EXTRA_BLOCKED_EXTENSIONS'),
        bounceMessage: config.field('ATTACHMENT_BOUNCE_MESSAGE'),
      },
      () =>
        blockAttachments({
          blockedExtensions: [
            ...DEFAULT_BLOCKED_EXTENSIONS.filter((e) => !allowed.has(e)),
            ...extra.map((e) => e.replace(/^\./, '').toLowerCase()),
          ],
          blockArchives: config.flag('BLOCK_ARCHIVES', false),
          blockActiveMarkup: config.flag('BLOCK_ACTIVE_MARKUP', true),
          allowSmime: config.flag('ALLOW_SMIME', false),
          allowEncryptedArchives: config.flag('ALLOW_ENCRYPTED_ARCHIVES', false),
          allowUnlistedArchives: config.flag('ALLOW_UNLISTED_ARCHIVES', false),
          action:
            action === 'junk' ? actionVerdict('junk') : action === 'drop' ? actionVerdict('drop') : action,
          ...(config.has('ATTACHMENT_BOUNCE_MESSAGE')
            ? { bounceMessage: config.text('ATTACHMENT_BOUNCE_MESSAGE') }
            : {}),
        }),
    );
    edits ||= action === 'strip';
    rules.push(scope('attachments', rule as Rule<'INBOUND'>));
  }

  // The sending domain's DMARC policy (guard-ses): a refusal (p=reject's bounce or drop) after the attachment policy
  // (whose bounce names the file) and before the verdicts that still deliver; a Junk with them (attacker round 83).
  if (engine.dmarc && config.flag('DMARC_ENFORCEMENT', true)) {
    const message =
      'Your message was not delivered: it failed DMARC authentication, and its sending domain asks for that to be refused.';
    const onReject = verdictSetting(
      config,
      'DMARC_REJECT_ACTION',
      ['bounce', 'drop', 'junk'],
      'bounce',
      'DMARC_BOUNCE_MESSAGE',
      message,
    );
    const onQuarantine = verdictSetting(
      config,
      'DMARC_QUARANTINE_ACTION',
      ['junk', 'bounce', 'drop', 'deliver'],
      'junk',
      'DMARC_BOUNCE_MESSAGE',
      message,
    );
    const refuses = (v: Verdict) => v.type === 'BOUNCE' || v.type === 'DROP';
    const policy = (acts: 'reject' | 'quarantine') =>
      scope('dmarc', enforceDmarcPolicy({ onReject, onQuarantine, acts }));
    (refuses(onReject) ? rules : late).push(policy('reject'));
    (refuses(onQuarantine) ? rules : late).push(policy('quarantine'));
  }

  const names = config.list('PROTECTED_NAMES') ?? [];
  if (names.length > 0) {
    const verdict = verdictSetting(
      config,
      'IMPERSONATION_ACTION',
      ['junk', 'bounce', 'drop'],
      'junk',
      'IMPERSONATION_BOUNCE_MESSAGE',
      'Your message was not delivered: the sender name imitates a person of this organization.',
    );
    const condition = configured(
      {
        names: config.field('PROTECTED_NAMES'),
        allowedSenders: config.field('IMPERSONATION_ALLOWED_SENDERS'),
      },
      () =>
        impersonatesProtectedName({
          names,
          allowedSenders: config.list('IMPERSONATION_ALLOWED_SENDERS') ?? [],
        }),
    );
    rules.push(
      scope('impersonation', when(condition, settleWith<'INBOUND'>(verdict, { name: 'impersonation' }))),
    );
  }

  rules.push(...late, ...rate.last);

  const tagging = taggingParts(config, domains.length > 0);
  if (tagging.size > 0) {
    const rule = configured(
      {
        subjectTag: config.field('EXTERNAL_SUBJECT_TAG'),
        banner: config.field('EXTERNAL_BANNER'),
        markerKey: config.field('EXTERNAL_MARKER_KEY'),
      },
      () =>
        tagExternal({
          ...(tagging.has('subject')
            ? { subjectTag: config.text('EXTERNAL_SUBJECT_TAG', '[EXTERNAL]') }
            : {}),
          ...(tagging.has('banner') ? { banner: config.text('EXTERNAL_BANNER', DEFAULT_BANNER) } : {}),
          ...(config.has('EXTERNAL_MARKER_KEY') ? { markerKey: config.text('EXTERNAL_MARKER_KEY') } : {}),
          ...(engine.cannotTag ? { cannotTag: true } : {}),
        }),
    );
    edits = !engine.cannotTag;
    rules.push(scope('tag-external', rule));
  }
  return { config, rules, edits, domains };
}

/** `TAG_EXTERNAL`: `subject,banner` (default when the domains are known), either one, or `false`. */
function taggingParts(config: FunctionConfig, haveDomains: boolean): ReadonlySet<'subject' | 'banner'> {
  const list = config.list('TAG_EXTERNAL')?.map((p) => p.toLowerCase());
  if (list === undefined) return new Set(haveDomains ? ['subject', 'banner'] : []);
  if (list.length === 1 && ['false', 'off', 'no', '0'].includes(list[0] ?? '')) return new Set();
  const parts =
    list.length === 1 && ['true', 'on', 'yes', '1'].includes(list[0] ?? '') ? ['subject', 'banner'] : list;
  for (const p of parts) {
    if (p !== 'subject' && p !== 'banner') {
      throw new ConfigError(
        config.field('TAG_EXTERNAL'),
        'must be true, false, or a list of subject, banner',
      );
    }
  }
  if (!haveDomains) {
    throw new ConfigError(
      'ORGANIZATION_DOMAINS',
      'is required to tell outside mail from inside mail (TAG_EXTERNAL)',
    );
  }
  return new Set(parts as ('subject' | 'banner')[]);
}

function actionVerdict(word: 'junk' | 'drop'): Verdict {
  return word === 'junk' ? { type: 'MOVE_TO_JUNK' } : { type: 'DROP' };
}

/**
 * `ALLOWED_EXTENSIONS`: entries of the abused-file list an organization receives on purpose (disk images from a
 * vendor, say). WorkMail refuses the rest of the default list itself, so only these can be let through.
 */
function allowedExtensions(names: readonly string[]): ReadonlySet<string> {
  const allowed = new Set<string>();
  names.forEach((name, i) => {
    const extension = name.replace(/^\./, '').toLowerCase();
    if (!ABUSED_EXTENSIONS.includes(extension)) {
      throw new ConfigError(
        `ALLOWED_EXTENSIONS[${i}]`,
        `"${name}" is not one of the abused file types wmflow adds to WorkMail's list (${ABUSED_EXTENSIONS.join(', ')})`,
      );
    }
    allowed.add(extension);
  });
  return allowed;
}
