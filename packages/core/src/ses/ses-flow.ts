import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { DeadlineError, RuleError, WmflowError } from '../errors.js';
import { deadlineBudget } from '../flow/deadline.js';
import { applyEditFallbacks, RECEIVES, STRIP_FALLBACK_MESSAGE } from '../flow/edit-fallback.js';
import type { EditOutcome } from '../flow/edit-outcome.js';
import { type FlowOutcome, publishOutcome } from '../flow/outcome.js';
import { deniedByPolicy } from '../transient.js';
import { type Verdict, Verdicts, verdictKey } from '../verdicts.js';
import { resolveDisposition, type SesResolution } from './disposition.js';
import type { SesDisposition, SesMessage } from './event.js';
import { claimBounce, reasonLine, type SesHoldCause, writeHoldRecord } from './hold-record.js';
import { runSesChain, type SesRun, sesClients } from './invocation.js';
import { type BounceOutcome, sendBounce } from './send-bounce.js';
import {
  checkSesOptions,
  SES_LIMITS,
  type SesFlowOptions,
  type SesInvalidEventAnswer,
  type SesSettings,
  startupReport,
} from './settings.js';
import { parseSesEvent } from './validate-event.js';

/** The Lambda handler {@link sesFlow} returns (middy, so users may `.use()` more middleware). */
export type SesFlowHandler = MiddyfiedHandler<unknown, SesDisposition | undefined, Error, Context>;

/** The outcome record of an SES invocation: the common record plus the disposition and the bounce. */
export type SesFlowOutcome = FlowOutcome<SesDisposition> & {
  /** Per recipient, what SES does: `BOUNCE:<message>`, DROP (stopped), MOVE_TO_JUNK (quarantined) or DEFAULT. */
  applied: Record<string, string>;
  /** `claim`: where the bounce was claimed once for the message, with the flow's `holdRecord` (fault round 80). */
  bounce?: BounceOutcome & { recipients: string[]; claim?: string };
  /**
   * Set when the answer is `STOP_RULE` (the message held for the quarantine rule): why, and where the flow's
   * `holdRecord` put that (`record`), or why it could not (`recordError`; fault round 70).
   */
  held?: { cause: SesHoldCause; reason: string; record?: string; recordError?: string };
};

const NO_EDITS = 'SES receipt rules cannot rewrite a message in transit: edits are not applied';

/**
 * Builds the Lambda handler for an SES receipt rule's Lambda action (invocation type RequestResponse,
 * placed after an S3 action that stores the message; for an `Event` action set `invocationType: 'Event'`, so the
 * chain is bounded by the Lambda's time rather than SES's 30 s wait). The same rules as a WorkMail inbound flow run over
 * the receipt: envelope from `mail.source` and `receipt.recipients`, subject and headers from the event,
 * SES's verdicts from `receipt`, bodies read lazily from the stored object. Verdicts become one
 * disposition plus a SendBounce for bounced recipients (see {@link SesVerdictPolicy}). What SES cannot do
 * is logged once at start-up and per invocation.
 *
 * @example
 * ```ts
 * import { sesFlow } from '@wmflow/core/ses';
 * import { enforceSesVerdicts } from '@wmflow/rules';
 *
 * export const handler = sesFlow({
 *   rules: [enforceSesVerdicts()],
 *   stored: { bucket: 'corp-inbound-mail', keyPrefix: 'inbound/' },
 *   bounceSender: 'postmaster@corp.example',
 * });
 * ```
 */
export function sesFlow(options: SesFlowOptions): SesFlowHandler {
  const settings = checkSesOptions(options);
  settings.logger.info('wmflow ses flow', startupReport(settings));
  const handler = middy<unknown, SesDisposition | undefined, Error, Context>({
    timeoutEarlyInMillis: 0,
  }).handler((event: unknown, context: Context) => invoke(settings, event, context));
  // Tells wmflow's tools which engine a loaded module's handler answers for (a bundle holds its own copy of this
  // code, hence a registered symbol): `wmflow backtest` replays WorkMail flows and refuses this one up front.
  Object.defineProperty(handler, SES_ENGINE_MARK, { value: 'ses' });
  return handler;
}

