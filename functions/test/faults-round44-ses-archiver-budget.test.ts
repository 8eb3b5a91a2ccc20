import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, JOURNAL, STALLING_RULES, sha256, stored, UPDATES } from './fault-harness.js';
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

  /** How long a stalling chain runs under these options and this Lambda time, in milliseconds. */
  async function stalledFor(invocationType: 'Event' | undefined, lambdaMs: number): Promise<number> {
    const id = await received(bigMessage(2_000, `f44-2-stall-${invocationType ?? 'default'}`));
    const handler = sesFlow({
      rules: STALLING_RULES,
      stored: { bucket: UPDATES, keyPrefix: PREFIX },
      ...(invocationType ? { invocationType } : {}),
      // SES's wait scaled down to 1.5 s, so the budget each kind of invocation gets shows in seconds.
      deadline: { engineTimeoutMs: 1_500, safetyMarginMs: 500 },
    });
    const started = Date.now();
    await handler(
      makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      lambdaContext({ timeoutMs: lambdaMs }),
    ).catch(() => undefined);
    return Date.now() - started;
  }

  it('RequestResponse (the default) keeps SES’s wait as its budget, even with Lambda time to spare', async () => {
    const ms = await stalledFor(undefined, 120_000);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(2_500);
  }, 30_000);

  it('Event ignores SES’s wait but is still cut at the Lambda’s remaining time', async () => {
    const ms = await stalledFor('Event', 4_000);
    expect(ms).toBeGreaterThanOrEqual(3_000);
    expect(ms).toBeLessThan(6_000);
  }, 30_000);

  it('an unknown invocation type is refused at start-up', () => {
    expect(() =>
      sesFlow({ rules: [], stored: { bucket: UPDATES }, invocationType: 'DryRun' as unknown as 'Event' }),
    ).toThrow(ConfigError);
  });
});
