import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowOutcome, inbound, onFlowOutcome, Verdicts } from '@wmflow/core';
import { bounceClaimKey, sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { guardSes } from '../guard-ses/guard-ses.js';
import { EXE_MESSAGE } from './exe-message.js';
import { stored } from './fault-harness.js';
import { proxyBefore } from './scripted-proxy.js';

// Fault round 80 (F80-2): SendBounce is not idempotent, and the same message can reach guard-ses twice: Lambda retries
// an invocation whose runtime ended (killed, out of memory, timed out) after its bounce went out, and an `Event`
// invocation's error; Lambda may deliver an asynchronous event twice; Mail Manager retries a failed Lambda action.
// Each invocation bounced: the sender got two bounces for one message. The bounce is now claimed beside the hold
// records (`held/<messageId>.bounce.json`, written only if absent) before SendBounce: a second invocation finds the
// claim and does not bounce again. A claim that cannot be written costs no bounce (held probe).
const BUCKET = 'inbound-mail';
const t = proxyBefore('SES', [BUCKET]);
const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'faults-round79-child.ts');
const ENV = {
  STORED_BUCKET: BUCKET,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ORGANIZATION_DOMAINS: 'corp.example',
};
const isBounce = (body: Buffer) => body.toString().includes('Action=SendBounce');
type Bounced = FlowOutcome & { bounce?: { status: string; reason?: string; bounceId?: string } };

async function received(): Promise<{ id: string; event: unknown }> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${id}`, Body: EXE_MESSAGE }));
  t.stack.ses.receive(id);
  return { id, event: makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }) };
}

async function invokeWatched(
  handler: (e: unknown, c: unknown) => Promise<unknown>,
  id: string,
  event: unknown,
): Promise<{ answer: unknown; outcome: Bounced | undefined }> {
  let outcome: Bounced | undefined;
  const stop = onFlowOutcome((o) => {
    if (o.messageId === id) outcome = o as Bounced;
  });
  try {
    const answer = await handler(event, lambdaContext({ timeoutMs: 28_000 }));
    return { answer, outcome };
  } finally {
    stop();
  }
}

/** One runtime process for one invocation (`faults-round79-child.ts`), so it can be killed. */
function runtime(event: unknown): { child: ChildProcess; result: Promise<string> } {
  const child = spawn(
    process.execPath,
    [
      '--conditions=wmflow-source',
      '--import',
      'tsx',
      CHILD,
      'guard-ses',
      JSON.stringify(ENV),
      JSON.stringify(event),
    ],
    { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const result = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve(`${out.trim().split('\n').at(-1)} (exit ${code ?? signal}) ${err.slice(0, 2000)}`),
    ),
  );
  return { child, result };
}

describe('guard-ses: one bounce per message across invocations (fault round 80)', () => {
  it('F80-2: the same event twice (a retry of an invocation that bounced): one bounce', async () => {
    t.proxy.decide = () => ({ do: 'forward' });
    const { id, event } = await received();
    const handler = guardSes(ENV) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
    const first = await invokeWatched(handler, id, event);
    const again = await invokeWatched(handler, id, event);
    expect(first.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(first.outcome?.bounce?.status).toBe('sent');
    expect(again.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(again.outcome?.bounce?.status).toBe('failed');
    expect(again.outcome?.bounce?.reason).toMatch(/earlier invocation .* not sent again/);
    const claim = JSON.parse(
      (await stored(t.stack, BUCKET, bounceClaimKey('held/', id, ['bob@corp.example'])))?.toString() ?? '{}',
    );
    expect(claim).toMatchObject({ version: 1, messageId: id, recipients: ['bob@corp.example'] });
    // No hold record: the message was bounced, not held.
    expect(await stored(t.stack, BUCKET, `held/${id}.json`)).toBeUndefined();
  });

  it('F80-2: a runtime killed once its SendBounce went out, then retried in a new runtime: one bounce', async () => {
    const { id, event } = await received();
    let sent!: () => void;
    const bounceSent = new Promise<void>((resolve) => {
      sent = resolve;
    });
    let killed!: () => void;
    const afterKill = new Promise<void>((resolve) => {
      killed = resolve;
    });
    t.proxy.decide = (_req, body) => {
      if (!isBounce(body)) return { do: 'forward' };
      sent();
      return { do: 'after', until: afterKill }; // SES carries it out; its answer finds no one
    };
    const run = runtime(event);
    await Promise.race([bounceSent, run.result.then((r) => Promise.reject(new Error(`ended: ${r}`)))]);
    run.child.kill('SIGKILL');
    const facts = [`killed: ${await run.result}`];
    killed();
    for (let i = 0; i < 200 && t.stack.ses.bounces(id).length < 1; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(t.stack.ses.bounces(id), facts.join('; ')).toHaveLength(1);
    t.proxy.decide = () => ({ do: 'forward' });
    const answer = await runtime(event).result;
    facts.push(`retry: ${answer}`);
    expect(answer, facts.join('; ')).toMatch(/"disposition":"STOP_RULE_SET"/);
    expect(t.stack.ses.bounces(id), facts.join('; ')).toHaveLength(1);
  }, 60_000);

  it('held: a claim that cannot be written (no such bucket) costs no bounce: sent, with a warning', async () => {
    t.proxy.decide = () => ({ do: 'forward' });
    const { id, event } = await received();
    const handler = sesFlow({
      rules: [
        inbound({
          name: 'bounce-all',
          run(ctx) {
            ctx.settle(Verdicts.bounce('Not accepted here.'));
          },
        }),
      ],
      stored: { bucket: BUCKET, keyPrefix: 'inbound/' },
      bounceSender: 'postmaster@corp.example',
      holdRecord: { bucket: 'no-such-bucket-f80', keyPrefix: 'held/' },
    }) as unknown as (e: unknown, c: unknown) => Promise<unknown>;
    const first = await invokeWatched(handler, id, event);
    expect(first.answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(first.outcome?.bounce?.status).toBe('sent');
    expect(first.outcome?.warnings.join(' ')).toMatch(/could not be claimed .* sent all the same/);
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  });
});
