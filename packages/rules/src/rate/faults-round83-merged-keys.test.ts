import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { RuleError } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { partitionKey } from './counting.js';
import { mailStorm } from './mail-storm.js';
import { rateLimit } from './rate-limit.js';
import { markerOf } from './store.js';

// Fault round 83 on attacker round 103: the mail-storm counter and the inbound `recipient` / `pair` keys count the
// mailbox, spellings of one mailbox in a message merged into one counter (`byKey`). Each case drives the real rules
// through the real SDK client over loopback, to the local DynamoDB behind a proxy that applies each UpdateItem as told:
// forwarded, applied with its answer lost (the socket cut after DynamoDB answered: the SDK sends it again), or
// throttled (not applied). The outcomes asserted are verdicts and the counters read back, never times.
type Act = 'forward' | 'drop' | 'throttle';
let dynamo: DynamoHarness;
let acts: Act[] = [];
let updates = 0;
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
      if (update) updates++;
      const act: Act = update ? (acts.shift() ?? 'forward') : 'forward';
      if (act === 'throttle') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R83' });
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

const client = () =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts: 2,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

const STORM = /^BOUNCE:.*mail storm/;
const LIMIT = /^BOUNCE:.*too many messages/;
const HOUR = 3_600_000;

/** The counter item of `key` (the store's own layout: window slots w0/w1, counts c0/c1, markers m0/m1). */
async function item(table: string, rule: string, key: string, windowMs: number, limit: number) {
  const out = await dynamo.client.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: partitionKey(rule, key, windowMs, limit) } } }),
  );
  return out.Item ?? {};
}

async function storm(threshold: number, clock = manualClock()) {
  const table = await dynamo.table();
  const rule = mailStorm({
    table,
    dynamo: client(),
    storeTimeoutMs: 10_000,
    onStoreError: 'retry',
    clock: clock.now,
    recipients: ['all-staff@corp.example'],
    threshold,
    window: '1h',
    windowType: 'fixed',
    coolDown: 0,
  });
  return { rule, table, clock };
}

async function limiter(key: 'recipient' | 'pair', limit: number, clock = manualClock()) {
  const table = await dynamo.table();
  const rule = rateLimit({
    table,
    dynamo: client(),
    storeTimeoutMs: 10_000,
    onStoreError: 'retry',
    clock: clock.now,
    key,
    limit,
    window: '1h',
    windowType: 'fixed',
  });
  return { rule, table, clock };
}