/** The property an sesFlow handler carries, `'ses'`: how a tool that loads a handler knows its engine. */
const SES_ENGINE_MARK = Symbol.for('wmflow.engine');

async function invoke(s: SesSettings, input: unknown, context: Context): Promise<SesDisposition> {
  const started = Date.now();
  // When SES stops waiting for the answer (or the Lambda ends): the bounce, sent after the chain, must be done by then.
  const answerBy = started + answerBudget(s, context);
  let ses: SesMessage | undefined;
  let run: SesRun | undefined;
  try {
    ses = parseSesEvent(input);
    run = await runSesChain(s, ses, context);
    const verdicts = run.state.final(run.deadlineHit ? s.fallback : Verdicts.DEFAULT);
    const edit: EditOutcome =
      run.state.edits.length > 0 ? { status: 'skipped', reason: NO_EDITS } : { status: 'none' };
    // Strip means stripped, or not delivered: SES removes nothing, so what a removal stood for applies.
    const notRemoved = applyEditFallbacks(verdicts, run.state.edits, false, NO_EDITS);
    if (run.unremoved) {
      const bounce = Verdicts.bounce(STRIP_FALLBACK_MESSAGE);
      for (const [address, verdict] of verdicts)
        if (RECEIVES.has(verdict.type)) verdicts.set(address, bounce);
      notRemoved.push(`an attachment removeAttachments() matched stays (${NO_EDITS}): bounced`);
    }
    return await answer(s, started, answerBy, ses, run, verdicts, edit, undefined, notRemoved);
  } catch (error) {
    const err = error instanceof Error ? error : new WmflowError(String(error));
    if (!ses) {
      // An event that cannot be read: no rule ran, so nothing was checked. It was answered CONTINUE whatever the
      // flow, letting a protective flow's message through every protection (attacker round 83).
      const answer = s.onInvalidEvent;
      return undecided(s, started, answerBy, undefined, undefined, answer, err, {
        cause: 'invalid-event',
        messageId: namedMessageId(input),
        answered: `the event could not be read, so no rule ran: answered ${answer} (onInvalidEvent)`,
        failed: 'the event could not be read: the invocation fails (onInvalidEvent rethrow)',
        held: `the event could not be read, so no rule checked the message (${err.name}: ${err.message}) (onInvalidEvent)`,
      });
    }
    const policy =
      (err instanceof RuleError && err.rethrow) || err instanceof DeadlineError ? 'rethrow' : s.onError;
    if (policy === 'rethrow') {
      // SES documents no retry of a failed RequestResponse action: a protection that could not decide holds the
      // message with the flow's answer (a following quarantine rule keeps it) rather than leave it to SES (fault
      // round 68). Nothing is bounced on the strength of a check that did not finish.
      const answer = s.onRetryableError;
      return undecided(s, started, answerBy, ses, run, answer, err, {
        cause: 'retryable-error',
        messageId: ses.mail.messageId,
        answered: `the invocation would have failed so that it is tried again (${err.name}), but SES documents no retry: answered ${answer} (onRetryableError)`,
        held: `a check could not finish (${err.name}: ${err.message}): held rather than failed, as SES documents no retry (onRetryableError)`,
      });
    }
    // Past this point the error is no rule's (runChain settles those by the rule's policy): wmflow's own code failed
    // outside every rule, so what the rules decided was never answered. A protective flow holds it (attacker round 88).
    if (s.onFlowError !== undefined) {
      const answer = s.onFlowError;
      return undecided(s, started, answerBy, ses, run, answer, err, {
        cause: 'flow-error',
        messageId: ses.mail.messageId,
        answered: `an error escaped the chain outside any rule, so the rules' verdicts were not answered: answered ${answer} (onFlowError)`,
        failed: 'an error escaped the chain outside any rule: the invocation fails (onFlowError rethrow)',
        held: `an error escaped the chain outside any rule (${err.name}: ${err.message}): held rather than continued (onFlowError)`,
        // The report itself may be what failed: the answer stands (the error is the outcome's).
        reportMayFail: true,
      });
    }
    const closed: Verdict = policy === 'fail-open' ? Verdicts.DEFAULT : policy.failClosed;
    const verdicts = new Map(ses.receipt.recipients.map((r) => [r, closed]));
    return answer(s, started, answerBy, ses, run, verdicts, { status: 'none' }, describe(err));
  }
}

