import { Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoHarness, manualClock, startDynamo } from '../../test/support/dynamo.js';
import { runFlow } from '../../test/support/run.js';
import { mailStorm } from './mail-storm.js';

let dynamo: DynamoHarness;
beforeAll(async () => {
  dynamo = await startDynamo();
}, 60_000);
afterAll(() => dynamo?.stop());

const GROUP = 'all-staff@corp.example';
const STORM = /^BOUNCE:.*mail storm/;

describe('rule: mailStorm (over a local DynamoDB)', () => {
  it('bounces the group past the threshold, holds for the cool-down, then lets mail through again', async () => {
    const clock = manualClock();
    const rule = mailStorm({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      clock: clock.now,
      recipients: [GROUP],
      threshold: 5,
      window: '1m',
      coolDown: '5m',
      storeTimeoutMs: 10_000,
    });
    const send = async (recipients = [GROUP, 'bob@corp.example']) => {
      clock.advance(1000);
      return runFlow([rule], { recipients });
    };
    const verdicts: string[] = [];
    for (let i = 0; i < 8; i++) verdicts.push(String((await send()).verdict(GROUP)));
    expect(verdicts.slice(0, 5)).toEqual(Array(5).fill('DEFAULT'));
    expect(verdicts.slice(5).every((v) => STORM.test(v))).toBe(true);
    // Other recipients of the same message are not touched; mail not to the group flows.
    expect((await send()).verdict('bob@corp.example')).toBe('DEFAULT');
    expect((await send(['bob@corp.example'])).verdict('bob@corp.example')).toBe('DEFAULT');
    // Two windows later the rate is back to one message, but the cool-down still holds.
    clock.advance(2 * 60_000);
    const cooling = await send();
    expect(cooling.verdict(GROUP)).toMatch(STORM);
    expect(JSON.stringify(cooling.outcome)).toContain('cooling down');
    clock.advance(5 * 60_000);
    expect((await send()).verdict(GROUP)).toBe('DEFAULT');
  });

  it('counts each protected group on its own, with a custom verdict', async () => {
    const clock = manualClock();
    const rule = mailStorm({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      clock: clock.now,
      recipients: ['*.lists.corp.example'],
      threshold: 1,
      coolDown: 0,
      verdict: Verdicts.DROP,
      storeTimeoutMs: 10_000,
    });
    await runFlow([rule], { recipients: ['a@x.lists.corp.example'] });
    const r = await runFlow([rule], { recipients: ['a@x.lists.corp.example', 'b@y.lists.corp.example'] });
    expect([r.verdict('a@x.lists.corp.example'), r.verdict('b@y.lists.corp.example')]).toEqual([
      'DROP',
      'DEFAULT',
    ]);
  });

  it('fails open by default when the store throttles, and says so', async () => {
    const rule = mailStorm({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      recipients: [GROUP],
      threshold: 1,
    });
    dynamo.server.fail('ProvisionedThroughputExceededException');
    try {
      const r = await runFlow([rule], { recipients: [GROUP] });
      expect(r.verdict(GROUP)).toBe('DEFAULT');
      expect(r.logger.lines.find((l) => l.level === 'warn')?.message).toContain('throttled');
    } finally {
      dynamo.server.fail(undefined);
    }
  });

  it('refuses bad options with the option named', () => {
    const base = { table: 'rates', recipients: [GROUP], threshold: 10 };
    expect(() => mailStorm({ ...base, threshold: 0 })).toThrow(/invalid configuration threshold/);
    expect(() => mailStorm({ ...base, recipients: ['not an address'] })).toThrow(/recipients\[0\]/);
    expect(() => mailStorm({ ...base, coolDown: '1y' as never })).toThrow(/invalid configuration coolDown/);
  });
});
