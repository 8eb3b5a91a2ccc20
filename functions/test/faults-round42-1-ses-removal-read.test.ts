import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, onFlowOutcome, type Rule } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { proxyBefore } from './scripted-proxy.js';

// Both found by fault round 42 against the SES removal check, and closed.
// F42-1: SES. A rule queues ctx.edit.removeAttachments(...) without reading the body (the edit is a declaration).
// After the chain, runSesChain reads the stored message to see whether the removal matches
// (`matchesRemoval(...).catch(() => true)`, packages/core/src/ses/invocation.ts): ANY failure of that read, a
// transient S3 503/throttle or a reset included, counts as "matched" and the message is BOUNCED to the sender
// (SendBounce, STOP_RULE_SET). The project's rule for SES (docs/threat-model.md: "a transient read failure fails it
// (round 21)") and for every engine (a transient AWS error fails the invocation) is not kept: a message with no
// attachment at all is bounced because S3 throttled for a moment.
// F42-1b: SES. The removal check's read (`matchesRemoval`, packages/core/src/ses/invocation.ts) runs AFTER the chain's
// deadline race, with no budget of its own and the invocation's abort signal never fired (the state froze only on a
// deadline hit): a stored-message GET that stalls holds the answer past SES's wait (and the Lambda's own timeout).
const BUCKET = 'inbound-mail';
const t = proxyBefore('S3', [BUCKET], { AWS_MAX_ATTEMPTS: '2' });

const plain = (id: string) =>
  Buffer.from(
    'From: Ann <ann@partner.example>\r\nTo: bob@corp.example\r\nSubject: hello\r\n' +
      `Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <${id}@partner.example>\r\n` +
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNo attachment here.\r\n',
  );

// A strip rule as the docs show it: declares the removal, reads nothing.
const stripExe: Rule = {
  name: 'strip-exe',
  onError: 'fail-open',
  run(ctx) {
    ctx.edit.removeAttachments((p) => /\.exe$/i.test(p.filename ?? ''), 'executables removed');
  },
};

describe('F42-1: SES removal check whose read meets a transient S3 failure', () => {
  for (const fault of ['503 SlowDown', 'reset'] as const) {
    it(`${fault}: the invocation fails (transient) rather than bouncing a message with no attachment`, async () => {
      const id = sesMessageId();
      await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: plain(id) }));
      t.stack.ses.receive(id);
      t.proxy.decide = (req) =>
        req.method === 'GET' && (req.url ?? '').includes(id)
          ? fault === 'reset'
            ? { do: 'forward-close-delimited', keep: 40 }
            : {
                do: 'answer',
                status: 503,
                headers: { 'content-type': 'application/xml' },
                body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
              }
          : { do: 'forward' };
      let outcome: FlowOutcome | undefined;
      const stop = onFlowOutcome((o) => {
        if (o.messageId === id) outcome = o;
      });
      let answer: unknown;
      let error: Error | undefined;
      try {
        answer = await sesFlow({
          rules: [stripExe],
          stored: { bucket: BUCKET, keyPrefix: 'inbound/' },
          organizationDomains: ['corp.example'],
          bounceSender: 'postmaster@corp.example',
        })(makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }), lambdaContext());
      } catch (e) {
        error = e as Error;
      } finally {
        stop();
        t.proxy.decide = () => ({ do: 'forward' });
      }
      const bounces = t.stack.ses.bounces(id);
      const facts = JSON.stringify({
        answer,
        error: error?.message,
        bounces: bounces.length,
        warnings: outcome?.warnings,
      });
      // Safe: a transient read failure fails the invocation; the message is never bounced for it.
      expect(bounces.length, facts).toBe(0);
      expect(error, facts).toBeDefined();
    });
  }
});

describe('F42-1b: SES removal check whose read stalls', () => {
  it('the handler settles within the Lambda budget (4 s) instead of waiting on the stalled read', async () => {
    const id = sesMessageId();
    await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: plain(id) }));
    t.stack.ses.receive(id);
    t.proxy.decide = (req) =>
      req.method === 'GET' && (req.url ?? '').includes(id) ? { do: 'hang' } : { do: 'forward' };
    const started = Date.now();
    const handler = sesFlow({
      rules: [stripExe],
      stored: { bucket: BUCKET, keyPrefix: 'inbound/' },
      organizationDomains: ['corp.example'],
      bounceSender: 'postmaster@corp.example',
    });
    const settled = await Promise.race([
      handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 4_000 }),
      ).then(
        (a) => `answered ${JSON.stringify(a)}`,
        (e: Error) => `error ${e.name}`,
      ),
      new Promise<string>((r) => setTimeout(() => r('still waiting'), 12_000)),
    ]);
    const ms = Date.now() - started;
    t.proxy.decide = () => ({ do: 'forward' });
    expect({ settled, inBudget: ms <= 4_000 }, `${settled} after ${ms} ms`).toMatchObject({ inBudget: true });
  }, 30_000);
});
