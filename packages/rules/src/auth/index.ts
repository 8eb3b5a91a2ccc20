import {
  type Condition,
  ConfigError,
  checkOptionNames,
  type Rule,
  type Verdict,
  Verdicts,
} from '@wmflow/core';
import { ruleName, verdictOption } from '../internal/config.js';

import { type Undecidable, undecidablePolicy } from '../internal/undecidable.js';

/** Options of {@link authFailed}. */
export interface AuthFailedOptions {
  /** Methods checked. Default `['dmarc']`. */
  methods?: readonly ('spf' | 'dkim' | 'dmarc')[];
  /** Results that count as failing. Default `['fail']` (add `softfail`, `none`, `temperror` to be stricter). */
  results?: readonly string[];
  /** Authentication-Results authserv-ids trusted. Default core's (`amazonses.com`). */
  trustedAuthServIds?: readonly string[];
}

/**
 * True when a trusted Authentication-Results header reports a failing SPF, DKIM or DMARC result (any of its results for
 * a listed method, not only the first), or when the topmost trusted header cannot be read (not knowing counts as
 * failing). Reads only the header block; headers a
 * sender wrote itself under another authserv-id do not count.
 *
 * @example
 * ```ts
 * inbound(when(authFailed({ methods: ['dmarc', 'spf'] }), moveToJunk()))
 * ```
 */
export function authFailed(options: AuthFailedOptions = {}): Condition {
  checkOptionNames('authFailed', options, { methods: true, results: true, trustedAuthServIds: true });
  type Method = 'spf' | 'dkim' | 'dmarc';
  const methods: readonly Method[] = options.methods ?? ['dmarc'];
  if (
    !Array.isArray(methods as unknown) ||
    methods.length === 0 ||
    methods.some((m) => !['spf', 'dkim', 'dmarc'].includes(m))
  ) {
    throw new ConfigError('methods', 'must list some of spf, dkim, dmarc');
  }
  const results = new Set((options.results ?? ['fail']).map((r) => String(r).toLowerCase()));
  const trusted = options.trustedAuthServIds;
  return async (ctx) => {
    const v = await ctx.message.authVerdicts(trusted);
    // A trusted header nobody can read may hide the failure it reports: not knowing counts as failing, as the
    // same message's SES receipt verdicts would (attacker round 47).
    if (v.unreadable) return true;
    // Every result of a listed method, not the first alone: SES echoes the EHLO name unquoted ahead of its DKIM and
    // DMARC results, so the first `dmarc=` may be a `pass` the sender had it write (attacker round 109).
    return v.methods.some((r) => (methods as readonly string[]).includes(r.method) && results.has(r.result));
  };
}

/** SES verdict values. */
export type SesVerdictValue = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

/** Options of {@link sesVerdict}. */
export interface SesVerdictOptions {
  /** `X-SES-Spam-Verdict` values that make the condition true. */
  spam?: readonly SesVerdictValue[];
  /** `X-SES-Virus-Verdict` values that make the condition true. */
  virus?: readonly SesVerdictValue[];
}

const SES_VALUES = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'];

/**
 * True when SES's spam or virus verdict header has one of the given values.
 *
 * @example
 * ```ts
 * when(sesVerdict({ virus: ['FAIL'] }), dropMessage())
 * ```
 */
export function sesVerdict(options: SesVerdictOptions): Condition {
  checkOptionNames('sesVerdict', options, { spam: true, virus: true });
  const spam = checkValues('spam', options.spam);
  const virus = checkValues('virus', options.virus);
  if (spam.length + virus.length === 0) throw new ConfigError('spam', 'give spam or virus verdict values');
  return async (ctx) => {
    const v = await ctx.message.authVerdicts();
    return (
      (v.sesSpam !== undefined && spam.includes(v.sesSpam)) ||
      (v.sesVirus !== undefined && virus.includes(v.sesVirus))
    );
  };
}

