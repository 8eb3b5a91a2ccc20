import { makeFlowEvent } from '@wmflow/core/testing';
import type { LocalStack } from '@wmflow/local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  fingerprint,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  startFaultStack,
  stored,
} from './fault-harness.js';

let stack: LocalStack;
const originals = new Map<string, Buffer>();
beforeAll(async () => {
  stack = await startFaultStack(21);
}, 60_000);
afterAll(async () => {
  const { problems } = await assertJournalIntact(stack, originals);
  await stack?.stop();
  expect(problems).toEqual([]);
});
beforeEach(() => {
  stack.proxies?.s3.configure('seed=21');
  stack.proxies?.flow.configure('seed=21');
  stack.flow.clearFaults();
});

const env = (extra: Record<string, string> = {}) => ({
  JOURNAL_BUCKET: JOURNAL,
  ORGANIZATION_DOMAINS: 'corp.example',
  KEY_TEMPLATE: 'j/{messageId}',
  ...extra,
});
function load(bytes: Buffer): string {
  const id = stack.flow.load(bytes);
  originals.set(id, bytes);
  return id;
}
const event = (messageId: string) => makeFlowEvent({ messageId, recipients: ['bob@corp.example'] });

describe('faults: archiver', () => {
  it('fails (so WorkMail retries) when the message stream resets mid-body, and journals the whole copy on retry', async () => {
    const bytes = bigMessage(300_000, 'reset-body');
    const id = load(bytes);
    // Every read of the first invocation (SDK attempts included) breaks mid-body.
    const fault = stack.flow.injectFault({ kind: 'broken-stream', afterBytes: 65_000 }, { messageId: id });
    const handler = archiver(env());
    const first = await invoke(handler, event(id));
    expect(first.error?.message).toMatch(/message source failed|journal/);
    expect(await stored(stack, JOURNAL, `j/${id}`)).toBeUndefined();
    fault.clear();
    const again = await invokeUntilAnswered(handler, event(id));
    expect(again.errors).toEqual([]);
    expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
  }, 120_000);

  it('journals a 7 MB message byte-identical through S3 resets, throttling and lost answers', async () => {
    const bytes = bigMessage(7_000_000, 's3-storm');
    const id = load(bytes);
    stack.proxies?.s3.configure('seed=5,reset=0.15,throttle=0.15,lost=0.1');
    const handler = archiver(env());
    const result = await invokeUntilAnswered(handler, event(id), 20);
    stack.proxies?.s3.configure('seed=5');
    expect(result.answered, describeErrors(result.errors)).toBe(true);
    expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
    const meta = JSON.parse(((await stored(stack, JOURNAL, `j/${id}.json`)) as Buffer).toString('utf8'));
    expect(meta).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
  }, 240_000);

  it.each([
    ['synchronous', 'true'],
    ['asynchronous', 'false'],
  ])(
    'leaves no partial copy when the deadline comes mid-upload (%s), and a whole one on retry',
    async (_mode, sync) => {
      const bytes = bigMessage(5_500_000, `deadline-${sync}`);
      const id = load(bytes);
      stack.proxies?.s3.configure('seed=9,latency=3000');
      const handler = archiver(env({ SYNCHRONOUS: sync }));
      const first = await invoke(handler, event(id), 2_500);
      expect(first.error?.name).toBe('DeadlineError');
      stack.proxies?.s3.configure('seed=9');
      // Nothing of the invocation goes on after its error. The copy is one streamed PutObject: when its last
      // byte left before the deadline, S3 may still complete it (no client can recall a whole request), so
      // what may appear is the whole message, never a part of it — and the retry verifies it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const late = await stored(stack, JOURNAL, `j/${id}`);
      if (late !== undefined) expect(late.equals(bytes)).toBe(true);
      expect(await stored(stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
      const again = await invokeUntilAnswered(handler, event(id));
      expect(again.errors).toEqual([]);
      expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
    },
    180_000,
  );

  it('writes exactly one copy under concurrent retries of the same event with S3 faults', async () => {
    const bytes = bigMessage(6_000_000, 'concurrent');
    const id = load(bytes);
    stack.proxies?.s3.configure('seed=3,reset=0.1,throttle=0.1');
    const handler = archiver(env());
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => invokeUntilAnswered(handler, event(id), 20)),
    );
    stack.proxies?.s3.configure('seed=3');
    expect(
      runs.every((r) => r.answered),
      describeErrors(runs.flatMap((r) => r.errors)),
    ).toBe(true);
    const keys = (await stack.listObjects(JOURNAL, `j/${id}`)).map((o) => o.key);
    expect(keys).toEqual([`j/${id}`, `j/${id}.json`]);
    expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
  }, 240_000);

  it('journals a 6 MB message whole when S3 faults make the journal retry from a new fetch that also resets', async () => {
    // The journal is the last rule of an asynchronous flow: its retry fetches the message again (no spool
    // file), and that fetch may itself be cut. Never a shorter or spliced copy: a failed invocation, then a whole one.
    const bytes = bigMessage(6_000_000, 'refetch-storm');
    const id = load(bytes);
    stack.proxies?.s3.configure('seed=13,reset=0.2,throttle=0.2');
    stack.proxies?.flow.configure('seed=13,reset=0.25');
    const handler = archiver(env());
    const result = await invokeUntilAnswered(handler, event(id), 30);
    stack.proxies?.s3.configure('seed=21');
    stack.proxies?.flow.configure('seed=21');
    expect(result.answered, describeErrors(result.errors)).toBe(true);
    expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
    const meta = JSON.parse(((await stored(stack, JOURNAL, `j/${id}.json`)) as Buffer).toString('utf8'));
    expect(meta).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
  }, 240_000);

  it('reads the message once (journaling reads no headers): a fault armed for a second read never hits', async () => {
    const bytes = bigMessage(3_000_000, 'single-read');
    const id = load(bytes);
    const short = stack.flow.injectFault(
      { kind: 'short-body', bytes: 2_000_000 },
      { messageId: id, skip: 1, times: 1 },
    );
    const run = await invokeUntilAnswered(archiver(env()), event(id));
    expect(run.errors).toEqual([]);
    expect(short.hits).toBe(0);
    expect(fingerprint(await stored(stack, JOURNAL, `j/${id}`))).toEqual(fingerprint(bytes));
  }, 240_000);
});
