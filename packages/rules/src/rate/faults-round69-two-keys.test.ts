import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RuleError } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { rateLimit } from './rate-limit.js';

// Fault round 69, held: fault round 67's `onStoreError: 'retry'` with a message counted under two keys (two
// recipients). The store is reached through a proxy that applies each UpdateItem as told: forwarded, applied with
// its answer lost (the socket cut after DynamoDB answered), or throttled (not applied). One key counted, the other
// refused: the invocation fails as transient (no bounce), and WorkMail's retry of it is counted once under each key.
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
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R69' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
            message: 'Rate of requests exceeds the allowed throughput.',
          }),
        );
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

const ALICE = 'alice@corp.example';
const BOB = 'bob@corp.example';

async function limited() {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 2,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // The two keys are counted in parallel: the acts fall on the requests in the order they arrive, either key first.
  return rateLimit({
    table: await dynamo.table(),
    dynamo: client,
    storeTimeoutMs: 10_000,
    onStoreError: 'retry',
    clock: manualClock().now,
    key: 'recipient',
    limit: 1,
    window: '1h',
    windowType: 'fixed',
  });
}

describe("fault round 69: onStoreError 'retry' with two keys (held)", () => {
  it.each<[string, Act[]]>([
    ['one key counted, the other throttled on every attempt', ['forward', 'throttle', 'throttle']],
    [
      'one key applied with its answer lost then throttled, the other throttled',
      ['drop', 'throttle', 'throttle', 'throttle'],
    ],
    [
      'one key counted, the other applied with its answer lost then throttled',
      ['forward', 'drop', 'throttle'],
    ],
  ])('%s: the invocation fails as transient; the retry is counted once under each key', async (_, plan) => {
    const rule = await limited();
    acts = [...plan];
    const failed = await runFlow([rule], { recipients: [ALICE, BOB], invocationId: 'm-1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    acts = [];
    expect(failed).toBeInstanceOf(RuleError);
    expect((failed as RuleError).rethrow).toBe(true);
    // WorkMail's retry: under the limit of 1 for both (neither counted twice), and the next message is over it.
    const retry = await runFlow([rule], { recipients: [ALICE, BOB], invocationId: 'm-1' });
    expect([retry.verdict(ALICE), retry.verdict(BOB)]).toEqual(['DEFAULT', 'DEFAULT']);
    const next = await runFlow([rule], { recipients: [ALICE, BOB], invocationId: 'm-2' });
    expect(next.verdict(ALICE)).toMatch(/^BOUNCE:/);
    expect(next.verdict(BOB)).toMatch(/^BOUNCE:/);
  });
});
