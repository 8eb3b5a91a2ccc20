import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, startDynamo } from '../../test/support/dynamo.js';
import { peek } from './expressions.js';
import { CounterStore, RateStoreError } from './store.js';

let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

describe('CounterStore (over a local DynamoDB)', () => {
  it('gives 30 concurrent counts the ranks 1 to 30 and answers a retry with its first rank', async () => {
    const store = new CounterStore({ table: await dynamo.table(), client: dynamo.client, timeoutMs: 10_000 });
    const counts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.count({ pk: 'k', window: 7, ttl: 1, invocation: `i${i}` })),
    );
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const first = counts[12];
    const again = await store.count({ pk: 'k', window: 7, ttl: 1, invocation: 'i12' });
    expect(again).toEqual({ ...first, retry: true });
    const next = await store.count({ pk: 'k', window: 8, ttl: 1, invocation: 'n' });
    expect(next).toMatchObject({ count: 1, previousCount: 30, retry: false });
  });

  it('stops recording markers past the limit, so a storm keeps the item small, and still answers retries of allowed messages', async () => {
    const table = await dynamo.table();
    const store = new CounterStore({ table, client: dynamo.client, timeoutMs: 10_000 });
    const count = (invocation: string) =>
      store.count({ pk: 'storm', window: 3, ttl: 1, invocation, markBelow: 5 });
    for (let i = 0; i < 200; i++) await count(`m${i}`);
    const item = await dynamo.client.send(new UpdateItemCommand(peek({ table, pk: 'storm', ttl: 1 })));
    const markers = Object.keys(item.Attributes?.m1?.M ?? {});
    expect(item.Attributes?.c1).toEqual({ N: '200' });
    expect(markers.length).toBeLessThanOrEqual(6);
    expect(await count('m2')).toMatchObject({ count: 3, retry: true });
    expect((await count('m150')).count).toBe(201); // refused either way: counted again, still over
  });

  it('never resets a later window: a late count lands in the previous slot, or in the later window', async () => {
    const table = await dynamo.table();
    const ahead = new CounterStore({ table, client: dynamo.client, timeoutMs: 10_000 });
    const behind = new CounterStore({ table, client: dynamo.client, timeoutMs: 10_000 });
    await ahead.count({ pk: 'skew', window: 11, ttl: 1, invocation: 'a1' });
    expect(await behind.count({ pk: 'skew', window: 10, ttl: 1, invocation: 'late' })).toMatchObject({
      count: 1,
    });
    expect(await ahead.count({ pk: 'skew', window: 11, ttl: 1, invocation: 'a2' })).toMatchObject({
      count: 2,
      previousCount: 1,
    });
    expect(await behind.count({ pk: 'skew', window: 9, ttl: 1, invocation: 'later' })).toMatchObject({
      count: 3,
    });
  });

  it('turns throttling and server errors into RateStoreErrors with a reason', async () => {
    const store = new CounterStore({ table: await dynamo.table(), client: dynamo.client, timeoutMs: 10_000 });
    for (const [fault, reason] of [
      ['ThrottlingException', 'throttled'],
      ['InternalServerError', 'unavailable'],
    ] as const) {
      dynamo.server.fail(fault);
      try {
        const error = await store
          .count({ pk: 'f', window: 1, ttl: 1, invocation: 'x' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RateStoreError);
        expect((error as RateStoreError).reason).toBe(reason);
      } finally {
        dynamo.server.fail(undefined);
      }
    }
  });

  it('gives up with reason timeout when the invocation is aborted', async () => {
    const store = new CounterStore({ table: await dynamo.table(), client: dynamo.client, timeoutMs: 10_000 });
    const error = await store
      .count({ pk: 't', window: 1, ttl: 1, invocation: 'x' }, AbortSignal.abort())
      .catch((e: unknown) => e);
    expect((error as RateStoreError).reason).toBe('timeout');
  });
});
