/**
 * Fault round 91 (held): outbound-policy's disclaimer against each refusal PutRawMessageContent may give, as round 88
 * asked of the guard's strip. A cosmetic edit refused for good lets the message go unchanged (never bounced), with
 * nothing staged left; throttling fails the invocation, and the retry commits the disclaimer once.
 */
import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
} from './fault-harness.js';
import { DISCLAIMER } from './faults-round89-kit.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && pathOf(req).startsWith('/messages/');
const flowError = (status: number, type: string): Act => ({
  do: 'answer',
  status,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': 'f91-refusal',
  },
  body: JSON.stringify({ message: `${type} (fault round 91)` }),
});
const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

function disclaimer(seed: string, once: Act, times = 1) {
  const bytes = bigMessage(10_000, seed);
  const id = t.stack.flow.load(bytes);
  let faults = times;
  t.flowp.decide = (req) => (isPutRaw(req) && faults-- > 0 ? once : { do: 'forward' });
  const handler = outboundPolicy({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    DISCLAIMER_TEXT: DISCLAIMER,
  });
  const event = makeFlowEvent({
    messageId: id,
    direction: 'OUTBOUND',
    mailFrom: 'dan@corp.example',
    recipients: ['orders@shop.example'],
  });
  return { id, handler, event };
}

describe('held: outbound-policy disclaimer, PutRawMessageContent refused for good', () => {
  it.each([
    ['MessageFrozen', 400],
    ['MessageRejected', 400],
    ['InvalidContentLocation', 400],
    ['ResourceNotFoundException', 404],
  ])(
    '%s: sent unchanged (DEFAULT, never a bounce), nothing staged',
    async (type, status) => {
      const { id, handler, event } = disclaimer(`f91-disc-${type}`, flowError(status, type));
      const { response, error } = await invoke(handler, event);
      expect(error, describeErrors(error ? [error] : [])).toBeUndefined();
      expect(firstAction(response)).toBe('DEFAULT');
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(await staged(id)).toEqual([]);
    },
    60_000,
  );
});

describe('held: outbound-policy disclaimer, PutRawMessageContent throttled', () => {
  it('throttled past the SDK’s retries: fails the invocation, nothing staged; the retry commits the disclaimer once', async () => {
    const { id, handler, event } = disclaimer(
      'f91-disc-throttled',
      flowError(400, 'ThrottlingException'),
      // Every attempt the SDK makes (AWS_MAX_ATTEMPTS=3): its own retries pass a single throttle.
      3,
    );
    const first = await invoke(handler, event);
    expect(first.error).toBeDefined();
    expect(await staged(id)).toEqual([]);
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    const history = t.stack.flow.history(id);
    expect(history).toHaveLength(2);
    const out = history.at(-1)?.content.toString('latin1') ?? '';
    expect(out.split(DISCLAIMER).length - 1).toBe(1);
  }, 60_000);
});

describe('held: the update applied, its answer lost, and the staged copy read back cut', () => {
  it('the invocation fails; the retry adds no second disclaimer', async () => {
    // Every attempt the SDK makes applied and reset: the lost answer is resolved by reading back.
    const { id, handler, event } = disclaimer('f91-disc-lost-cut', { do: 'apply-then-drop' }, 3);
    let cut = 1;
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).startsWith(`/${UPDATES}/`) && cut-- > 0
        ? { do: 'forward-chunked-cut', keep: 2_000 }
        : { do: 'forward' };
    const first = await invoke(handler, event);
    expect(cut, 'the staged copy was read back').toBeLessThan(1);
    expect(first.error).toBeDefined();
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    const out = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(out.split(DISCLAIMER).length - 1).toBe(1);
  }, 60_000);
});
