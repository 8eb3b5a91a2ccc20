import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, describeErrors, invoke, JOURNAL, stored, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 44 (F44-6): on a retry of an event already journaled, the read-back of the stored copy (or of its
// `.json`) answered `200 Content-Length: 0` (something in between answering for S3) was taken for the object: the
// retry wrote a second copy under `.repaired-…` with a false `repairs` record (a tampering alarm for an intact
// copy), or rewrote an intact `.json`. A journal copy and its metadata are never empty: such an answer is a
// transient failure (the invocation fails and is retried), and nothing is written.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});
const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });
const event = (id: string) => makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
const EMPTY = { do: 'answer', status: 200, headers: { 'content-type': 'message/rfc822' }, body: '' } as const;
const keysOf = async (id: string) =>
  (await t.stack.listObjects(JOURNAL))
    .map((o) => o.key)
    .filter((k) => k.includes(id))
    .sort();

/** The TransientError in the error's cause chain, in full; else the chain (or `answered`). */
function transientOf(error: Error | undefined): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (e.name === 'TransientError') return `${e.name}: ${e.message}`;
  return error ? describeErrors([error]) : 'answered';
}
const ZERO = /^TransientError: reading s3:\/\/\S+ back answered 0 bytes/;

describe('F44-6: journal read-back on a retry answered 200 with Content-Length 0', () => {
  it('copy read-back: the retry fails (transient), no .repaired- copy, no false mismatch; then verifies', async () => {
    const id = t.stack.flow.load(bigMessage(300_000, 'f44-6-readback-empty'));
    expect((await invoke(handler(), event(id))).error).toBeUndefined();
    const before = (await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString();
    t.s3p.decide = (req) =>
      req.method === 'GET' && pathOf(req).endsWith(`/j/${id}`) ? EMPTY : { do: 'forward' };
    const retry = await invoke(handler(), event(id));
    expect(transientOf(retry.error)).toMatch(ZERO);
    expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
    expect((await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString()).toBe(before);
    // Control: once S3 answers for itself, the next retry verifies the copy and answers.
    t.s3p.decide = () => ({ do: 'forward' });
    expect((await invoke(handler(), event(id))).error).toBeUndefined();
    expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
  }, 60_000);

  it('metadata read-back: the retry fails (transient) and the .json is not rewritten', async () => {
    const id = t.stack.flow.load(bigMessage(100_000, 'f44-6-meta-empty'));
    expect((await invoke(handler(), event(id))).error).toBeUndefined();
    const before = (await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString();
    let metadataPuts = 0;
    t.s3p.decide = (req) => {
      if (!pathOf(req).endsWith(`/j/${id}.json`)) return { do: 'forward' };
      if (req.method === 'PUT' && !req.headers['if-none-match']) metadataPuts++;
      return req.method === 'GET' ? EMPTY : { do: 'forward' };
    };
    const retry = await invoke(handler(), event(id));
    expect(transientOf(retry.error)).toMatch(ZERO);
    expect(metadataPuts).toBe(0);
    expect((await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString()).toBe(before);
    expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
  }, 60_000);
});
