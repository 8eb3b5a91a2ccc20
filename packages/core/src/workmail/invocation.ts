import type { Readable } from 'node:stream';
import type { Context } from 'aws-lambda';
import type { Edit } from '../edit/edits.js';
import { ConfigError, DeadlineError, RuleError } from '../errors.js';
import { freezeAtDeadline, type RuleFailure, runChain } from '../flow/chain.js';
import { deadlineBudget, raceDeadline } from '../flow/deadline.js';
import { applyEditFallbacks, RECEIVES } from '../flow/edit-fallback.js';
import { FlowState } from '../flow/state.js';
import { LazyMessage } from '../message/message.js';
import { isTransient } from '../transient.js';
import { type Verdict, Verdicts } from '../verdicts.js';
import { defaultClients, defaultMessageFlowClient, type FlowClients } from './clients.js';
import { commitUpdate, type EditOutcome, prefetchEditor, uncommittedStripVerdict } from './commit-update.js';
import { compileResponse } from './compile-response.js';
import type { FlowEvent } from './event.js';
import { legalFor, type Settings } from './flow-settings.js';
import { workmailSource } from './message-source.js';
import { type FlowResponse, RESPONSE_LIMITS } from './response.js';

/** Everything one invocation produced, for the response and the log line. */
export interface Invocation {
  state: FlowState;
  failures: RuleFailure[];
  deadlineHit: boolean;
  warnings: string[];
  edit: EditOutcome;
  response: FlowResponse;
}

/** Runs the chain and the edits for a valid event, under the deadline guard. */
export async function runInvocation(s: Settings, event: FlowEvent, context: Context): Promise<Invocation> {
  if (s.direction && event.flowDirection !== s.direction) {
    throw new ConfigError(
      'direction',
      `this flow handles ${s.direction} mail but got ${event.flowDirection}`,
    );
  }
  const clients = (): FlowClients => ({ ...defaultClients(), ...s.clients });
  const budget = deadlineBudget(
    s.deadline,
    s.synchronous,
    context?.getRemainingTimeInMillis?.(),
    RESPONSE_LIMITS.timeoutMs,
  );
  // The last moments of the budget are for the aborted work to stop, so the answer still comes in time.
  const grace = Math.min((s.deadline.safetyMarginMs ?? 1000) / 2, budget / 2);
  // The fetch is aborted with the invocation: the deadline leaves no request of it running.
  const message: LazyMessage = new LazyMessage(
    (): Promise<Readable> =>
      workmailSource(
        s.clients?.messageFlow ?? defaultMessageFlowClient(),
        event.messageId,
        state.controller.signal,
      )(),
    // An engine's message: a page or document answered in its place is refused (fault round 47).
    { ...s.message, mailOnly: true },
  );
  // A flow that may commit edits loads the editor while the first request is in flight (cold start).
  if (s.updates && s.synchronous) prefetchEditor();
  const state: FlowState = new FlowState({
    message,
    direction: event.flowDirection,
    envelope: {
      mailFrom: event.envelope.mailFrom.address,
      recipients: event.envelope.recipients.map((r) => r.address),
      sender: event.sender?.address,
      truncated: event.truncated,
    },
    subject: event.subject,
    messageId: event.messageId,
    invocationId: event.invocationId,
    synchronous: s.synchronous,
    organizationDomains: s.organizationDomains,
    logger: s.logger,
    deadline: Date.now() + budget - grace,
    // WorkMail's limits, passed to the engine-neutral state as settings.
    ...(event.flowDirection === 'OUTBOUND' ? { maxRecipients: RESPONSE_LIMITS.maxOutboundRecipients } : {}),
  });
  const failures: RuleFailure[] = [];
  let edit: EditOutcome = { status: 'none' };
  // Only once PutRawMessageContent is on its way may a deadline leave the update applied (fault round 48).
  let putSent = false;
  let deadlineHit = false;
  try {
    const work = (async () => {
      // Without an edit to commit, the last rule's full read is the invocation's last: no spill to /tmp.
      const lastReads = !s.synchronous || !s.updates ? () => message.beginFinalReads?.() : undefined;
      await runChain(s.rules, state, s.onError, failures, s.transientErrors === 'fail-invocation', lastReads);
      failIfDecidedOnCut(s, message);
      edit = await editOutcome(s, state, event, clients, () => {
        putSent = true;
      });
      applyStripFallback(state, edit);
    })();
    deadlineHit = (await raceDeadline(work, budget - grace)) === 'deadline';
    if (deadlineHit) {
      // Aborts every request and upload of the invocation (their signals); protections that had not decided
      // settle their recipients with their blocking verdicts (a finished chain is committing: none left).
      const retried = freezeAtDeadline(s.rules, state, s.onError);
      work.catch(() => {}); // the answer is given; a late failure changes nothing
      // Let the aborted work stop (abort signals end SDK calls promptly) before answering, within the margin.
      await settleWithin(work, grace);
      // A rule that must not be lost (a journal: policy rethrow) had not finished: fail, so it is retried.
      if (retried) throw new DeadlineError(retried.name);
      failIfDecidedOnCut(s, message);
      // A strip whose PutRawMessageContent is on its way may yet be applied (WorkMail answers after the deadline): a
      // bounce would refuse a message WorkMail holds stripped, a delivery might deliver the attachment. Not known, so
      // the invocation fails and WorkMail's retry decides on the message it then holds (fault round 74).
      if (putSent && stripsAttachments(state.edits)) {
        throw new DeadlineError(
          'commit-update',
          'deadline reached while PutRawMessageContent of an attachment removal was on its way: it may or may not have been applied, so the invocation fails and WorkMail retries it',
        );
      }
      if (state.edits.length > 0) {
        edit = {
          status: 'skipped',
          reason: putSent
            ? 'deadline reached while the update was being committed: it may or may not have been applied'
            : 'deadline reached before the update was committed',
        };
      }
    }
    const verdicts = state.final(deadlineHit ? legalFor(s.fallback, event.flowDirection) : Verdicts.DEFAULT);
    const finalEdit = edit as EditOutcome;
    // The chain's end applies a `removeAttachments()` strip that was not committed; cut by the deadline, so is it here
    // (fault round 74: the attachment was delivered).
    const cutStrip =
      deadlineHit && s.synchronous ? stripFallbackAtDeadline(verdicts, state.edits, finalEdit) : [];
    const fallbacks = applyEditFallbacks(
      verdicts,
      state.edits,
      finalEdit.status === 'committed',
      'reason' in finalEdit ? `${finalEdit.status}: ${finalEdit.reason}` : finalEdit.status,
    );
    const compiled = compileResponse({
      direction: event.flowDirection,
      envelopeRecipients: state.init.envelope.recipients,
      verdicts,
      truncated: event.truncated,
    });
    const warnings = [...cutStrip, ...fallbacks, ...compiled.warnings];
    return { state, failures, deadlineHit, warnings, edit, response: compiled.response };
  } finally {
    // After a deadline the answer must not wait for a stalled source to close.
    // At a deadline the work left running stops reading the message and keeps no spill file (fault round 63).
    const closing = message.close({ abandon: deadlineHit }).catch(() => {});
    if (!deadlineHit) await closing;
  }
}

