/**
 * Fault round 92: the journal's metadata object (`<key>.json`, the copy's SHA-256 and size) answered `200` by
 * something in between while S3 stored nothing, or stored it cut. Asked: the archiver never reports a message
 * journaled whose copy has no whole metadata beside it; the invocation fails, and WorkMail's retry (or Lambda's)
 * completes the metadata, with one copy and one metadata object under the key.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import {
  describeErrors,
  fingerprint,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
} from './fault-harness.js';
import { type Act, isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

const isMetadataPut = (req: IncomingMessage) =>
  isPlainPut(req) && pathOf(req).startsWith(`/${JOURNAL}/`) && pathOf(req).endsWith('.json');

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

function message(seed: string): Buffer {
  return Buffer.from(
    `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: ${seed}\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n` +
      `Message-ID: <${seed}@partner.example>\r\n\r\n${'a line of the body\r\n'.repeat(40)}`,
  );
}

/** The first metadata PutObject decided by `act`, every other request forwarded. */
function onceOnMetadata(act: (req: IncomingMessage, body: Buffer) => Act | Promise<Act>) {
  let left = 1;
  t.s3p.decide = (req, body) => (isMetadataPut(req) && left-- > 0 ? act(req, body) : { do: 'forward' });
}

async function journalState(id: string, bytes: Buffer) {
  const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
  const copies = keys.filter((k) => !k.endsWith('.json'));
  const metadata = keys.filter((k) => k.endsWith('.json'));
  const whole: string[] = [];
  for (const key of metadata) {
    const text = (await stored(t.stack, JOURNAL, key))?.toString('utf8') ?? '';
    try {
      const parsed = JSON.parse(text) as { size?: number };
      if (parsed.size === bytes.length) whole.push(key);
    } catch {}
  }
  return { copies, metadata, whole };
}

async function run(seed: string, env: Record<string, string> = {}) {
  const bytes = message(seed);
  const id = t.stack.flow.load(bytes);
  const handler = archiver({ JOURNAL_BUCKET: JOURNAL, SYNCHRONOUS: 'true', ...env });
  const event = makeFlowEvent({
    messageId: id,
    mailFrom: 'ann@partner.example',
    recipients: ['bob@corp.example'],
  });
  const first = await invoke(handler, event);
  const afterFirst = await journalState(id, bytes);
  // Answered means done: a copy whose metadata is missing or cut is no journal entry.
  if (!first.error) {
    expect(afterFirst.copies, 'answered: one copy').toHaveLength(1);
    expect(afterFirst.whole, 'answered: its whole metadata beside it').toEqual([
      `${afterFirst.copies[0]}.json`,
    ]);
  }
  t.s3p.decide = () => ({ do: 'forward' });
  const retried = await invokeUntilAnswered(handler, event, 3);
  expect(retried.answered, describeErrors(retried.errors)).toBe(true);
  const end = await journalState(id, bytes);
  expect(end.copies).toHaveLength(1);
  expect(end.whole).toEqual([`${end.copies[0]}.json`]);
  expect(end.metadata).toEqual(end.whole);
  expect(fingerprint(await stored(t.stack, JOURNAL, end.copies[0] as string))).toEqual(fingerprint(bytes));
  const meta = JSON.parse((await stored(t.stack, JOURNAL, end.whole[0] as string))?.toString('utf8') ?? '');
  expect(meta).toMatchObject({ key: end.copies[0], sha256: sha256(bytes), size: bytes.length });
  return { first, afterFirst };
}

