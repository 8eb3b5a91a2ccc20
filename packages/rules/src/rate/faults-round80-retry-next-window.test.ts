import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type Rule, RuleError, TransientError } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { partitionKey } from './counting.js';
import { mailStorm } from './mail-storm.js';
import { rateLimit } from './rate-limit.js';
import { markerOf } from './store.js';

// Fault round 80 (F80-1): a message counted, its invocation failed after the count landed (a later rule's
// transient error, the runtime killed, the answer lost), and WorkMail's retry (same invocationId) arriving once
// the window had turned. The retry's marker was looked for in the new window's slot only, so the message was
// counted a second time, in the new window: the sliding estimate weighs the previous window in, so one message
// took two places, and the sender's next message, under its limit, was refused.
let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

const ALICE = 'alice@corp.example';
const SENDER = 'sender@ext.example';
const HOUR = 3_600_000;
const STRICT = { storeTimeoutMs: 10_000, onStoreError: 'fail-closed' } as const;

/** A rule after the rate limit that fails the invocation (a transient error) the first time it sees `id`. */
function failsOnceFor(id: string): Rule {
  let failed = false;
  return {
    name: 'fails-once',
    async run(ctx) {
      if (ctx.invocationId === id && !failed) {
        failed = true;
        throw new TransientError('a later read failed: WorkMail retries the invocation');
      }
    },
  };
}

async function send(rules: Rule[], id: string) {
  return runFlow(rules, { recipients: [ALICE], mailFrom: SENDER, invocationId: id }).then(
    (r) => r.verdict(ALICE) ?? 'NONE',
    (e: unknown) => (e instanceof RuleError ? 'FAILED' : Promise.reject(e)),
  );
}

/** The item of the counter, both slots: window, count and markers. */
async function item(table: string, pk: string) {
  const out = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }));
  const i = out.Item ?? {};
  const slot = (p: 0 | 1) => ({
    window: Number(i[`w${p}`]?.N ?? Number.NaN),
    count: Number(i[`c${p}`]?.N ?? Number.NaN),
    marks: Object.keys(i[`m${p}`]?.M ?? {}),
  });
  return [slot(0), slot(1)];
}

