/**
 * Fault round 90: the second fetch fault round 89 added (`Spool.confirmEnd`) under faults. GetRawMessageContent is
 * answered chunked (no length) and whole the first time; the confirming fetch is then held until the deadline, reset,
 * answered with an error, answered with the same length but other bytes, or chunked and cut at the same byte.
 * Asked: nothing cut is committed or journaled, a failed confirm fails the invocation (WorkMail retries) with nothing
 * staged left, and an answer at the deadline leaves nothing committed or staged afterwards.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  assertJournalIntact,
  bigMessage,
  firstAction,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { DISCLAIMER } from './faults-round89-kit.js';
import { type Act, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([UPDATES, JOURNAL]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const staged = async (id: string) =>
  (await t.stack.listObjects(UPDATES)).map((o) => o.key).filter((k) => k.includes(id));
const settle = () => new Promise((r) => setTimeout(r, 1_500));

/**
 * The first GET chunked and whole, every later one (the confirm, and the SDK's own retries of it) answered by
 * `second`; call the returned function to forward everything again (WorkMail's retry of the invocation).
 */
function script(second: (n: number) => Act) {
  let gets = 0;
  t.flowp.decide = (req) => {
    if (req.method !== 'GET') return { do: 'forward' };
    gets++;
    return gets === 1 ? { do: 'forward-chunked' } : second(gets);
  };
  return () => {
    t.flowp.decide = () => ({ do: 'forward' });
  };
}

