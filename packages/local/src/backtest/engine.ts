import { open } from 'node:fs/promises';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome, type Verdict } from '@wmflow/core';
import type { LoadedHandler } from '../replay/handler.js';
import { runReplay } from '../replay/runner.js';
import type { S3Tracker } from '../replay/s3-tracker.js';
import type { ReplayResult } from '../replay/types.js';
import { CLOCK_SYMBOL, dateOf } from '../replay/virtual-clock.js';
import type { LocalStack } from '../stack.js';
import { compareOutcomes } from './compare.js';
import { recordedOutcome } from './metadata.js';
import type { BacktestItem, BacktestLine, PolicyOutcome } from './types.js';

/**
 * Settings of {@link createBacktester}.
 *
 * @example
 * ```ts
 * createBacktester({ stack, tracker, candidate, baseline: 'recorded', organizationDomains: ['corp.example'], timeoutMs: 15_000 });
 * ```
 */
export interface BacktesterOptions {
  stack: LocalStack;
  /** Records what handlers write to S3; its endpoint must be the handlers' `AWS_ENDPOINT_URL_S3`. */
  tracker: S3Tracker;
  candidate: LoadedHandler;
  /** The policy to compare with, or the verdicts recorded at journaling time. */
  baseline?: LoadedHandler | 'recorded';
  organizationDomains: readonly string[];
  timeoutMs: number;
  synchronous?: boolean;
  fallback?: Verdict;
}

/**
 * The backtest of one journaled message, shared by the local workers and the
 * Step Functions batch Lambda: replays it through the candidate (and the
 * baseline policy) with the replay runner, on the emulators, with the envelope
 * and direction recorded in its metadata, and compares the outcomes.
 *
 * @example
 * ```ts
 * const backtest = createBacktester(options);
 * const line = await backtest(await source.fetch(key));
 * ```
 */
export function createBacktester(options: BacktesterOptions): (item: BacktestItem) => Promise<BacktestLine> {
  return async (item) => {
    const started = performance.now();
    const { result, outcome, rateCounted } = await replayWith(options, options.candidate, item);
    const candidate = policyOutcome(options.candidate.label, result, outcome, rateCounted);
    const line: BacktestLine = {
      type: 'message',
      key: item.key,
      messageId: item.metadata?.messageId ?? '',
      direction: result.direction,
      mailFrom: result.mailFrom,
      recipients: result.recipients,
      envelope: item.metadata ? 'recorded' : 'derived',
      candidate,
      durationMs: 0,
    };
    const baseline = options.baseline;
    if (baseline === 'recorded' && item.metadata) line.baseline = recordedOutcome(item.metadata);
    else if (baseline && baseline !== 'recorded') {
      const other = await replayWith(options, baseline, item);
      line.baseline = policyOutcome(baseline.label, other.result, other.outcome, other.rateCounted);
    }
    if (line.baseline) line.diff = compareOutcomes(line.baseline, candidate);
    line.durationMs = Math.round(performance.now() - started);
    return line;
  };
}

async function replayWith(
  options: BacktesterOptions,
  handler: LoadedHandler,
  item: BacktestItem,
): Promise<{ result: ReplayResult; outcome: FlowOutcome | undefined; rateCounted: boolean }> {
  const outcomes = new Map<string, FlowOutcome>();
  const stop = onFlowOutcome((o) => outcomes.set(o.messageId, o));
  let result: ReplayResult | undefined;
  const recorded = item.metadata;
  // Rate rules count by the time the message was journaled (else its Date:), not by when it is replayed: a month
  // replayed in seconds is not one burst. Whether they read it tells the run its counts depend on the order.
  const at = await journalTime(item);
  let rateCounted = false;
  const clocks = globalThis as Record<symbol, unknown>;
  const before = clocks[CLOCK_SYMBOL];
  clocks[CLOCK_SYMBOL] = () => {
    rateCounted = true;
    return at;
  };
  try {
    await runReplay({
      files: [item.path],
      handler,
      stack: options.stack,
      tracker: options.tracker,
      ...(recorded
        ? {
            direction: recorded.direction,
            mailFrom: recorded.envelope.mailFrom,
            recipients: recorded.envelope.recipients,
          }
        : {}),
      organizationDomains: options.organizationDomains,
      ...(options.synchronous !== undefined ? { synchronous: options.synchronous } : {}),
      timeoutMs: options.timeoutMs,
      ...(options.fallback ? { fallback: options.fallback } : {}),
      onResult: (r) => {
        result = r;
      },
    });
  } finally {
    stop();
    if (before === undefined) delete clocks[CLOCK_SYMBOL];
    else clocks[CLOCK_SYMBOL] = before;
  }
  if (!result) throw new Error(`backtest: no result for ${item.key}`);
  await forgetObjects(options.stack, [...result.journaled, ...(result.rewritten ? [result.rewritten] : [])]);
  return { result, outcome: outcomes.get(result.messageId), rateCounted };
}

/** When the message was journaled; without metadata, its `Date:` header; else now. */
async function journalTime(item: BacktestItem): Promise<number> {
  const journaled = item.metadata?.journaledAt ? Date.parse(item.metadata.journaledAt) : Number.NaN;
  if (Number.isFinite(journaled)) return journaled;
  const file = await open(item.path, 'r');
  try {
    const head = Buffer.alloc(65_536);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return dateOf(head.subarray(0, bytesRead)) ?? Date.now();
  } finally {
    await file.close();
  }
}

function policyOutcome(
  label: string,
  result: ReplayResult,
  outcome: FlowOutcome | undefined,
  rateCounted = false,
): PolicyOutcome {
  const edit = outcome?.edit ?? { status: 'none' as const };
  return {
    label,
    verdicts: result.verdicts,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    rulesFired: result.rulesFired,
    edit: {
      status: edit.status,
      changes: 'changes' in edit && edit.changes ? edit.changes : [],
      ...('reason' in edit ? { reason: edit.reason } : {}),
    },
    failures: (outcome?.failures ?? []).map((f) => ({ rule: f.rule, error: f.error })),
    error: result.error,
    ...(rateCounted ? { rateCounted: true as const } : {}),
  };
}

/** Long backtests keep the local S3 small: what a policy wrote for a message is gone after it. */
async function forgetObjects(stack: LocalStack, uris: readonly string[]): Promise<void> {
  for (const uri of uris) {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) continue;
    await stack.s3
      .send(new DeleteObjectCommand({ Bucket: match[1] as string, Key: match[2] as string }))
      .catch(() => undefined);
  }
}
