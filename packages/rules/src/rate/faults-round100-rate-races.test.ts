import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { partitionKey } from './counting.js';
import { mailStorm } from './mail-storm.js';
import { rateLimit } from './rate-limit.js';

// Fault round 100: the rate rules' DynamoDB counters under two invocations of one message at once (WorkMail's retry
// racing the attempt it retries, each in its own Lambda instance), answers lost after DynamoDB applied the request,
// the storm hold's own write, and a store nobody answers. Real rules, the real SDK client over loopback, the local
// DynamoDB behind a proxy that forwards each UpdateItem, applies it and cuts the answer (`drop`: the SDK sends it
// again) or refuses it with a throttle. Outcomes are verdicts, log lines and the counters read back.
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
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R100' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
            message: 'The level of configured provisioned throughput for the table was exceeded.',
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

const client = (at = endpoint) =>
  new DynamoDBClient({
    endpoint: at,
    region: 'us-east-1',
    maxAttempts: 2,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

const LIMIT = /^BOUNCE:.*too many messages/;
const STORM = /^BOUNCE:.*mail storm/;
const HOUR = 3_600_000;

async function counts(table: string, rule: string, key: string, windowMs: number, limit: number) {
  const out = await dynamo.client.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: partitionKey(rule, key, windowMs, limit) } } }),
  );
  const item = out.Item ?? {};
  return ['c0', 'c1'].map((c) => Number(item[c]?.N ?? 0)).reduce((a, b) => a + b, 0);
}

/** One Lambda instance's rate rule (its own client and counter cache) over the shared table. */
const limiter = (table: string, clock: ReturnType<typeof manualClock>, limit = 1) =>
  rateLimit({
    table,
    dynamo: client(),
    storeTimeoutMs: 10_000,
    onStoreError: 'retry',
    clock: clock.now,
    key: 'sender',
    limit,
    window: '1h',
    windowType: 'fixed',
  });

describe('fault round 100: rate counters under races and lost answers (held)', () => {
  it('two instances run one message at once (WorkMail retry racing its attempt): counted once, one answer', async () => {
    const table = await dynamo.table();
    const clock = manualClock();
    const [a, b] = [limiter(table, clock), limiter(table, clock)];
    const event = {
      mailFrom: 'ann@corp.example',
      recipients: ['x@other.example'],
      invocationId: 'r100-race',
    };
    const [first, second] = await Promise.all([runFlow([a], event), runFlow([b], event)]);
    expect([first.verdict('x@other.example'), second.verdict('x@other.example')]).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(await counts(table, 'rate-limit', 'sender:ann@corp.example', HOUR, 1)).toBe(1);
    // The sender's next message is the second in the hour: over the limit of 1.
    const next = await runFlow([a], { mailFrom: 'ann@corp.example', recipients: ['x@other.example'] });
    expect(next.verdict('x@other.example')).toMatch(LIMIT);
  });

  it('the same race with both first answers lost after DynamoDB applied them (the SDK resends each): counted once', async () => {
    const table = await dynamo.table();
    const clock = manualClock();
    const [a, b] = [limiter(table, clock, 2), limiter(table, clock, 2)];
    const event = {
      mailFrom: 'bob@corp.example',
      recipients: ['x@other.example'],
      invocationId: 'r100-race-drop',
    };
    acts = ['drop', 'drop'];
    const answers = await Promise.all([runFlow([a], event), runFlow([b], event)]);
    acts = [];
    expect(answers.map((r) => r.verdict('x@other.example'))).toEqual(['DEFAULT', 'DEFAULT']);
    expect(await counts(table, 'rate-limit', 'sender:bob@corp.example', HOUR, 2)).toBe(1);
    // Benign control: the sender's second message is under the limit of 2 and flows; the third does not.
    const second = await runFlow([b], { mailFrom: 'bob@corp.example', recipients: ['x@other.example'] });
    expect(second.verdict('x@other.example')).toBe('DEFAULT');
    const third = await runFlow([a], { mailFrom: 'bob@corp.example', recipients: ['x@other.example'] });
    expect(third.verdict('x@other.example')).toMatch(LIMIT);
  });

  it('a throttled count under onStoreError=retry fails the invocation; the retry, its count answer lost, counts once', async () => {
    const table = await dynamo.table();
    const clock = manualClock();
    const rule = limiter(table, clock);
    const event = {
      mailFrom: 'cy@corp.example',
      recipients: ['x@other.example'],
      invocationId: 'r100-throttle',
    };
    acts = ['throttle', 'throttle'];
    const failed = await runFlow([rule], event).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(Error);
    acts = ['drop'];
    const retry = await runFlow([rule], event);
    acts = [];
    expect(retry.verdict('x@other.example')).toBe('DEFAULT');
    expect(await counts(table, 'rate-limit', 'sender:cy@corp.example', HOUR, 1)).toBe(1);
  });

  it('storm: the hold applied with its answer lost is held once, without a warning, and the cool-down holds', async () => {
    const table = await dynamo.table();
    const clock = manualClock();
    const rule = mailStorm({
      table,
      dynamo: client(),
      storeTimeoutMs: 10_000,
      onStoreError: 'retry',
      clock: clock.now,
      recipients: ['all-staff@corp.example'],
      threshold: 1,
      window: '1m',
      windowType: 'fixed',
      coolDown: '10m',
    });
    const to = { recipients: ['all-staff@corp.example', 'bob@corp.example'] };
    expect((await runFlow([rule], to)).verdict('all-staff@corp.example')).toBe('DEFAULT');
    // The second message crosses the threshold: its count, then its hold, applied and the hold's answer cut.
    acts = ['forward', 'drop'];
    const over = await runFlow([rule], to);
    acts = [];
    expect(over.verdict('all-staff@corp.example')).toMatch(STORM);
    expect(over.verdict('bob@corp.example')).toBe('DEFAULT');
    expect(over.logger.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // Five minutes on, a window later: under the threshold, still cooling down.
    clock.advance(5 * 60_000);
    const cooling = await runFlow([rule], to);
    expect(cooling.verdict('all-staff@corp.example')).toMatch(STORM);
    // Benign control: past the cool-down, the group's first message of its window flows.
    clock.advance(11 * 60_000);
    const after = await runFlow([rule], to);
    expect(after.verdict('all-staff@corp.example')).toBe('DEFAULT');
    expect(after.verdict('bob@corp.example')).toBe('DEFAULT');
  });

  it('a store nobody answers (connection refused): each policy does what it says, and says so', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise((resolve) => dead.close(resolve));
    const rule = (onStoreError: 'fail-open' | 'fail-closed' | 'retry') =>
      rateLimit({
        table: 'rates-dead',
        dynamo: client(at),
        onStoreError,
        key: 'sender',
        limit: 5,
        window: '1h',
      });
    const event = { mailFrom: 'dee@corp.example', recipients: ['x@other.example'] };
    const open = await runFlow([rule('fail-open')], event);
    expect(open.verdict('x@other.example')).toBe('DEFAULT');
    expect(open.logger.lines.find((l) => l.level === 'warn')?.message).toMatch(
      /store unavailable .*failing open: message allowed \(onStoreError=fail-open\)/,
    );
    const closed = await runFlow([rule('fail-closed')], event);
    expect(closed.verdict('x@other.example')).toMatch(LIMIT);
    const retried = await runFlow([rule('retry')], event).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(retried)).toMatch(/rate counter store unavailable/);
  });
});
