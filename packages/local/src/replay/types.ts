import type { Direction } from '@wmflow/core';

/**
 * The outcome of replaying one message: one JSON line of `wmflow replay --json`.
 * A public interface: fields are only ever added.
 *
 * @example
 * ```ts
 * const line: ReplayResult = JSON.parse(stdoutLine);
 * line.verdicts['alice@corp.example']; // 'DEFAULT' | 'BOUNCE:<message>' | …
 * ```
 */
export interface ReplayResult {
  /** The fixture, as given or found (relative to the working folder when under it). */
  file: string;
  /** The emulator's message id (fresh for each message). */
  messageId: string;
  direction: Direction;
  synchronous: boolean;
  /** Envelope sender and recipients of the synthesized event. */
  mailFrom: string;
  recipients: string[];
  /** Verdict per recipient as WorkMail applies the response: the action type, `BOUNCE:<message>` for bounces. */
  verdicts: Record<string, string>;
  /** Rules that settled something or noted a reason (wmflow handlers; empty for other handlers). */
  rulesFired: string[];
  /** Rules in audit mode that fired: what they would have settled, applied to no recipient. */
  audited?: { rule: string; wouldSettle: Record<string, string> }[];
  /** Path of the committed rewrite under `--out`, else the `s3://bucket/key` it was read from; null when not rewritten. */
  rewritten: string | null;
  /** Objects the message left in S3 (`s3://bucket/key`), staged rewrites excluded. */
  journaled: string[];
  /** Why the invocation failed or its response was refused; null when all went well. */
  error: { name: string; message: string } | null;
  durationMs: number;
  /**
   * Why the message was not replayed: set when the handler is for the other direction (a WorkMail rule
   * for inbound mail never sees outbound mail); verdicts are then empty and there is no error.
   */
  skipped?: string;
  /** Expectation check (`--check`): null when the fixture has no expectation or no check was asked. */
  check: {
    ok: boolean;
    differences: string[];
    /** The problem kinds the met expectation declares (a rule failure, an edit problem, a deadline). */
    pinned?: { failures: boolean; edit: boolean; deadline: boolean; bounce?: boolean };
  } | null;
  /** Failed invocations retried before this result (only with `--retries`/`--faults`). */
  retried?: number;
  /** Rules that threw, with the error and the policy applied (`fail-open`, `rethrow`, a fail-closed verdict). */
  failures: ReplayFailure[];
  /** What happened to queued edits: `none`, `committed`, or `skipped`/`failed` with the reason. */
  edit: ReplayEdit;
  /** True when the deadline guard answered before the chain ended (open recipients got the fallback). */
  deadlineHit: boolean;
  /** The engine replayed on (absent: WorkMail). */
  engine?: 'workmail' | 'ses';
  /** SES: the disposition the handler answered (null when it answered none). */
  disposition?: string | null;
  /**
   * SES: the SendBounce made for bounced recipients, when the verdicts asked for one. `failed` (no bounceSender,
   * SES refused or did not answer): the message is stopped (shown DROP) but the sender is never told, a problem.
   */
  bounce?: ReplayBounce;
  /**
   * SES: set when the handler held the message (answered `STOP_RULE`: the quarantine rule keeps it, nothing is
   * delivered): why (`cause`: `verdict`, `rule-error`, `invalid-event`, `retryable-error`; `reason`), and where the
   * handler recorded that (`record`, not counted in `journaled`) or why it could not (`recordError`). Absent for a
   * handler that reports no reason (its `reason` then says so). Fault round 70.
   */
  held?: ReplayHeld;
}

/**
 * Why an SES handler held a message, as {@link ReplayResult.held} shows it.
 *
 * @example
 * ```ts
 * const held: ReplayHeld = { cause: 'verdict', reason: 'enforce-ses-verdicts decided MOVE_TO_JUNK; …', record: 's3://wmflow-inbound/held/abc.json' };
 * ```
 */
export interface ReplayHeld {
  cause: string;
  reason: string;
  record?: string;
  recordError?: string;
}

/** The SendBounce of an SES invocation, as its outcome reported it. */
export interface ReplayBounce {
  status: 'sent' | 'failed';
  /** Why it failed. */
  reason?: string;
  /** The recipients the bounce was for. */
  recipients: string[];
}

/** One rule failure of a replayed invocation. */
export interface ReplayFailure {
  rule: string;
  error: string;
  /** The policy applied: `fail-open`, `rethrow`, or the fail-closed verdict. */
  policy: string;
}

/** The edit outcome of a replayed invocation. */
export interface ReplayEdit {
  status: 'none' | 'committed' | 'skipped' | 'failed' | 'unknown';
  /** Why the edit was skipped or failed. */
  reason?: string;
}
