import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import {
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 92, held: the DeleteObject of a discarded staged update failing (a `500` on every attempt the SDK makes,
// or reset). Asked: the failed clean-up never changes the outcome: a refusal that will not change bounces as it would
// (the executable never goes through), one a retry may pass fails the invocation and the retry strips and delivers;
// the staged copy left is the updates bucket's one-day lifecycle's (documented), never committed.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && pathOf(req).startsWith('/messages/');
const isDelete = (req: IncomingMessage) => req.method === 'DELETE' && pathOf(req).startsWith(`/${UPDATES}/`);
const flowError = (status: number, type: string): Act => ({
  do: 'answer',
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message: `${type} (fault round 92)` }),
});
const s3Error: Act = {
  do: 'answer',
  status: 500,
  headers: { 'content-type': 'application/xml' },
  body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
};

function strip(id: string) {
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
  return { handler, event };
}

describe('held: the staged update discarded, its DeleteObject failing', () => {
  it.each([
    ['a 500', s3Error],
    ['never (held)', { do: 'hang' } as Act],
  ])(
    'MessageRejected, the delete answered %s: BOUNCE, the message unchanged',
    async (_name, fault) => {
      const bytes = withExe(20_000, `f92-delete-rejected-${_name}`);
      const id = t.stack.flow.load(bytes);
      let once = 1;
      t.flowp.decide = (req) =>
        isPutRaw(req) && once-- > 0 ? flowError(400, 'MessageRejected') : { do: 'forward' };
      t.s3p.decide = (req) => (isDelete(req) ? fault : { do: 'forward' });
      const { handler, event } = strip(id);
      const { response, error } = await invoke(handler, event);
      expect(firstAction(response), describeErrors(error ? [error] : [])).toBe('BOUNCE');
      expect(t.stack.flow.history(id)).toHaveLength(1);
    },
    60_000,
  );

  it('throttled on every attempt, the delete answered a 500: the invocation fails; the retry strips and delivers', async () => {
    const bytes = withExe(20_000, 'f92-delete-throttled');
    const id = t.stack.flow.load(bytes);
    let throttled = 3;
    t.flowp.decide = (req) =>
      isPutRaw(req) && throttled-- > 0 ? flowError(400, 'ThrottlingException') : { do: 'forward' };
    t.s3p.decide = (req) => (isDelete(req) ? s3Error : { do: 'forward' });
    const { handler, event } = strip(id);
    const first = await invoke(handler, event);
    expect(first.error, 'answered with nothing committed').toBeDefined();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    t.s3p.decide = () => ({ do: 'forward' });
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
    expect(out.toString('latin1').trimEnd().endsWith('--b1--')).toBe(true);
  }, 60_000);
});
