import { createHash } from 'node:crypto';
import { type LocalStack, ManualClock, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FlowClients,
  type FlowOutcome,
  flow,
  LazyMessage,
  MessageNotFoundError,
  onFlowOutcome,
  rule,
  Verdicts,
  workmailSource,
} from '../../src/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';

let stack: LocalStack;
let clients: FlowClients;
const clock = new ManualClock(Date.parse('2026-11-24T10:00:00Z'));
const CRLF = '\r\n';
const big = Buffer.concat([
  Buffer.from(
    [
      'From: a@partner.example',
      'To: b@corp.example',
      'Subject: big one',
      'Date: Tue, 24 Nov 2026 10:00:00 +0000',
      'X-SES-Spam-Verdict: FAIL',
      '',
      '',
    ].join(CRLF),
  ),
  Buffer.alloc(25 * 1024 * 1024, 'A'),
]);

beforeAll(async () => {
  stack = await startLocalStack({ clock });
  clients = { messageFlow: stack.messageFlow, s3: stack.s3 };
});
afterAll(async () => {
  await stack.stop();
});

describe('message access over GetRawMessageContent', () => {
  it('reads a few kB of a 25 MB message for a header-only rule', async () => {
    const id = stack.flow.load(big);
    const message = new LazyMessage(workmailSource(clients.messageFlow, id));
    const verdicts = await message.authVerdicts();
    expect(verdicts.sesSpam).toBe('FAIL');
    expect(message.bytesFetched).toBeLessThanOrEqual(64 * 1024);
    await message.close();
  });

  const gets = (id: string) =>
    stack.flow.requests().filter((r) => r.operation === 'get' && r.messageId === id).length;
  const sha = (x: Buffer) => createHash('sha256').update(x).digest('hex');

  it('downloads a large message in full once after a header-only read, and returns the exact bytes', async () => {
    const id = stack.flow.load(big);
    const message = new LazyMessage(workmailSource(clients.messageFlow, id));
    await message.headers();
    const [a, b] = await Promise.all([message.bytes(), message.bytes()]);
    expect(sha(a)).toBe(sha(big));
    expect(sha(b)).toBe(sha(big));
    expect(gets(id)).toBe(2); // the header read, then one full download shared by both readers
    await message.close();
  });

  it('reads a small message with one request, headers and body alike', async () => {
    const small = Buffer.concat([big.subarray(0, 300 * 1024)]);
    const id = stack.flow.load(small);
    const message = new LazyMessage(workmailSource(clients.messageFlow, id));
    await message.headers();
    expect(sha(await message.bytes())).toBe(sha(small));
    expect(gets(id)).toBe(1);
    await message.close();
  });

  it('types an expired message and lets the rule policy decide', async () => {
    const id = stack.flow.load(Buffer.from(`Subject: old${CRLF}${CRLF}x`), {
      receivedAt: clock.now() - 25 * 3600_000,
    });
    const message = new LazyMessage(workmailSource(clients.messageFlow, id));
    await expect(message.headers()).rejects.toBeInstanceOf(MessageNotFoundError);
    const outcomes: FlowOutcome[] = [];
    const stop = onFlowOutcome((o) => outcomes.push(o));
    const handler = flow({
      clients,
      logger: captureLogger(),
      rules: [
        rule('needs-headers', async (ctx) => void (await ctx.message.headers()), {
          onError: { failClosed: Verdicts.MOVE_TO_JUNK },
        }),
      ],
    });
    const response = await handler(makeFlowEvent({ messageId: id }), lambdaContext());
    stop();
    expect(response).toEqual({ actions: [{ action: { type: 'MOVE_TO_JUNK' }, allRecipients: true }] });
    expect(outcomes[0]?.failures[0]?.error).toContain('not found');
  });
});