function disclaimer(seed: string, size = 30_000, given?: Buffer) {
  const bytes = given ?? bigMessage(size, seed);
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

const THROTTLED: Act = {
  do: 'answer',
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' },
  body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
};
const GONE: Act = {
  do: 'answer',
  status: 404,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ResourceNotFoundException' },
  body: JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Message not found' }),
};

describe('outbound-policy disclaimer: the confirming fetch fails', () => {
  it.each([
    ['throttled', THROTTLED],
    ['ResourceNotFound (WorkMail moved on)', GONE],
    ['reset', { do: 'apply-then-drop' } as Act],
  ])(
    '%s: not committed, nothing staged, the invocation fails and the retry commits',
    async (name, act) => {
      const { bytes, id, handler, event } = disclaimer(`f90-confirm-${name.replace(/\W/g, '')}`);
      const heal = script(() => act);
      const first = await invoke(handler, event);
      expect(first.error).toBeDefined();
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(await staged(id)).toEqual([]);
      heal();
      const retry = await invoke(handler, event);
      expect(retry.error).toBeUndefined();
      const history = t.stack.flow.history(id);
      expect(history).toHaveLength(2);
      const out = history.at(-1)?.content.toString('latin1') ?? '';
      expect(out).toContain(DISCLAIMER);
      // the whole original body is in the commit
      const tail = bytes.toString('latin1').slice(-200).trim();
      expect(out).toContain(tail.slice(0, 60));
    },
    60_000,
  );

  // F90-1: the confirm failed while the staged PutObject was in flight; the discard aborted it and deleted only an
  // upload that had answered, so a copy S3 stored before its answer came back was left in the updates bucket.
  it('ResourceNotFound while the staged PutObject is in flight: nothing staged left', async () => {
    const { id, handler, event } = disclaimer('f90-confirm-inflight');
    let confirmed!: () => void;
    const confirmFailed = new Promise<void>((r) => {
      confirmed = r;
    });
    script(() => {
      setTimeout(confirmed, 50);
      return GONE;
    });
    t.s3p.decide = (req) =>
      req.method === 'PUT' && (req.url ?? '').includes(UPDATES)
        ? { do: 'after', until: confirmFailed }
        : { do: 'forward' };
    const first = await invoke(handler, event);
    expect(first.error).toBeDefined();
    await settle();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 60_000);

  it('held until the deadline: answered, nothing committed or staged, then or later', async () => {
    const { id, handler, event } = disclaimer('f90-confirm-hang');
    script(() => ({ do: 'hang' }));
    const { response, error } = await invoke(handler, event, 5_000);
    expect(error).toBeUndefined();
    expect(firstAction(response)).toBeDefined();
    await settle();
    expect(t.stack.flow.history(id)).toHaveLength(1);
    expect(await staged(id)).toEqual([]);
  }, 60_000);

  it('answered the same length with other bytes: the first whole read is committed, byte for byte', async () => {
    const { bytes, id, handler, event } = disclaimer('f90-confirm-garbled');
    const garbled = Buffer.alloc(bytes.length, 'Z').toString('latin1');
    script(() => ({
      do: 'answer',
      status: 200,
      headers: { 'content-type': 'message/rfc822' },
      body: garbled,
    }));
    const { error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    const out = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(out).toContain(DISCLAIMER);
    expect(out).not.toContain('ZZZZ');
  }, 60_000);

  // Documented by fault round 89 as not caught: every answer cut at the same byte, chunked, looks like the message.
  it('every answer chunked and cut at the same byte: committed cut (not caught, as documented)', async () => {
    const body = Array.from({ length: 400 }, (_, i) => `line ${i} of the order`).join('\r\n');
    const bytes = Buffer.from(
      'From: dan@corp.example\r\nTo: orders@shop.example\r\nSubject: order\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n' +
        `Message-ID: <f90-samecut@corp.example>\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`,
      'latin1',
    );
    const { id, handler, event } = disclaimer('f90-confirm-samecut', 0, bytes);
    const keep = Math.floor(bytes.length * 0.6);
    t.flowp.decide = (req) =>
      req.method === 'GET' ? { do: 'forward-chunked-cut', keep } : { do: 'forward' };
    const { error } = await invoke(handler, event);
    expect(error).toBeUndefined();
    expect(t.stack.flow.history(id)).toHaveLength(2);
  }, 60_000);
});

describe('guard strip: the confirming fetch fails', () => {
  it.each([
    ['ResourceNotFound', GONE],
    ['held until the deadline', { do: 'hang' } as Act],
  ])(
    '%s: never DEFAULT, never delivered with its executable, nothing staged',
    async (name, act) => {
      const bytes = withExe(30_000, `f90-guard-${name.replace(/\W/g, '')}`);
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
      script(() => act);
      const { response, error } = await invoke(handler, event, 5_000);
      if (!error) expect(firstAction(response)).not.toBe('DEFAULT');
      await settle();
      expect(t.stack.flow.history(id)).toHaveLength(1);
      expect(await staged(id)).toEqual([]);
    },
    60_000,
  );
});

describe('archiver: the confirming fetch fails', () => {
  const archive = (seed: string, size: number) => {
    const bytes = bigMessage(size, seed);
    const id = t.stack.flow.load(bytes);
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    return { bytes, id, handler, event };
  };
  it.each([
    ['throttled, small copy', THROTTLED, 30_000],
    ['ResourceNotFound, small copy', GONE, 30_000],
    ['throttled, parted copy', THROTTLED, 12_000_000],
    ['reset, parted copy', { do: 'apply-then-drop' } as Act, 12_000_000],
  ])(
    '%s: nothing journaled by the failed attempt, the retry journals it whole',
    async (name, act, size) => {
      const { bytes, id, handler, event } = archive(`f90-journal-${name.replace(/\W/g, '')}`, size as number);
      const heal = script(() => act as Act);
      const first = await invoke(handler, event);
      expect(first.error).toBeDefined();
      const after = await t.stack.listObjects(JOURNAL);
      expect(after.filter((o) => o.key.includes(id))).toEqual([]);
      heal();
      const run = await invokeUntilAnswered(handler, event, 3);
      expect(run.answered).toBe(true);
      const { copies, problems } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
      expect(problems.filter((p) => p.includes(id))).toEqual([]);
      expect(copies.filter((k) => k.includes(id))).toHaveLength(1);
    },
    120_000,
  );

  it('held until the deadline: nothing journaled then or later', async () => {
    const { id, handler, event } = archive('f90-journal-hang', 30_000);
    script(() => ({ do: 'hang' }));
    await invoke(handler, event, 5_000);
    await settle();
    const after = await t.stack.listObjects(JOURNAL);
    expect(after.filter((o) => o.key.includes(id))).toEqual([]);
  }, 60_000);
});
