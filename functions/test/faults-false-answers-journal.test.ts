import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  bigMessage,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
} from './fault-harness.js';
import { isComplete, isPlainPut, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
  t.s3p.log.length = 0;
  t.flowp.log.length = 0;
});

const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });
const event = (id: string) => makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });

/** The promise: when the invocation answers, the copy S3 holds is the message, and its metadata describes it. */
async function expectJournaledWhole(id: string, bytes: Buffer) {
  const copy = await stored(t.stack, JOURNAL, `j/${id}`);
  expect(copy?.length, 'stored copy length').toBe(bytes.length);
  expect(sha256(copy ?? Buffer.alloc(0))).toBe(sha256(bytes));
  const meta = await stored(t.stack, JOURNAL, `j/${id}.json`);
  expect(meta, 'metadata object').toBeDefined();
  expect(JSON.parse(meta?.toString() ?? '{}').sha256).toBe(sha256(bytes));
}

/** Failure fails the invocation; success means S3 holds the copy; a metadata object never describes bytes S3 lacks. */
async function expectPromiseKept(id: string, bytes: Buffer, error: Error | undefined) {
  const copy = await stored(t.stack, JOURNAL, `j/${id}`);
  const meta = await stored(t.stack, JOURNAL, `j/${id}.json`);
  const facts = {
    invocation: error ? 'failed' : 'succeeded',
    copy: copy === undefined ? 'none' : sha256(copy) === sha256(bytes) ? 'whole' : 'other bytes',
    metadata: meta === undefined ? 'none' : 'written',
  };
  const kept =
    (facts.invocation === 'failed' &&
      facts.copy !== 'other bytes' &&
      !(facts.copy === 'none' && facts.metadata === 'written')) ||
    (facts.invocation === 'succeeded' && facts.copy === 'whole' && facts.metadata === 'written');
  expect(kept, JSON.stringify(facts)).toBe(true);
}

describe('PutObject answered 200 without S3 having stored anything (no ETag)', () => {
  it('streamed PutObject of the copy (size announced): the invocation must not answer "journaled"', async () => {
    const bytes = bigMessage(200_000, 's32-put-200-noetag');
    const id = t.stack.flow.load(bytes);
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/j/${id}`)
        ? { do: 'answer', status: 200, body: '' }
        : { do: 'forward' };
    const { error } = await invoke(handler(), event(id));
    await expectPromiseKept(id, bytes, error);
  }, 60_000);

  it('one-shot PutObject of uploadInParts (size not announced: answer chunked): must not answer "journaled"', async () => {
    const bytes = bigMessage(200_000, 's32-put-200-noetag-parts');
    const id = t.stack.flow.load(bytes);
    // The message answered chunked (well-formed, whole): no length, so the journal goes through uploadInParts.
    t.flowp.decide = (req) =>
      req.method === 'GET' ? { do: 'forward-chunked-cut', keep: Number.MAX_SAFE_INTEGER } : { do: 'forward' };
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/j/${id}`)
        ? { do: 'answer', status: 200, body: '' }
        : { do: 'forward' };
    const { error } = await invoke(handler(), event(id));
    await expectPromiseKept(id, bytes, error);
  }, 60_000);

  it('metadata PutObject answered 200 without storing: the invocation must not answer with no metadata', async () => {
    const bytes = bigMessage(100_000, 's32-meta-200-noetag');
    const id = t.stack.flow.load(bytes);
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/j/${id}.json`)
        ? { do: 'answer', status: 200, body: '' }
        : { do: 'forward' };
    const { error } = await invoke(handler(), event(id));
    if (!error) await expectJournaledWhole(id, bytes);
  }, 60_000);
});

describe('journal read-back on a retry', () => {
  it('read-back answered chunked and cut: no .repaired- copy of an identical message, no false mismatch', async () => {
    const bytes = bigMessage(300_000, 's32-readback-chunked-cut');
    const id = t.stack.flow.load(bytes);
    expect((await invoke(handler(), event(id))).error).toBeUndefined();
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).endsWith(`/j/${id}`)
        ? { do: 'forward-chunked-cut', keep: 100_000 }
        : { do: 'forward' };
    await invoke(handler(), event(id));
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    expect(keys.sort()).toEqual([`j/${id}`, `j/${id}.json`]);
  }, 60_000);

  it('metadata read-back answered cut (chunked): the retry fails and the metadata is not rewritten', async () => {
    const bytes = bigMessage(100_000, 's32-meta-readback-cut');
    const id = t.stack.flow.load(bytes);
    expect((await invoke(handler(), event(id))).error).toBeUndefined();
    const before = await stored(t.stack, JOURNAL, `j/${id}.json`);
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).endsWith(`/j/${id}.json`)
        ? { do: 'forward-chunked-cut', keep: 50 }
        : { do: 'forward' };
    // The cut read is not taken for the metadata: the retry fails (WorkMail retries again), nothing is rewritten.
    expect((await invoke(handler(), event(id))).error?.message).toMatch(/without a length/);
    const after = await stored(t.stack, JOURNAL, `j/${id}.json`);
    expect(after?.toString()).toBe(before?.toString());
  }, 60_000);
});

describe('multipart journal copy (message answered chunked, whole): parts and Complete answered falsely', () => {
  const chunked = (req: { method?: string }) =>
    req.method === 'GET'
      ? ({ do: 'forward-chunked-cut', keep: Number.MAX_SAFE_INTEGER } as const)
      : ({ do: 'forward' } as const);

  it('an UploadPart answered 200 with an ETag but never stored: the part is sent again, the copy journaled whole', async () => {
    const bytes = bigMessage(11_000_000, 's32-part-200-not-stored');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.flowp.decide = chunked;
    t.s3p.decide = (req) => {
      if (
        isUploadPart(req) &&
        pathOf(req).endsWith(`/j/${id}`) &&
        /partNumber=2\b/.test(req.url ?? '') &&
        faults-- > 0
      )
        return {
          do: 'answer',
          status: 200,
          headers: { etag: '"0123456789abcdef0123456789abcdef"' },
          body: '',
        };
      return { do: 'forward' };
    };
    const first = await invoke(handler(), event(id));
    await expectPromiseKept(id, bytes, first.error);
    // Since fault round 88 a part's ETag is compared with the MD5 of its bytes (no checksum sent here): the false
    // answer fails that part, which is sent again within the invocation, not at Complete (InvalidPart) after it.
    expect(faults, 'the false answer was given').toBeLessThan(1);
    expect(first.error).toBeUndefined();
    await expectJournaledWhole(id, bytes);
  }, 120_000);

  it('Complete applied by S3, its 200 answer cut (chunked, well-formed end): fails, and the retry verifies the copy', async () => {
    const bytes = bigMessage(6_000_000, 's32-journal-complete-cut');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.flowp.decide = chunked;
    t.s3p.decide = (req) =>
      isComplete(req) && pathOf(req).endsWith(`/j/${id}`) && faults-- > 0
        ? { do: 'forward-chunked-cut', keep: 60 }
        : { do: 'forward' };
    const first = await invoke(handler(), event(id));
    await expectPromiseKept(id, bytes, first.error);
    const run = await invokeUntilAnswered(handler(), event(id), 4);
    expect(run.answered).toBe(true);
    await expectJournaledWhole(id, bytes);
  }, 120_000);
});