// Under 'rule-policy' a rule may fail open on a read that found the message cut, longer or changed after the rules
// before it decided on the bytes then held: their verdicts rest on no message. Fail, so WorkMail retries (fault round
// 99), at the chain's end as at the deadline. A reset or a full disk leaves the bytes held the message's own. Under
// 'fail-invocation' such a failure reaching the chain fails the invocation already; a rule that catches it itself
// decides what it means.
function failIfDecidedOnCut(s: Settings, message: LazyMessage): void {
  if (s.transientErrors !== 'rule-policy') return;
  const cut = message.readFailure;
  if (cut && (cut.reason === 'short' || cut.reason === 'long' || cut.reason === 'changed'))
    throw new RuleError('message-read', cut, true);
}

async function editOutcome(
  s: Settings,
  state: FlowState,
  event: FlowEvent,
  clients: () => FlowClients,
  onPut: () => void,
): Promise<EditOutcome> {
  if (state.edits.length === 0) return { status: 'none' };
  if (!s.synchronous) return { status: 'skipped', reason: 'asynchronous rule: WorkMail ignores updates' };
  const receives = [...state.final(Verdicts.DEFAULT).values()].some((v) => RECEIVES.has(v.type));
  if (!receives) return { status: 'skipped', reason: 'no recipient receives the message' };
  if (!s.updates) {
    return {
      status: 'failed',
      reason: 'rules queued edits but the flow has no updates bucket (FlowOptions.updates.bucket)',
    };
  }
  try {
    return await commitUpdate({
      message: state.init.message,
      edits: state.edits,
      messageId: event.messageId,
      invocationId: event.invocationId,
      clients: clients(),
      options: {
        repair: { receivedAt: new Date(), mailFrom: event.envelope.mailFrom.address },
        ...s.updates,
      },
      signal: state.controller.signal,
      onPut,
    });
  } catch (error) {
    // Throttling, 5xx or a reset while committing: fail the invocation so WorkMail retries it.
    if (isTransient(error) && !state.isFrozen && s.transientErrors === 'fail-invocation') throw error;
    return {
      status: 'failed',
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

function settleWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.catch(() => {}), wait]).finally(() => clearTimeout(timer));
}

// Edits that remove attachments: their outcome decides whether the recipients may receive the message.
function stripsAttachments(edits: readonly Edit[]): boolean {
  return edits.some((e) => e.kind === 'remove-attachments' || (e.kind === 'remove-parts' && e.fallback));
}

// applyStripFallback on the verdicts answered at the deadline (the state is frozen then): one warning line when applied.
function stripFallbackAtDeadline(
  verdicts: Map<string, Verdict>,
  edits: readonly Edit[],
  edit: EditOutcome,
): string[] {
  const verdict = uncommittedStripVerdict(edits, edit);
  if (!verdict) return [];
  let count = 0;
  for (const [address, current] of verdicts) {
    if (!RECEIVES.has(current.type)) continue;
    verdicts.set(address, verdict);
    count++;
  }
  return count > 0
    ? [
        `attachments removeAttachments() matched were not removed (deadline): BOUNCE for ${count} recipient(s)`,
      ]
    : [];
}

// An attachment that had to be removed was not: recipients who would receive it get the fallback verdict.
function applyStripFallback(state: FlowState, edit: EditOutcome): void {
  const verdict = uncommittedStripVerdict(state.edits, edit);
  if (!verdict) return;
  const receiving = [...state.final(Verdicts.DEFAULT)]
    .filter(([, v]) => RECEIVES.has(v.type))
    .map(([a]) => a);
  for (const address of receiving) state.decide(address, verdict, false);
}
