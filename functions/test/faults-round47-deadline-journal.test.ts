import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  assertJournalIntact,
  bigMessage,
  describeErrors,
  invoke,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
} from './fault-harness.js';
import { isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 47: the Lambda's deadline fires while the journal writes its metadata object, or reads a stored copy
// back. The invocation must fail (so it is retried), never answer with the journal half done or a false repair; the
// retry, with S3 answering again, ends with the copy and its metadata whole.
const t = proxiedStack([JOURNAL, UPDATES]);

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'jd/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });

describe('F47: the deadline during the journal', () => {
  it('fires while the metadata object is written: the invocation fails; the retry completes it', async () => {
    const bytes = bigMessage(200_000, 'f47-deadline-meta');
    const id = t.stack.flow.load(bytes);
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith('.json') ? { do: 'delay', ms: 6_000 } : { do: 'forward' };
    const first = await invoke(handler(), event, 3_000);
    t.s3p.decide = () => ({ do: 'forward' });
    const second = await invoke(handler(), event, 60_000);
    const facts = `first: ${first.error ? describeErrors([first.error]) : 'answered'}; second: ${second.error ? describeErrors([second.error]) : 'answered'}`;
    // A first answer would tell WorkMail the journal was done.
    expect(first.error, facts).toBeDefined();
    expect(second.error, facts).toBeUndefined();
    const { problems, copies } = await assertJournalIntact(t.stack, new Map([[id, bytes]]));
    expect(
      problems.filter((p) => p.includes(id)),
      facts,
    ).toEqual([]);
    expect(
      copies.filter((k) => k.includes(id)),
      facts,
    ).toEqual([`jd/${id}`]);
    const meta = await stored(t.stack, JOURNAL, `jd/${id}.json`);
    expect(meta && (JSON.parse(meta.toString()) as { sha256: string }).sha256, facts).toBe(sha256(bytes));
  }, 60_000);

  it('fires while the stored copy is read back: no repair copy, the invocation fails; the retry verifies it', async () => {
    const bytes = bigMessage(200_000, 'f47-deadline-readback');
    const id = t.stack.flow.load(bytes);
    const key = `jd/${id}`;
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: bytes }));
    const event = makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req) === `/${JOURNAL}/${key}`
        ? { do: 'delay', ms: 6_000 }
        : { do: 'forward' };
    const first = await invoke(handler(), event, 3_000);
    t.s3p.decide = () => ({ do: 'forward' });
    const second = await invoke(handler(), event, 60_000);
    const facts = `first: ${first.error ? describeErrors([first.error]) : 'answered'}; second: ${second.error ? describeErrors([second.error]) : 'answered'}`;
    expect(first.error, facts).toBeDefined();
    expect(second.error, facts).toBeUndefined();
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    expect(keys.sort(), facts).toEqual([key, `${key}.json`]);
  }, 60_000);
});
