import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, type RuleContext, type Verdict } from '@wmflow/core';
import { rateNow } from './clock.js';
import type { CountedKey } from './keys.js';
import { CounterStore, type CountResult, RateStoreError } from './store.js';

/** What a rate rule does when the counter store cannot answer: let the message through, or settle the verdict. */
export type StoreErrorPolicy = 'fail-open' | 'fail-closed';

/** Store settings shared by {@link rateLimit} and {@link mailStorm}. */
export interface RateStoreOptions {
  /** DynamoDB table of the counters (partition key `pk` string, TTL attribute `ttl`). */
  table: string;
  /** Client to use; default one shared `DynamoDBClient` per cold start (honours `AWS_ENDPOINT_URL_DYNAMODB`). */
  dynamo?: DynamoDBClient;
  /** Give up on the store after this long (ms); then `onStoreError` decides. Default 1500. */
  storeTimeoutMs?: number;
  /** Store unreachable, throttling, too slow or answering no valid count: `fail-open` (default: the message flows, a warning is logged) or `fail-closed` (the verdict is settled). */
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
  if (policy !== 'fail-open' && policy !== 'fail-closed') {
    throw new ConfigError('onStoreError', 'must be fail-open or fail-closed');
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

/** Counts the message once under each key, in parallel (at most {@link PARALLEL} requests at a time). */
export async function countKeys(
  ctx: RuleContext,
  backend: RateBackend,
  rule: string,
  keys: readonly CountedKey[],
  window: number,
  ttl: number,
  limit: number,
): Promise<Counted[]> {
  const out: Counted[] = [];
  for (let i = 0; i < keys.length; i += PARALLEL) {
    const batch = keys.slice(i, i + PARALLEL).map(async (k): Promise<Counted> => {
      try {
        const pk = partitionKey(rule, k.key);
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

/** Applies the store-error policy for one key, and says so in the log. */
export function storeFailed(
  ctx: RuleContext,
  backend: RateBackend,
  rule: string,
  c: Counted & { error: RateStoreError },
  verdict: Verdict,
): void {
  const closed = backend.policy === 'fail-closed';
  const what = closed ? 'failing closed: verdict applied' : 'failing open: message allowed';
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
  ctx.note(`store ${c.error.reason} for ${c.key}: ${what}`);
  if (closed) ctx.settle(verdict, c.recipients ? [...c.recipients] : undefined);
}

/** The item key of a counter: the rule's name and the key, hashed when long. */
export function partitionKey(rule: string, key: string): string {
  const pk = `${rule}#${key}`;
  return pk.length <= 512 ? pk : `${rule}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