/** Why no rule's verdict is answered, for {@link undecided}: the log's warning and the held message's record. */
interface Undecided {
  cause: SesHoldCause;
  /** The message the record is kept under; empty when the event names none. */
  messageId: string;
  /** The warning when a disposition answers; `failed` when the invocation fails instead (none: no warning). */
  answered: string;
  failed?: string;
  /** The reason a `STOP_RULE` records. */
  held: string;
  reportMayFail?: boolean;
}

/**
 * The answer where the rules' verdicts cannot be: an event that cannot be read (`onInvalidEvent`), a check that could
 * not finish (`onRetryableError`), an error outside every rule (`onFlowError`). Logged as an error with the reason; a
 * `STOP_RULE` holds the message with it; `rethrow` fails the invocation. Nothing is bounced on it.
 */
async function undecided(
  s: SesSettings,
  started: number,
  answerBy: number,
  ses: SesMessage | undefined,
  run: SesRun | undefined,
  answer: SesInvalidEventAnswer,
  err: Error,
  why: Undecided,
): Promise<SesDisposition> {
  const response = answer === 'rethrow' ? undefined : ({ disposition: answer } as const);
  const o = outcome(started, ses, run, new Map(), response);
  if (!ses) {
    o.messageId = why.messageId;
    o.invocationId = why.messageId;
  }
  const warning = response ? why.answered : why.failed;
  if (warning) o.warnings.push(warning);
  if (answer === 'STOP_RULE') await hold(s, answerBy, why.messageId, why.cause, why.held, o);
  try {
    report(s, { ...o, error: describe(err) });
  } catch (reportError) {
    if (!why.reportMayFail) throw reportError;
  }
  if (!response) throw err;
  return response;
}

/** The SES message id an unreadable event names, when it names one in SES's alphabet; otherwise empty. */
function namedMessageId(input: unknown): string {
  try {
    const id = (input as { Records?: { ses?: { mail?: { messageId?: unknown } } }[] }).Records?.[0]?.ses?.mail
      ?.messageId;
    return typeof id === 'string' && /^[A-Za-z0-9-]{1,200}$/.test(id) ? id : '';
  } catch {
    return '';
  }
}

// The chain's deadline arithmetic (SES's wait or the configured engine timeout unless invoked as Event, and the
// Lambda's time), with a quarter second left to answer in instead of the chain's margin.
function answerBudget(s: SesSettings, context: Context | undefined): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  return deadlineBudget(
    { ...s.deadline, safetyMarginMs: 250 },
    s.synchronous,
    remaining,
    SES_LIMITS.timeoutMs,
  );
}

