import { type Rule, Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';

let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

const BOUNCE =
  'BOUNCE:Your message was not delivered: too many messages were sent in a short time. Please try again later.';
const ONE = ['alice@corp.example'];
// A loaded test machine may be slow: a generous budget, and a slow store must never let extra mail through.
const STRICT = { storeTimeoutMs: 10_000, onStoreError: 'fail-closed' } as const;

/** A rate limit over a fresh table of the local DynamoDB, on a manual clock. */
async function limiter(clock: ReturnType<typeof manualClock>, options: Omit<RateLimitOptions, 'table'>) {
  return rateLimit({
    table: await dynamo.table(),
    dynamo: dynamo.client,
    ...STRICT,
    clock: clock.now,
    ...options,
  });
}

describe('rule: rateLimit (over a local DynamoDB)', () => {
  it('never lets more than limit through when 40 invocations run at once (fixed window)', async () => {
    const clock = manualClock();
    const rule = await limiter(clock, {
      key: 'sender',
      limit: 7,
      window: '1m',
      windowType: 'fixed',
    });
    const runs = await Promise.all(Array.from({ length: 40 }, () => runFlow([rule], { recipients: ONE })));
    const passed = runs.filter((r) => r.verdict('alice@corp.example') === 'DEFAULT').length;
    expect(passed).toBe(7);
    expect(runs.filter((r) => r.verdict('alice@corp.example') === BOUNCE)).toHaveLength(33);
  });

  it('never lets more than limit through concurrently with a sliding window either', async () => {
    const clock = manualClock();
    const rule = await limiter(clock, {
      key: 'sender-domain',
      limit: 5,
      window: '10m',
    });
    const runs = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        runFlow([rule], { recipients: ONE, mailFrom: `u${i}@bulk.example` }),
      ),
    );
    expect(runs.filter((r) => r.verdict('alice@corp.example') === 'DEFAULT')).toHaveLength(5);
  });

  it('counts a retry (same invocationId) once and gives it the first answer', async () => {
    const clock = manualClock();
    const rule = await limiter(clock, {
      key: 'sender',
      limit: 2,
      window: '1h',
    });
    const first = await runFlow([rule], { recipients: ONE, invocationId: 'inv-a' });
    const retry = await runFlow([rule], { recipients: ONE, invocationId: 'inv-a' });
    const second = await runFlow([rule], { recipients: ONE, invocationId: 'inv-b' });
    const third = await runFlow([rule], { recipients: ONE, invocationId: 'inv-c' });
    const thirdRetry = await runFlow([rule], { recipients: ONE, invocationId: 'inv-c' });
    expect([first, retry, second].map((r) => r.verdict('alice@corp.example'))).toEqual([
      'DEFAULT',
      'DEFAULT',
      'DEFAULT',
    ]);
    expect(third.verdict('alice@corp.example')).toBe(BOUNCE);
    expect(thirdRetry.verdict('alice@corp.example')).toBe(BOUNCE);
    // A late retry of an allowed message still gets its first answer once the sender is over the limit.
    const lateRetry = await runFlow([rule], { recipients: ONE, invocationId: 'inv-b' });
    expect(lateRetry.verdict('alice@corp.example')).toBe('DEFAULT');
    expect(JSON.stringify(lateRetry.outcome)).toContain('retry, counted once');
  });

  it('forgets a fixed window when the virtual clock moves past it', async () => {
    const clock = manualClock();
    const rule = await limiter(clock, {
      key: 'sender',
      limit: 3,
      window: '1m',
      windowType: 'fixed',
    });
    const burst = async () =>
      (await Promise.all([1, 2, 3, 4].map(() => runFlow([rule], { recipients: ONE })))).map((r) =>
        r.verdict('alice@corp.example'),
      );
    expect((await burst()).filter((v) => v === 'DEFAULT')).toHaveLength(3);
    clock.advance(60_000);
    expect((await burst()).filter((v) => v === 'DEFAULT')).toHaveLength(3);
  });

  it('weighs the previous window into a sliding window, then forgets it', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:00:00Z'));
    const rule = await limiter(clock, {
      key: 'sender',
      limit: 4,
      window: '1m',
    });
    const send = async () => (await runFlow([rule], { recipients: ONE })).verdict('alice@corp.example');
    for (let i = 0; i < 4; i++) expect(await send()).toBe('DEFAULT');
    expect(await send()).toBe(BOUNCE); // 5 counted in this window
    clock.advance(60_000 + 15_000); // a quarter into the next window: floor(5 × 0.75) = 3 still weigh
    expect(await send()).toBe('DEFAULT'); // 1 + 3 = 4
    expect(await send()).toBe(BOUNCE); // 2 + 3 = 5
    clock.advance(2 * 60_000); // the window before is now empty
    for (let i = 0; i < 4; i++) expect(await send()).toBe('DEFAULT');
    expect(await send()).toBe(BOUNCE);
  });

  it('limits per recipient, per pair and per group, deciding only the recipients counted', async () => {
    const table = await dynamo.table();
    const base = {
      table,
      dynamo: dynamo.client,
      ...STRICT,
      clock: manualClock().now,
      limit: 1,
      window: '1h' as const,
    };
    const perRecipient = rateLimit({ ...base, key: 'recipient', name: 'per-recipient' });
    await runFlow([perRecipient], { recipients: ['alice@corp.example'] });
    const r = await runFlow([perRecipient], { recipients: ['alice@corp.example', 'bob@corp.example'] });
    expect([r.verdict('alice@corp.example'), r.verdict('bob@corp.example')]).toEqual([BOUNCE, 'DEFAULT']);

    const pair = rateLimit({ ...base, key: 'pair', name: 'pair' });
    await runFlow([pair], { mailFrom: 'x@ext.example', recipients: ['alice@corp.example'] });
    const p = await runFlow([pair], { mailFrom: 'y@ext.example', recipients: ['alice@corp.example'] });
    expect(p.verdict('alice@corp.example')).toBe('DEFAULT');
    const p2 = await runFlow([pair], { mailFrom: 'X@ext.example', recipients: ['alice@corp.example'] });
    expect(p2.verdict('alice@corp.example')).toBe(BOUNCE);

    const group = rateLimit({
      ...base,
      key: { group: 'execs', recipients: ['ceo@corp.example', 'cfo@corp.example'] },
      name: 'group',
      verdict: Verdicts.DROP,
    });
    await runFlow([group], { recipients: ['ceo@corp.example'] });
    const g = await runFlow([group], { recipients: ['cfo@corp.example', 'bob@corp.example'] });
    expect([g.verdict('cfo@corp.example'), g.verdict('bob@corp.example')]).toEqual(['DROP', 'DEFAULT']);
    expect((await runFlow([group], { recipients: ['bob@corp.example'] })).verdict('bob@corp.example')).toBe(
      'DEFAULT',
    );
  });

  it('counts by a key function, and skips messages it returns no key for', async () => {
    const rule = await limiter(manualClock(), {
      key: (ctx) => (ctx.subject.startsWith('[bulk]') ? 'bulk' : undefined),
      limit: 1,
      window: '1d',
    });
    await runFlow([rule], { recipients: ONE, subject: '[bulk] one' });
    expect(
      (await runFlow([rule], { recipients: ONE, subject: '[bulk] two' })).verdict('alice@corp.example'),
    ).toBe(BOUNCE);
    expect((await runFlow([rule], { recipients: ONE, subject: 'hello' })).verdict('alice@corp.example')).toBe(
      'DEFAULT',
    );
  });
});

