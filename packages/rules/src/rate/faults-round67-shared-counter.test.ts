import { audit, RuleError } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { mailStorm } from './mail-storm.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';

// Fault round 67 (F67-1): two rate rules of one name over one table (the default name `rate-limit`, an audited
// stricter limit tried beside the enforced one, or the prebuilt guard's and outbound-policy's `rate-limit-1` over
// the template's one table) counted in one item. Past the stricter limit its counts stop recording markers, so the
// other rule counted each message a second time (a count duplicated: good mail bounced before its limit); with
// another window length the two took each other's slots (counts spliced: a limit never reached).
let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

const ALICE = 'alice@corp.example';
const STRICT = { storeTimeoutMs: 10_000, onStoreError: 'fail-closed' } as const;

async function pair(
  clock: ReturnType<typeof manualClock>,
  enforced: Omit<RateLimitOptions, 'table'>,
  tried: Omit<RateLimitOptions, 'table'>,
) {
  const table = await dynamo.table();
  const common = { table, dynamo: dynamo.client, ...STRICT, clock: clock.now };
  return [audit(rateLimit({ ...common, ...tried })), rateLimit({ ...common, ...enforced })];
}

describe('rate rules of one name over one table (fault round 67)', () => {
  it('an audited stricter limit in the same window never counts a message twice for the enforced one', async () => {
    const clock = manualClock();
    const rules = await pair(
      clock,
      { key: 'sender', limit: 5, window: '1h', windowType: 'fixed' },
      { key: 'sender', limit: 2, window: '1h', windowType: 'fixed' },
    );
    const verdicts: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++) {
      const run = await runFlow(rules, { recipients: [ALICE], invocationId: `inv-${i}` });
      verdicts.push(run.verdict(ALICE));
    }
    // The enforced limit lets five through, whatever the audited one counts.
    expect(verdicts.slice(0, 5)).toEqual(Array(5).fill('DEFAULT'));
    expect(verdicts[5]).toMatch(/^BOUNCE:/);
    expect(verdicts[6]).toMatch(/^BOUNCE:/);
  });

  it('a limit over another window length keeps its own count (no slot taken by the other)', async () => {
    const clock = manualClock();
    const rules = await pair(
      clock,
      { key: 'sender', limit: 3, window: '1h', windowType: 'fixed' },
      { key: 'sender', limit: 100, window: '1m', windowType: 'fixed' },
    );
    const verdicts: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await runFlow(rules, { recipients: [ALICE], invocationId: `inv-${i}` });
      verdicts.push(run.verdict(ALICE));
      clock.advance(61_000); // a minute apart: five messages in one hour
    }
    expect(verdicts.slice(0, 3)).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
    expect(verdicts[3]).toMatch(/^BOUNCE:/);
    expect(verdicts[4]).toMatch(/^BOUNCE:/);
  });

  it('a WorkMail retry is still counted once by each rule, and answered as before', async () => {
    const clock = manualClock();
    const rules = await pair(
      clock,
      { key: 'sender', limit: 2, window: '1h', windowType: 'fixed' },
      { key: 'sender', limit: 1, window: '1h', windowType: 'fixed' },
    );
    const first = await runFlow(rules, { recipients: [ALICE], invocationId: 'a' });
    const again = await runFlow(rules, { recipients: [ALICE], invocationId: 'a' });
    const second = await runFlow(rules, { recipients: [ALICE], invocationId: 'b' });
    const third = await runFlow(rules, { recipients: [ALICE], invocationId: 'c' });
    expect([first, again, second].map((r) => r.verdict(ALICE))).toEqual(['DEFAULT', 'DEFAULT', 'DEFAULT']);
    expect(third.verdict(ALICE)).toMatch(/^BOUNCE:/);
  });

  it('two storm rules of one name with other thresholds keep their own counts', async () => {
    const clock = manualClock();
    const table = await dynamo.table();
    const common = {
      table,
      dynamo: dynamo.client,
      ...STRICT,
      clock: clock.now,
      recipients: ['all@corp.example'],
      window: '1m',
      windowType: 'fixed',
      coolDown: 0,
    } as const;
    const rules = [audit(mailStorm({ ...common, threshold: 1 })), mailStorm({ ...common, threshold: 4 })];
    const verdicts: (string | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await runFlow(rules, { recipients: ['all@corp.example'], invocationId: `s-${i}` });
      verdicts.push(run.verdict('all@corp.example'));
    }
    expect(verdicts.slice(0, 4)).toEqual(Array(4).fill('DEFAULT'));
    expect(verdicts[4]).toMatch(/^BOUNCE:/);
  });
});

describe("onStoreError: 'retry' (fault round 67)", () => {
  const limited = async (clock: ReturnType<typeof manualClock>, table: string) =>
    rateLimit({
      table,
      dynamo: dynamo.client,
      storeTimeoutMs: 10_000,
      onStoreError: 'retry',
      clock: clock.now,
      key: 'sender',
      limit: 2,
      window: '1h',
      windowType: 'fixed',
    });

  it('a throttled store fails the invocation (no bounce), and WorkMail’s retry is counted once', async () => {
    const clock = manualClock();
    const rule = await limited(clock, await dynamo.table());
    dynamo.server.fail('ThrottlingException');
    const failed = await runFlow([rule], { recipients: [ALICE], invocationId: 'r-1' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    dynamo.server.fail(undefined);
    expect(failed).toBeInstanceOf(RuleError);
    expect(String((failed as Error).message)).toMatch(/throttled/);
    // WorkMail's retry of the same message: allowed, and counted once with the next one.
    const retry = await runFlow([rule], { recipients: [ALICE], invocationId: 'r-1' });
    const next = await runFlow([rule], { recipients: [ALICE], invocationId: 'r-2' });
    const over = await runFlow([rule], { recipients: [ALICE], invocationId: 'r-3' });
    expect([retry, next].map((r) => r.verdict(ALICE))).toEqual(['DEFAULT', 'DEFAULT']);
    expect(over.verdict(ALICE)).toMatch(/^BOUNCE:/);
  });

  it('an unreachable store fails the invocation too, as a transient error', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const nowhere = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const rule = rateLimit({
      table: 'rates-x',
      dynamo: nowhere,
      key: 'recipient',
      limit: 1,
      window: '1m',
      onStoreError: 'retry',
    });
    const failed = await runFlow([rule], { recipients: [ALICE] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    nowhere.destroy();
    expect(failed).toBeInstanceOf(RuleError);
    expect(String((failed as Error).message)).toMatch(/unavailable/);
  });

  it('a mail storm under retry fails the invocation rather than bounce the group', async () => {
    const clock = manualClock();
    const rule = mailStorm({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      storeTimeoutMs: 10_000,
      onStoreError: 'retry',
      clock: clock.now,
      recipients: ['all@corp.example'],
      threshold: 5,
    });
    dynamo.server.fail('ProvisionedThroughputExceededException');
    const failed = await runFlow([rule], { recipients: ['all@corp.example', ALICE] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    dynamo.server.fail(undefined);
    expect(failed).toBeInstanceOf(RuleError);
  });
});
