import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Rule } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { journalToS3 } from '@wmflow/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigMessage, JOURNAL, startFaultStack, UPDATES, untilAborted } from './fault-harness.js';

// F41-1 on the SES engine (packages/core/src/ses/invocation.ts): the same "only the running rule's policy counts" at
// the deadline. A journal after a rule still running when the deadline comes never runs; the handler answers.
let stack: LocalStack;
beforeAll(async () => {
  stack = await startFaultStack(411);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const slowCheck: Rule = {
  name: 'slow-check',
  onError: 'fail-open',
  async run(ctx) {
    await untilAborted(ctx.signal);
  },
};

describe('F41-1 (SES): a journal not yet reached at the deadline', () => {
  it('the invocation fails (retried) or the message is journaled', async () => {
    const id = sesMessageId();
    await stack.s3.send(
      new PutObjectCommand({ Bucket: UPDATES, Key: `inbound/${id}`, Body: bigMessage(20_000, 'f41-1-ses') }),
    );
    stack.ses.receive(id);
    const handler = sesFlow({
      rules: [slowCheck, journalToS3({ bucket: JOURNAL })],
      stored: { bucket: UPDATES, keyPrefix: 'inbound/' },
      organizationDomains: ['corp.example'],
    });
    let outcome: string;
    try {
      const answer = await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 3_000 }),
      );
      outcome = `answered ${JSON.stringify(answer)}`;
    } catch (error) {
      outcome = `error ${(error as Error).name}`;
    }
    const keys = (await stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    expect(outcome.startsWith('error') || keys.length > 0, JSON.stringify({ outcome, keys })).toBe(true);
  }, 30_000);
});
