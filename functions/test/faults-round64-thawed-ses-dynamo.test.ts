import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome, resetDefaultClients } from '@wmflow/core';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDefaultSesClients } from '../../packages/core/src/ses/clients.js';
import { resetSharedCounterClient } from '../../packages/rules/src/rate/store.js';
import { restoreEnv } from '../../test-support/restore-env.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { EXE_MESSAGE } from './exe-message.js';
import { firstAction, invoke, UPDATES } from './fault-harness.js';
import { type FreezeProxy, freezeProxy } from './faults-round64-freeze-proxy.js';

// Fault round 64 (held): the first invocation after a freeze, for the SES adapter's SendBounce and the rate limit's
// DynamoDB counters. While the container was frozen, SES, DynamoDB and S3 closed the connections it kept; its next
// requests are written on them and met by a reset or a bare close. The SDK tries such a request again on a fresh
// connection (it never reached the server): each bounce goes out once and is reported sent, each message is counted
// once at its rank, and no invocation fails for it.
const BUCKET = 'inbound-mail';
const saved = { ...process.env };
let stack: LocalStack;
const proxies: Record<'s3' | 'ses' | 'dynamo', FreezeProxy> = {} as never;
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);

function resetClients(): void {
  resetDefaultClients();
  resetDefaultSesClients();
  resetSharedCounterClient();
}

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET, UPDATES] });
  proxies.s3 = await freezeProxy(stack.env.AWS_ENDPOINT_URL_S3);
  proxies.ses = await freezeProxy(stack.env.AWS_ENDPOINT_URL_SES);
  proxies.dynamo = await freezeProxy(stack.env.AWS_ENDPOINT_URL_DYNAMODB);
  Object.assign(process.env, stack.env, {
    AWS_ENDPOINT_URL_S3: proxies.s3.endpoint,
    AWS_ENDPOINT_URL_SES: proxies.ses.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamo.endpoint,
    AWS_MAX_ATTEMPTS: '3',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetClients();
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
}, 60_000);
afterAll(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  restoreEnv(saved);
  resetClients();
  for (const proxy of Object.values(proxies)) await proxy?.close();
  await stack?.stop();
});

const freezeAll = (how: 'reset' | 'close') => {
  for (const proxy of Object.values(proxies)) proxy.freeze(how);
};

describe('fault round 64: SES and DynamoDB connections closed while the container was frozen', () => {
  it.each(['reset', 'close'] as const)(
    'guard-ses after a %s of every kept connection: each bounce sent once, reported sent',
    async (how) => {
      const handler = guardSes({
        STORED_BUCKET: BUCKET,
        STORED_KEY_PREFIX: 'inbound/',
        BOUNCE_SENDER: 'postmaster@corp.example',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      const before = { s3: proxies.s3.staleHits, ses: proxies.ses.staleHits };
      const rows: string[] = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) freezeAll(how);
        const id = sesMessageId();
        await stack.s3.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }),
        );
        stack.ses.receive(id);
        let outcome: (FlowOutcome & { bounce?: { status: string } }) | undefined;
        const stop = onFlowOutcome((o) => {
          if (o.messageId === id) outcome = o as typeof outcome;
        });
        let answer: unknown;
        try {
          answer = await handler(
            makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
            lambdaContext(),
          );
        } catch (error) {
          answer = `failed: ${(error as Error).message}`;
        } finally {
          stop();
        }
        rows.push(
          JSON.stringify({ answer, bounce: outcome?.bounce?.status, bounces: stack.ses.bounces(id).length }),
        );
      }
      const hits = { s3: proxies.s3.staleHits - before.s3, ses: proxies.ses.staleHits - before.ses };
      const facts = `${rows.join(' | ')}; stale hits ${JSON.stringify(hits)}`;
      // The stored message's read met a dead connection (the SES client keeps none since this round).
      expect(hits.s3, facts).toBeGreaterThan(0);
      expect(rows, facts).toEqual(
        Array(3).fill(
          JSON.stringify({ answer: { disposition: 'STOP_RULE_SET' }, bounce: 'sent', bounces: 1 }),
        ),
      );
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );

  it('outbound-policy rate limit 2, a freeze before each message: counted once each, at its rank', async () => {
    const sender = 'sender-r64@corp.example';
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      RATE_TABLE: 'wmflow-rate',
      RATE_LIMITS: JSON.stringify([{ key: 'sender', limit: 2, window: '1h', windowType: 'fixed' }]),
    });
    const message = (n: string) =>
      Buffer.from(
        `From: ${sender}\r\nTo: ann@partner.example\r\nSubject: hi ${n}\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\n` +
          `Message-ID: <${n}@corp.example>\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
      );
    const events = ['a', 'b', 'c', 'd'].map((n) =>
      makeFlowEvent({
        messageId: stack.flow.load(message(`r64-rate-${n}`)),
        mailFrom: sender,
        recipients: ['ann@partner.example'],
        direction: 'OUTBOUND',
      }),
    );
    const before = proxies.dynamo.staleHits;
    const answers: (string | undefined)[] = [];
    for (const [i, event] of events.entries()) {
      if (i > 0) freezeAll('reset');
      const { response, error } = await invoke(handler, event);
      answers.push(error ? `error ${error.name}: ${error.message}` : firstAction(response));
    }
    const facts = `${answers.join(', ')}; stale hits ${proxies.dynamo.staleHits - before}`;
    expect(proxies.dynamo.staleHits - before, facts).toBeGreaterThan(0);
    expect(answers, facts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE', 'BOUNCE']);
    // WorkMail's retries of the same invocations find each message counted once.
    const retries: (string | undefined)[] = [];
    for (const event of events) retries.push(firstAction((await invoke(handler, event)).response));
    expect(retries, facts).toEqual(['DEFAULT', 'DEFAULT', 'BOUNCE', 'BOUNCE']);
    expect(escaped, facts).toEqual([]);
  }, 60_000);
});
