import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTransient } from '../transient.js';

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
 *
 * SES may run the receipt rule twice for one message, and each invocation that holds it writes here. The record is
 * written only where none is (If-None-Match); one already there (an earlier invocation's, or this one's own attempt
 * whose answer was lost) is read and kept in the new one, replaced only as it was read (If-Match): the same hold is
 * left as it is, another is said beside it, and a decision's cause (`verdict`) stays ahead of a failure to decide.
 * Written unconditionally, the later record replaced the earlier: a message held on the junk policy, then on an event
 * that could not be read, was listed as held for the event alone (fault round 100). A record that reads as none (not
 * a record, access denied) is replaced, as before; a read that failed on its way (throttled, reset) fails the write,
 * which leaves the record there as it is.
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
  const abortSignal = AbortSignal.timeout(timeoutMs);
  let condition: { IfNoneMatch: string } | { IfMatch: string } | Record<string, never> = { IfNoneMatch: '*' };
  let body = record;
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await s3.send(
        new PutObjectCommand({
          Bucket: where.bucket,
          Key: key,
          Body: `${JSON.stringify(body)}\n`,
          ContentType: 'application/json',
          ...condition,
        }),
        { abortSignal },
      );
      // S3 gives every object it stored an ETag: a 200 without one (a proxy's page) stored nothing to count on.
      if (!out.ETag) throw new Error('PutObject answered without an ETag');
      return at;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const name = (error as Error).name;
      // 412: a record is there (or changed since it was read); 409: another conditional write of it is in progress.
      if (attempt >= 3 || (status !== 412 && status !== 409 && name !== 'PreconditionFailed')) throw error;
      const there = await heldBefore(s3, where.bucket, key, record.messageId, abortSignal);
      if (there === undefined) {
        condition = {}; // not a record anyone can read: replaced, as before
        body = record;
        continue;
      }
      // The same hold (this invocation's own attempt whose answer was lost, or another that held it as well): said.
      if (there.record.reason.includes(record.reason)) return at;
      condition = { IfMatch: there.etag };
      body = merged(record, there.record);
    }
  }
}

/** The record `key` holds and its ETag, or undefined when there is none that reads as this message's record. */
async function heldBefore(
  s3: S3Client,
  bucket: string,
  key: string,
  messageId: string,
  abortSignal: AbortSignal,
): Promise<{ etag: string; record: SesHoldRecord } | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    // A record is one bounded line: anything longer is not one (never read whole).
    if (!out.ETag || out.ContentLength === undefined || out.ContentLength > 4 * MAX_REASON) {
      (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return undefined;
    }
    const text = await out.Body?.transformToString();
    const r = JSON.parse(text ?? '') as Partial<SesHoldRecord>;
    if (r?.version !== 1 || r.messageId !== messageId) return undefined;
    if (typeof r.cause !== 'string' || typeof r.reason !== 'string') return undefined;
    return { etag: out.ETag, record: r as SesHoldRecord };
  } catch (error) {
    // A read that failed on its way (throttled, reset, timed out) says nothing of what is there: replacing the record
    // then would drop the reason it holds. The write fails instead, as a write does (a review of fault round 100).
    if (isTransient(error)) throw error;
    return undefined;
  }
}

/** This hold's record with the earlier one said beside it; a decision's cause stays ahead of a failure to decide. */
function merged(now: SesHoldRecord, before: SesHoldRecord): SesHoldRecord {
  const when = typeof before.heldAt === 'string' ? `, ${before.heldAt}` : '';
  if (before.cause === 'verdict' && now.cause !== 'verdict')
    return {
      ...now,
      cause: 'verdict',
      reason: reasonLine(`${before.reason}; held again (${now.cause}): ${now.reason}`),
    };
  return {
    ...now,
    reason: reasonLine(`${now.reason}; held before (${before.cause}${when}): ${before.reason}`),
  };
}

/**
 * What {@link claimBounce} found: this invocation may send the bounce (`claimed`), an earlier invocation of the same
 * message claimed it first (`earlier`: it sent the bounce, or may have), or the claim could not be written (`error`:
 * the bounce is sent all the same, as before fault round 80).
 */
