import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowOutcome, flow, onFlowOutcome, rule } from '../../src/index.js';
import { HAND_ON_PIECE } from '../../src/message/hand-off.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';
import { largeMessage } from './large-message.js';

// The editor's read at commit is handed the download past its first 512 KiB in 256 KiB pieces. A download
// that breaks anywhere (before, at or after the hand-off, at the edge of a piece or one byte from the end)
// fails the invocation, which WorkMail retries: nothing is committed, never a message missing bytes. (A source
// longer or shorter than it announced, at the same edges: spool-pass-on.test.ts.)
const BUCKET = 'wmflow-updates';
const KEEP = 512 * 1024;
let stack: LocalStack;
beforeAll(async () => {
  // Fault proxies start idle; only a client built from `stack.env` goes through them.
  stack = await startLocalStack({ buckets: [BUCKET], faults: 'seed=7' });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const attachment = randomBytes(1_000_000);
const original = largeMessage(attachment);

async function tag(messageId: string, s3 = stack.s3): Promise<{ outcome?: FlowOutcome; error?: Error }> {
  const outcomes: FlowOutcome[] = [];
  const stop = onFlowOutcome((o) => outcomes.push(o));
  const handler = flow({
    clients: { messageFlow: stack.messageFlow, s3 },
    logger: captureLogger(),
    updates: { bucket: BUCKET },
    rules: [rule('tag', (ctx) => ctx.edit.prefixSubject('[EXTERNAL]'))],
  });
  try {
    await handler(makeFlowEvent({ messageId, recipients: ['team@corp.example'] }), lambdaContext());
    return { outcome: outcomes[0] };
  } catch (error) {
    return { error: error as Error };
  } finally {
    stop();
  }
}

describe('rewrite whose download breaks around the hand-off and its pieces', () => {
  const edges = [KEEP, KEEP + HAND_ON_PIECE, KEEP + 2 * HAND_ON_PIECE].flatMap((at) => [at - 1, at, at + 1]);
  it('commits nothing when the download is cut at any edge, then commits the whole message on the retry', async () => {
    expect(original.length).toBeGreaterThan(edges.at(-1) as number);
    const faults = [...edges, original.length - 1].map((afterBytes) => ({
      kind: 'broken-stream' as const,
      afterBytes,
    }));
    for (const fault of faults) {
      const id = stack.flow.load(original);
      const armed = stack.flow.injectFault(fault, { messageId: id, operation: 'get', times: 1 });
      const { outcome, error } = await tag(id);
      const gets = stack.flow.requests().filter((r) => r.messageId === id && r.operation === 'get');
      const label = `${JSON.stringify(fault)}: ${JSON.stringify(gets.map((g) => g.status))} ${error?.message}`;
      // Failed (retried by WorkMail) or not committed; the message as it came, in either case.
      if (!error) expect(outcome?.edit.status, label).not.toBe('committed');
      expect(stack.flow.history(id), label).toHaveLength(1);
      armed.clear();
      const retry = await tag(id);
      expect(retry.outcome?.edit.status, label).toBe('committed');
      const parsed = await simpleParser(stack.flow.history(id).at(-1)?.content as Buffer);
      expect(parsed.subject, label).toBe('[EXTERNAL] Monthly export');
      expect(parsed.attachments[0]?.content.equals(attachment), label).toBe(true);
    }
  }, 120_000);

  it('commits a 6 MB rewrite whole, or nothing, while its uploads fail at random (parts, creates, completes)', async () => {
    const large = largeMessage(randomBytes(4_500_000));
    const proxied = new S3Client({
      endpoint: stack.env.AWS_ENDPOINT_URL_S3,
      region: stack.env.AWS_REGION,
      credentials: {
        accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
        secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
      },
      forcePathStyle: true,
    });
    stack.proxies?.s3.configure('seed=7,error=0.5,lost=0.1,reset=0.1');
    try {
      const id = stack.flow.load(large);
      let committed = false;
      for (let attempt = 0; attempt < 12 && !committed; attempt++) {
        const { outcome, error } = await tag(id, proxied);
        committed = outcome?.edit.status === 'committed';
        // Nothing is committed by an invocation that did not say so.
        expect(stack.flow.history(id), `attempt ${attempt}: ${error?.message}`).toHaveLength(
          committed ? 2 : 1,
        );
      }
      expect(committed).toBe(true);
      // The uploads did meet faults (the SDK's retries and WorkMail's absorbed them).
      const stats = stack.proxies?.s3.stats();
      expect((stats?.errors ?? 0) + (stats?.lost ?? 0) + (stats?.resets ?? 0)).toBeGreaterThan(0);
      const updated = stack.flow.history(id).at(-1)?.content as Buffer;
      const [before, after] = await Promise.all([simpleParser(large), simpleParser(updated)]);
      expect(after.subject).toBe('[EXTERNAL] Monthly export');
      expect(after.attachments[0]?.content.equals(before.attachments[0]?.content as Buffer)).toBe(true);
    } finally {
      stack.proxies?.s3.configure('seed=7');
      proxied.destroy();
    }
  }, 120_000);
});
