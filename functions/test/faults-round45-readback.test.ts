import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, describeErrors, invoke, JOURNAL, stored, UPDATES } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 45 (F45-4), F44-6's sibling: on a retry of an event already journaled, S3 answers the conditional
// PutObject 412 (the key holds an object), and the read-back of that object was answered 404 (a bodiless 404 from
// something in between, or NoSuchKey from a stale endpoint). The read-back took any 404 for "no object": for the
// copy, the retry recorded a repair of a copy that "held nothing" (a false tampering alarm) and wrote a second copy
// under `.repaired-…`; for the metadata, it rewrote an intact `.json` with an unconditional PutObject. S3 just said
// the key is taken, so a 404 for it is a transient failure: the invocation fails, nothing is written.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});
const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });
const event = (id: string) => makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
const keysOf = async (id: string) =>
  (await t.stack.listObjects(JOURNAL))
    .map((o) => o.key)
    .filter((k) => k.includes(id))
    .sort();
const BODILESS_404 = { do: 'answer', status: 404, headers: {}, body: '' } as const;
const NO_SUCH_KEY = {
  do: 'answer',
  status: 404,
  headers: { 'content-type': 'application/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
} as const;

/** The TransientError in the error's cause chain, in full; else the chain (or `answered`). */
function transientOf(error: Error | undefined): string {
  for (let e: unknown = error; e instanceof Error; e = e.cause)
    if (e.name === 'TransientError') return `${e.name}: ${e.message}`;
  return error ? describeErrors([error]) : 'answered';
}
const NOTHING =
  /^TransientError: reading s3:\/\/\S+ back found nothing, though S3 answered that the key is taken/;

describe('F45-4: journal read-back answered 404 right after S3 answered 412 for the key', () => {
  for (const [how, answer] of [
    ['a bodiless 404', BODILESS_404],
    ['NoSuchKey', NO_SUCH_KEY],
  ] as const) {
    it(`copy read-back answered ${how}: the retry fails (transient), no .repaired- copy of an intact copy`, async () => {
      const id = t.stack.flow.load(bigMessage(300_000, `f45-4-copy-${how}`));
      expect((await invoke(handler(), event(id))).error).toBeUndefined();
      const before = (await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString();
      t.s3p.decide = (req) =>
        req.method === 'GET' && pathOf(req).endsWith(`/j/${id}`) ? answer : { do: 'forward' };
      const retry = await invoke(handler(), event(id));
      expect(transientOf(retry.error)).toMatch(NOTHING);
      expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
      expect((await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString()).toBe(before);
      // Once S3 answers for itself again, the retry verifies the copy: still no repair.
      t.s3p.decide = () => ({ do: 'forward' });
      expect((await invoke(handler(), event(id))).error).toBeUndefined();
      expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
    }, 60_000);

    it(`metadata read-back answered ${how}: the retry fails (transient), the intact .json is not rewritten`, async () => {
      const id = t.stack.flow.load(bigMessage(100_000, `f45-4-meta-${how}`));
      expect((await invoke(handler(), event(id))).error).toBeUndefined();
      const before = (await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString();
      let metadataPuts = 0;
      t.s3p.decide = (req) => {
        if (!pathOf(req).endsWith(`/j/${id}.json`)) return { do: 'forward' };
        if (req.method === 'PUT' && !req.headers['if-none-match']) metadataPuts++;
        return req.method === 'GET' ? answer : { do: 'forward' };
      };
      const retry = await invoke(handler(), event(id));
      expect(transientOf(retry.error)).toMatch(NOTHING);
      expect(metadataPuts).toBe(0);
      expect((await stored(t.stack, JOURNAL, `j/${id}.json`))?.toString()).toBe(before);
      expect(await keysOf(id)).toEqual([`j/${id}`, `j/${id}.json`]);
    }, 60_000);
  }
});