export type BounceClaim =
  | { status: 'claimed'; key: string }
  | { status: 'earlier'; key: string }
  | { status: 'error'; key: string; reason: string; error?: unknown };

/**
 * Claims the message's bounce before SendBounce, once per message and receipt rule across invocations:
 * `<keyPrefix><messageId>.<rule>.bounce.json` ({@link bounceClaimKey}) written only if no object is there
 * (`If-None-Match: *`). SendBounce is not idempotent, and the same message can
 * reach the flow twice (Lambda's retry of an `Event` invocation, or of one whose runtime ended after its bounce went
 * out; an event delivered twice; Mail Manager's retry of a failed invocation): the second sent a second bounce (fault
 * round 80). The claim is the `s3:PutObject` the hold records already use. A `412` on the request's first attempt is
 * another invocation's claim; after an attempt that may have stored it (its answer lost) it is that attempt's own, and
 * counts as claimed; after attempts S3 refused it is another's, made meanwhile (fault round 81). Such an attempt may as
 * well have stored nothing while another invocation claimed it: the claim carries this invocation's token, and the
 * `412` after it is read back (`s3:GetObject` on the claim) and counts as ours only with our token; a read that fails
 * keeps that reading; a `409` (a conditional write of the key in progress, perhaps this invocation's own) is sent again
 * (fault round 82), and still in conflict after that it is read back too when an earlier attempt may have stored it
 * (fault round 83). A claim that cannot be written never costs the bounce: it is sent, with a warning.
 */
export async function claimBounce(
  s3: S3Client,
  where: { bucket: string; keyPrefix: string },
  claim: { messageId: string; recipients: readonly string[]; ruleRecipients: readonly string[] },
  timeoutMs: number,
): Promise<BounceClaim> {
  const key = bounceClaimKey(where.keyPrefix, claim.messageId, claim.ruleRecipients);
  if (timeoutMs < 100)
    return { status: 'error', key, reason: `no time left to claim it (${Math.max(0, timeoutMs)} ms)` };
  // Per attempt that failed (the SDK's, and ours after a 409): whether it may have stored the claim (fault round 81).
  const failed: boolean[] = [];
  // This invocation's own: a claim read back after a 412 is told ours from another's by it (fault round 82).
  const token = randomUUID();
  const started = Date.now();
  const left = () => timeoutMs - (Date.now() - started);
  const body = `${JSON.stringify({ version: 1, messageId: claim.messageId, recipients: claim.recipients, claimedAt: new Date().toISOString(), token })}\n`;
  const put = () => {
    const command = new PutObjectCommand({
      Bucket: where.bucket,
      Key: key,
      IfNoneMatch: '*',
      Body: body,
      ContentType: 'application/json',
    });
    // Inside the SDK's retry loop, around each attempt: whether a failed one may have stored the claim, so a 412 after
    // it can be told ours from another's.
    command.middlewareStack.add(
      (next) => async (input) => {
        try {
          return await next(input);
        } catch (error) {
          failed.push(!storedNothing(error));
          throw error;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'wmflowBounceClaimAttempts' },
    );
    return s3.send(command, {
      abortSignal: AbortSignal.timeout(Math.max(1, left())),
    });
  };
  for (let conflicts = 0; ; conflicts++) {
    try {
      const out = await put();
      if (!out.ETag) return { status: 'error', key, reason: 'PutObject answered without an ETag' };
      return { status: 'claimed', key };
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      // 409: another conditional write of the same key is in progress at S3, which may be this invocation's own
      // attempt whose answer was lost: claimed, nobody bounced the message (fault round 82). S3 asks for the request to
      // be sent again: its answer, 412 once that write is stored, is then read as any 412. Still in conflict when the
      // time is up: another invocation's, as before.
      if (status === 409) {
        const wait = 50 * 2 ** conflicts;
        if (conflicts < 3 && left() > wait + 200) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        // Still in conflict: another invocation's, unless an attempt whose answer was lost stored it under this
        // invocation's token (S3 kept answering 409 while it finished): nobody would bounce the message. Read back only
        // then; ours only with our token, anything else (another's, none yet, a read that fails) keeps the reading
        // (fault round 83).
        if (failed.some(Boolean)) {
          const holder = await claimToken(s3, where.bucket, key, left());
          if (holder === token) return { status: 'claimed', key };
        }
        return { status: 'earlier', key };
      }
      // A 412 after an attempt that may have stored the claim (its answer lost: a reset, a timeout, a page from
      // something in between) may be that attempt's own claim. After attempts S3 refused (and on the first) it is
      // another invocation's, made meanwhile: counted as ours, both sent a bounce (fault round 81).
      if (status === 412 || e.name === 'PreconditionFailed') {
        if (!failed.slice(0, -1).some(Boolean)) return { status: 'earlier', key };
        // The attempt whose answer was lost may as well have stored nothing, another invocation claiming it meanwhile:
        // the claim read back tells (fault round 82). A read that fails keeps round 81's reading: ours.
        const holder = await claimToken(s3, where.bucket, key, left());
        return holder === undefined || holder === token
          ? { status: 'claimed', key }
          : { status: 'earlier', key };
      }
      return { status: 'error', key, reason: `${e.name ?? 'Error'}: ${e.message ?? String(error)}`, error };
    }
  }
}

/**
 * The token of the claim stored under `key`, `''` for a claim that holds none (written before fault round 82: another
 * invocation's), or `undefined` when it cannot be read (no time left, the read refused or failed, not a claim).
 */
async function claimToken(
  s3: S3Client,
  bucket: string,
  key: string,
  timeoutMs: number,
): Promise<string | undefined> {
  if (timeoutMs < 100) return undefined;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const text = await out.Body?.transformToString();
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as { version?: unknown; token?: unknown };
    if (parsed?.version !== 1) return undefined;
    return typeof parsed.token === 'string' ? parsed.token : '';
  } catch {
    return undefined;
  }
}

