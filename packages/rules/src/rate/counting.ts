import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, type RuleContext, TransientError, type Verdict } from '@wmflow/core';
import { rateNow } from './clock.js';
import type { CountedKey } from './keys.js';
import { CounterStore, type CountResult, RateStoreError } from './store.js';

/**
 * What a rate rule does when the counter store cannot answer: let the message through (`fail-open`), settle the
 * verdict (`fail-closed`), or fail the invocation as a transient error (`retry`), so WorkMail retries it (each count
 * is kept once across retries) and, after the rule's timeout, applies the rule's fallback action.
 */
export type StoreErrorPolicy = 'fail-open' | 'fail-closed' | 'retry';

/** Store settings shared by {@link rateLimit} and {@link mailStorm}. */
export interface RateStoreOptions {
  /** DynamoDB table of the counters (partition key `pk` string, TTL attribute `ttl`). */
  table: string;
  /** Client to use; default one shared `DynamoDBClient` per cold start (honours `AWS_ENDPOINT_URL_DYNAMODB`). */
  dynamo?: DynamoDBClient;
  /** Give up on the store after this long (ms); then `onStoreError` decides. Default 1500. */
  storeTimeoutMs?: number;
  /** Store unreachable, throttling, too slow or answering no valid count: `fail-open` (default: the message flows, a warning is logged), `fail-closed` (the verdict is settled) or `retry` (the invocation fails, so WorkMail retries it). */
  onStoreError?: StoreErrorPolicy;
  /** Time source (ms since the epoch). Default the replay's virtual clock when set, else `Date.now`. */
  clock?: () => number;
}

/** How many counters one message may update at once (a message has at most 500 recipients). */
const PARALLEL = 25;
const TABLE = /^[a-zA-Z0-9_.-]{3,255}$/;

/** A checked store and its policy. */
export interface RateBackend {
  store: CounterStore;
  policy: StoreErrorPolicy;
  clock: () => number;
}

/** Checks the store options once, at construction. */
export function rateBackend(options: RateStoreOptions): RateBackend {
  if (typeof options.table !== 'string' || !TABLE.test(options.table)) {
    throw new ConfigError('table', 'must be a DynamoDB table name (3-255 of letters, digits, _ . -)');
  }
  const policy = options.onStoreError ?? 'fail-open';
  if (policy !== 'fail-open' && policy !== 'fail-closed' && policy !== 'retry') {
    throw new ConfigError('onStoreError', 'must be fail-open, fail-closed or retry');
  }
  const timeout = options.storeTimeoutMs ?? 1500;
  if (!Number.isSafeInteger(timeout) || timeout < 50 || timeout > 10_000) {
    throw new ConfigError('storeTimeoutMs', 'must be an integer from 50 to 10000 (milliseconds)');
  }
  const store = new CounterStore({
    table: options.table,
    timeoutMs: timeout,
    ...(options.dynamo ? { client: options.dynamo } : {}),
  });
  return { store, policy, clock: options.clock ?? rateNow };
}

/** The outcome of counting one key. */
export type Counted = CountedKey & ({ result: CountResult } | { error: RateStoreError });

/**
 * Counts the message once under each key, in parallel (at most {@link PARALLEL} requests at a time), in the
 * counters of this rule's window length and limit (see {@link partitionKey}).
 */
export async function countKeys(
  ctx: RuleContext,
  backend: RateBackend,
  rule: string,
  keys: readonly CountedKey[],
  window: number,
  ttl: number,
  limit: number,
  windowMs: number,
): Promise<Counted[]> {
  const out: Counted[] = [];
  for (let i = 0; i < keys.length; i += PARALLEL) {
    const batch = keys.slice(i, i + PARALLEL).map(async (k): Promise<Counted> => {
      try {
        const pk = partitionKey(rule, k.key, windowMs, limit);
        const request = { pk, window, ttl, invocation: ctx.invocationId, markBelow: limit };
        return { ...k, result: await backend.store.count(request, ctx.signal) };
      } catch (error) {
        if (error instanceof RateStoreError) return { ...k, error };
        throw error;
      }
    });
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/**
 * Applies the store-error policy for one key, and says so in the log. Under `retry` it throws a
 * {@link TransientError}: the invocation fails and WorkMail retries it (fault round 67).
 */
export function storeFailed(
  ctx: RuleContext,
  backend: RateBackend,
  rule: string,
  c: Counted & { error: RateStoreError },
  verdict: Verdict,
): void {
  const closed = backend.policy === 'fail-closed';
  const what =
    backend.policy === 'retry'
      ? 'failing the invocation so WorkMail retries it'
      : closed
        ? 'failing closed: verdict applied'
        : 'failing open: message allowed';
  ctx.logger.warn(
    `${rule}: rate counter store ${c.error.reason} for ${c.key}; ${what} (onStoreError=${backend.policy})`,
    {
      rule,
      key: c.key,
      reason: c.error.reason,
      error: c.error.message,
      policy: backend.policy,
    },
  );
  if (backend.policy === 'retry')
    throw new TransientError(
      `${rule}: rate counter store ${c.error.reason} for ${c.key}: ${c.error.message}`,
      {
        cause: c.error,
      },
    );
  ctx.note(`store ${c.error.reason} for ${c.key}: ${what}`);
  if (closed) ctx.settle(verdict, c.recipients ? [...c.recipients] : undefined);
}

/**
 * The item key of a counter: the rule's name, its window length and limit, and the key (hashed when long). Two rules
 * of one name over one table (the default name twice, an audited stricter limit beside the enforced one, the prebuilt
 * guard's and outbound-policy's `rate-limit-1` over the template's one table) counted in one item: past the stricter
 * limit its counts record no marker, so the other counted each message again, and over another window length each took
 * the other's slots (fault round 67). Rules that differ in window or limit now count apart; rules alike in both share.
 */
export function partitionKey(rule: string, key: string, windowMs: number, limit: number): string {
  const counter = `${rule}#${windowMs}/${limit}`;
  const pk = `${counter}#${key}`;
  return pk.length <= 512 ? pk : `${counter}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
