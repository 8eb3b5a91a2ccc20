import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FlowHandler, type FlowOutcome, flow, onFlowOutcome } from '@wmflow/core';
import { makeFlowEvent } from '@wmflow/core/testing';
import { JournalError, journalToS3 } from '@wmflow/rules';
import { afterEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { bigMessage, fingerprint, invoke, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { isComplete, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 43 (scenario 4): the journal's conditional write (PutObject, or CompleteMultipartUpload) answers 412
// because the key is taken, and what is stored there is NOT this invocation's message. The docs (README "The
// archiver's promise", docs/rules.md, docs/deploy.md): the stored copy is read back and hashed; other bytes are
// never trusted nor overwritten: the verified copy goes to `<key>.repaired-<sha256 prefix>` with its own `.json`
// naming the mismatch under `repairs`, and a warning is logged. Never "already journaled" on a copy that differs.
// Held. Found and closed: when the repair key holds other bytes too, the invocation failed with a
// `JournalError` of reason 's3' (a plain Error wrapped), where the class documents 'conflict' for it.
const t = proxiedStack([JOURNAL, UPDATES]);
afterEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
});

const put = (key: string, body: Buffer) =>
  t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: body }));

/** The same length, one base64 letter changed near the end: another message's bytes. */
function other(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const at = out.length - 100;
  out[at] = out[at] === 0x41 ? 0x42 : 0x41;
  return out;
}

async function run(handler: FlowHandler, id: string) {
  let outcome: FlowOutcome | undefined;
  const stop = onFlowOutcome((o) => {
    if (o.messageId === id) outcome = o;
  });
  try {
    const result = await invoke(handler, makeFlowEvent({ messageId: id, recipients: ['bob@corp.example'] }));
    return { ...result, outcome, said: JSON.stringify(outcome?.fired ?? []) };
  } finally {
    stop();
  }
}

async function metadataOf(key: string) {
  const bytes = await stored(t.stack, JOURNAL, `${key}.json`);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : undefined;
}

const archiverHandler = () =>
  archiver({ JOURNAL_BUCKET: JOURNAL, KEY_TEMPLATE: 'j/{messageId}', ORGANIZATION_DOMAINS: 'corp.example' });
// Parts always (streamMaxBytes 0): the conditional write is the CompleteMultipartUpload.
const partedHandler = () =>
  flow({
    synchronous: false,
    rules: [journalToS3({ bucket: JOURNAL, keyTemplate: 'j/{messageId}', streamMaxBytes: 0 })],
  });

for (const [path, size, handler] of [
  ['streamed PutObject', 200_000, archiverHandler],
  ['CompleteMultipartUpload', 6_000_000, partedHandler],
] as const) {
  describe(`${path} answers 412 and the stored copy holds other bytes`, () => {
    it('is read back and found different: the verified copy goes to the repair key, the stored one is untouched', async () => {
      const bytes = bigMessage(size, `f43-conflict-${size}`);
      const id = t.stack.flow.load(bytes);
      const key = `j/${id}`;
      const squatter = other(bytes);
      await put(key, squatter);
      let conditional = 0;
      t.s3p.decide = (req) => {
        if (pathOf(req).endsWith(`/${key}`) && (isPlainPut(req) || isComplete(req))) conditional++;
        return { do: 'forward' };
      };
      const r = await run(handler(), id);
      const facts = JSON.stringify({ error: r.error?.message, conditional, said: r.said.slice(0, 2000) });
      expect(r.error, facts).toBeUndefined();
      expect(conditional, facts).toBeGreaterThan(0);
      // Never "already journaled" on other bytes; the mismatch is said.
      expect(r.said, facts).not.toMatch(/already journaled/);
      expect(r.said, facts).toMatch(/held other content/);
      // The stored copy: untouched, and no metadata claims it is this message.
      expect(fingerprint(await stored(t.stack, JOURNAL, key))).toEqual(fingerprint(squatter));
      expect(await metadataOf(key), facts).toBeUndefined();
      // The verified copy, byte for byte, described exactly, the mismatch named.
      const repaired = `${key}.repaired-${sha256(bytes).slice(0, 16)}`;
      expect(fingerprint(await stored(t.stack, JOURNAL, repaired)), facts).toEqual(fingerprint(bytes));
      const meta = await metadataOf(repaired);
      expect(meta, facts).toMatchObject({
        key: repaired,
        sha256: sha256(bytes),
        size: bytes.length,
        repairs: { key, storedSha256: sha256(squatter), storedSize: squatter.length },
      });
      // A retry finds both keys taken and the repair verified: no third copy, the same outcome.
      const again = await run(handler(), id);
      expect(again.error?.message).toBeUndefined();
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.startsWith(key));
      expect(keys.sort()).toEqual([key, repaired, `${repaired}.json`].sort());
    }, 120_000);

    it('the same bytes stored (a retry): already journaled, no repair copy', async () => {
      const bytes = bigMessage(size, `f43-same-${size}`);
      const id = t.stack.flow.load(bytes);
      const key = `j/${id}`;
      await put(key, bytes);
      const r = await run(handler(), id);
      expect(r.error?.message).toBeUndefined();
      expect(r.said).toMatch(/already journaled/);
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.startsWith(key));
      expect(keys.sort()).toEqual([key, `${key}.json`]);
      expect(await metadataOf(key)).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    }, 120_000);
  });
}

