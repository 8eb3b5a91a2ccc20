/**
 * What happened to the edits rules queued: none, committed (with the S3 key of the edited copy),
 * skipped, failed or unknown (with the reason). Engine-neutral: an engine that cannot rewrite the message
 * (SES receipt rules) reports `skipped` with its reason.
 *
 * @example
 * ```ts
 * if (outcome.edit.status === 'skipped') console.warn(outcome.edit.reason);
 * ```
 */
export type EditOutcome =
  | { status: 'none' }
  | { status: 'committed'; key: string; size: number; changes: string[]; skipped: string[] }
  | { status: 'skipped'; reason: string; changes?: string[]; skipped?: string[] }
  | { status: 'failed'; reason: string }
  /** The update's answer was lost and reading the message back could not tell whether it was applied. */
  | { status: 'unknown'; reason: string; key: string; changes: string[]; skipped: string[] };
