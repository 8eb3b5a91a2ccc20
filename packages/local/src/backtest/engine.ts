import { open } from 'node:fs/promises';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome, type Verdict } from '@wmflow/core';
import { deriveEnvelope, inferDirection } from '../replay/envelope.js';
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
  /** Where an sesFlow policy finds each message, as its receipt rule's S3 action would have stored it. */
  stored?: { bucket: string; keyPrefix: string };
}

/** Where an sesFlow policy's messages are stored when the backtest's settings name no place. */
export const BACKTEST_STORED = { bucket: 'wmflow-inbound', keyPrefix: 'inbound/' } as const;

/**
 * The backtest of one journaled message, shared by the local workers and the
 * Step Functions batch Lambda: replays it through the candidate (and the
 * baseline policy) with the replay runner, on the emulators, with the envelope
 * and direction recorded in its metadata, and compares the outcomes. An
 * sesFlow policy is replayed on SES receipt rules (stored, then the Lambda
 * action's event); it skips sent mail, which receipt rules never see.
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
  if (handler.engine === 'ses' && (await directionOf(item, options)) === 'OUTBOUND')
    return { result: notReceived(item), outcome: undefined, rateCounted: false };
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
      ...(handler.engine === 'ses' ? { ses: options.stored ?? BACKTEST_STORED } : {}),
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

/** The recorded direction; without metadata, as replay infers it from the sender's domain. */
async function directionOf(item: BacktestItem, options: BacktesterOptions): Promise<'INBOUND' | 'OUTBOUND'> {
  if (item.metadata) return item.metadata.direction;
  const bytes = await head(item, 1024 * 1024);
  const { mailFrom } = deriveEnvelope(bytes, {
    direction: 'INBOUND',
    organizationDomains: options.organizationDomains,
  });
  return inferDirection(bytes, mailFrom, options.organizationDomains);
}

/** A sent message for an SES policy: receipt rules see received mail only, so it is delivered as it was. */
function notReceived(item: BacktestItem): ReplayResult {
  return {
    file: item.path,
    messageId: item.metadata?.messageId ?? '',
    direction: 'OUTBOUND',
    synchronous: true,
    mailFrom: item.metadata?.envelope.mailFrom ?? '',
    recipients: item.metadata?.envelope.recipients ?? [],
    verdicts: {},
    skipped: 'sent mail: SES receipt rules see received mail only',
    rulesFired: [],
    rewritten: null,
    journaled: [],
    error: null,
    durationMs: 0,
    check: null,
    failures: [],
    edit: { status: 'none' },
    deadlineHit: false,
  };
}

/** When the message was journaled; without metadata, its `Date:` header; else now. */
async function journalTime(item: BacktestItem): Promise<number> {
  const journaled = item.metadata?.journaledAt ? Date.parse(item.metadata.journaledAt) : Number.NaN;
  if (Number.isFinite(journaled)) return journaled;
  return dateOf(await head(item, 65_536)) ?? Date.now();
}

/** The first `size` bytes of the message (its header block, for what is read from it). */
async function head(item: BacktestItem, size: number): Promise<Buffer> {
  const file = await open(item.path, 'r');
  try {
    const start = Buffer.alloc(size);
    const { bytesRead } = await file.read(start, 0, start.length, 0);
    return start.subarray(0, bytesRead);
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
