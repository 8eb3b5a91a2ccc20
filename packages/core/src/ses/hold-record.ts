import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Why an SES flow answered `STOP_RULE`: its verdicts (the junk policy), a rule's failure settled by `onError`, an
 * unreadable event (`onInvalidEvent`), a check that could not finish (`onRetryableError`), or an error outside every
 * rule (`onFlowError`, attacker round 88).
 *
 * @example
 * ```ts
 * const cause: SesHoldCause = 'retryable-error';
 * ```
 */
export type SesHoldCause = 'verdict' | 'rule-error' | 'invalid-event' | 'retryable-error' | 'flow-error';

/**
 * Why an SES flow held a message (answered `STOP_RULE`, so the template's quarantine rule keeps it): in the
 * invocation's outcome (`held`) and, with `holdRecord` set, as `<keyPrefix><messageId>.json` beside the stored
 * message, where `wmflow quarantine list` reads it (fault round 70).
 *
 * @example
 * ```ts
 * const record: SesHoldRecord = { version: 1, messageId: 'o3vd…', disposition: 'STOP_RULE', cause: 'verdict', reason: 'enforce-ses-verdicts decided MOVE_TO_JUNK …', heldAt: '2026-12-07T09:00:00.000Z' };
 * ```
 */
export interface SesHoldRecord {
  version: 1;
  /** SES's message id: the quarantine rule stores the message under `<its prefix><messageId>`. */
  messageId: string;
  disposition: 'STOP_RULE';
  cause: SesHoldCause;
  /** One line, for an administrator deciding whether to release it. */
  reason: string;
  /** When the flow answered (ISO 8601). */
  heldAt: string;
}

/** Longest reason kept: error messages and rule notes are one line each, a few of them at most. */
const MAX_REASON = 2000;

/** The record's reason: one line, bounded. */
export function reasonLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/**
 * Writes the record (best effort): resolves with `s3://bucket/key` once S3 answered it stored, or rejects with why
 * not. Bounded by `timeoutMs` (SES's wait for the answer): never the reason a hold is late.
 */
export async function writeHoldRecord(
  s3: S3Client,
  where: { bucket: string; keyPrefix: string },
  record: SesHoldRecord,
  timeoutMs: number,
): Promise<string> {
  const key = `${where.keyPrefix}${record.messageId}.json`;
  const at = `s3://${where.bucket}/${key}`;
  if (timeoutMs < 100) throw new Error(`no time left before SES's wait ends (${Math.max(0, timeoutMs)} ms)`);
  const out = await s3.send(
    new PutObjectCommand({
      Bucket: where.bucket,
      Key: key,
      Body: `${JSON.stringify(record)}\n`,
      ContentType: 'application/json',
    }),
    { abortSignal: AbortSignal.timeout(timeoutMs) },
  );
  // S3 gives every object it stored an ETag: a 200 without one (a proxy's page) stored nothing to count on.
  if (!out.ETag) throw new Error('PutObject answered without an ETag');
  return at;
}