async function answer(
  s: SesSettings,
  started: number,
  answerBy: number,
  ses: SesMessage,
  run: SesRun | undefined,
  verdicts: Map<string, Verdict>,
  edit: EditOutcome,
  error?: { name: string; message: string },
  notes: string[] = [],
): Promise<SesDisposition> {
  const resolution = resolveDisposition(verdicts, s.policy);
  let bounce: SesFlowOutcome['bounce'];
  let claim: string | undefined;
  if (resolution.bounce) {
    const sent: BounceOutcome = !s.bounceSender
      ? { status: 'failed', reason: 'no bounceSender configured' }
      : await bounceOnce(s, answerBy, ses, s.bounceSender, resolution.bounce, notes, (at) => {
          claim = at;
        });
    bounce = { ...sent, recipients: resolution.bounce.recipients, ...(claim ? { claim } : {}) };
    // Not bounced after all: the message is still stopped, so report what really happens.
    if (sent.status === 'failed')
      for (const r of resolution.bounce.recipients) resolution.applied[r] = 'DROP';
  }
  const response: SesDisposition = { disposition: resolution.disposition };
  const o = outcome(started, ses, run, verdicts, response, resolution, edit);
  o.warnings.push(...notes);
  if (response.disposition === 'STOP_RULE')
    await hold(
      s,
      answerBy,
      ses.mail.messageId,
      error ? 'rule-error' : 'verdict',
      junkReason(s, run, error),
      o,
    );
  report(s, { ...o, ...(bounce ? { bounce } : {}), ...(error ? { error } : {}) });
  return response;
}

/**
 * SendBounce once per message and receipt rule: with the flow's `holdRecord`, the bounce is first claimed beside the
 * hold records ({@link claimBounce}), so a second invocation for the same message and rule (Lambda's retry of an
 * `Event` invocation or of a runtime that ended after its bounce went out, an event delivered twice, Mail Manager's
 * retry) does not bounce it again (fault round 80), and another rule's recipients are still bounced (fault round 81). A claim that cannot be written is a warning; the bounce is sent all the same.
 */
async function bounceOnce(
  s: SesSettings,
  answerBy: number,
  ses: SesMessage,
  sender: string,
  resolved: NonNullable<SesResolution['bounce']>,
  notes: string[],
  claimed: (at: string) => void,
): Promise<BounceOutcome> {
  const messageId = ses.mail.messageId;
  if (s.holdRecord) {
    // At most half of what is left, so a slow claim never takes the bounce's own time.
    const budget = Math.min(3000, (answerBy - Date.now()) / 2);
    const claim = await claimBounce(
      sesClients(s).s3,
      s.holdRecord,
      // Per receipt rule: one message matching two rules is invoked once for each rule's recipients (fault round 81).
      { messageId, recipients: resolved.recipients, ruleRecipients: ses.receipt.recipients },
      budget,
    );
    const at = `s3://${s.holdRecord.bucket}/${claim.key}`;
    if (claim.status !== 'error') claimed(at);
    if (claim.status === 'earlier')
      return {
        status: 'failed',
        reason: `an earlier invocation for this message already sent its bounce, or may have (${at} claims it): not sent again, as each call is a bounce`,
      };
    if (claim.status === 'error')
      notes.push(
        `the bounce could not be claimed under ${at} (${
          deniedByPolicy(claim.error, `PutObject ${at}`, 'the bounce is sent unclaimed') ?? claim.reason
        }): sent all the same; a second invocation for this message would bounce it again`,
      );
  }
  return sendBounce(sesClients(s).ses, {
    messageId,
    sender,
    ...(s.bounceSenderArn ? { senderArn: s.bounceSenderArn } : {}),
    bounce: resolved,
    timeoutMs: answerBy - Date.now(),
  });
}

