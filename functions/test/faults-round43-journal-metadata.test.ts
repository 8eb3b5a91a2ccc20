import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, fingerprint, invoke, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { type Act, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 43 (scenario 3): the journal's `<key>.json` must describe exactly the bytes stored at the key it
// names (size and sha256). Attempts to make it describe other bytes: two invocations for one message id that read
// different bytes (the message was updated in between), racing in either order; a retry after the metadata write
// failed, the message having changed meanwhile; a stale `.json` describing other bytes left at the key.
const t = proxiedStack([JOURNAL, UPDATES]);
afterEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const handler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });
const event = (id: string) => makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] });
const isGet = (req: { method?: string; url?: string }, id: string) =>
  req.method === 'GET' && pathOf(req as never).endsWith(`/messages/${id}`);
/** Serves `bytes` as GetRawMessageContent's answer (the message as an update left it). */
const serve = (bytes: Buffer): Act => ({
  do: 'answer',
  status: 200,
  headers: { 'content-type': 'application/octet-stream' },
  body: bytes.toString('latin1'),
});

/**
 * Every `.json` under `prefix` describes exactly the bytes stored at the key it names; every copy is one of the
 * versions whole; every version is journaled somewhere. Returns which version each copy key holds.
 */
async function checkJournal(prefix: string, versions: Record<string, Buffer>) {
  const held: Record<string, string> = {};
  const problems: string[] = [];
  for (const { key } of await t.stack.listObjects(JOURNAL)) {
    if (!key.startsWith(prefix)) continue;
    const bytes = (await stored(t.stack, JOURNAL, key)) ?? Buffer.alloc(0);
    if (key.endsWith('.json')) {
      const meta = JSON.parse(bytes.toString('utf8')) as { key: string; sha256: string; size: number };
      const copy = await stored(t.stack, JOURNAL, meta.key);
      if (`${meta.key}.json` !== key) problems.push(`${key} names ${meta.key}`);
      if (!copy || sha256(copy) !== meta.sha256 || copy.length !== meta.size) {
        problems.push(
          `${key} describes ${meta.size} bytes ${meta.sha256.slice(0, 12)}, stored ${JSON.stringify(fingerprint(copy))}`,
        );
      }
      continue;
    }
    const which = Object.entries(versions).find(([, v]) => v.equals(bytes))?.[0];
    if (!which) problems.push(`${key}: ${bytes.length} bytes, no version`);
    held[key] = which ?? '?';
  }
  return { held, problems };
}

