import { GetRawMessageContentCommand } from '@aws-sdk/client-workmailmessageflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { failure, flowClient } from './helpers.js';

let stack: LocalStack;
const MESSAGE = `From: a@example.net\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n${'body line\r\n'.repeat(1000)}`;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.stop());
afterEach(() => stack.flow.clearFaults());

async function get(messageId: string, extra: { maxAttempts?: number; abortAfterMs?: number } = {}) {
  const client = flowClient(stack, extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {});
  const abortSignal = extra.abortAfterMs ? AbortSignal.timeout(extra.abortAfterMs) : undefined;
  const out = await client.send(new GetRawMessageContentCommand({ messageId }), { abortSignal });
  return Buffer.from(
    await (out.messageContent as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

const statuses = (id: string) =>
  stack.flow
    .requests()
    .filter((r) => r.messageId === id)
    .map((r) => r.status);

describe('fault injection', () => {
  it('throttles with ThrottlingException 429, which the SDK retries', async () => {
    const id = stack.flow.load(MESSAGE);
    stack.flow.injectFault({ kind: 'throttle' }, { messageId: id, times: 1 });
    const error = await failure(get(id, { maxAttempts: 1 }));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ThrottlingException', 429]);
    stack.flow.injectFault({ kind: 'throttle' }, { times: 1 });
    expect((await get(id)).toString('latin1')).toBe(MESSAGE);
    expect(statuses(id)).toEqual([429, 429, 200]);
  });

  it('answers 5xx for the next N requests, per operation', async () => {
    const id = stack.flow.load(MESSAGE);
    const fault = stack.flow.injectFault(
      { kind: 'server-error', status: 503 },
      { times: 2, operation: 'get' },
    );
    const error = await failure(get(id, { maxAttempts: 2 }));
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['InternalServerException', 503]);
    expect(fault.hits).toBe(2);
    expect((await get(id, { maxAttempts: 1 })).length).toBe(MESSAGE.length);
  });

  it('delays answers (latency) until the client gives up', async () => {
    const id = stack.flow.load(MESSAGE);
    const slow = stack.flow.injectFault({ kind: 'latency', ms: 1500 }, { messageId: id });
    const error = await failure(get(id, { maxAttempts: 1, abortAfterMs: 100 }));
    expect(error.name).toMatch(/AbortError|TimeoutError/);
    slow.clear();
    stack.flow.injectFault({ kind: 'latency', ms: 20 }, { messageId: id, times: 1 });
    expect((await get(id)).length).toBe(MESSAGE.length);
  });

  it('breaks the GetRawMessageContent stream mid-body', async () => {
    const id = stack.flow.load(MESSAGE);
    stack.flow.injectFault({ kind: 'broken-stream', afterBytes: 5000 }, { messageId: id });
    const error = await failure(get(id, { maxAttempts: 1 }));
    expect(error.message).toMatch(/aborted|socket hang up|ECONNRESET|premature close/i);
    expect(statuses(id)).toEqual([0]);
  });
});