const failedWith = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('fault round 83: merged mailbox keys under DynamoDB faults (held)', () => {
  it('storm: a merged key whose UpdateItem was applied and its answer lost is counted once (the SDK resends it)', async () => {
    const { rule, table } = await storm(2);
    acts = ['drop'];
    const first = await runFlow([rule], {
      mailFrom: 'x@evil.example',
      recipients: ['all-staff@corp.example', 'ALL-STAFF+1@corp.example'],
      invocationId: 'r83-a',
    });
    acts = [];
    expect([first.verdict('all-staff@corp.example'), first.verdict('ALL-STAFF+1@corp.example')]).toEqual([
      'DEFAULT',
      'DEFAULT',
    ]);
    // Counted once: the second message is the group's second (delivered), the third is over the threshold.
    const second = await runFlow([rule], {
      mailFrom: 'x@evil.example',
      recipients: ['all-staff+2@corp.example'],
    });
    expect(second.verdict('all-staff+2@corp.example')).toBe('DEFAULT');
    const third = await runFlow([rule], {
      mailFrom: 'x@evil.example',
      recipients: ['\uff41ll-staff@corp.example', 'bob@corp.example'],
    });
    expect(third.verdict('\uff41ll-staff@corp.example')).toMatch(STORM);
    expect(third.verdict('bob@corp.example')).toBe('DEFAULT');
    const stored = await item(table, 'mail-storm', 'storm:all-staff@corp.example', HOUR, 2);
    const slot = Object.keys(stored).find((k) => /^c[01]$/.test(k) && stored[k]?.N !== '0') as string;
    expect(stored[slot]?.N).toBe('3');
  });

  for (const key of ['recipient', 'pair'] as const)
    it(`${key}: a partial count (one key throttled) fails the invocation; WorkMail's retry counts each mailbox once and its verdict falls on every spelling`, async () => {
      const { rule } = await limiter(key, 1);
      const recipients = ['ceo@corp.example', 'CEO+board@corp.example', 'bob@corp.example'];
      acts = ['forward', 'throttle', 'throttle'];
      const failed = await failedWith(
        runFlow([rule], { mailFrom: 'x@evil.example', recipients, invocationId: `r83-${key}` }),
      );
      acts = [];
      expect(failed).toBeInstanceOf(RuleError);
      expect((failed as RuleError).rethrow).toBe(true);
      const retry = await runFlow([rule], {
        mailFrom: 'x@evil.example',
        recipients,
        invocationId: `r83-${key}`,
      });
      expect(recipients.map((r) => retry.verdict(r))).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
      // The next message to either mailbox, in any spelling, is the second in the hour: over the limit of 1.
      const next = await runFlow([rule], {
        mailFrom: 'x@evil.example',
        recipients: ['\uff43eo@corp.example', 'ceo+x@corp.example', 'BOB@corp.example', 'ann@corp.example'],
      });
      expect(next.verdict('\uff43eo@corp.example')).toMatch(LIMIT);
      expect(next.verdict('ceo+x@corp.example')).toMatch(LIMIT);
      expect(next.verdict('BOB@corp.example')).toMatch(LIMIT);
      expect(next.verdict('ann@corp.example')).toBe('DEFAULT');
    });

  it('recipient: a message counted at 10:59:59 under a merged key and retried at 11:00:30 is counted once (fixed window)', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:59:59Z'));
    const { rule, table } = await limiter('recipient', 1, clock);
    const recipients = ['ceo+1@corp.example', 'CEO@corp.example'];
    // The first attempt counted, then the invocation failed (the runtime ended): WorkMail retries after the hour.
    await runFlow([rule], { mailFrom: 'x@evil.example', recipients, invocationId: 'r83-turn' });
    clock.advance(31_000);
    const retry = await runFlow([rule], { mailFrom: 'x@evil.example', recipients, invocationId: 'r83-turn' });
    expect(recipients.map((r) => retry.verdict(r))).toEqual(['DEFAULT', 'DEFAULT']);
    // Not counted in the new hour: its first message (any spelling) is delivered, the second refused.
    clock.advance(10_000);
    const fresh = await runFlow([rule], { mailFrom: 'x@evil.example', recipients: ['ceo+2@corp.example'] });
    expect(fresh.verdict('ceo+2@corp.example')).toBe('DEFAULT');
    const over = await runFlow([rule], { mailFrom: 'x@evil.example', recipients: ['ceo@corp.example'] });
    expect(over.verdict('ceo@corp.example')).toMatch(LIMIT);
    const stored = await item(table, 'rate-limit', 'rcpt:ceo@corp.example', HOUR, 1);
    const window = Math.floor(clock.now() / HOUR);
    expect(stored[`c${window % 2}`]?.N).toBe('2');
    expect(stored[`m${window % 2}`]?.M?.[markerOf('r83-turn')]).toBeUndefined();
  });

  it('storm: two instances racing to open the window for one mailbox in two spellings count both; one is held (threshold 1)', async () => {
    const clock = manualClock();
    const table = await dynamo.table();
    const make = () =>
      mailStorm({
        table,
        dynamo: client(),
        storeTimeoutMs: 10_000,
        clock: clock.now,
        recipients: ['all-staff@corp.example'],
        threshold: 1,
        window: '1h',
        windowType: 'fixed',
        coolDown: 0,
      });
    const [a, b] = await Promise.all([
      runFlow([make()], { mailFrom: 'x@evil.example', recipients: ['all-staff+a@corp.example'] }),
      runFlow([make()], { mailFrom: 'y@evil.example', recipients: ['All-Staff@corp.example'] }),
    ]);
    const verdicts = [a.verdict('all-staff+a@corp.example'), b.verdict('All-Staff@corp.example')];
    expect(verdicts.filter((v) => v === 'DEFAULT')).toHaveLength(1);
    expect(verdicts.filter((v) => STORM.test(String(v)))).toHaveLength(1);
  });

  it('deploy: a storm hold recorded before the deploy under the plain group key still holds every spelling after it', async () => {
    const { rule, table, clock } = await storm(50);
    // The counter as round 102's code left it for `all-staff@corp.example` (its key unchanged by round 103): a hold.
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: partitionKey('mail-storm', 'storm:all-staff@corp.example', HOUR, 50) },
          u: { N: String(clock.now() + 600_000) },
          ttl: { N: String(Math.ceil(clock.now() / 1000) + 86_400) },
        },
      }),
    );
    const r = await runFlow([rule], {
      mailFrom: 'x@evil.example',
      recipients: ['all-staff+new@corp.example', 'ALL-STAFF@corp.example', 'bob@corp.example'],
    });
    expect(r.verdict('all-staff+new@corp.example')).toMatch(STORM);
    expect(r.verdict('ALL-STAFF@corp.example')).toMatch(STORM);
    expect(r.verdict('bob@corp.example')).toBe('DEFAULT');
  });

  it('one UpdateItem a mailbox: a message naming a mailbox in five spellings sends one count', async () => {
    const { rule } = await limiter('recipient', 10);
    updates = 0;
    await runFlow([rule], {
      mailFrom: 'x@evil.example',
      recipients: [
        'ceo@corp.example',
        'ceo+1@corp.example',
        'CEO+2@corp.example',
        '\uff43eo@corp.example',
        'c\u00ADeo@corp.example',
      ],
    });
    expect(updates).toBe(1);
  });
});
