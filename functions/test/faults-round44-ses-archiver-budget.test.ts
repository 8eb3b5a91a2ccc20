import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 44 (F44-2): archiver-ses is invoked as `Event` (template-ses.yaml: "journaling never delays mail")
// with a 120 s Lambda, but the SES adapter budgeted every chain as a RequestResponse call: the earlier of SES's
// 30 s wait and the Lambda's time, less the margin. A journal copy S3 took 31 s to store was aborted at 29 s with a
// DeadlineError although 90 s of the Lambda remained, and every retry met the same wall. archiver-ses now says it
// runs as `Event` (`invocationType: 'Event'`): only the Lambda's remaining time bounds it. A RequestResponse
// function (guard-ses, the default) keeps SES's 30 s budget.
const t = proxiedStack([JOURNAL, UPDATES]);
const PREFIX = 'inbound/';

/** Stores a message as the receipt rule's S3 action does, and registers it with the SES emulation. */
async function received(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

describe('F44-2: archiver-ses (Event invocation, 120 s Lambda) and a journal copy S3 takes 31 s to store', () => {
  it('journals the message within the Lambda’s own time instead of failing at SES’s 30 s wait', async () => {
    const bytes = bigMessage(200_000, 'f44-2-ses-slow');
    const id = await received(bytes);
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/j/${id}`) ? { do: 'delay', ms: 31_000 } : { do: 'forward' };
    const handler = archiverSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: PREFIX,
      ORGANIZATION_DOMAINS: 'corp.example',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
    });
    const started = Date.now();
    let outcome = 'answered';
    try {
      await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 120_000 }),
      );
    } catch (error) {
      outcome = `${(error as Error).name}: ${(error as Error).message} after ${Date.now() - started} ms`;
    }
    t.s3p.decide = () => ({ do: 'forward' });
    expect(outcome).toBe('answered');
    const copy = await stored(t.stack, JOURNAL, `j/${id}`);
    expect(copy && sha256(copy)).toBe(sha256(bytes));
  }, 90_000);

  /**
   * The time a chain is given under these options and this Lambda time, in milliseconds: what its rule reads in
   * `ctx.deadline` when it starts (the deadline the chain is cut at), not a wall-clock measurement of the cut.
   */
  async function budgetGiven(invocationType: 'Event' | undefined, lambdaMs: number): Promise<number> {
    const id = await received(bigMessage(2_000, `f44-2-budget-${invocationType ?? 'default'}`));
    let given = Number.NaN;
    const handler = sesFlow({
      rules: [
        {
          name: 'reads-its-deadline',
          run(ctx) {
            given = ctx.deadline - Date.now();
          },
        },
      ],
      stored: { bucket: UPDATES, keyPrefix: PREFIX },
      ...(invocationType ? { invocationType } : {}),
      // SES's wait scaled down to 1.5 s, so the budget each kind of invocation gets is told apart.
      deadline: { engineTimeoutMs: 1_500, safetyMarginMs: 500 },
    });
    await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: lambdaMs }),
    );
    return given;
  }

  it('RequestResponse (the default) keeps SES’s wait as its budget, even with Lambda time to spare', async () => {
    const ms = await budgetGiven(undefined, 120_000);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(1_500 - 500);
  }, 30_000);

  it('Event ignores SES’s wait but is still bounded by the Lambda’s remaining time', async () => {
    const ms = await budgetGiven('Event', 60_000);
    expect(ms).toBeGreaterThan(1_500);
    expect(ms).toBeLessThanOrEqual(60_000 - 500);
  }, 30_000);

  it('an unknown invocation type is refused at start-up', () => {
    expect(() =>
      sesFlow({ rules: [], stored: { bucket: UPDATES }, invocationType: 'DryRun' as unknown as 'Event' }),
    ).toThrow(ConfigError);
  });
});
