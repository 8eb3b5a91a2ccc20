import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext } from '@wmflow/core/testing';
import { runLeftAtOnce } from './at-once.js';
import type { LoadedHandler } from './handler.js';
import { TIMED_OUT_GRACE_MS } from './timed-out-grace.js';

/**
 * What one invocation gave: the response (or the failure) and, for wmflow
 * handlers, the outcome they published.
 *
 * @example
 * ```ts
 * const { response, failure, outcome } = await invokeOnce(loaded, event, { timeoutMs: 15_000 });
 * ```
 */
export interface Invocation {
  response: unknown;
  failure?: { name: string; message: string };
  outcome?: FlowOutcome;
}

/**
 * Invokes a handler with a Lambda-like context whose remaining time counts down
 * from `timeoutMs`, and gives up at that time as Lambda would. A throw, a
 * rejection or a timeout is a `failure`; the run goes on either way. A handler that did not answer in time is
 * waited for as long again (at most {@link TIMED_OUT_GRACE_MS}) before this returns, so that what it still
 * writes is reported with its own message, not the next one's (Lambda ends a timed-out invocation; replay cannot;
 * fault round 49); still running then, its failure says so.
 *
 * @example
 * ```ts
 * await invokeOnce(loaded, event, { timeoutMs: 15_000, functionName: 'guard' });
 * ```
 */
export async function invokeOnce(
  handler: LoadedHandler,
  event: object,
  options: { timeoutMs: number; functionName?: string; messageId?: string },
): Promise<Invocation> {
  let outcome: FlowOutcome | undefined;
  // A WorkMail event carries its message id; an SES event's is nested, so the caller names it.
  const messageId = options.messageId ?? (event as { messageId?: string }).messageId;
  const stop = onFlowOutcome((o) => {
    if (o.messageId === messageId) outcome = o;
  });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const context = lambdaContext({
    timeoutMs: options.timeoutMs,
    functionName: options.functionName ?? 'wmflow-replay',
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      const error = new Error(`the handler did not answer within ${options.timeoutMs} ms`);
      error.name = 'HandlerTimeout';
      reject(error);
    }, options.timeoutMs);
  });
  let invoked: Promise<unknown> | undefined;
  let invocation: Invocation;
  try {
    invoked = Promise.resolve(handler.invoke(event, context));
    const response = await Promise.race([invoked, timeout]);
    invocation = outcome ? { response, outcome } : { response };
  } catch (error) {
    const failure = describeError(error);
    invocation = outcome ? { response: undefined, failure, outcome } : { response: undefined, failure };
  } finally {
    clearTimeout(timer);
    stop();
  }
  // What the handler left to run at once (setImmediate, zero-delay timers) runs now, with its message: an exit
  // there ends the run on this message, as in a worker and in Lambda, not on a later one (fault round 95).
  await runLeftAtOnce();
  if (!timedOut || !invoked || !invocation.failure) return invocation;
  const graceMs = Math.min(options.timeoutMs, TIMED_OUT_GRACE_MS);
  if (await endsWithin(invoked, graceMs)) return invocation;
  const message = `${invocation.failure.message}; it was still running ${graceMs} ms later: what it writes from then on may be reported with the following messages`;
  return { ...invocation, failure: { ...invocation.failure, message } };
}

// Whether `running` settles (either way) within `ms`.
async function endsWithin(running: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    running.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return ended;
}

/** `{ name, message }` of anything thrown. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'NonErrorThrown', message: safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
