import type { IncomingMessage } from 'node:http';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invoke,
  invokeUntilAnswered,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { type Act, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 88, held: the guard's strip against each answer PutRawMessageContent may give (DESIGN.md's documented
// errors, throttling, a reset after the request was applied). Asked: the message WorkMail holds is the original or
// the stripped whole, never another; a refusal that will not change on retry bounces (the executable must not go
// through), one that may (throttling) fails the invocation; the staged copy is deleted whenever nothing was committed.
const t = proxiedStack([UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && pathOf(req).startsWith('/messages/');
const flowError = (status: number, type: string): Act => ({
  do: 'answer',
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message: `${type} (fault round 88)` }),
});

async function strip(id: string, once: Act) {
  let faults = 1;
  t.flowp.decide = (req) => (isPutRaw(req) && faults-- > 0 ? once : { do: 'forward' });
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

const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));

describe('held: PutRawMessageContent refused for good (guard strip)', () => {
  it.each([
    ['MessageFrozen', 400],
    ['MessageRejected', 400],
    ['InvalidContentLocation', 400],
    ['ResourceNotFoundException', 404],
  ])(
    '%s: BOUNCE, the message unchanged, the staged copy deleted',
    async (type, status) => {
      const bytes = withExe(30_000, `f88-put-${type}`);
      const id = t.stack.flow.load(bytes);
      const { handler, event } = await strip(id, flowError(status, type));
      const { response, error } = await invoke(handler, event);
      expect(firstAction(response), describeErrors(error ? [error] : [])).toBe('BOUNCE');
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(await staged(id)).toEqual([]);
    },
    60_000,
  );
});

describe('held: PutRawMessageContent that a retry may pass (guard strip)', () => {
  it.each([
    ['ThrottlingException', flowError(400, 'ThrottlingException')],
    ['a 503 with no error type', { do: 'answer', status: 503, body: '' } as Act],
    ['a reset after the update was applied', { do: 'apply-then-drop' } as Act],
    ['a reset before it reached WorkMail', { do: 'answer', status: 0, body: '' } as Act],
  ])(
    '%s: never a bounce; the message ends stripped and whole',
    async (_name, act) => {
      const bytes = withExe(30_000, `f88-put-retry-${_name}`);
      const id = t.stack.flow.load(bytes);
      const { handler, event } =
        act.do === 'answer' && act.status === 0 ? await dropBeforeApply(id) : await strip(id, act);
      const run = await invokeUntilAnswered(handler, event, 4);
      expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
      const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
      expect(out.includes('run.exe')).toBe(false);
      expect(out.toString('latin1').trimEnd().endsWith('--b1--')).toBe(true);
      expect(
        out.includes(bytes.subarray(bytes.indexOf('Please find'), bytes.indexOf('Please find') + 40)),
      ).toBe(true);
    },
    120_000,
  );
});

/** The first PutRawMessageContent's connection dropped before it is forwarded (the SDK sees a reset). */
async function dropBeforeApply(id: string) {
  const made = await strip(id, { do: 'forward' });
  let faults = 1;
  t.flowp.decide = (req) => {
    if (isPutRaw(req) && faults-- > 0) throw new Error('dropped');
    return { do: 'forward' };
  };
  return made;
}

/** The staged update of `id` as the first PutRawMessageContent names it, changed by `change` before it is sent on. */
function beforePutRaw(id: string, change: (key: string) => Promise<unknown>) {
  let faults = 1;
  t.flowp.decide = async (req, body) => {
    if (isPutRaw(req) && pathOf(req).includes(id) && faults-- > 0) {
      const { content } = JSON.parse(body.toString()) as { content: { s3Reference: { key: string } } };
      await change(content.s3Reference.key);
    }
    return { do: 'forward' };
  };
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

describe('the staged update changed between its upload and PutRawMessageContent', () => {
  it('held: deleted, WorkMail cannot read it: the executable never delivered, the message unchanged', async () => {
    const bytes = withExe(30_000, 'f88-staged-deleted');
    const id = t.stack.flow.load(bytes);
    const { handler, event } = beforePutRaw(id, (Key) =>
      t.stack.s3.send(new DeleteObjectCommand({ Bucket: UPDATES, Key })),
    );
    const { response } = await invoke(handler, event);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(out.equals(bytes)).toBe(true);
    expect(firstAction(response) ?? 'failed (retried)').not.toBe('DEFAULT');
  }, 60_000);

  // Left open (F88 open item): the updates bucket is not versioned, so PutRawMessageContent names a key, not an
  // object; a principal that may write the bucket and overwrites the staged key in between has WorkMail deliver its
  // bytes, and the outcome is reported committed. Closing it needs a versioned bucket and `objectVersion` (or a read-back
  // of every committed message). It needs s3:PutObject on the updates bucket, which only the functions' roles hold.
  it.fails('open: overwritten with another message: never delivered as the rewrite', async () => {
    const bytes = withExe(30_000, 'f88-staged-overwritten');
    const id = t.stack.flow.load(bytes);
    // The same header block (WorkMail refuses a changed Message-ID), the executable gone, another text.
    const forged = Buffer.from(
      bigMessage(30_000, 'f88-staged-overwritten')
        .toString('latin1')
        .replace('Please find the report attached.', 'f88-staged-forged: wire the money today.'),
      'latin1',
    );
    const { handler, event } = beforePutRaw(id, (Key) =>
      t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key, Body: forged })),
    );
    await invoke(handler, event);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('f88-staged-forged')).toBe(false);
  }, 60_000);
});