describe('two invocations for one message id, reading different bytes, racing', () => {
  for (const order of ['v2 copy lands first', 'v1 metadata lands last'] as const) {
    it(`${order}: each .json describes its own key's bytes, both versions journaled`, async () => {
      const v1 = bigMessage(200_000, 'f43-meta-race-v1');
      const v2 = bigMessage(200_000, 'f43-meta-race-v2');
      const id = t.stack.flow.load(v1);
      const key = `j/${id}`;
      let gets = 0;
      let metadataHeld = false;
      let firstRead = () => {};
      const readV1 = new Promise<void>((resolve) => {
        firstRead = resolve;
      });
      let v2Done = () => {};
      const secondDone = new Promise<void>((resolve) => {
        v2Done = resolve;
      });
      t.flowp.decide = (req) => {
        if (!isGet(req, id)) return { do: 'forward' };
        gets++;
        if (gets === 1) {
          firstRead();
          return { do: 'forward' };
        }
        return serve(v2);
      };
      t.s3p.decide = (req, body) => {
        const path = pathOf(req);
        if (order === 'v2 copy lands first' && isPlainPut(req) && path.endsWith(`/${key}`)) {
          if (body.includes('f43-meta-race-v1')) return { do: 'after', until: secondDone };
        }
        if (order === 'v1 metadata lands last' && isPlainPut(req) && path.endsWith(`/${key}.json`)) {
          if (body.includes(sha256(v1))) {
            metadataHeld = true;
            return { do: 'after', until: secondDone };
          }
        }
        return { do: 'forward' };
      };
      const first = invoke(handler(), event(id));
      await readV1;
      // The v1 copy stored and its metadata held at the proxy before the second invocation starts.
      for (let i = 0; i < 500 && order === 'v1 metadata lands last' && !metadataHeld; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await invoke(handler(), event(id));
      v2Done();
      const one = await first;
      const facts = JSON.stringify({ first: one.error?.message, second: second.error?.message, gets });
      expect(one.error, facts).toBeUndefined();
      expect(second.error, facts).toBeUndefined();
      const { held, problems } = await checkJournal(key, { v1, v2 });
      expect(problems, `${facts} ${JSON.stringify(held)}`).toEqual([]);
      expect(Object.values(held).sort(), JSON.stringify(held)).toEqual(['v1', 'v2']);
      expect(held[key], facts).toBe(order === 'v2 copy lands first' ? 'v2' : 'v1');
      if (order === 'v1 metadata lands last') expect(metadataHeld).toBe(true);
    }, 60_000);
  }
});

describe('a retry after the metadata write failed, the message changed meanwhile', () => {
  it('the first copy is kept, the new bytes go to the repair key, every .json describes its key', async () => {
    const v1 = bigMessage(200_000, 'f43-meta-retry-v1');
    const v2 = bigMessage(200_000, 'f43-meta-retry-v2');
    const id = t.stack.flow.load(v1);
    const key = `j/${id}`;
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/${key}.json`)
        ? {
            do: 'answer',
            status: 500,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>InternalError</Code><Message>injected</Message></Error>',
          }
        : { do: 'forward' };
    const first = await invoke(handler(), event(id));
    expect(first.error).toBeDefined();
    expect(fingerprint(await stored(t.stack, JOURNAL, key))).toEqual(fingerprint(v1));
    expect(await stored(t.stack, JOURNAL, `${key}.json`)).toBeUndefined();
    t.s3p.decide = () => ({ do: 'forward' });
    t.flowp.decide = (req) => (isGet(req, id) ? serve(v2) : { do: 'forward' });
    const retry = await invoke(handler(), event(id));
    expect(retry.error?.message).toBeUndefined();
    const { held, problems } = await checkJournal(key, { v1, v2 });
    expect(problems, JSON.stringify(held)).toEqual([]);
    expect(held).toEqual({ [key]: 'v1', [`${key}.repaired-${sha256(v2).slice(0, 16)}`]: 'v2' });
    // The message as it was then is served again: its copy is verified and finally described.
    t.flowp.decide = () => ({ do: 'forward' });
    expect((await invoke(handler(), event(id))).error?.message).toBeUndefined();
    const after = await checkJournal(key, { v1, v2 });
    expect(after.problems).toEqual([]);
    const meta = JSON.parse(((await stored(t.stack, JOURNAL, `${key}.json`)) ?? '{}').toString()) as {
      sha256?: string;
    };
    expect(meta.sha256).toBe(sha256(v1));
  }, 60_000);

  it('the metadata write applied but its answer lost: the SDK retry finds it and it describes the copy', async () => {
    const v1 = bigMessage(200_000, 'f43-meta-lost');
    const id = t.stack.flow.load(v1);
    const key = `j/${id}`;
    let lost = 0;
    t.s3p.decide = (req) =>
      isPlainPut(req) && pathOf(req).endsWith(`/${key}.json`) && lost++ === 0
        ? { do: 'apply-then-drop' }
        : { do: 'forward' };
    const r = await invoke(handler(), event(id));
    expect(r.error?.message).toBeUndefined();
    expect(lost).toBeGreaterThan(1);
    const { problems, held } = await checkJournal(key, { v1 });
    expect(problems).toEqual([]);
    expect(held).toEqual({ [key]: 'v1' });
  }, 60_000);
});

describe('a stale .json describing other bytes at the key', () => {
  it('is rewritten to describe the copy stored', async () => {
    const v1 = bigMessage(200_000, 'f43-meta-stale');
    const id = t.stack.flow.load(v1);
    const key = `j/${id}`;
    const stale = JSON.stringify({ key, sha256: sha256(Buffer.from('other')), size: 5 });
    await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: `${key}.json`, Body: stale }));
    const r = await invoke(handler(), event(id));
    expect(r.error?.message).toBeUndefined();
    const { problems, held } = await checkJournal(key, { v1 });
    expect(problems).toEqual([]);
    expect(held).toEqual({ [key]: 'v1' });
  }, 60_000);
});