function outcome(
  started: number,
  ses: SesMessage | undefined,
  run: SesRun | undefined,
  verdicts: Map<string, Verdict>,
  response: SesDisposition | undefined,
  resolution?: SesResolution,
  edit: EditOutcome = { status: 'none' },
): SesFlowOutcome {
  const added = run?.state.recipients.filter((r) => !ses?.receipt.recipients.includes(r)) ?? [];
  return {
    engine: 'ses',
    messageId: ses?.mail.messageId ?? '',
    invocationId: ses?.mail.messageId ?? '',
    direction: 'INBOUND',
    synchronous: true,
    truncated: false,
    verdicts: Object.fromEntries([...verdicts].map(([r, v]) => [r, verdictKey(v)])),
    applied: resolution?.applied ?? {},
    rulesFired: run?.state.fired.map((f) => f.rule) ?? [],
    fired: run?.state.fired ?? [],
    failures: run?.failures ?? [],
    deadlineHit: run?.deadlineHit ?? false,
    warnings: [
      ...(resolution?.notes ?? []),
      ...(added.length > 0 ? [`added recipients are not delivered on SES: ${added.join(', ')}`] : []),
      ...(edit.status === 'skipped' ? [edit.reason] : []),
    ],
    edit,
    durationMs: Date.now() - started,
    ...(response ? { response } : {}),
  };
}

/** Why verdicts answered STOP_RULE: the rules that settled MOVE_TO_JUNK (with their notes), through the junk policy. */
function junkReason(
  s: SesSettings,
  run: SesRun | undefined,
  error?: { name: string; message: string },
): string {
  const deciders = (run?.state.fired ?? []).filter(
    (f) => !f.audit && Object.values(f.settled).some((v) => v.startsWith('MOVE_TO_JUNK')),
  );
  const who = deciders.map((f) => (f.notes.length > 0 ? `${f.rule} (${f.notes.join('; ')})` : f.rule));
  const by = error
    ? `a rule failed (${error.name}: ${error.message}) and the flow's onError settled MOVE_TO_JUNK`
    : who.length > 0
      ? `${who.join(', ')} decided MOVE_TO_JUNK`
      : run?.deadlineHit
        ? 'the deadline guard answered before the chain ended, with the fallback MOVE_TO_JUNK'
        : 'the verdicts settled MOVE_TO_JUNK';
  return `${by}; the junk policy "${s.policy.junk}" holds it (STOP_RULE)`;
}

/**
 * Notes in the outcome why the message is held (STOP_RULE) and, with the flow's `holdRecord`, writes that beside the
 * stored message within SES's wait (fault round 70). Never throws, never changes the answer: a record that cannot be
 * written is a warning (the log still says why).
 */
async function hold(
  s: SesSettings,
  answerBy: number,
  messageId: string,
  cause: SesHoldCause,
  reason: string,
  o: SesFlowOutcome,
): Promise<void> {
  const held: NonNullable<SesFlowOutcome['held']> = { cause, reason: reasonLine(reason) };
  o.held = held;
  if (!s.holdRecord) return;
  const where = `s3://${s.holdRecord.bucket}/${s.holdRecord.keyPrefix}`;
  try {
    if (!messageId) throw new Error('the event names no message id to record it under');
    held.record = await writeHoldRecord(
      sesClients(s).s3,
      s.holdRecord,
      {
        version: 1,
        messageId,
        disposition: 'STOP_RULE',
        cause,
        reason: held.reason,
        heldAt: new Date().toISOString(),
      },
      answerBy - Date.now(),
    );
  } catch (error) {
    // A role without s3:PutObject on the records' prefix: said as the deployment's fault, with the policy to fix.
    held.recordError =
      deniedByPolicy(
        error,
        `PutObject ${where}${messageId}.json`,
        'the message is held (STOP_RULE) all the same',
      ) ?? `${(error as Error).name}: ${(error as Error).message}`;
    o.warnings.push(
      `why the message is held could not be recorded under ${where} (${held.recordError}): \`wmflow quarantine list\` will not show it; this log does`,
    );
  }
}

function describe(err: Error): { name: string; message: string } {
  return { name: err.name, message: err.message };
}

function report(s: SesSettings, o: SesFlowOutcome): void {
  if (o.error || o.bounce?.status === 'failed') s.logger.error('wmflow invocation', o);
  else if (o.deadlineHit || o.failures.length > 0 || o.warnings.length > 0)
    s.logger.warn('wmflow invocation', o);
  else s.logger.info('wmflow invocation', o);
  publishOutcome(o);
}
