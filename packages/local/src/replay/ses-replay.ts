import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type Verdict, verdictKey } from '@wmflow/core';
import { MessageHeaders } from '@wmflow/core/mime';
import { type SesReceiptVerdicts, sesMessageId } from '@wmflow/core/testing';
import { sesEventFromEml } from '../ses/ses-event.js';
import { compareOutcome } from './check.js';
import { deriveEnvelope, headerBlock } from './envelope.js';
import { type Invocation, invokeOnce } from './invoke.js';
import { auditedOf, bounceOf, editOf, failuresOf, type PinnedProblems, pinnedBy } from './problems.js';
import { readFixture } from './read-fixture.js';
import type { ReplayOptions } from './runner.js';
import type { ReplayHeld, ReplayResult } from './types.js';

/** Where the replay stores each message, as the receipt rule's S3 action would, and SES verdict flags. */
export interface SesReplayOptions {
  bucket: string;
  keyPrefix: string;
  /** Verdicts for every message (`--ses-verdict`); else each message's headers say, else PASS. */
  verdicts?: SesReceiptVerdicts;
}

const DISPOSITIONS = ['CONTINUE', 'STOP_RULE', 'STOP_RULE_SET'];
// What each disposition does to a recipient not bounced; STOP_RULE is how wmflow quarantines (junk policy).
const SHOWN: Record<string, string> = {
  CONTINUE: 'DEFAULT',
  STOP_RULE: 'MOVE_TO_JUNK',
  STOP_RULE_SET: 'DROP',
};

/**
 * Replays one message on the SES engine: stores it in the local S3 under `<prefix><messageId>`, registers
 * it with the SES emulation, synthesizes the Lambda action's event, invokes the handler, and reads what SES
 * would do from the disposition and the SendBounce calls the emulation recorded. A bounce the handler could
 * not send (its outcome's `bounce.status` `failed`) is reported in `bounce` and is a problem (exit 1).
 *
 * @example
 * ```ts
 * const { result } = await replayOneSes(options, 'samples/eml/04-ses-spam-virus.eml', shown, ses);
 * ```
 */
export async function replayOneSes(
  options: Omit<ReplayOptions, 'files' | 'onResult'>,
  file: string,
  shown: string,
  ses: SesReplayOptions,
): Promise<{ result: ReplayResult; errorExpected: boolean; pinned: PinnedProblems }> {
  const started = performance.now();
  const expectation = await options.expectations?.lookup(file);
  const bytes = readFixture(file); // as replayOne does, without pool hand-offs
  const derived = deriveEnvelope(bytes, {
    direction: 'INBOUND',
    organizationDomains: options.organizationDomains,
  });
  const mailFrom = options.mailFrom ?? expectation?.mailFrom ?? derived.mailFrom;
  const recipients = [
    ...(options.recipients?.length ? options.recipients : (expectation?.recipients ?? derived.recipients)),
  ];
  const messageId = sesMessageId();
  const { stack, tracker } = options;
  await stack.s3.send(
    new PutObjectCommand({ Bucket: ses.bucket, Key: `${ses.keyPrefix}${messageId}`, Body: bytes }),
  );
  // What SES stored on receipt is not the function's: what it writes is taken after its invocation.
  tracker.created();
  stack.ses.receive(messageId);
  const event = sesEventFromEml(bytes, {
    messageId,
    mailFrom,
    recipients,
    subject: derived.subject,
    ...(ses.verdicts ? { verdicts: ses.verdicts } : {}),
  });
  const invocation = await invokeOnce(options.handler, event, {
    timeoutMs: options.timeoutMs,
    functionName: options.handler.label,
    messageId,
  });
  const { verdicts, error, disposition } = interpret(invocation, recipients, messageId, options);
  const held = disposition === 'STOP_RULE' ? heldOf(invocation.outcome) : undefined;
  // The handler's record of why it held the message is no journal copy (fault round 70), nor is its bounce's claim
  // (fault round 80).
  const claim = claimOf(invocation.outcome);
  const written = tracker.created().filter((o) => {
    const at = `s3://${o.bucket}/${o.key}`;
    return at !== held?.record && at !== claim;
  });
  // The recorded SendBounce calls show only bounces sent: one that failed is in the outcome alone (fault round 44).
  const bounce = bounceOf(invocation.outcome);
  const result: ReplayResult = {
    file: shown,
    messageId,
    direction: 'INBOUND',
    synchronous: true,
    mailFrom,
    recipients,
    verdicts,
    rulesFired: invocation.outcome?.rulesFired ?? [],
    ...(auditedOf(invocation.outcome) ? { audited: auditedOf(invocation.outcome) } : {}),
    rewritten: null,
    journaled: written.map((o) => `s3://${o.bucket}/${o.key}`),
    error,
    durationMs: Math.round(performance.now() - started),
    check: null,
    failures: failuresOf(invocation.outcome),
    edit: editOf(invocation.outcome),
    deadlineHit: invocation.outcome?.deadlineHit ?? false,
    engine: 'ses',
    disposition,
    ...(bounce ? { bounce } : {}),
    ...(held ? { held } : {}),
  };
  if (options.outDir) for (const o of written) await tracker.copyTo(options.outDir, o);
  if (options.check && expectation) {
    const differences = compareOutcome(expectation, result, new MessageHeaders(headerBlock(bytes)));
    result.check = { ok: differences.length === 0, differences };
  }
  stack.ses.forget(messageId);
  const declared = expectation?.error !== undefined && expectation.error !== false;
  const met = result.check?.ok === true;
  const pinned = pinnedBy(expectation, met);
  if (result.check) result.check.pinned = pinned;
  return { result, errorExpected: met && declared, pinned };
}

