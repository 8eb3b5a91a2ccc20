import { basename, extname, join } from 'node:path';
import { type Direction, readResponse, type Verdict, verdictKey } from '@wmflow/core';
import { MessageHeaders } from '@wmflow/core/mime';
import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '../stack.js';
import { compareOutcome } from './check.js';
import { describeRewrite } from './diff.js';
import { deriveEnvelope, headerBlock, inferDirection } from './envelope.js';
import type { Expectation, ExpectationBook } from './expect.js';
import type { LoadedHandler } from './handler.js';
import { describeError, type Invocation, invokeOnce } from './invoke.js';
import { writeOutFile } from './out-dir.js';
import { auditedOf, editOf, failuresOf, pinnedBy } from './problems.js';
import { readFixture } from './read-fixture.js';
import { displayPath, failedResult } from './result-basics.js';
import type { S3Tracker } from './s3-tracker.js';
import { replayOneSes, type SesReplayOptions } from './ses-replay.js';
import { emptySummary, type MessageOutcome, type ReplaySummary, tally } from './summary.js';
import type { ReplayResult } from './types.js';

export type { ReplaySummary } from './summary.js';
export { displayPath, failedResult };

/**
 * Settings of {@link runReplay}.
 *
 * @example
 * ```ts
 * await runReplay({ files, handler, stack, organizationDomains: ['corp.example'], timeoutMs: 15_000, onResult });
 * ```
 */
export interface ReplayOptions {
  files: AsyncIterable<string> | Iterable<string>;
  handler: LoadedHandler;
  stack: LocalStack;
  /** Records what handlers write to S3; its endpoint must be the handler's `AWS_ENDPOINT_URL_S3`. */
  tracker: S3Tracker;
  /** Direction of every message; else the expectation's, else inferred ({@link inferDirection}). */
  direction?: Direction;
  mailFrom?: string;
  recipients?: readonly string[];
  organizationDomains: readonly string[];
  /** The rule's mode; undefined: what a wmflow handler reports, else synchronous. */
  synchronous?: boolean;
  timeoutMs: number;
  /** The rule's fallback action (applied when the invocation fails). Default DEFAULT. */
  fallback?: Verdict;
  /** Where rewrites, their diffs and S3 copies go. */
  outDir?: string;
  expectations?: ExpectationBook;
  /** Compare outcomes with expectations. */
  check?: boolean;
  /** Stops the run before the next message (SIGINT, closed stdout). */
  signal?: AbortSignal;
  /** Invocations that fail are retried (same event, as WorkMail does) up to this many times. Default 0. */
  retries?: number;
  /** Replays on SES receipt rules instead of WorkMail (`--engine ses`): where messages are stored, verdicts. */
  ses?: SesReplayOptions;
  /** Called with each message's bytes just before the handler runs (the virtual clock moves here). */
  beforeInvoke?(message: Buffer): void;
  /** Called once per message, in order, as soon as it is done. */
  onResult(result: ReplayResult): void | Promise<void>;
}

