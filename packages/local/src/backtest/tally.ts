import type { BacktestLine, PolicyOutcome } from './types.js';

/** Changed and failed messages kept for the report, at most (the counts stay exact). */
export const MAX_SAMPLES = 500;

/**
 * Totals of one policy over a backtest.
 *
 * @example
 * ```ts
 * summary.candidate.verdicts.MOVE_TO_JUNK; // recipients moved to junk
 * ```
 */
export interface PolicyTally {
  label: string;
  /** Recipients per verdict type (BOUNCE without its message). */
  verdicts: Record<string, number>;
  /** Messages per rule that fired. */
  rulesFired: Record<string, number>;
  /** Messages whose edit was committed. */
  edited: number;
  /** Messages whose invocation failed or whose response was refused. */
  errors: number;
  /** Rule failures (a rule threw and its error policy applied). */
  ruleFailures: number;
  /** Messages whose edit failed (not committed, with a reason): they count among the `failed`. */
  editFailures: number;
  /** Messages the policy did not run for (mail of the other direction): WorkMail delivers them as usual. */
  skipped: number;
  /** Messages its rate rules counted (by the time each was journaled). */
  rateCounted: number;
}

/**
 * The last JSON line of `wmflow backtest` (and what the report shows).
 *
 * @example
 * ```ts
 * const summary: BacktestSummary = JSON.parse(lastLine);
 * summary.changed; // messages whose outcome differs from the baseline
 * ```
 */
export interface BacktestSummary {
  type: 'summary';
  source: string;
  /** Messages in the output (resumed ones included). */
  messages: number;
  /** Of those, messages taken from the output of an earlier run (`--resume`). */
  resumed: number;
  candidate: PolicyTally;
  baseline?: PolicyTally;
  /** Messages whose outcome differs from the baseline's. */
  changed: number;
  /** Verdict transitions `before → after`, per recipient. */
  transitions: Record<string, number>;
  /** Messages with an error, a rule failure or a failed edit under either policy. */
  failed: number;
  workers: number;
  /** Wall time of this run, and messages it backtested per second. */
  durationMs: number;
  messagesPerSecond: number;
  /**
   * Present when the summary is of a part of the source only, with why: the listing stopped (`the listing stopped:
   * <error>`) or the run was interrupted (`interrupted`). Absent: every listed message is counted (fault round 68).
   */
  partial?: string;
}

/**
 * Adds up result lines as they stream by, keeping only counts and a bounded
 * sample of changed and failed messages.
 *
 * @example
 * ```ts
 * const tally = new BacktestTally('journal/');
 * tally.add(line);
 * tally.summary({ workers: 2, durationMs: 1200, backtested: 1 });
 * ```
 */
export class BacktestTally {
  private messages = 0;
  private resumed = 0;
  private changed = 0;
  private failed = 0;
  private candidate: PolicyTally | undefined;
  private baseline: PolicyTally | undefined;
  private readonly transitions: Record<string, number> = {};
  readonly changedSamples: BacktestLine[] = [];
  readonly failedSamples: BacktestLine[] = [];

  constructor(private readonly source: string) {}

  add(line: BacktestLine, resumed = false): void {
    this.messages++;
    if (resumed) this.resumed++;
    this.candidate = count(this.candidate, line.candidate);
    if (line.baseline) this.baseline = count(this.baseline, line.baseline);
    if (line.diff?.changed) {
      this.changed++;
      for (const v of line.diff.verdicts) {
        const key = `${kind(v.before)} → ${kind(v.after)}`;
        this.transitions[key] = (this.transitions[key] ?? 0) + 1;
      }
      if (this.changedSamples.length < MAX_SAMPLES) this.changedSamples.push(line);
    }
    const broken = (o: PolicyOutcome | undefined) =>
      o !== undefined && (o.error !== null || o.failures.length > 0 || o.edit.status === 'failed');
    if (broken(line.candidate) || broken(line.baseline)) {
      this.failed++;
      if (this.failedSamples.length < MAX_SAMPLES) this.failedSamples.push(line);
    }
  }

  summary(run: {
    workers: number;
    durationMs: number;
    backtested: number;
    partial?: string;
  }): BacktestSummary {
    const seconds = run.durationMs / 1000;
    return {
      type: 'summary',
      source: this.source,
      messages: this.messages,
      resumed: this.resumed,
      candidate: this.candidate ?? newTally(''),
      ...(this.baseline ? { baseline: this.baseline } : {}),
      changed: this.changed,
      transitions: this.transitions,
      failed: this.failed,
      workers: run.workers,
      durationMs: run.durationMs,
      messagesPerSecond: seconds > 0 ? Math.round((run.backtested / seconds) * 10) / 10 : 0,
      ...(run.partial !== undefined ? { partial: run.partial } : {}),
    };
  }
}

function count(tally: PolicyTally | undefined, outcome: PolicyOutcome): PolicyTally {
  const t = tally ?? newTally(outcome.label);
  if (t.label === '') t.label = outcome.label;
  for (const v of Object.values(outcome.verdicts)) t.verdicts[kind(v)] = (t.verdicts[kind(v)] ?? 0) + 1;
  for (const r of new Set(outcome.rulesFired)) t.rulesFired[r] = (t.rulesFired[r] ?? 0) + 1;
  if (outcome.edit.status === 'committed') t.edited++;
  if (outcome.error) t.errors++;
  t.ruleFailures += outcome.failures.length;
  if (outcome.edit.status === 'failed') t.editFailures++;
  if (outcome.skipped) t.skipped++;
  if (outcome.rateCounted) t.rateCounted++;
  return t;
}

function newTally(label: string): PolicyTally {
  return {
    label,
    verdicts: {},
    rulesFired: {},
    edited: 0,
    errors: 0,
    ruleFailures: 0,
    editFailures: 0,
    skipped: 0,
    rateCounted: 0,
  };
}

/** The verdict type: `BOUNCE:<message>` counts as BOUNCE. */
function kind(verdict: string): string {
  return verdict.split(':')[0] as string;
}