describe('412, and the repair key holds other bytes too', () => {
  it('fails the invocation with a JournalError "conflict" (documented), overwriting neither', async () => {
    const bytes = bigMessage(200_000, 'f43-conflict-twice');
    const id = t.stack.flow.load(bytes);
    const key = `j/${id}`;
    const repaired = `${key}.repaired-${sha256(bytes).slice(0, 16)}`;
    const a = other(bytes);
    const b = other(other(other(bytes)).reverse());
    await put(key, a);
    await put(repaired, b);
    const r = await run(archiverHandler(), id);
    const chain: unknown[] = [];
    for (let e: unknown = r.error; e instanceof Error; e = e.cause) chain.push(e);
    const journalError = chain.find((e): e is JournalError => e instanceof JournalError);
    const facts = JSON.stringify({ error: r.error?.message, reason: journalError?.reason });
    expect(journalError, facts).toBeDefined();
    expect(journalError?.reason, facts).toBe('conflict');
    expect(journalError?.key, facts).toBe(repaired);
    expect(fingerprint(await stored(t.stack, JOURNAL, key))).toEqual(fingerprint(a));
    expect(fingerprint(await stored(t.stack, JOURNAL, repaired))).toEqual(fingerprint(b));
    expect(await metadataOf(key)).toBeUndefined();
    expect(await metadataOf(repaired)).toBeUndefined();
  }, 60_000);
});

describe('a 412 with nothing stored (the key is free when read back)', () => {
  it('the message is still journaled whole and described exactly, and the oddity is said', async () => {
    const bytes = bigMessage(200_000, 'f43-412-empty');
    const id = t.stack.flow.load(bytes);
    const key = `j/${id}`;
    let refused = 0;
    t.s3p.decide = (req) => {
      if (isPlainPut(req) && pathOf(req).endsWith(`/${key}`) && refused++ === 0) {
        return {
          do: 'answer',
          status: 412,
          headers: { 'content-type': 'application/xml' },
          body: '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
        };
      }
      return { do: 'forward' };
    };
    const r = await run(archiverHandler(), id);
    const facts = JSON.stringify({ error: r.error?.message, said: r.said.slice(0, 2000) });
    expect(r.said, facts).not.toMatch(/already journaled/);
    const copies: string[] = [];
    for (const { key: k } of await t.stack.listObjects(JOURNAL)) {
      if (!k.startsWith(key) || k.endsWith('.json')) continue;
      copies.push(k);
      expect(fingerprint(await stored(t.stack, JOURNAL, k)), k).toEqual(fingerprint(bytes));
      expect(await metadataOf(k), k).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    }
    // Either the invocation failed (a retry journals it) or one verified copy is stored and described.
    if (r.error) expect(copies, facts).toEqual([]);
    else expect(copies.length, facts).toBe(1);
  }, 60_000);
});