function checkValues(field: string, values: readonly string[] | undefined): string[] {
  const list = values ?? [];
  if (!Array.isArray(list) || list.some((v) => !SES_VALUES.includes(v))) {
    throw new ConfigError(field, `must list some of ${SES_VALUES.join(', ')}`);
  }
  return [...list];
}

/** Options of {@link enforceSesVerdicts}. */
export interface EnforceSesVerdictsOptions {
  /** For `X-SES-Virus-Verdict: FAIL`. Default a bounce. */
  onVirus?: Verdict;
  /** For `X-SES-Spam-Verdict: FAIL`. Default MOVE_TO_JUNK. */
  onSpam?: Verdict;
  name?: string;
  /**
   * Which verdict the rule acts on: `both` (default), or only `virus` or `spam`, so a verdict that still delivers
   * (Junk) can run after the protections that refuse (the first verdict settled wins; attacker round 72).
   */
  acts?: 'both' | 'virus' | 'spam';
  /** When the verdict headers cannot be read (a header block over the limit): default `block`, the `onVirus` verdict. */
  onUndecidable?: Undecidable;
}

// The bounce for a message whose verdicts could not be read (the deadline, a header block past the bounds).
const UNCHECKED_BOUNCE = Verdicts.bounce(
  'Your message was not delivered: it could not be checked for viruses. Please try again later.',
);

/**
 * Inbound: acts on SES's verdict headers — virus FAIL bounces (or `onVirus`), spam FAIL goes to Junk
 * (or `onSpam`). Virus wins over spam. A virus scan that did not decide (`PROCESSING_FAILED`, `GRAY`) bounces
 * as "could not be checked" (or `onVirus` when that is not a bounce); a spam check that failed to run
 * (`PROCESSING_FAILED`) counts as spam. No verdict at all (the header absent, SES scanning `DISABLED`) acts on nothing.
 *
 * @example
 * ```ts
 * inbound(enforceSesVerdicts({ onVirus: Verdicts.DROP }))
 * ```
 */
export function enforceSesVerdicts(options: EnforceSesVerdictsOptions = {}): Rule<'INBOUND'> {
  checkOptionNames('enforceSesVerdicts', options, {
    onVirus: true,
    onSpam: true,
    name: true,
    acts: true,
    onUndecidable: true,
  });
  const onVirus = verdictOption(
    'onVirus',
    options.onVirus ?? Verdicts.bounce('Your message was not delivered: it was found to contain a virus.'),
  );
  const onSpam = verdictOption('onSpam', options.onSpam ?? Verdicts.MOVE_TO_JUNK);
  const unchecked = onVirus.type === 'BOUNCE' ? UNCHECKED_BOUNCE : onVirus;
  const acts = options.acts ?? 'both';
  if (!['both', 'virus', 'spam'].includes(acts)) throw new ConfigError('acts', 'must be both, virus or spam');
  const virus = acts !== 'spam';
  const spam = acts !== 'virus';
  return {
    name: ruleName('name', options.name, 'enforce-ses-verdicts'),
    // Not knowing blocks as a virus would, but a bounce says the message could not be checked, not that it holds
    // one (fault round 39: a clean message read too slowly was bounced as "found to contain a virus").
    onError: undecidablePolicy(options.onUndecidable, unchecked),
    async run(ctx) {
      const v = await ctx.message.authVerdicts();
      if (virus && v.sesVirus === 'FAIL') ctx.settle(onVirus);
      // SES could not scan (its scanner failed, or it could not tell): a scan that did not decide is not a pass,
      // so the message is held back as one that could not be checked (attacker round 47).
      else if (virus && (v.sesVirus === 'PROCESSING_FAILED' || v.sesVirus === 'GRAY')) ctx.settle(unchecked);
      else if (spam && (v.sesSpam === 'FAIL' || v.sesSpam === 'PROCESSING_FAILED')) ctx.settle(onSpam);
    },
  };
}

