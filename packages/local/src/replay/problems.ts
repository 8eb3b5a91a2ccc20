import type { FlowOutcome } from '@wmflow/core';
import type { ReplayBounce, ReplayEdit, ReplayFailure } from './types.js';

// Skips that are the normal course of things, not a rewrite that should have happened and did not.
const EXPECTED_SKIPS = [
  'no recipient receives the message',
  'asynchronous rule: WorkMail ignores updates',
  'no edit changed the message',
];

/** The rule failures of an outcome, as reported. */
export function failuresOf(outcome: FlowOutcome | undefined): ReplayFailure[] {
  return (outcome?.failures ?? []).map((f) => ({ rule: f.rule, error: f.error, policy: f.policy }));
}

/** The edit outcome, as reported: status and, unless committed or none, why. */
export function editOf(outcome: FlowOutcome | undefined): ReplayEdit {
  const edit = outcome?.edit;
  if (!edit || edit.status === 'none') return { status: 'none' };
  if (edit.status === 'committed') return { status: 'committed' };
  return { status: edit.status, reason: edit.reason };
}

/**
 * True when the edit outcome is a problem: a failed commit, or a skip other than the expected ones
 * (nobody receives the message, asynchronous rule, nothing changed). Unknown reasons count as problems.
 *
 * @example
 * ```ts
 * isEditProblem({ status: 'skipped', reason: 'WorkMail rejected the update: …' }); // true
 * ```
 */
export function isEditProblem(edit: ReplayEdit): boolean {
  if (edit.status === 'failed' || edit.status === 'unknown') return true;
  if (edit.status !== 'skipped') return false;
  return !EXPECTED_SKIPS.some((s) => edit.reason?.startsWith(s));
}

/** The problem kinds of a result: what `wmflow replay` exits non-zero on unless pinned or allowed. */
export interface ProblemKinds {
  failures: boolean;
  edit: boolean;
  deadline: boolean;
  /** SES: a bounce the verdicts asked for could not be sent (the message was dropped unsaid). */
  bounce: boolean;
}

/**
 * Which problems a result shows.
 *
 * @example
 * ```ts
 * problemsOf(result); // { failures: true, edit: false, deadline: false, bounce: false }
 * ```
 */
export function problemsOf(r: {
  failures: ReplayFailure[];
  edit: ReplayEdit;
  deadlineHit: boolean;
  bounce?: ReplayBounce;
}): ProblemKinds {
  return {
    failures: r.failures.length > 0,
    edit: isEditProblem(r.edit),
    deadline: r.deadlineHit,
    bounce: r.bounce?.status === 'failed',
  };
}

/**
 * The SES outcome's bounce, as reported; undefined when no bounce was asked for (or the outcome is not SES's).
 *
 * @example
 * ```ts
 * bounceOf(outcome); // { status: 'failed', reason: 'no bounceSender configured', recipients: ['bob@corp.example'] }
 * ```
 */
export function bounceOf(outcome: object | undefined): ReplayBounce | undefined {
  const b = outcome && 'bounce' in outcome ? (outcome as { bounce?: unknown }).bounce : undefined;
  if (typeof b !== 'object' || b === null) return undefined;
  const { status, reason, recipients } = b as { status?: unknown; reason?: unknown; recipients?: unknown };
  const list = Array.isArray(recipients) ? recipients.filter((r): r is string => typeof r === 'string') : [];
  // Anything but a proven `sent` is a bounce not known to be sent: reported failed, never silently dropped.
  if (status === 'sent') return { status: 'sent', recipients: list };
  return {
    status: 'failed',
    reason: typeof reason === 'string' ? reason : `unknown bounce status ${JSON.stringify(status ?? null)}`,
    recipients: list,
  };
}

/** Problem kinds a met expectation declares, so they do not fail the run. */
export type PinnedProblems = ProblemKinds;

/**
 * The problem kinds a fixture's expectation pins: only when the expectation was met.
 *
 * @example
 * ```ts
 * pinnedBy({ failures: [] }, true); // { failures: true, edit: false, deadline: false, bounce: false }
 * ```
 */
export function pinnedBy(
  expectation: { failures?: unknown; edit?: unknown; deadlineHit?: unknown } | undefined,
  met: boolean,
): PinnedProblems {
  return {
    failures: met && expectation?.failures !== undefined,
    edit: met && expectation?.edit !== undefined,
    deadline: met && expectation?.deadlineHit !== undefined,
    // No expectation pins a bounce that was not sent: the sender is never told (only --allow-failures lets it pass).
    bounce: false,
  };
}

/** Rules in audit mode that fired, with what they would have settled; undefined when none did. */
export function auditedOf(
  outcome: FlowOutcome | undefined,
): { rule: string; wouldSettle: Record<string, string> }[] | undefined {
  const audited = (outcome?.fired ?? []).filter((f) => f.audit);
  return audited.length > 0 ? audited.map((f) => ({ rule: f.rule, wouldSettle: f.settled })) : undefined;
}
