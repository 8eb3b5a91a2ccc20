// An outbound rate limit over a local DynamoDB started for the test file, and one outbound message through it: the
// harness of the per-sender key tests (attacker rounds 87 and 109).
import { afterAll, beforeAll } from 'vitest';
import { rateLimit } from '../../src/rate/rate-limit.js';
import { type DynamoHarness, manualClock, startDynamo } from './dynamo.js';
import { runFlow } from './run.js';

export const OUTSIDE = ['x@outside.example'];
export const RATE_BOUNCE =
  'BOUNCE:Your message was not delivered: too many messages were sent in a short time. Please try again later.';

type Limiter = Awaited<ReturnType<typeof rateLimit>>;

/** Registers the file's DynamoDB; gives a fresh limit per call (its own table) and a way to send through it. */
export function outboundLimits() {
  let dynamo: DynamoHarness;
  beforeAll(async () => {
    dynamo = await startDynamo();
  }, 60_000);
  afterAll(() => dynamo?.stop());
  const limiter = async (key: 'sender' | 'pair', limit: number): Promise<Limiter> =>
    rateLimit({
      table: await dynamo.table(),
      dynamo: dynamo.client,
      storeTimeoutMs: 10_000,
      onStoreError: 'fail-closed',
      clock: manualClock().now,
      key,
      limit,
      window: '1h',
      windowType: 'fixed',
    });
  const outbound = (rule: Limiter, mailFrom: string, recipients = OUTSIDE) =>
    runFlow([rule], { direction: 'OUTBOUND', mailFrom, recipients }, { direction: 'OUTBOUND' });
  return { limiter, outbound };
}
