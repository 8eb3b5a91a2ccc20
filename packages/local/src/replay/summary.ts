import { type PinnedProblems, problemsOf } from './problems.js';
import type { ReplayResult } from './types.js';

/** Totals of a run. */
export interface ReplaySummary {
  messages: number;
  errors: number;
  /** Errors not declared by an expectation that `--check` found met. */
  unexpectedErrors: number;
  /** Messages with at least one rule failure. */
  ruleFailures: number;
  /** Messages whose edit failed, or was skipped for a reason other than nobody receiving it. */
  editProblems: number;
  /** Messages where the deadline guard answered before the chain ended. */
  deadlineHits: number;
  /** SES: messages whose bounce could not be sent (stopped, the sender never told). */
  bounceFailures: number;
  /** SES: messages held (answered STOP_RULE: the quarantine rule keeps them); absent when none (fault round 70). */
  held?: number;
  /** Messages with a rule failure, edit problem, deadline hit or unsent bounce that no met expectation pins. */
  unexpectedProblems: number;
  rewritten: number;
  journaled: number;
  checked: number;
  checkFailures: number;
  verdicts: Record<string, number>;
  durationMs: number;
}

/** One replayed message: its result, and what a met expectation declares about it (plain data). */
export interface MessageOutcome {
  result: ReplayResult;
  errorExpected: boolean;
  pinned: PinnedProblems;
}

/**
 * Zero totals, to {@link tally} into.
 *
 * @example
 * ```ts
 * const summary = emptySummary();
 * tally(summary, outcome);
 * ```
 */
export function emptySummary(): ReplaySummary {
  return {
    messages: 0,
    errors: 0,
    unexpectedErrors: 0,
    ruleFailures: 0,
    editProblems: 0,
    deadlineHits: 0,
    bounceFailures: 0,
    unexpectedProblems: 0,
    rewritten: 0,
    journaled: 0,
    checked: 0,
    checkFailures: 0,
    verdicts: {},
    durationMs: 0,
  };
}

/**
 * Adds one message's outcome to the totals (the same for one process or many workers).
 *
 * @example
 * ```ts
 * tally(summary, { result, errorExpected: false, pinned: pinnedBy(undefined, false) });
 * ```
 */
export function tally(summary: ReplaySummary, { result, errorExpected, pinned }: MessageOutcome): void {
  summary.messages++;
  if (result.error) summary.errors++;
  if (result.error && !errorExpected) summary.unexpectedErrors++;
  const problems = problemsOf(result);
  if (problems.failures) summary.ruleFailures++;
  if (problems.edit) summary.editProblems++;
  if (problems.deadline) summary.deadlineHits++;
  if (problems.bounce) summary.bounceFailures++;
  if (result.held) summary.held = (summary.held ?? 0) + 1;
  if (
    (problems.failures && !pinned.failures) ||
    (problems.edit && !pinned.edit) ||
    (problems.deadline && !pinned.deadline) ||
    (problems.bounce && !pinned.bounce)
  )
    summary.unexpectedProblems++;
  if (result.rewritten) summary.rewritten++;
  summary.journaled += result.journaled.length;
  if (result.check) summary.checked++;
  if (result.check && !result.check.ok) summary.checkFailures++;
  for (const v of Object.values(result.verdicts)) {
    const type = v.split(':')[0] as string;
    summary.verdicts[type] = (summary.verdicts[type] ?? 0) + 1;
  }
}