describe('rule: rateLimit when the store fails', () => {
  const throttled = async (rule: Rule) => {
    dynamo.server.fail('ThrottlingException');
    try {
      return await runFlow([rule], { recipients: ONE });
    } finally {
      dynamo.server.fail(undefined);
    }
  };

  it('fails open by default: the message flows and the warning says so', async () => {
    const rule = rateLimit({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      key: 'sender',
      limit: 1,
      window: '1m',
    });
    const r = await throttled(rule);
    expect(r.verdict('alice@corp.example')).toBe('DEFAULT');
    const warning = r.logger.lines.find((l) => l.level === 'warn');
    expect(warning?.message).toMatch(
      /rate counter store throttled .*failing open: message allowed \(onStoreError=fail-open\)/,
    );
  });

  it('fails closed when asked: the verdict is settled and the warning says so', async () => {
    const rule = rateLimit({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      key: 'sender',
      limit: 1,
      window: '1m',
      onStoreError: 'fail-closed',
    });
    const r = await throttled(rule);
    expect(r.verdict('alice@corp.example')).toBe(BOUNCE);
    expect(r.logger.lines.find((l) => l.level === 'warn')?.message).toContain(
      'failing closed: verdict applied',
    );
  });

  it('treats an unreachable store like a throttling one', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const nowhere = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const open = rateLimit({ table: 'rates-x', dynamo: nowhere, key: 'sender', limit: 1, window: '1m' });
    const closed = rateLimit({
      table: 'rates-x',
      dynamo: nowhere,
      key: 'recipient',
      limit: 1,
      window: '1m',
      onStoreError: 'fail-closed',
      verdict: Verdicts.DROP,
    });
    const r = await runFlow([open], { recipients: ONE });
    expect(r.verdict('alice@corp.example')).toBe('DEFAULT');
    expect(r.logger.lines.find((l) => l.level === 'warn')?.attributes).toMatchObject({
      reason: 'unavailable',
      policy: 'fail-open',
    });
    expect((await runFlow([closed], { recipients: ONE })).verdict('alice@corp.example')).toBe('DROP');
    nowhere.destroy();
  });
});

describe('rule: rateLimit options', () => {
  const base = { table: 'rates', key: 'sender' as const, limit: 10, window: '1m' as const };
  it.each([
    [{ ...base, table: 'a b' }, 'table'],
    [{ ...base, limit: 0 }, 'limit'],
    [{ ...base, window: '5x' as never }, 'window'],
    [{ ...base, window: 10 }, 'window'],
    [{ ...base, windowType: 'rolling' as never }, 'windowType'],
    [{ ...base, key: 'nobody' as never }, 'key'],
    [{ ...base, key: { group: 'bad name', recipients: ['a@b.example'] } }, 'key.group'],
    [{ ...base, onStoreError: 'maybe' as never }, 'onStoreError'],
    [{ ...base, storeTimeoutMs: 1 }, 'storeTimeoutMs'],
  ])('refuses %j (names %s)', (options, field) => {
    expect(() => rateLimit(options)).toThrow(
      new RegExp(`invalid configuration ${field.replace('.', '\\.')}`),
    );
  });
});
