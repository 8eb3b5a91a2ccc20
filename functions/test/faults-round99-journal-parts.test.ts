import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  UPDATES,
} from './fault-harness.js';
import { type Act, isComplete, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 99: the archiver's copy of a 12 MB message in parallel multipart parts, with one part failing while
// others are in flight, parts and CompleteMultipartUpload held past the Lambda's deadline, the message read stalling
// while parts are in flight, and two attempts of one event racing on `If-None-Match`. Asked: the journal ends holding
// the message byte for byte or nothing; a failed invocation's retry journals it once; and once an invocation has
// answered at its deadline, it sends no part, no Complete and no metadata (only the upload's abort).
const t = proxiedStack([JOURNAL, UPDATES]);
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

/** Every request the S3 proxy saw, with when it was decided. */
const seen: { at: number; what: string; req: IncomingMessage }[] = [];
let s3Script: (req: IncomingMessage) => Act | Promise<Act> = () => ({ do: 'forward' });
beforeEach(() => {
  seen.length = 0;
  s3Script = () => ({ do: 'forward' });
  t.s3p.decide = (req) => {
    seen.push({ at: Date.now(), what: `${req.method} ${req.url}`, req });
    return s3Script(req);
  };
  // GetRawMessageContent chunked: the journal then uploads in parts whatever the size.
  t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
});

const partNumber = (req: IncomingMessage) =>
  Number(new URL(req.url ?? '', 'http://x').searchParams.get('partNumber'));
const isAbort = (req: IncomingMessage) => req.method === 'DELETE' && /[?&]uploadId=/.test(req.url ?? '');
const isJournalWrite = (req: IncomingMessage) =>
  (req.method === 'PUT' || req.method === 'POST') && pathOf(req).startsWith(`/${JOURNAL}/`);

const handler = () =>
  archiver({
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'jp99/{messageId}',
    ORGANIZATION_DOMAINS: 'corp.example',
  });

async function journalOf(id: string, bytes: Buffer) {
  const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
  const metadata = (await t.stack.listObjects(JOURNAL)).filter(
    (o) => o.key.includes(id) && o.key.endsWith('.json'),
  );
  return {
    problems: problems.filter((p) => p.includes(id)),
    copies: copies.filter((k) => k.includes(id)),
    metadata: metadata.length,
  };
}

/**
 * The first invocation under the script with a short deadline; then: what it sent after its answer (only aborts
 * allowed), what the journal holds (nothing or the whole message), and WorkMail's retry journaling it once.
 */
async function deadlineThenRetry(label: string, script: typeof s3Script, flow?: typeof t.flowp.decide) {
  const bytes = bigMessage(12_000_000, `f99-parts-${label}`);
  const id = t.stack.flow.load(bytes);
  const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
  s3Script = script;
  if (flow) t.flowp.decide = flow;
  const first = await invoke(handler(), event, 3_000);
  const answeredAt = Date.now();
  // Whatever the first invocation left running gets time to act (held requests are let through by the scripts).
  await new Promise((r) => setTimeout(r, 4_000));
  const late = seen.filter((s) => s.at > answeredAt + 50 && !isAbort(s.req) && isJournalWrite(s.req));
  const facts = `${first.error ? describeErrors([first.error]) : JSON.stringify(first.response)}; ${seen.map((s) => s.what).join(' | ')}`;
  // At its deadline the archiver fails the invocation (a copy not known stored): WorkMail retries.
  expect(first.error, facts).toBeDefined();
  expect(
    late.map((s) => s.what),
    facts,
  ).toEqual([]);
  const before = await journalOf(id, bytes);
  expect(before.problems, facts).toEqual([]);
  expect(before.copies.length, facts).toBeLessThanOrEqual(1);
  s3Script = () => ({ do: 'forward' });
  t.flowp.decide = (req) => (req.method === 'GET' ? { do: 'forward-chunked' } : { do: 'forward' });
  const retry = await invokeUntilAnswered(handler(), event, 3);
  expect(retry.answered, describeErrors(retry.errors)).toBe(true);
  const after = await journalOf(id, bytes);
  expect(after.problems).toEqual([]);
  expect(after.copies).toHaveLength(1);
  expect(after.metadata).toBe(1);
}

describe('fault round 99: the journal in parallel parts, the deadline and a part failing among others', () => {
  it('control: a 12 MB message journaled in parts, whole, once', async () => {
    const bytes = bigMessage(12_000_000, 'f99-parts-control');
    const id = t.stack.flow.load(bytes);
    const run = await invokeUntilAnswered(
      handler(),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      1,
    );
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    expect(seen.filter((s) => isUploadPart(s.req)).length).toBeGreaterThanOrEqual(3);
    const journal = await journalOf(id, bytes);
    expect(journal).toEqual({ problems: [], copies: [expect.any(String)], metadata: 1 });
  }, 60_000);

  it('part 2 refused 500 on every attempt while parts 1 and 3 are held: aborted after them, nothing stored', async () => {
    const bytes = bigMessage(12_000_000, 'f99-parts-one-fails');
    const id = t.stack.flow.load(bytes);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let refusals = 0;
    s3Script = (req) => {
      if (isUploadPart(req) && partNumber(req) === 2) {
        // Once part 2 failed for good (three attempts), the held parts are let through.
        if (++refusals >= 3) setTimeout(release, 300);
        return {
          do: 'answer',
          status: 500,
          body: '<Error><Code>InternalError</Code><Message>x</Message></Error>',
        };
      }
      if (isUploadPart(req)) return { do: 'after', until: gate };
      return { do: 'forward' };
    };
    const run = await invoke(
      handler(),
      makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }),
      30_000,
    );
    release();
    const facts = seen.map((s) => s.what).join(' | ');
    const journal = await journalOf(id, bytes);
    expect(journal.problems, facts).toEqual([]);
    if (run.error) expect(journal.copies, facts).toEqual([]);
    else expect(journal.copies, facts).toHaveLength(1);
    // Every upload created was completed or aborted, each abort after every part of its upload was answered.
    const creates = seen.filter((s) => s.req.method === 'POST' && /[?&]uploads(=|&|$)/.test(s.req.url ?? ''));
    const ends = seen.filter((s) => isAbort(s.req) || isComplete(s.req));
    expect(ends.length, facts).toBeGreaterThanOrEqual(creates.length);
  }, 60_000);

  it('part 1 never answered: the deadline fails the invocation, nothing sent after it but the abort', async () => {
    await deadlineThenRetry('part-held', (req) =>
      isUploadPart(req) && partNumber(req) === 1 ? { do: 'hang' } : { do: 'forward' },
    );
  }, 60_000);

  it('parts held until after the deadline, then let through: nothing completed', async () => {
    await deadlineThenRetry('parts-late', (req) =>
      isUploadPart(req) ? { do: 'delay', ms: 3_500 } : { do: 'forward' },
    );
  }, 60_000);

  it('CompleteMultipartUpload held past the deadline, then let through: the journal holds nothing or the message', async () => {
    await deadlineThenRetry('complete-late', (req) =>
      isComplete(req) ? { do: 'delay', ms: 3_000 } : { do: 'forward' },
    );
  }, 60_000);

  it('the message read stalls with parts in flight: nothing completed after the deadline', async () => {
    await deadlineThenRetry(
      'read-stalls',
      (req) => (isUploadPart(req) ? { do: 'delay', ms: 500 } : { do: 'forward' }),
      (req) => (req.method === 'GET' ? { do: 'forward-then-hang', keep: 7_000_000 } : { do: 'forward' }),
    );
  }, 60_000);

  it('two attempts of one event racing: the first Complete held until the second answered, one copy', async () => {
    const bytes = bigMessage(12_000_000, 'f99-parts-race');
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let completes = 0;
    s3Script = (req) =>
      isComplete(req) && ++completes === 1 ? { do: 'after', until: gate } : { do: 'forward' };
    const firstRun = invoke(handler(), event, 30_000);
    // The second attempt starts once the first one's Complete is held.
    while (completes === 0) await new Promise((r) => setTimeout(r, 50));
    const second = await invoke(handler(), event, 30_000);
    open();
    const first = await firstRun;
    const facts = `${[first.error, second.error].map((e) => e && describeErrors([e])).join('; ')}; ${seen.map((s) => s.what).join(' | ')}`;
    expect(second.error, facts).toBeUndefined();
    const journal = await journalOf(id, bytes);
    expect(journal, facts).toEqual({ problems: [], copies: [expect.any(String)], metadata: 1 });
    if (first.error) {
      const retry = await invokeUntilAnswered(handler(), event, 2);
      expect(retry.answered).toBe(true);
      expect(await journalOf(id, bytes)).toEqual(journal);
    }
  }, 60_000);

  it('no rejection escaped', () => {
    expect(escaped).toEqual([]);
  });
});