/**
 * Why the handler held the message (its outcome's `held`, fault round 70); a handler that reports none is still held,
 * its reason unknown.
 */
function heldOf(outcome: object | undefined): ReplayHeld {
  const h = outcome && 'held' in outcome ? (outcome as { held?: unknown }).held : undefined;
  const field = (name: string) => {
    const v = typeof h === 'object' && h !== null ? (h as Record<string, unknown>)[name] : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  const record = field('record');
  const recordError = field('recordError');
  return {
    cause: field('cause') ?? 'unknown',
    reason: field('reason') ?? 'the handler answered STOP_RULE and reported no reason',
    ...(record !== undefined ? { record } : {}),
    ...(recordError !== undefined ? { recordError } : {}),
  };
}

/** Where the handler claimed the message's bounce (its outcome's `bounce.claim`, fault round 80), if it did. */
function claimOf(outcome: unknown): string | undefined {
  const b =
    outcome && typeof outcome === 'object' && 'bounce' in outcome
      ? (outcome as { bounce?: unknown }).bounce
      : undefined;
  const claim = b && typeof b === 'object' ? (b as { claim?: unknown }).claim : undefined;
  return typeof claim === 'string' ? claim : undefined;
}

/** Verdicts as SES applies the answer: bounced recipients from the recorded SendBounce, the rest by disposition. */
function interpret(
  invocation: Invocation,
  recipients: readonly string[],
  messageId: string,
  options: Omit<ReplayOptions, 'files' | 'onResult'>,
): { verdicts: Record<string, string>; error: ReplayResult['error']; disposition: string | null } {
  const bounced = new Map<string, string>();
  for (const call of options.stack.ses.bounces(messageId)) {
    for (const r of call.recipients)
      bounced.set(r.recipient.toLowerCase(), `BOUNCE:${call.explanation ?? ''}`);
  }
  const all = (type: string) =>
    Object.fromEntries(recipients.map((r) => [r, bounced.get(r.toLowerCase()) ?? type]));
  if (invocation.failure) {
    // SES does not document what a failed RequestResponse action does to the message: replay reports the
    // error and applies the fallback (`--fallback`, default DEFAULT), as for WorkMail.
    const fallback: Verdict = options.fallback ?? { type: 'DEFAULT' };
    return { verdicts: all(verdictKey(fallback)), error: invocation.failure, disposition: null };
  }
  const answer = invocation.response as { disposition?: unknown } | undefined;
  const disposition = typeof answer?.disposition === 'string' ? answer.disposition : null;
  if (disposition === null || !DISPOSITIONS.includes(disposition)) {
    // A flow() handler answers { actions }: say which engine it is for, as replay does of the reverse (newcomer round 7).
    const workmail = Array.isArray((answer as { actions?: unknown } | null | undefined)?.actions);
    const hint = workmail
      ? ' (a WorkMail answer: replay a flow() handler without --engine ses, or build it with sesFlow of @wmflow/core/ses)'
      : '';
    return {
      verdicts: all('DEFAULT'),
      error: {
        name: 'InvalidResponse',
        message: `not a disposition (${JSON.stringify(answer ?? null)}): SES continues${hint}`,
      },
      disposition,
    };
  }
  return {
    verdicts: all(SHOWN[disposition] ?? 'DEFAULT'),
    error: invocation.outcome?.error ?? null,
    disposition,
  };
}