/**
 * Replays each file through the handler on the local stack: synthesizes the
 * WorkMail event, loads the message into the emulator, invokes the handler,
 * reads the response as WorkMail would, and reports what happened. Keeps only
 * totals between messages.
 *
 * @example
 * ```ts
 * const summary = await runReplay({ ...options, onResult: (r) => console.log(JSON.stringify(r)) });
 * ```
 */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  options.tracker.created();
  const names = new Set<string>();
  const summary = emptySummary();
  for await (const file of options.files) {
    if (options.signal?.aborted) break;
    const outcome = await replayFile(options, file, names);
    tally(summary, outcome);
    await options.onResult(outcome.result);
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * Replays one file (a `wmflow replay -j N` worker calls this per message); `names` keeps the names of
 * rewrites written to `outDir` unique.
 *
 * @example
 * ```ts
 * const { result } = await replayFile(options, 'samples/eml/01-plain.eml', new Set());
 * ```
 */
export function replayFile(
  options: Omit<ReplayOptions, 'files' | 'onResult'>,
  file: string,
  names: Set<string>,
): Promise<MessageOutcome> {
  if (!options.ses) return replayOne(options, file, options.tracker, names);
  return replayOneSes(options, file, displayPath(file), options.ses).catch((error: unknown) => ({
    result: failedResult(displayPath(file), describeError(error), performance.now()),
    errorExpected: false,
    pinned: pinnedBy(undefined, false),
  }));
}

async function replayOne(
  options: Omit<ReplayOptions, 'files' | 'onResult'>,
  file: string,
  tracker: S3Tracker,
  names: Set<string>,
): Promise<MessageOutcome> {
  const started = performance.now();
  const shown = displayPath(file);
  const expectation = await options.expectations?.lookup(file);
  let bytes: Buffer;
  try {
    // Synchronously: nothing else runs between two messages, and an asynchronous read is four hand-offs to
    // libuv's pool (open, stat, read, close) whose wake-ups, with -j N, take CPU from the other workers.
    bytes = readFixture(file);
  } catch (error) {
    return {
      result: failedResult(shown, describeError(error), started),
      errorExpected: false,
      pinned: pinnedBy(undefined, false),
    };
  }
  const domains = options.organizationDomains;
  const envelope = deriveEnvelope(bytes, {
    direction: options.direction ?? 'INBOUND',
    organizationDomains: domains,
  });
  const direction =
    options.direction ?? expectation?.direction ?? inferDirection(bytes, envelope.mailFrom, domains);
  const derived =
    direction === 'INBOUND' ? envelope : deriveEnvelope(bytes, { direction, organizationDomains: domains });
  const mailFrom = options.mailFrom ?? expectation?.mailFrom ?? derived.mailFrom;
  const recipients = [
    ...(options.recipients?.length ? options.recipients : (expectation?.recipients ?? derived.recipients)),
  ];
  const messageId = options.stack.flow.load(bytes);
  const event = makeFlowEvent({
    direction,
    mailFrom,
    recipients,
    subject: derived.subject,
    messageId,
    ...(derived.sender ? { sender: derived.sender } : {}),
  });
  options.beforeInvoke?.(bytes);
  let invocation = await invokeOnce(options.handler, event, {
    timeoutMs: options.timeoutMs,
    functionName: options.handler.label,
  });
  let retried = 0;
  while (invocation.failure && retried < (options.retries ?? 0)) {
    retried++;
    invocation = await invokeOnce(options.handler, event, {
      timeoutMs: options.timeoutMs,
      functionName: options.handler.label,
    });
  }
  const synchronous = options.synchronous ?? invocation.outcome?.synchronous ?? true;
  const skipped = otherDirection(invocation.outcome?.error);
  const interpreted = interpret(invocation, recipients, direction, synchronous, options.fallback);
  const { verdicts, error } = skipped ? { verdicts: {}, error: null } : interpreted;

  const history = options.stack.flow.history(messageId);
  const staged = new Set(
    history.flatMap((v) => (typeof v.source === 'string' ? [] : [`${v.source.bucket}/${v.source.key}`])),
  );
  const created = tracker.created();
  const committed = synchronous && history.length > 1 ? history.at(-1) : undefined;
  let rewritten: string | null = null;
  if (committed && typeof committed.source !== 'string')
    rewritten = `s3://${committed.source.bucket}/${committed.source.key}`;
  if (options.outDir) {
    for (const object of created) await tracker.copyTo(options.outDir, object);
    if (committed) {
      const name = uniqueName(names, basename(file, extname(file)));
      rewritten = join(options.outDir, `${name}.eml`);
      await writeOutFile(rewritten, committed.content);
      const changes = invocation.outcome?.edit.status === 'committed' ? invocation.outcome.edit.changes : [];
      await writeOutFile(
        join(options.outDir, `${name}.diff`),
        describeRewrite(basename(file), bytes, committed.content, changes),
      );
    }
  }
  const result: ReplayResult = {
    file: shown,
    messageId,
    direction,
    synchronous,
    mailFrom,
    recipients,
    verdicts,
    rulesFired: invocation.outcome?.rulesFired ?? [],
    ...(auditedOf(invocation.outcome) ? { audited: auditedOf(invocation.outcome) } : {}),
    rewritten,
    journaled: created
      .filter((o) => !staged.has(`${o.bucket}/${o.key}`))
      .map((o) => `s3://${o.bucket}/${o.key}`),
    error,
    durationMs: Math.round(performance.now() - started),
    check: null,
    ...(options.retries ? { retried } : {}),
    failures: failuresOf(invocation.outcome),
    edit: editOf(invocation.outcome),
    deadlineHit: invocation.outcome?.deadlineHit ?? false,
    ...(skipped ? { skipped } : {}),
  };
  if (options.check && expectation) {
    const delivered = new MessageHeaders(headerBlock((committed ?? history[0])?.content ?? Buffer.alloc(0)));
    const differences = compareOutcome(expectation satisfies Expectation, result, delivered);
    result.check = { ok: differences.length === 0, differences };
  }
  // Done with this message: long replays keep the emulator's memory bounded.
  options.stack.flow.forget(messageId);
  const declared = expectation?.error !== undefined && expectation.error !== false;
  const met = result.check?.ok === true;
  const pinned = pinnedBy(expectation, met);
  if (result.check) result.check.pinned = pinned;
  return { result, errorExpected: met && declared, pinned };
}

// The flow's refusal of an event of the other direction (core's runInvocation): WorkMail would not have
// sent this message to a rule set up for that direction, so replay skips it rather than report an error.
const OTHER_DIRECTION = /this flow handles (INBOUND|OUTBOUND) mail but got/;

function otherDirection(error: { name: string; message: string } | undefined): string | undefined {
  const m = error?.name === 'ConfigError' ? OTHER_DIRECTION.exec(error.message) : null;
  return m ? `the handler is for ${m[1]} mail only` : undefined;
}

/** Verdicts as WorkMail would apply them, and the error to report, if any. */
function interpret(
  invocation: Invocation,
  recipients: readonly string[],
  direction: Direction,
  synchronous: boolean,
  fallback: Verdict = { type: 'DEFAULT' },
): { verdicts: Record<string, string>; error: ReplayResult['error'] } {
  const all = (verdict: Verdict) => Object.fromEntries(recipients.map((r) => [r, verdictKey(verdict)]));
  // Rule failures are reported apart (`failures`, exit 1 unless pinned or --allow-failures), not as errors.
  const flowError = invocation.outcome?.error ?? null;
  if (invocation.failure)
    return { verdicts: all(synchronous ? fallback : { type: 'DEFAULT' }), error: invocation.failure };
  if (!synchronous) return { verdicts: all({ type: 'DEFAULT' }), error: flowError };
  const reading = readResponse(invocation.response, recipients, direction, fallback);
  const verdicts = Object.fromEntries([...reading.verdicts].map(([r, v]) => [r, verdictKey(v)]));
  if (reading.problems.length > 0) {
    // An sesFlow handler answers { disposition }: say which engine it is for, not only what is missing.
    const ses = typeof (invocation.response as { disposition?: unknown } | null)?.disposition === 'string';
    const hint = ses ? ' (an SES receipt rule answer: replay an sesFlow handler with --engine ses)' : '';
    return { verdicts, error: { name: 'InvalidResponse', message: reading.problems.join('; ') + hint } };
  }
  return { verdicts, error: flowError };
}

/** `base`, or `base-N`, whichever no other rewrite took, ignoring case (one file on macOS and Windows; round 75). */
function uniqueName(names: Set<string>, base: string): string {
  let name = base;
  for (let i = 2; names.has(name.toLowerCase()); i++) name = `${base}-${i}`;
  names.add(name.toLowerCase());
  return name;
}
