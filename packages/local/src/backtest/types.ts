import type { Direction } from '@wmflow/core';

/**
 * One journaled message to backtest: its key under the source, where its bytes
 * are on this machine, and its journal metadata (absent when the archiver wrote none).
 *
 * @example
 * ```ts
 * const item: BacktestItem = { key: 'journal/INBOUND/2026/11/29/abc', path: '/tmp/abc', metadata: null };
 * ```
 */
export interface BacktestItem {
  key: string;
  path: string;
  metadata: JournalMetadata | null;
}

/**
 * The fields of the archiver's `<key>.json` that a backtest reads (other fields are ignored).
 *
 * @example
 * ```ts
 * const m: JournalMetadata = { messageId: 'abc', direction: 'INBOUND', envelope: { mailFrom: 'a@x.example', recipients: ['b@corp.example'] }, verdictsSoFar: {}, rulesFiredSoFar: [] };
 * ```
 */
export interface JournalMetadata {
  messageId: string;
  direction: Direction;
  envelope: { mailFrom: string; recipients: string[]; sender?: string };
  subject?: string;
  /** Verdict per recipient when the journal rule ran (`OPEN`: not yet decided). */
  verdictsSoFar: Record<string, string>;
  rulesFiredSoFar: string[];
  journaledAt?: string;
  /** The key the journal wrote the message under, and the SHA-256 (hex) and size of what it wrote. */
  key?: string;
  sha256?: string;
  size?: number;
}

/**
 * What one policy did to one message.
 *
 * @example
 * ```ts
 * outcome.verdicts['alice@corp.example']; // 'DEFAULT' | 'BOUNCE:<message>' | …
 * ```
 */
export interface PolicyOutcome {
  /** The function name or `module#export`; `recorded` for the verdicts recorded at journaling time. */
  label: string;
  verdicts: Record<string, string>;
  /** Why the policy did not run on the message (a handler for the other direction): it was delivered as usual. */
  skipped?: string;
  rulesFired: string[];
  /** Edit outcome: `none`, `committed`, `skipped` or `failed`, with the changes made or planned; `unknown` for the recording. */
  edit: { status: string; changes: string[]; reason?: string };
  /** Rules that threw (and the policy applied). */
  failures: { rule: string; error: string }[];
  /** Why the invocation failed or its response was refused; null when all went well. */
  error: { name: string; message: string } | null;
  /**
   * Rate rules counted this message (they read the time, the journal's `journaledAt`): their counts depend on the
   * messages before it in the same worker and policy.
   */
  rateCounted?: true;
}

/**
 * How the candidate's outcome differs from the baseline's (the `--against` policy or the recording).
 *
 * @example
 * ```ts
 * diff.verdicts; // [{ recipient: 'bob@corp.example', before: 'DEFAULT', after: 'MOVE_TO_JUNK' }]
 * ```
 */
export interface OutcomeDiff {
  /** True when a verdict, the edit or the error differs. */
  changed: boolean;
  verdicts: { recipient: string; before: string; after: string }[];
  rules: { added: string[]; removed: string[] };
  edit: { before: string; after: string } | null;
  error: { before: string | null; after: string | null } | null;
}

/**
 * One JSON line of `wmflow backtest`: a message and what the policies did to it.
 * A public interface: fields are only ever added.
 *
 * @example
 * ```ts
 * const line: BacktestLine = JSON.parse(stdoutLine);
 * if (line.diff?.changed) console.log(line.key, line.diff.verdicts);
 * ```
 */
export interface BacktestLine {
  type: 'message';
  /** The journal object's key under the source (relative path for a folder). */
  key: string;
  /** The message id recorded at journaling time ('' when there is no metadata). */
  messageId: string;
  direction: Direction;
  mailFrom: string;
  recipients: string[];
  /** `recorded`: envelope and direction from the journal metadata; `derived`: from the headers (no metadata). */
  envelope: 'recorded' | 'derived';
  candidate: PolicyOutcome;
  /** The `--against` policy, or the verdicts recorded at journaling time; absent without `--against`. */
  baseline?: PolicyOutcome;
  diff?: OutcomeDiff;
  durationMs: number;
}
