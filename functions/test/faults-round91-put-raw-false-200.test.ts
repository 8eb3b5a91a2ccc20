/**
 * Fault round 91: PutRawMessageContent answered `200` by something in between, not by WorkMail (no
 * `x-amzn-RequestId`, which every AWS answer carries), while the update never reached WorkMail. Asked: the guard's
 * strip never answers `DEFAULT` with the executable still in the message, outbound-policy never reports a disclaimer
 * committed that is not there; the invocation fails (WorkMail retries) and the retry commits. Held beside it: such a
 * `200` for an update WorkMail did apply is read back and counted as committed at once.
 */
import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { DISCLAIMER } from './faults-round89-kit.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && pathOf(req).startsWith('/messages/');
/** A `200` as a proxy or a cache in between gives it: WorkMail's body, none of its headers. */
const FALSE_200: Act = {
  do: 'answer',
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{}',
};

/** The first `faults` PutRawMessageContent calls get `act`; everything else goes through. */
function putRawOnce(act: Act, faults = 1) {
  t.flowp.decide = (req) => (isPutRaw(req) && faults-- > 0 ? act : { do: 'forward' });
}

const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

function stripper(seed: string) {
  const bytes = withExe(20_000, seed);
  const id = t.stack.flow.load(bytes);
  const handler = guard({
    ORGANIZATION_DOMAINS: 'corp.example',
    UPDATES_BUCKET: UPDATES,
    ATTACHMENT_ACTION: 'strip',
  });
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  return { bytes, id, handler, event };
}

function disclaimer(seed: string) {
  const bytes = bigMessage(20_000, seed);
  const id = t.stack.flow.load(bytes);
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
  return { bytes, id, handler, event };
}

const delivered = (id: string) => t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);

describe('PutRawMessageContent answered 200 by something in between, the update never applied', () => {
  it('guard strip: never DEFAULT with the executable in the message; the retry strips it', async () => {
    const { id, handler, event } = stripper('f91-false200-strip');
    putRawOnce(FALSE_200);
    const first = await invoke(handler, event);
    if (!first.error) {
      // Answered: only a verdict that does not deliver the unstripped message will do.
      const action = firstAction(first.response);
      if (action === 'DEFAULT') expect(delivered(id).includes('run.exe')).toBe(false);
    }
    expect(first.error, 'the first attempt should fail (WorkMail retries)').toBeDefined();
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    expect(delivered(id).includes('run.exe')).toBe(false);
    expect(delivered(id).toString('latin1').trimEnd().endsWith('--b1--')).toBe(true);
  }, 60_000);

  it('outbound-policy disclaimer: not reported committed; the retry commits it', async () => {
    const { id, handler, event } = disclaimer('f91-false200-disclaimer');
    putRawOnce(FALSE_200);
    const first = await invoke(handler, event);
    expect(first.error, 'the first attempt should fail (WorkMail retries)').toBeDefined();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    expect(delivered(id).toString('latin1')).toContain(DISCLAIMER);
  }, 60_000);

  it('every PutRawMessageContent answered so: the invocation keeps failing, the message never delivered unstripped', async () => {
    const { id, handler, event } = stripper('f91-false200-always');
    putRawOnce(FALSE_200, 100);
    const run = await invokeUntilAnswered(handler, event, 2);
    if (run.answered) expect(firstAction(run.response)).not.toBe('DEFAULT');
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 60_000);
});

describe('held: the false 200 and then the deadline', () => {
  it('guard strip: the read-back held until the deadline: never DEFAULT with the executable', async () => {
    const { id, handler, event } = stripper('f91-false200-deadline');
    let putRaw = 1;
    t.flowp.decide = (req) => {
      if (isPutRaw(req)) return putRaw-- > 0 ? FALSE_200 : { do: 'forward' };
      // The message's first read goes through; once the update was "answered", every read-back hangs.
      return putRaw > 0 ? { do: 'forward' } : { do: 'hang' };
    };
    const { response, error } = await invoke(handler, event, 4_000);
    expect(t.stack.flow.history(id)).toHaveLength(1);
    // The invocation fails (the update may be on its way: WorkMail retries, round 74) or answers a blocking verdict.
    if (!error) expect(firstAction(response)).not.toBe('DEFAULT');
    else expect(error.name).toBe('DeadlineError');
  }, 60_000);
});

describe('held: a 200 without a request id for an update WorkMail did apply', () => {
  it('guard strip: read back, committed at the first attempt', async () => {
    const { id, handler, event } = stripper('f91-false200-applied');
    putRawOnce({ ...FALSE_200, do: 'apply-then-answer' });
    const first = await invoke(handler, event);
    expect(first.error, describeErrors(first.error ? [first.error] : [])).toBeUndefined();
    expect(firstAction(first.response)).toBe('DEFAULT');
    expect(t.stack.flow.history(id)).toHaveLength(2);
    expect(delivered(id).includes('run.exe')).toBe(false);
  }, 60_000);

  it('WorkMail’s own 200 (with its request id): committed at once, as before', async () => {
    const { id, handler, event } = disclaimer('f91-true200');
    const first = await invoke(handler, event);
    expect(first.error).toBeUndefined();
    expect(t.stack.flow.history(id)).toHaveLength(2);
    expect(delivered(id).toString('latin1')).toContain(DISCLAIMER);
  }, 60_000);
});
