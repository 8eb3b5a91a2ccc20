import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { CounterStore, RateStoreError } from './store.js';

// The store's time budget must fire however the garbage collector runs. A timeout signal that only an
// `AbortSignal.any` composite refers to may be collected before it fires (nodejs/node#57736), and the composite then
// never aborts: a store that never answers held the invocation to its deadline (fault round 43, seen once in four
// runs). A client that answers only when aborted stands for such a store; the collector runs while it waits.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const silentStore = {
  send: (_command: unknown, options: { abortSignal: AbortSignal }) =>
    new Promise((_resolve, reject) => {
      const abort = () => reject(Object.assign(new Error('request aborted'), { name: 'AbortError' }));
      if (options.abortSignal.aborted) abort();
      else options.abortSignal.addEventListener('abort', abort);
    }),
} as unknown as DynamoDBClient;

describe('CounterStore time budget', () => {
  it('gives up on a store that never answers, the collector running meanwhile', async () => {
    const store = new CounterStore({ table: 't', client: silentStore, timeoutMs: 200 });
    const invocation = new AbortController();
    const counting = store.count({ pk: 'k', window: 1, ttl: 1, invocation: 'i' }, invocation.signal);
    const outcome = counting.then(
      () => 'answered',
      (error: unknown) => error,
    );
    for (let k = 0; k < 20; k++) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const result = await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 3000, 'hung'))]);
    expect(result).toBeInstanceOf(RateStoreError);
    expect((result as RateStoreError).reason).toBe('timeout');
  });
  it('gives up at once when the invocation is cancelled', async () => {
    const store = new CounterStore({ table: 't', client: silentStore, timeoutMs: 60_000 });
    const invocation = new AbortController();
    const counting = store.count({ pk: 'k', window: 1, ttl: 1, invocation: 'i' }, invocation.signal);
    invocation.abort();
    await expect(counting).rejects.toMatchObject({ reason: 'timeout' });
  });
});
