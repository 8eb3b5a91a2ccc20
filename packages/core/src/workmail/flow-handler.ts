import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { DeadlineError, EventValidationError, RuleError, WmflowError } from '../errors.js';
import { type FlowOutcome, publishOutcome } from '../flow/outcome.js';
import { isTransient } from '../transient.js';
import { type Verdict, Verdicts, verdictKey } from '../verdicts.js';
import type { Direction, FlowEvent } from './event.js';
import { checkOptions, type FlowOptions, legalFor, type Settings } from './flow-settings.js';
import { type Invocation, runInvocation } from './invocation.js';
import type { FlowAction, FlowResponse } from './response.js';
import { parseFlowEvent } from './validate-event.js';

/** The Lambda handler {@link flow} returns: a middy handler, so users may `.use()` more middleware. */
export type FlowHandler = MiddyfiedHandler<unknown, FlowResponse | undefined, Error, Context>;

/**
 * Builds the Lambda handler for a WorkMail "Run Lambda" rule from a chain of rules.
 * Every recipient starts open; rules settle verdicts; open recipients get DEFAULT
 * at the end. The response is the fewest WorkMail actions expressing the verdicts;
 * queued edits are committed with one PutRawMessageContent. One structured log
 * line per invocation records what happened.
 *
 * @example
 * ```ts
 * export const handler = flow({
 *   direction: 'INBOUND',
 *   organizationDomains: ['corp.example'],
 *   rules: [rule('no-wire-fraud', (ctx) => {
 *     if (/URGENT WIRE TRANSFER/i.test(ctx.subject)) ctx.settle(Verdicts.DROP);
 *   })],
 * });
 * ```
 */
export function flow(options: FlowOptions<'INBOUND'> & { direction: 'INBOUND' }): FlowHandler;
export function flow(options: FlowOptions<'OUTBOUND'> & { direction: 'OUTBOUND' }): FlowHandler;
// A literal direction matches one of the signatures above, which type inline rules by it (contextual
// typing); this one takes flows without a direction, or with one known only at run time.
export function flow<D extends Direction = Direction>(
  options: FlowOptions<D> & { direction?: Direction extends D ? D : never },
): FlowHandler;
export function flow(options: FlowOptions<Direction>): FlowHandler {
  const settings = checkOptions(options);
  return middy<unknown, FlowResponse | undefined, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(
    (event: unknown, context: Context) => invoke(settings, event, context),
  );
}

async function invoke(s: Settings, input: unknown, context: Context): Promise<FlowResponse | undefined> {
  const started = Date.now();
  let event: FlowEvent | undefined;
  try {
    event = parseFlowEvent(input);
    if (s.requireRecipients && event.envelope.recipients.length === 0) {
      throw new EventValidationError('envelope.recipients', 'at least one recipient', []);
    }
    const result = await runInvocation(s, event, context);
    const response = s.synchronous ? result.response : undefined;
    report(s, outcome(s, started, event, result, response));
    return response;
  } catch (error) {
    const err = error instanceof Error ? error : new WmflowError(String(error));
    // A rule that asked to rethrow fails the invocation, so WorkMail retries, whatever the flow's policy.
    // So does a transient failure outside any rule (the update's commit, a message that could not be read).
    const policy =
      (err instanceof RuleError && err.rethrow) ||
      err instanceof DeadlineError ||
      (isTransient(err) && s.transientErrors === 'fail-invocation')
        ? 'rethrow'
        : err instanceof EventValidationError
          ? s.onInvalidEvent
          : s.onError;
    const closed = policy === 'rethrow' || policy === 'fail-open' ? Verdicts.DEFAULT : policy.failClosed;
    const fallback =
      policy === 'rethrow'
        ? undefined
        : { actions: [wholeMessage(legalFor(closed, event?.flowDirection ?? directionOf(input)))] };
    report(s, {
      ...outcome(s, started, event, undefined, fallback),
      error: { name: err.name, message: err.message },
    });
    if (!fallback) throw err;
    return s.synchronous ? fallback : undefined;
  }
}

// An event that failed validation may still say its direction; without one, only verdicts legal both ways are used.
function directionOf(input: unknown): Direction {
  return (input as { flowDirection?: unknown } | null)?.flowDirection === 'INBOUND' ? 'INBOUND' : 'OUTBOUND';
}

function wholeMessage(verdict: Verdict): FlowAction {
  return verdict.type === 'BOUNCE'
    ? { action: { type: 'BOUNCE', parameters: { bounceMessage: verdict.message } }, allRecipients: true }
    : { action: { type: verdict.type }, allRecipients: true };
}

function outcome(
  s: Settings,
  started: number,
  event: FlowEvent | undefined,
  result: Invocation | undefined,
  response: FlowResponse | undefined,
): FlowOutcome<FlowResponse> {
  const verdicts: Record<string, string> = {};
  if (result) {
    for (const [address, v] of result.state.final(
      result.deadlineHit ? legalFor(s.fallback, result.state.init.direction) : Verdicts.DEFAULT,
    )) {
      verdicts[address] = verdictKey(v);
    }
  }
  return {
    engine: 'workmail',
    messageId: event?.messageId ?? '',
    invocationId: event?.invocationId ?? '',
    direction: event?.flowDirection ?? '',
    synchronous: s.synchronous,
    truncated: event?.truncated ?? false,
    verdicts,
    rulesFired: result?.state.fired.map((f) => f.rule) ?? [],
    fired: result?.state.fired ?? [],
    failures: result?.failures ?? [],
    deadlineHit: result?.deadlineHit ?? false,
    warnings: result?.warnings ?? [],
    edit: result?.edit ?? { status: 'none' },
    durationMs: Date.now() - started,
    response,
  };
}

function report(s: Settings, o: FlowOutcome<FlowResponse>): void {
  if (o.error || o.edit.status === 'failed' || o.edit.status === 'unknown')
    s.logger.error('wmflow invocation', o);
  else if (o.deadlineHit || o.failures.length > 0 || o.edit.status === 'skipped')
    s.logger.warn('wmflow invocation', o);
  else s.logger.info('wmflow invocation', o);
  publishOutcome(o);
}
