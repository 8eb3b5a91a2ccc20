import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, startDynamo } from '../../test/support/dynamo.js';
import { peek } from './expressions.js';
import { CounterStore, RateStoreError } from './store.js';

// Fault round 59, held: the counter store when the SDK's first attempt is applied and its answer lost and its last
// attempt is throttled (the count fails as `throttled`, the message counted once: WorkMail's retry is answered from
// its rank, the next message ranks after it), and when a lost answer and a ConditionalCheckFailed of another
// instance's race fall on the same count. The store answers a count with a rank it recorded, once per message.
type Act = 'forward' | 'drop' | 'throttle';
let dynamo: DynamoHarness;
let acts: Act[] = [];
let endpoint = '';
let close: () => Promise<void> = async () => {};
beforeAll(async () => {
  dynamo = await startDynamo();
  const target = new URL(dynamo.server.endpoint);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const update = String(req.headers['x-amz-target']).endsWith('.UpdateItem');
      const act: Act = update ? (acts.shift() ?? 'forward') : 'forward';
      if (act === 'throttle') {
        // DynamoDB's own throttle: not applied.
        const body = JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate of requests exceeds the allowed throughput.',
        });
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R59' });
        res.end(body);
        return;
      }
      const out = request({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      });
      out.on('error', () => res.destroy());
      out.on('response', (answer) => {
        if (act === 'drop') {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}, 60_000);
afterAll(async () => {
  await close();
  await dynamo?.stop();
});

/** A client as the store's default: the SDK's standard retry, two attempts. */
const proxied = () =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 2,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
const countOf = async (table: string, pk: string, window: number) => {
  const item = await dynamo.client.send(new UpdateItemCommand(peek({ table, pk, ttl: 1 })));
  return item.Attributes?.[`c${window % 2}`]?.N;
};

describe('rate counters: a lost answer, then a throttle or a race (fault round 59, held)', () => {
  it.each([
    ['the opening count', 0],
    ['a continuing count', 3],
  ])(
    '%s applied, its answer lost, the last attempt throttled: counted once, the retry gets its rank',
    async (_, before) => {
      const table = await dynamo.table();
      const store = new CounterStore({ table, client: proxied(), timeoutMs: 10_000 });
      for (let i = 0; i < before; i++) await store.count({ pk: 'k', window: 9, ttl: 1, invocation: `b${i}` });
      acts = ['drop', 'throttle'];
      const failed = await store
        .count({ pk: 'k', window: 9, ttl: 1, invocation: 'x' })
        .catch((e: Error) => e);
      expect(failed).toBeInstanceOf(RateStoreError);
      expect((failed as RateStoreError).reason).toBe('throttled');
      expect(await countOf(table, 'k', 9)).toBe(String(before + 1));
      // WorkMail's retry of the same message: its rank, not a second count; the next message ranks after it.
      expect(await store.count({ pk: 'k', window: 9, ttl: 1, invocation: 'x' })).toMatchObject({
        count: before + 1,
        retry: true,
      });
      expect(await store.count({ pk: 'k', window: 9, ttl: 1, invocation: 'y' })).toMatchObject({
        count: before + 2,
        retry: false,
      });
      expect(await countOf(table, 'k', 9)).toBe(String(before + 2));
    },
  );

  it('another instance opens the window while this one’s opening count is applied and its answer lost', async () => {
    const table = await dynamo.table();
    const store = new CounterStore({ table, client: proxied(), timeoutMs: 10_000 });
    const other = new CounterStore({ table, client: dynamo.client, timeoutMs: 10_000 });
    await store.count({ pk: 'k', window: 4, ttl: 1, invocation: 'old' }); // this instance last saw window 4
    acts = ['drop'];
    const [mine, theirs] = await Promise.all([
      store.count({ pk: 'k', window: 6, ttl: 1, invocation: 'x' }),
      other.count({ pk: 'k', window: 6, ttl: 1, invocation: 'z' }),
    ]);
    expect([mine.count, theirs.count].sort()).toEqual([1, 2]);
    expect(await countOf(table, 'k', 6)).toBe('2');
    expect(await store.count({ pk: 'k', window: 6, ttl: 1, invocation: 'x' })).toMatchObject({
      count: mine.count,
      retry: true,
    });
  });
});
