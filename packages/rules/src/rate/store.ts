import { createHash } from 'node:crypto';
import type { AttributeValue, DynamoDBClient, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { lazyModule, WmflowError } from '@wmflow/core';
import {
  type CountRequest,
  continueWindow,
  holdUntil,
  openWindow,
  peek,
  readSlots,
  type SlotState,
} from './expressions.js';

// Loaded on first use: a function whose settings use no rate rule never loads the DynamoDB client.
const loadDynamoDB = lazyModule(() => import('./dynamodb-commands.js'));

/** Why the counter store could not answer. */
export type RateStoreFailure = 'unavailable' | 'throttled' | 'timeout' | 'contention';

/**
 * The counter store (DynamoDB) could not count: unreachable, throttling, too slow, or the item kept
 * changing under it. Rate rules catch it and apply their `onStoreError` policy.
 *
 * @example
 * ```ts
 * try { await store.count(request); } catch (e) { if (e instanceof RateStoreError) console.log(e.reason); }
 * ```
 */
export class RateStoreError extends WmflowError {
  override name = 'RateStoreError';
  constructor(
    readonly reason: RateStoreFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What one count returned. */
export interface CountResult {
  /** This invocation's rank in its window (1 for the first); the same on a retry. */
  count: number;
  /**
   * Count of the window just before (0 when that window had none). 0 too for a retry counted in an earlier window
   * (answered by its rank there, as it was counted: fault round 80).
   */
  previousCount: number;
  /** Storm hold end (ms since the epoch), 0 when none. */
  until: number;
  /** True when this invocationId had been counted before (a WorkMail retry). */
  retry: boolean;
}

/** Settings of {@link CounterStore}. */
export interface CounterStoreOptions {
  table: string;
  /** Client to use; default one shared client per cold start (`maxAttempts: 2`). */
  client?: DynamoDBClient;
  /** Gives up on a count after this long (ms). Default 1500. */
  timeoutMs?: number;
}

/** One client per cold start, created on first use (it honours `AWS_ENDPOINT_URL_DYNAMODB`). */
let sharedClient: DynamoDBClient | undefined;

/** Forgets the shared DynamoDB client (tests that point `AWS_ENDPOINT_URL_DYNAMODB` elsewhere between files). */
export function resetSharedCounterClient(): void {
  sharedClient = undefined;
}
const CACHE_LIMIT = 10_000;
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/**
 * Atomic windowed counters in a DynamoDB table (partition key `pk`, TTL attribute `ttl`), through
 * UpdateItem only. Usually one request per count: the first count of a window opens its slot,
 * later ones continue it; a wrong guess, a race for the slot or a retry costs one more request
 * (a read through a no-op UpdateItem) and one more try.
 *
 * @example
 * ```ts
 * const store = new CounterStore({ table: 'wmflow-rate' });
 * const { count } = await store.count({ pk: 'limit#sender:a@corp.example', window: 29_000_000, marker: 'h', ttl: 1 });
 * ```
 */
export class CounterStore {
  /** Requests sent so far (what the bench reports as round trips). */
  requests = 0;
  /** Per key, the window this instance last counted in and the count it saw (a bounded LRU). */
  private readonly open = new Map<string, { window: number; count: number }>();
  private readonly timeoutMs: number;

  constructor(private readonly options: CounterStoreOptions) {
    this.timeoutMs = options.timeoutMs ?? 1500;
  }

  /**
   * Counts `invocation` once under `pk` in `window`. Past `markBelow` (the rule's limit) in this window,
   * as this instance last saw it, the invocation's marker is no longer recorded: counts only grow within a
   * window, so such a message is refused whether counted once or twice, and the item stays small however
   * big the storm (markers of allowed messages are still checked, so their retries keep their answer).
   */
  async count(
    request: Omit<CountRequest, 'marker' | 'table' | 'mark'> & { invocation: string; markBelow?: number },
    signal?: AbortSignal,
  ): Promise<CountResult> {
    const budget = this.deadline(signal);
    try {
      return await this.counted(request, budget.signal);
    } finally {
      budget.done();
    }
  }

  private async counted(
    request: Omit<CountRequest, 'marker' | 'table' | 'mark'> & { invocation: string; markBelow?: number },
    signal: AbortSignal,
  ): Promise<CountResult> {
    const seen = this.open.get(request.pk);
    const over =
      seen?.window === request.window && seen.count >= (request.markBelow ?? Number.POSITIVE_INFINITY);
    let r: CountRequest = {
      table: this.options.table,
      pk: request.pk,
      window: request.window,
      ttl: request.ttl,
      marker: markerOf(request.invocation),
      mark: !over,
    };
    let guess: 'continue' | 'open' = seen?.window === r.window ? 'continue' : 'open';
    for (let attempt = 0; attempt < 5; attempt++) {
      const input = guess === 'continue' ? continueWindow(r) : openWindow(r);
      const out = await this.send(input, signal, true);
      if (out) {
        const s = answered(out, r, true);
        this.remember(r.pk, r.window, s.count);
        return { count: s.count, previousCount: previous(s, r.window), until: s.until, retry: false };
      }
      // Lost the race to open the slot: it now holds this window, so continue it (no read needed).
      if (guess === 'open' && attempt === 0) {
        guess = 'continue';
        continue;
      }
      const s = answered((await this.send(peek(r), signal, false)) ?? {}, r, false);
      if (s.window === r.window && s.rank !== undefined) {
        return { count: s.rank, previousCount: previous(s, r.window), until: s.until, retry: true };
      }
      // Counted in the other slot: a WorkMail retry that arrived once the window had turned (or an instance whose clock
      // was a window ahead counted it). Counted again here, one message would take two places in the sliding estimate,
      // and the sender's next message under its limit was refused (fault round 80). It is answered as it was counted:
      // its rank in that window, nothing weighed beside it (a retry later in a window weighs less, never more).
      if (s.otherRank !== undefined) {
        return { count: s.otherRank, previousCount: 0, until: s.until, retry: true };
      }
      // Another instance's clock is a window ahead: count in its window rather than reset it.
      if (s.window !== undefined && s.window > r.window) r = { ...r, window: s.window };
      guess = s.window !== undefined && s.window >= r.window ? 'continue' : 'open';
    }
    throw new RateStoreError('contention', `counter ${r.pk} kept changing; gave up after 5 tries`);
  }

  /** Extends a storm hold on `pk` to `until` (ms since the epoch). */
  async hold(pk: string, until: number, ttl: number, signal?: AbortSignal): Promise<void> {
    const budget = this.deadline(signal);
    try {
      await this.send(holdUntil({ table: this.options.table, pk, ttl }, until), budget.signal, true);
    } finally {
      budget.done();
    }
  }

  /** The attributes returned, or undefined when the condition failed (and `conditional` is set). */
  private async send(
    input: UpdateItemCommandInput,
    signal: AbortSignal,
    conditional: boolean,
  ): Promise<Record<string, AttributeValue> | undefined> {
    this.requests++;
    try {
      const { DynamoDBClient, UpdateItemCommand } = await loadDynamoDB();
      if (!this.options.client) sharedClient ??= new DynamoDBClient({ maxAttempts: 2 });
      const client = this.options.client ?? (sharedClient as DynamoDBClient);
      const out = await client.send(new UpdateItemCommand(input), { abortSignal: signal });
      return out.Attributes ?? {};
    } catch (error) {
      const name = (error as Error).name;
      if (conditional && name === 'ConditionalCheckFailedException') return undefined;
      const reason: RateStoreFailure = THROTTLING.has(name)
        ? 'throttled'
        : name === 'AbortError' || name === 'TimeoutError' || signal.aborted
          ? 'timeout'
          : 'unavailable';
      throw new RateStoreError(reason, `counter store ${reason}: ${name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * One time budget for a whole count (all its requests), cut short when the invocation is. A timer of its own, not
   * `AbortSignal.any` over `AbortSignal.timeout`: Node may collect a timeout signal only a composite refers to, and
   * the composite then never aborts (nodejs/node#57736): a store that never answered held an invocation to its
   * deadline (fault round 43).
   */
  private deadline(signal: AbortSignal | undefined): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const ms = this.timeoutMs;
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')),
      ms,
    );
    const cancel = () => controller.abort(signal?.reason);
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      },
    };
  }

  private remember(pk: string, window: number, count: number): void {
    this.open.delete(pk);
    this.open.set(pk, { window, count });
    if (this.open.size > CACHE_LIMIT) this.open.delete(this.open.keys().next().value as string);
  }
}

/**
 * The slots an answer holds, checked: every number a whole number, and after a count the slot holds at least this
 * message. An answer that does not (a 200 with no attributes, or a count that is not a number) is the store not
 * answering: read as 0 it would let a message through a `fail-closed` limit, read as NaN it would refuse one under
 * `fail-open` (fault round 43). It is a {@link RateStoreError}, so the rule's `onStoreError` decides.
 */
function answered(
  item: Record<string, AttributeValue>,
  r: Pick<CountRequest, 'pk' | 'window' | 'marker'>,
  counted: boolean,
): SlotState {
  const s = readSlots(item, r.window, counted ? undefined : r.marker);
  const whole = (n: number | undefined, min: number) =>
    n === undefined || (Number.isSafeInteger(n) && n >= min);
  const valid =
    whole(s.count, counted ? 1 : 0) &&
    // -1: the slot was never opened (the placeholder a count of the other slot sets), as a retry across the window's
    // turn reads it (fault round 80).
    whole(s.window, -1) &&
    whole(s.rank, 1) &&
    whole(s.otherRank, 1) &&
    whole(s.previousWindow, -1) &&
    whole(s.previousCount, 0) &&
    whole(s.until, 0);
  if (!valid) {
    throw new RateStoreError(
      'unavailable',
      `counter store answered ${r.pk} without a valid count (count ${s.count}, window ${s.window}, hold ${s.until}): a malformed answer`,
    );
  }
  return s;
}

function previous(s: { previousWindow: number; previousCount: number }, window: number): number {
  return s.previousWindow === window - 1 ? s.previousCount : 0;
}

/** A short, fixed-size name for an invocationId (72 bits: collisions within one window are negligible). */
export function markerOf(invocationId: string): string {
  return createHash('sha256').update(invocationId).digest('base64url').slice(0, 12);
}
