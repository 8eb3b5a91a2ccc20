import { type FlowOutcome, onFlowOutcome } from '@wmflow/core';
import { lambdaContext } from '@wmflow/core/testing';
import type { LoadedHandler } from './handler.js';

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
 * rejection or a timeout is a `failure`; the run goes on either way.
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
  const context = lambdaContext({
    timeoutMs: options.timeoutMs,
    functionName: options.functionName ?? 'wmflow-replay',
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the handler did not answer within ${options.timeoutMs} ms`);
      error.name = 'HandlerTimeout';
      reject(error);
    }, options.timeoutMs);
  });
  try {
    const response = await Promise.race([handler.invoke(event, context), timeout]);
    return outcome ? { response, outcome } : { response };
  } catch (error) {
    const failure = describeError(error);
    return outcome ? { response: undefined, failure, outcome } : { response: undefined, failure };
  } finally {
    clearTimeout(timer);
    stop();
  }
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