describe('the journal metadata object answered 200 by something in between', () => {
  it('never stored, answered with an ETag of no bytes sent: not reported journaled', async () => {
    onceOnMetadata(() => ({
      do: 'answer',
      status: 200,
      headers: { etag: '"0123456789abcdef0123456789abcdef"' },
      body: '',
    }));
    const { first } = await run('f92-meta-forged');
    expect(first.error, 'answered with no metadata stored').toBeDefined();
  }, 60_000);

  it('stored cut (its length cut to match), answered with the cut bytes’ ETag: not reported journaled', async () => {
    onceOnMetadata(async (req, body) => {
      const cut = body.subarray(0, Math.floor(body.length / 2));
      const key = pathOf(req).slice(`/${JOURNAL}/`.length);
      await t.stack.s3.send(new PutObjectCommand({ Bucket: JOURNAL, Key: key, Body: cut }));
      return { do: 'answer', status: 200, headers: { etag: `"${md5(cut)}"` }, body: '' };
    });
    const { first } = await run('f92-meta-cut');
    expect(first.error, 'answered with the metadata cut').toBeDefined();
  }, 60_000);

  it('stored whole, answered with its own ETag: answered at once (control)', async () => {
    const { first } = await run('f92-meta-control');
    expect(first.error).toBeUndefined();
  }, 60_000);

  it('applied, then the answer lost (reset) on every attempt of the SDK: the retry completes it, one copy', async () => {
    let left = 3;
    t.s3p.decide = (req) =>
      isMetadataPut(req) && left-- > 0 ? { do: 'apply-then-drop' } : { do: 'forward' };
    await run('f92-meta-lost');
  }, 60_000);

  it('refused with a 500 on every attempt of the SDK after the copy was stored: the retry completes it, one copy', async () => {
    let left = 3;
    t.s3p.decide = (req) =>
      isMetadataPut(req) && left-- > 0
        ? {
            do: 'answer',
            status: 500,
            headers: { 'content-type': 'application/xml' },
            body: '<Error><Code>InternalError</Code></Error>',
          }
        : { do: 'forward' };
    const { first, afterFirst } = await run('f92-meta-500');
    expect(first.error).toBeDefined();
    expect(afterFirst.whole).toEqual([]);
  }, 60_000);

  it('under SSE-KMS (its ETag no MD5), never stored, answered 200 saying aws:kms: not reported journaled', async () => {
    onceOnMetadata(() => ({
      do: 'answer',
      status: 200,
      headers: { etag: '"0123456789abcdef0123456789abcdef"', 'x-amz-server-side-encryption': 'aws:kms' },
      body: '',
    }));
    const { first } = await run('f92-meta-kms-forged', { KMS_KEY_ID: 'alias/journal' });
    expect(first.error, 'answered with no metadata stored').toBeDefined();
  }, 60_000);

  it('under SSE-KMS, stored whole: answered at once (control)', async () => {
    const { first } = await run('f92-meta-kms-control', { KMS_KEY_ID: 'alias/journal' });
    expect(first.error).toBeUndefined();
  }, 60_000);
});

describe('the journal copy itself (one streamed PutObject) answered 200 by something in between, never stored', () => {
  const isCopyPut = (req: IncomingMessage) =>
    isPlainPut(req) && pathOf(req).startsWith(`/${JOURNAL}/`) && !pathOf(req).endsWith('.json');
  function forgeCopyOnce(headers: Record<string, string>) {
    let left = 1;
    t.s3p.decide = (req) =>
      isCopyPut(req) && left-- > 0 ? { do: 'answer', status: 200, headers, body: '' } : { do: 'forward' };
  }

  it('under SSE-KMS (its ETag no MD5): never answered with no copy stored (the next attempt stores it)', async () => {
    forgeCopyOnce({ etag: '"0123456789abcdef0123456789abcdef"', 'x-amz-server-side-encryption': 'aws:kms' });
    await run('f92-copy-kms-forged', { KMS_KEY_ID: 'alias/journal' });
  }, 60_000);

  it('unencrypted, an ETag of other bytes: the next attempt within the invocation stores it (round 88 held)', async () => {
    forgeCopyOnce({ etag: '"0123456789abcdef0123456789abcdef"' });
    await run('f92-copy-forged');
  }, 60_000);
});