describe('a WorkMail retry that arrives in the next window (fault round 80)', () => {
  it('sliding window: the retry is counted once, and the next message under the limit is allowed', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:59:00Z'));
    const table = await dynamo.table();
    const rules = [
      rateLimit({
        table,
        dynamo: dynamo.client,
        ...STRICT,
        clock: clock.now,
        key: 'sender',
        limit: 3,
        window: '1h',
      }),
      failsOnceFor('c'),
    ];
    const verdicts: string[] = [];
    verdicts.push(await send(rules, 'a'));
    verdicts.push(await send(rules, 'b'));
    clock.advance(59_000); // 10:59:59: c counted, then its invocation fails
    verdicts.push(await send(rules, 'c'));
    clock.advance(31_000); // 11:00:30: WorkMail's retry of c
    verdicts.push(await send(rules, 'c'));
    clock.advance(330_000); // 11:06:00, a tenth into the window: 0 + floor(3 * 0.9) = 2 before d
    verdicts.push(await send(rules, 'd'));
    expect(verdicts).toEqual(['DEFAULT', 'DEFAULT', 'FAILED', 'DEFAULT', 'DEFAULT']);
    // c is in the table once: in the window it was counted in, not again in the next one.
    const pk = partitionKey('rate-limit', `sender:${SENDER}`, HOUR, 3);
    const slots = await item(table, pk);
    const counted = slots.flatMap((s) => s.marks);
    expect(counted.filter((m) => m === markerOf('c'))).toHaveLength(1);
    const eleven = slots.find((s) => s.window === Math.floor(clock.now() / HOUR));
    const ten = slots.find((s) => s.window === Math.floor(clock.now() / HOUR) - 1);
    expect(ten?.count).toBe(3);
    expect(eleven?.count).toBe(1);
    expect(eleven?.marks).toEqual([markerOf('d')]);
  });

  it('fixed window: the retry answers as counted (its rank), and the new window holds only new messages', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:59:58Z'));
    const table = await dynamo.table();
    const rules = [
      rateLimit({
        table,
        dynamo: dynamo.client,
        ...STRICT,
        clock: clock.now,
        key: 'sender',
        limit: 2,
        window: '1h',
        windowType: 'fixed',
      }),
      failsOnceFor('c'),
    ];
    const verdicts: string[] = [];
    verdicts.push(await send(rules, 'a'));
    clock.advance(1000);
    verdicts.push(await send(rules, 'c')); // rank 2 of 2, allowed; the invocation fails after
    clock.advance(31_000);
    verdicts.push(await send(rules, 'c')); // 11:00:30, the retry
    clock.advance(600_000);
    verdicts.push(await send(rules, 'd'));
    clock.advance(600_000);
    verdicts.push(await send(rules, 'e'));
    clock.advance(600_000);
    verdicts.push(await send(rules, 'f'));
    expect(verdicts.slice(0, 5)).toEqual(['DEFAULT', 'FAILED', 'DEFAULT', 'DEFAULT', 'DEFAULT']);
    expect(verdicts[5]).toMatch(/^BOUNCE:/);
    const pk = partitionKey('rate-limit', `sender:${SENDER}`, HOUR, 2);
    const slots = await item(table, pk);
    expect(slots.flatMap((s) => s.marks).filter((m) => m === markerOf('c'))).toHaveLength(1);
  });

  it('a retry of a message over the limit in its window is still refused in the next one', async () => {
    // Two instances: the one that counts c has not seen the window full, so c's marker is recorded (rank 3 > 2).
    const clock = manualClock(Date.parse('2026-11-25T10:59:50Z'));
    const table = await dynamo.table();
    const common = {
      table,
      dynamo: dynamo.client,
      ...STRICT,
      clock: clock.now,
      key: 'sender',
      limit: 2,
      window: '1h',
      windowType: 'fixed',
    } as const;
    const one = [rateLimit(common)];
    const other = [rateLimit(common)];
    expect(await send(one, 'a')).toBe('DEFAULT');
    expect(await send(one, 'b')).toBe('DEFAULT');
    clock.advance(9000);
    // Refused (rank 3); the answer never reached WorkMail (the runtime ended, the answer lost): WorkMail retries.
    expect(await send(other, 'c')).toMatch(/^BOUNCE:/);
    clock.advance(40_000); // 11:00:39
    expect(await send(one, 'c')).toMatch(/^BOUNCE:/);
    expect(await send(one, 'd')).toBe('DEFAULT');
    expect(await send(one, 'e')).toBe('DEFAULT');
  });

  it('a mail storm counts a retry in the next window once', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:00:59Z'));
    const table = await dynamo.table();
    const ALL = 'all@corp.example';
    const rules = [
      mailStorm({
        table,
        dynamo: dynamo.client,
        ...STRICT,
        clock: clock.now,
        recipients: [ALL],
        threshold: 2,
        window: '1m',
        windowType: 'fixed',
        coolDown: 0,
      }),
      failsOnceFor('s-2'),
    ];
    const run = (id: string) =>
      runFlow(rules, { recipients: [ALL], invocationId: id }).then(
        (r) => r.verdict(ALL) ?? 'NONE',
        (e: unknown) => (e instanceof RuleError ? 'FAILED' : Promise.reject(e)),
      );
    const verdicts = [await run('s-1'), await run('s-2')];
    clock.advance(2000); // 10:01:01, the retry
    verdicts.push(await run('s-2'), await run('s-3'), await run('s-4'));
    expect(verdicts).toEqual(['DEFAULT', 'FAILED', 'DEFAULT', 'DEFAULT', 'DEFAULT']);
    expect(await run('s-5')).toMatch(/^BOUNCE:/);
    const all = await dynamo.client.send(new ScanCommand({ TableName: table }));
    expect(all.Items).toHaveLength(1);
  });
});
