import type { RuleFailure } from './chain.js';
import type { EditOutcome } from './edit-outcome.js';
import type { FiredRule } from './state.js';

/**
 * What one invocation did: logged as one structured line, and handed to
 * {@link onFlowOutcome} listeners (the local replay runner uses it).
 */
export type FlowOutcome<R = EngineResponse> = {
  /** The engine that ran the flow (`workmail`, `ses`); absent in records of older versions. */
  engine?: string;
  messageId: string;
  invocationId: string;
  direction: string;
  synchronous: boolean;
  /** True when the event's recipient list was incomplete. */
  truncated: boolean;
  /** Final verdict per recipient: the verdict type, `BOUNCE:<message>` for bounces. */
  verdicts: Record<string, string>;
  /** Names of the rules that settled something or noted a reason, in order. */
  rulesFired: string[];
  /** Each firing rule's decisions and notes (audit-mode rules included, flagged). */
  fired: FiredRule[];
  failures: RuleFailure[];
  /** True when the deadline guard answered before the chain ended. */
  deadlineHit: boolean;
  warnings: string[];
  /** What happened to queued edits: none, committed (with the S3 key), skipped or failed (with the reason). */
  edit: EditOutcome;
  durationMs: number;
  /** The response returned to the engine (undefined for asynchronous flows or when the invocation threw). */
  response?: R;
  /** Set when the invocation failed as a whole (invalid event, rethrown rule error). */
  error?: { name: string; message: string };
};

/**
 * What an engine's adapter returns to the engine: WorkMail's `{ actions }` or SES's `{ disposition }`.
 * Engine-neutral code treats it as opaque; each adapter narrows it (`FlowOutcome<FlowResponse>`).
 */
export type EngineResponse = { readonly actions: readonly unknown[] } | { readonly disposition: string };

type Listener = (outcome: FlowOutcome) => void;
// Kept on globalThis so a bundled copy of wmflow and the replay runner see the same listeners.
const LISTENERS = Symbol.for('wmflow.outcome-listeners');

function listeners(): Set<Listener> {
  const g = globalThis as { [LISTENERS]?: Set<Listener> };
  g[LISTENERS] ??= new Set();
  return g[LISTENERS];
}

/**
 * Subscribes to every flow outcome in this process; returns the unsubscribe function.
 *
 * @example
 * ```ts
 * const stop = onFlowOutcome((o) => console.log(o.messageId, o.verdicts));
 * await handler(event, context);
 * stop();
 * ```
 */
export function onFlowOutcome(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function publishOutcome(outcome: FlowOutcome): void {
  for (const listener of listeners()) listener(outcome);
}