/** Options of {@link enforceDmarcPolicy}. */
export interface EnforceDmarcPolicyOptions {
  /** For a DMARC `fail` under the sending domain's `p=reject`. Default a bounce. */
  onReject?: Verdict;
  /** For a DMARC `fail` under `p=quarantine`, or under a policy that cannot be read. Default MOVE_TO_JUNK. */
  onQuarantine?: Verdict;
  /**
   * Which policy the rule acts on: `both` (default), or only `reject` or `quarantine`, so a verdict that still
   * delivers (Junk) can run after the protections that refuse (the first verdict settled wins; attacker round 72).
   */
  acts?: 'both' | 'reject' | 'quarantine';
  /** Authentication-Results authserv-ids trusted. Default core's (`amazonses.com`). */
  trustedAuthServIds?: readonly string[];
  name?: string;
  /** When the verdicts cannot be read: default `block`, the `onQuarantine` verdict. */
  onUndecidable?: Undecidable;
}

type DmarcPolicy = 'none' | 'quarantine' | 'reject' | 'unreadable';

// The policy a DMARC result names, as SES's receipt gives it (`dmarcPolicy`: documented lowercase, seen uppercase).
// None given is `none` (SES gives it only with a failure); one that is there but no policy is not known.
function dmarcPolicyOf(value: unknown): DmarcPolicy {
  if (value === undefined || value === null) return 'none';
  if (typeof value !== 'string') return 'unreadable';
  const word = value.trim().toLowerCase();
  return word === 'none' || word === 'quarantine' || word === 'reject' ? word : 'unreadable';
}

/**
 * Inbound: the sending domain's DMARC policy, enforced as WorkMail does when its inbound DMARC setting is on — a
 * trusted DMARC `fail` under `p=reject` bounces (or `onReject`), under `p=quarantine` goes to Junk (or
 * `onQuarantine`; on SES: quarantined). A policy that is there but cannot be read counts as `quarantine`; `p=none`, no
 * policy, and results other than `fail` act on nothing. Reads the policy SES's receipt gives (`dmarcPolicy`), which
 * is what guard-ses enforces (receipt rules enforce nothing themselves). On WorkMail, SES's Authentication-Results
 * header names no policy: turn on the organization's inbound DMARC setting there instead.
 *
 * @example
 * ```ts
 * inbound(enforceDmarcPolicy({ onReject: Verdicts.DROP }))
 * ```
 */
export function enforceDmarcPolicy(options: EnforceDmarcPolicyOptions = {}): Rule<'INBOUND'> {
  checkOptionNames('enforceDmarcPolicy', options, {
    onReject: true,
    onQuarantine: true,
    acts: true,
    trustedAuthServIds: true,
    name: true,
    onUndecidable: true,
  });
  const onReject = verdictOption(
    'onReject',
    options.onReject ??
      Verdicts.bounce(
        'Your message was not delivered: it failed DMARC authentication, and its sending domain asks for that to be refused.',
      ),
  );
  const onQuarantine = verdictOption('onQuarantine', options.onQuarantine ?? Verdicts.MOVE_TO_JUNK);
  const acts = options.acts ?? 'both';
  if (!['both', 'reject', 'quarantine'].includes(acts))
    throw new ConfigError('acts', 'must be both, reject or quarantine');
  const trusted = options.trustedAuthServIds;
  return {
    name: ruleName('name', options.name, 'enforce-dmarc-policy'),
    onError: undecidablePolicy(options.onUndecidable, onQuarantine),
    async run(ctx) {
      const v = await ctx.message.authVerdicts(trusted);
      const policies = new Set<DmarcPolicy>();
      // A trusted header nobody can read may hide the failure it reports: not known, so as `quarantine`.
      if (v.unreadable) policies.add('unreadable');
      for (const m of v.methods)
        if (m.method === 'dmarc' && m.result === 'fail') policies.add(dmarcPolicyOf(m.props.policy));
      if (policies.has('reject')) {
        if (acts !== 'quarantine') ctx.settle(onReject);
      } else if (policies.has('quarantine') || policies.has('unreadable')) {
        if (acts !== 'reject') ctx.settle(onQuarantine);
      }
    },
  };
}