/**
 * Where a bounce is claimed: `<keyPrefix><messageId>.<rule>.bounce.json`, `<rule>` the first 16 hex digits of the
 * SHA-256 of the receipt rule's recipients (`receipt.recipients`: lower-cased, sorted, one a line). SES invokes each
 * matching rule's Lambda action with the recipients that rule matched, under one message id: a message whose recipients
 * match two rules reaches the flow once for each, and each bounces its own. Claimed per message id alone, the second
 * rule's recipients were stopped unbounced (fault round 81). Every invocation of one rule's event (a retry, a duplicate)
 * names the same recipients, so the same claim.
 *
 * @example
 * ```ts
 * bounceClaimKey('held/', 'o3vd…', ['bob@corp.example']); // 'held/o3vd….<16 hex>.bounce.json'
 * ```
 */
export function bounceClaimKey(
  keyPrefix: string,
  messageId: string,
  ruleRecipients: readonly string[],
): string {
  const rule = createHash('sha256')
    .update([...new Set(ruleRecipients.map((r) => r.toLowerCase()))].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return `${keyPrefix}${messageId}.${rule}.bounce.json`;
}

/**
 * Whether a failed attempt of the claim shows S3 stored nothing: S3's own refusal (a 4xx, or 503 SlowDown, in S3's
 * shape: its error code, and the request id it names in its document the same as in its `x-amz-request-id` header), or
 * no connection made. Anything else (no answer, a 500, a page from something in between) may have stored it.
 */
function storedNothing(error: unknown): boolean {
  const e = error as {
    Code?: unknown;
    RequestId?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && ((status >= 400 && status < 500) || status === 503))
    return (
      typeof e.Code === 'string' &&
      typeof e.RequestId === 'string' &&
      e.RequestId !== '' &&
      e.RequestId === e.$metadata?.requestId
    );
  return typeof e?.code === 'string' && NOT_CONNECTED.has(e.code);
}

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
