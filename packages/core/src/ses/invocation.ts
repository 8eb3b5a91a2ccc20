import type { Context } from 'aws-lambda';
import type { Edit } from '../edit/edits.js';
import { DeadlineError, RuleError } from '../errors.js';
import { freezeAtDeadline, type RuleFailure, runChain } from '../flow/chain.js';
import { deadlineBudget, raceDeadline } from '../flow/deadline.js';
import { FlowState } from '../flow/state.js';
import { LazyMessage } from '../message/message.js';
import { isTransient } from '../transient.js';
import { defaultSesClients, type SesFlowClients, storedMessageSource } from './clients.js';
import type { SesMessage } from './event.js';
import { ReceiptMessage } from './receipt-message.js';
import { SES_LIMITS, type SesSettings } from './settings.js';

/** What the chain produced for one receipt. */
export interface SesRun {
  state: FlowState;
  failures: RuleFailure[];
  deadlineHit: boolean;
  /** A `removeAttachments()` edit matched a part of the message, which SES cannot remove (or it could not be told). */
  unremoved?: boolean;
}

/** The clients to use: injected ones over the shared defaults. */
export function sesClients(s: SesSettings): SesFlowClients {
  return { ...defaultSesClients(), ...s.clients };
}

/**
 * Runs the chain for a valid receipt under the deadline guard: SES waits 30 s for a RequestResponse action; an
 * `Event` action (`invocationType: 'Event'`) is bounded by the Lambda's remaining time only.
 */
export async function runSesChain(s: SesSettings, ses: SesMessage, context: Context): Promise<SesRun> {
  const lazy: LazyMessage = new LazyMessage(
    () =>
      // The stored object must be the receipt's message, not one stored under its key since (fault round 52).
      storedMessageSource(sesClients(s).s3, s.stored, ses.mail.messageId, state.controller.signal, {
        ...(ses.mail.commonHeaders.messageId ? { messageIdHeader: ses.mail.commonHeaders.messageId } : {}),
        maxHeaderBytes: lazy.limits.maxHeaderBytes,
      })(),
    // An engine's message: a page or document answered in its place is refused (fault round 47).
    { ...s.message, mailOnly: true },
  );
  const message = new ReceiptMessage(lazy, ses, { headerSource: s.headerSource });
  const budget = deadlineBudget(
    s.deadline,
    s.synchronous,
    context?.getRemainingTimeInMillis?.(),
    SES_LIMITS.timeoutMs,
  );
  const state: FlowState = new FlowState({
    message,
    direction: 'INBOUND',
    envelope: { mailFrom: ses.mail.source, recipients: ses.receipt.recipients, truncated: false },
    subject: ses.mail.commonHeaders.subject ?? '',
    messageId: ses.mail.messageId,
    // SES has no invocation id; its message id is the same across retries of one receipt.
    invocationId: ses.mail.messageId,
    // SES's receipt time, the same in every delivery of the event: a journal copy is filed by it (fault round 82).
    ...receiptTime(ses.mail.timestamp, Date.now()),
    // Rules see the flow as synchronous either way (their verdicts resolve a disposition); only the budget differs.
    synchronous: true,
    organizationDomains: s.organizationDomains,
    logger: s.logger,
    deadline: Date.now() + budget,
  });
  const failures: RuleFailure[] = [];
  let deadlineHit = false;
  try {
    // SES commits no edit: the last rule's full read is the invocation's last (no spill to /tmp).
    // SES rewrites nothing: whether a removal a rule asked for matches an attachment decides the verdicts, read
    // within the deadline; a transient read failure fails the invocation as any read does (fault round 42).
    let unremoved: boolean | undefined;
    const removalAsked = () => state.edits.some((e) => e.kind === 'remove-attachments');
    const work = runChain(s.rules, state, s.onError, failures, true, () => message.beginFinalReads()).then(
      async () => {
        if (removalAsked())
          unremoved = await matchesRemoval(lazy, state.edits).catch((error: unknown) => {
            if (isTransient(error)) throw new RuleError('remove-attachments', error, true);
            return true;
          });
      },
    );
    deadlineHit = (await raceDeadline(work, budget)) === 'deadline';
    if (deadlineHit) {
      const retried = freezeAtDeadline(s.rules, state, s.onError);
      work.catch(() => {});
      if (retried) throw new DeadlineError(retried.name);
    }
    // Past the deadline there was no time to read the message for a pending removal: not knowing, it matched.
    if (deadlineHit && removalAsked()) unremoved = true;
    return { state, failures, deadlineHit, ...(unremoved !== undefined ? { unremoved } : {}) };
  } finally {
    // At a deadline the work left running stops reading the message and keeps no spill file (fault round 63).
    const closing = message.close({ abandon: deadlineHit }).catch(() => {});
    if (!deadlineHit) await closing;
  }
}

/** Whether a `removeAttachments()` predicate matches an attachment of the message, under any of its names. */
async function matchesRemoval(message: LazyMessage, edits: readonly Edit[]): Promise<boolean> {
  const removals = edits.flatMap((e) => (e.kind === 'remove-attachments' ? [e.match] : []));
  const { parts } = await message.parts();
  return parts.some(
    (part) =>
      !part.container &&
      (part.disposition === 'attachment' || part.names.length > 0) &&
      (part.names.length > 0 ? part.names : [undefined]).some((filename) =>
        removals.some((match) =>
          match({
            contentType: part.contentType,
            ...(filename !== undefined ? { filename } : {}),
            ...(part.disposition ? { disposition: part.disposition } : {}),
          }),
        ),
      ),
  );
}

/**
 * SES's `mail.timestamp` as `RuleContext.receivedAt`: only a time within the day before the clock (an `Event`
 * invocation waits at most six hours, with Lambda's retries) and not more than 15 minutes after it (clocks differ);
 * anything else is not trusted, and rules fall back to the clock (fault round 82).
 */
export function receiptTime(timestamp: unknown, now: number): { receivedAt?: number } {
  if (typeof timestamp !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(timestamp))
    return {};
  const at = Date.parse(timestamp);
  return Number.isFinite(at) && at <= now + 15 * 60_000 && at >= now - 24 * 3_600_000
    ? { receivedAt: at }
    : {};
}
